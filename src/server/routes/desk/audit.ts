/** `/admin/audit`: the audit log, newest first, for admins. */
import type { FastifyPluginAsync } from 'fastify';
import { auditEntries } from '../../auth/audit.ts';
import { guard } from '../../auth/plugin.ts';
import type { ServerContext } from '../../context.ts';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';

export function auditRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { user?: string; action?: string } }>(
      '/admin/audit',
      { preHandler: guard('audit') },
      async (request, reply) => {
        const entries = await auditEntries(ctx.store, {
          user: request.query.user || undefined,
          action: request.query.action || undefined,
          limit: 500,
        });
        const body = html`<h1>Audit log</h1>
          <p class="muted">
            Every staff action, newest first (the last
            500${request.query.user ? html` by ${request.query.user}` : ''}).
          </p>
          <table>
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Who</th>
                <th>What</th>
                <th>Target</th>
                <th>From</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              ${entries.map(
                (e) =>
                  html`<tr>
                    <td>${e.at}</td>
                    <td>${e.user ?? '—'}</td>
                    <td>${e.action}</td>
                    <td>${e.target ?? ''}</td>
                    <td>${e.ip ?? ''}</td>
                    <td><code>${Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
        return reply
          .type('text/html; charset=utf-8')
          .send(page({ title: 'Audit log', nav: 'desk', actor: request.actor }, body));
      },
    );
  };
}
