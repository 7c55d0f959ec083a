/** `/api/docs`: the endpoints, read from the OpenAPI document the API's own schemas generate. */
import type { FastifyPluginAsync } from 'fastify';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: { type?: string };
  }[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string }>;
}

const EXAMPLE = `curl -s http://localhost:8080/api/v1/decide -H 'content-type: application/json' -d '{
  "type": "hold", "date": "2019-03-04", "authority": ["i-200"],
  "receiver": { "division": "ocd-division/country:us/state:ca/county:los_angeles", "agencyKind": "sheriff" }
}'`;

export function apiDocsPage(): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/docs', async (_request, reply) => {
      const doc = app.swagger() as { paths?: Record<string, Record<string, Operation>> };
      const ops = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
      );
      const body = html`<h1>API</h1>
        <p>
          JSON over HTTP under <code>/api/v1</code>. The machine-readable description is the OpenAPI document
          at <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a
          >, generated from the same schemas the server validates with. Errors are RFC 9457 problem documents
          (<code>application/problem+json</code>) with <code>detail</code>, and <code>field</code> and
          <code>value</code> naming what to fix.
        </p>
        <pre>${EXAMPLE}</pre>
        ${ops.map(
          ({ path, method, op }) =>
            html`<section>
              <h2 id="${method.toLowerCase()}-${path}"><code>${method} ${path}</code></h2>
              <p>${op.summary ?? ''}</p>
              ${op.description ? html`<p class="muted">${op.description}</p>` : ''}
              ${
                op.parameters?.length
                  ? html`<table>
                      <thead>
                        <tr>
                          <th>Parameter</th>
                          <th>In</th>
                          <th>Required</th>
                          <th>Meaning</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${op.parameters.map(
                          (p) =>
                            html`<tr>
                              <td><code>${p.name}</code></td>
                              <td>${p.in}</td>
                              <td>${p.required ? 'yes' : 'no'}</td>
                              <td>${p.description ?? p.schema?.type ?? ''}</td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
                  : ''
              }
              ${op.requestBody ? html`<p>Body: JSON, described in the OpenAPI document.</p>` : ''}
              <p>
                Responses:
                ${Object.entries(op.responses ?? {}).map(([code, r]) => html`<code>${code}</code> ${r.description ?? ''}; `)}
              </p>
            </section>`,
        )}`;
      return reply.type('text/html; charset=utf-8').send(page({ title: 'API', nav: 'api' }, body));
    });
  };
}
