/**
 * Staff pages (login required): the log-in, the desk (intake → decision → outcome events, the
 * printable notice, publishing a report edition) and the audit log. Every action is audited by
 * the functions it calls (`intake.ts`, `auth/audit.ts`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { buildReport } from '../../../reports/build.ts';
import { EditionError, correctEdition, disputeRow, publishEdition } from '../../../reports/editions.ts';
import { audit } from '../../auth/audit.ts';
import { actorOf, guard } from '../../auth/plugin.ts';
import { can, type Actor } from '../../auth/roles.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import {
  intakeLimits,
  latestDecision,
  readRequest,
  recordIntake,
  recordOutcome,
  type LedgerRequest,
} from '../../intake.ts';
import { today } from '../../jurisdiction.ts';
import { page } from '../../layout.ts';
import { HttpProblem } from '../../problem.ts';
import { requestFromForm, type FormValues } from '../pages/ask-form.ts';
import { result as decisionSection } from '../pages/ask.ts';
import { accountRoutes } from './account.ts';
import { auditRoutes } from './audit.ts';
import { importRoutes } from './imports.ts';
import { csrfField, intakeForm, outcomeForm, problemNote } from './forms.ts';
import { loginRoutes } from './login.ts';
import { userAdminRoutes } from './users.ts';
import { OUTCOME_LABELS } from '../../../ledger/outcome.ts';

const HTML = 'text/html; charset=utf-8';
const reqHref = (id: string) => `/desk/requests/${encodeURIComponent(id)}`;

export function deskRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(loginRoutes(ctx));
    await app.register(auditRoutes(ctx));
    await app.register(importRoutes(ctx));
    await app.register(userAdminRoutes(ctx));
    await app.register(accountRoutes(ctx));

    const deskPage = async (actor: Actor, values: FormValues, problem: Html | '' = '') => {
      const agency = actor.agencyId ? ctx.registry.agency(actor.agencyId) : undefined;
      let q = ctx.store.db
        .selectFrom('requests_v')
        .select(['id', 'type', 'issued_date', 'agency_id'])
        .where('source', '=', 'desk')
        .orderBy('seq', 'desc')
        .limit(25);
      if (!can(actor.role, 'read-all')) q = q.where('agency_id', '=', actor.agencyId ?? '');
      const recent = await q.execute();
      return page(
        { title: 'Desk', nav: 'desk', actor, libraryRevision: ctx.library.revision },
        html`<h1>Desk</h1>
          <p>${actor.name}, ${actor.role}${agency ? html` at ${agency.name}` : ''}.</p>
          ${problem}
          ${
            can(actor.role, 'record')
              ? html`<h2>Record a request</h2>
                  ${intakeForm(actor, values, agency?.name ?? null, intakeLimits(ctx, agency))}`
              : ''
          }
          <h2>Recently recorded here</h2>
          ${
            recent.length
              ? html`<ul>
                  ${recent.map((r) => html`<li><a href="${reqHref(r.id)}">${r.id}</a> ${r.type}, issued ${r.issued_date}${can(actor.role, 'read-all') ? html` <span class="muted">${r.agency_id}</span>` : ''}</li>`)}
                </ul>`
              : html`<p class="muted">None yet.</p>`
          }
          ${
            can(actor.role, 'publish')
              ? html`<h2>Publish a report edition</h2>
                  <form method="post" action="/desk/publish" id="publish">
                    ${csrfField(actor)}
                    <label
                      >A day in the week (Saturday to Friday)
                      <input type="date" name="week" value="${today()}" required
                    /></label>
                    <button type="submit">Publish</button>
                  </form>`
              : ''
          }
          ${can(actor.role, 'import') ? html`<p><a href="/desk/imports">Import a file</a></p>` : ''}
          ${can(actor.role, 'audit') ? html`<p><a href="/admin/audit">Audit log</a></p>` : ''}
          ${can(actor.role, 'users') ? html`<p><a href="/admin/users">Users</a></p>` : ''}
          <p><a href="/account">Your account</a> (password, sign out everywhere)</p>`,
      );
    };

    app.get('/desk', { preHandler: guard('desk') }, async (request, reply) =>
      reply.type(HTML).send(await deskPage(actorOf(request), { date: today(), type: 'hold' })),
    );

    app.post<{ Body: FormValues }>(
      '/desk/requests',
      { preHandler: guard('record') },
      async (request, reply) => {
        const actor = actorOf(request);
        const values = request.body ?? {};
        try {
          const division =
            ctx.registry.agency(String(values.agency ?? actor.agencyId ?? ''))?.divisionId ?? '';
          const req = requestFromForm({ ...values, division, state: '' }, ctx.registry) as unknown as Record<
            string,
            unknown
          >;
          delete req.receiver;
          const id = typeof values.id === 'string' ? values.id : undefined;
          const agency = typeof values.agency === 'string' ? values.agency : undefined;
          const citizenship = typeof values.citizenship === 'string' ? values.citizenship : undefined;
          const r = await recordIntake(ctx, actor, { id, agency, request: req, citizenship }, request.ip);
          return reply.redirect(reqHref(r.id), 303);
        } catch (e) {
          if (!(e instanceof HttpProblem) || e.status >= 500 || e.status === 403) throw e;
          return reply
            .code(e.status)
            .type(HTML)
            .send(await deskPage(actor, values, problemNote(e.message)));
        }
      },
    );

    const requestPage = (actor: Actor, r: LedgerRequest, problem: Html | '' = '') => {
      const d = latestDecision(ctx, r);
      const agency = r.agencyId ? ctx.registry.agency(r.agencyId) : undefined;
      return page(
        { title: `Request ${r.id}`, nav: 'desk', actor, libraryRevision: ctx.library.revision },
        html`<h1>Request <code>${r.id}</code></h1>
          <p>
            ${r.type} issued ${r.issuedDate} to
            ${agency?.name ?? r.agencyId ?? r.facilityName ?? '—'}${r.synthetic ? html` <strong>(synthetic)</strong>` : ''}
          </p>
          ${r.citizenship ? html`<p>Country of citizenship: <span id="citizenship">${r.citizenship}</span></p>` : ''}
          <p>Outcome so far: <strong id="outcome-now">${OUTCOME_LABELS[r.state_.outcome]}</strong></p>
          ${problem}
          ${
            d
              ? html`${d.stored.libraryRevision !== ctx.library.revision ? html`<p class="muted">Decided under library ${d.stored.libraryRevision.slice(0, 19)}…; shown under the current one.</p>` : ''}
                ${d.result.obligations.length ? html`<p><a href="${reqHref(r.id)}/notice">Printable notice of the obligations</a></p>` : ''}
                ${decisionSection(d.result, d.stored.request)}`
              : html`<p class="muted">No decision recorded.</p>`
          }
          <h2>Events</h2>
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>What</th>
                <th>Date</th>
                <th>Where</th>
                <th>By</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              ${r.events.map(
                (e) =>
                  html`<tr>
                    <td>${e.seq}</td>
                    <td>${e.kind}</td>
                    <td>${e.date}</td>
                    <td>${e.facilityId ?? ''}</td>
                    <td>${e.user ?? ''}</td>
                    <td>
                      ${e.kind === 'decided' ? String(e.data.decision) : typeof e.data.reason === 'string' ? e.data.reason : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${
            can(actor.role, 'record')
              ? html`<h2>Record what happened</h2>
                  ${outcomeForm(actor, r.id)}`
              : ''
          }`,
      );
    };

    app.get<{ Params: { id: string } }>(
      '/desk/requests/:id',
      { preHandler: guard('desk') },
      async (request, reply) => {
        const actor = actorOf(request);
        return reply.type(HTML).send(requestPage(actor, await readRequest(ctx, actor, request.params.id)));
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
      '/desk/requests/:id/events',
      { preHandler: guard('record') },
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body ?? {};
        try {
          await recordOutcome(
            ctx,
            actor,
            request.params.id,
            { kind: String(b.kind ?? ''), date: b.date, facility: b.facility, reason: b.reason },
            request.ip,
          );
          return reply.redirect(reqHref(request.params.id), 303);
        } catch (e) {
          if (!(e instanceof HttpProblem) || e.status !== 400) throw e;
          const r = await readRequest(ctx, actor, request.params.id);
          return reply
            .code(400)
            .type(HTML)
            .send(requestPage(actor, r, problemNote(e.message)));
        }
      },
    );

    // the notice for the person: the decision and each obligation the law attaches, with citations
    app.get<{ Params: { id: string } }>(
      '/desk/requests/:id/notice',
      { preHandler: guard('desk') },
      async (request, reply) => {
        const actor = actorOf(request);
        const r = await readRequest(ctx, actor, request.params.id);
        const d = latestDecision(ctx, r);
        if (!d) throw new HttpProblem(404, `request ${r.id} has no decision to give notice of`);
        const agency = r.agencyId ? ctx.registry.agency(r.agencyId) : undefined;
        const body = html`<article class="notice">
          <h1>Notice of an immigration ${r.type} request</h1>
          <p>
            ${agency?.name ?? r.agencyId} received a ${r.type} request from U.S. Immigration and Customs
            Enforcement dated ${r.issuedDate} (our reference <code>${r.id}</code>).
          </p>
          <p>
            Under the law in force on that date, complying with it is <strong>${d.result.decision}</strong>.
          </p>
          <h2>What the law requires of us</h2>
          <ol>
            ${d.result.obligations.map((o) => html`<li>${o.text} <span class="muted">(${o.citation}${o.due ? html`; due by ${o.due}` : ''})</span></li>`)}
          </ol>
          <p>Date of this notice: ${today()}</p>
        </article>`;
        await audit(ctx.store, { user: actor.name, action: 'notice.print', target: r.id, ip: request.ip });
        return reply.type(HTML).send(page({ title: `Notice for ${r.id}`, actor }, body));
      },
    );

    app.post<{ Body: Record<string, string | undefined> }>(
      '/desk/publish',
      { preHandler: guard('publish') },
      async (request, reply) => {
        const actor = actorOf(request);
        const week = String(request.body?.week ?? '');
        try {
          const report = await buildReport(ctx, { week });
          const p = await publishEdition(ctx.store, report, { by: actor.name });
          await audit(ctx.store, {
            user: actor.name,
            action: 'edition.publish',
            target: p.id,
            ip: request.ip,
            detail: { week, created: p.created },
          });
          return reply.redirect(`/editions/${encodeURIComponent(p.id)}`, 303);
        } catch (e) {
          if (e instanceof EditionError || e instanceof RangeError)
            throw new HttpProblem(400, e.message, { code: 'edition.refused', field: 'week', value: week });
          throw e;
        }
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
      '/desk/editions/:id/dispute',
      { preHandler: guard('correct') },
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body ?? {};
        try {
          await disputeRow(ctx.store, request.params.id, {
            row: String(b.row ?? ''),
            by: actor.name,
            reason: String(b.reason ?? ''),
          });
        } catch (e) {
          if (e instanceof EditionError)
            throw new HttpProblem(400, e.message, { code: 'edition.refused', field: 'row' });
          throw e;
        }
        await audit(ctx.store, {
          user: actor.name,
          action: 'edition.dispute',
          target: request.params.id,
          ip: request.ip,
          detail: { row: b.row },
        });
        return reply.redirect(`/editions/${encodeURIComponent(request.params.id)}`, 303);
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
      '/desk/editions/:id/correct',
      { preHandler: guard('correct') },
      async (request, reply) => {
        const actor = actorOf(request);
        try {
          const c = await correctEdition(ctx, request.params.id, {
            reason: String(request.body?.reason ?? ''),
            by: actor.name,
          });
          await audit(ctx.store, {
            user: actor.name,
            action: 'edition.correct',
            target: c.id,
            ip: request.ip,
            detail: { supersedes: request.params.id },
          });
          return reply.redirect(`/editions/${encodeURIComponent(c.id)}`, 303);
        } catch (e) {
          if (e instanceof EditionError)
            throw new HttpProblem(400, e.message, { code: 'edition.refused', field: 'reason' });
          throw e;
        }
      },
    );
  };
}
