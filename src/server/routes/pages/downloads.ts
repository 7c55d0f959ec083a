/**
 * `/downloads`: every file the public site serves as data, with what each holds: each published
 * edition as JSON and as CSV per section, the law library as JSON, the OpenAPI document. The
 * files themselves are served by the API routes (`/api/v1/editions…`, `/api/v1/law…`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { listEditions } from '../../../reports/editions.ts';
import type { ServerContext } from '../../context.ts';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';
import { editionHref } from './editions.ts';

/**
 * The CSV files of an edition (the names `src/reports/render/csv.ts` gives them) and what each
 * holds. Listed here rather than rendered from every edition: the page must not render every
 * edition to name the same eleven files.
 */
export const EDITION_FILES: readonly { file: string; holds: string }[] = [
  {
    file: 'about.csv',
    holds: 'what the files are: period, edition id, library revision, whether the data is synthetic',
  },
  {
    file: 'section-1.csv',
    holds: 'section I: the agencies with the most declines, with their cooperation profile',
  },
  {
    file: 'section-2.csv',
    holds:
      'section II: one row per declined request — ledger id, agency, facility, dates, outcome, citizenship and offense category',
  },
  {
    file: 'section-3.csv',
    holds: 'section III: jurisdictions whose law limits cooperation, one row per profile dimension',
  },
  { file: 'section-3-287g.csv', holds: 'section III: the 287(g) agreements in force in those jurisdictions' },
  {
    file: 'section-4.csv',
    holds: 'section IV: the period’s figures (requests, declines, outcomes by category)',
  },
  { file: 'section-4-disputes.csv', holds: 'section IV: disputes of rows still open' },
  {
    file: 'section-4-unresolved-names.csv',
    holds: 'section IV: facility names that did not resolve to a place, with counts',
  },
  {
    file: 'section-4-corrections.csv',
    holds: 'section IV: corrections published, one row per changed field',
  },
  { file: 'county-declines.csv', holds: 'declines per county (FIPS code), the figures of the map' },
  { file: 'weekly-trend.csv', holds: 'requests and declines per week, the 26 weeks to the period’s end' },
];

export function downloadsPage(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/downloads', async (request, reply) => {
      const editions = (await listEditions(ctx.store)).reverse();
      const api = (id: string) => `/api/v1/editions/${encodeURIComponent(id)}`;
      const ledger = await ctx.ledgerSummary();
      const body = html`<h1>Data downloads</h1>
        <p>
          Every figure on this site can be downloaded. The public files hold counts, places, dates of requests
          and outcomes, and the law with its citations: <strong>no names, birth dates or file numbers</strong>
          of the people concerned (the ledger keeps none of these in anything it publishes). Requests are
          named only by the ledger's own id.
        </p>

        <h2>Weekly report editions</h2>
        <p>
          An edition never changes: it is addressed by the sha256 of its content, and a correction is a new
          edition that supersedes the old one. Each edition is one JSON document (the whole report model, with
          its edition stamp) and a set of CSV files, each with one header row and nothing else.
        </p>
        ${
          editions.length === 0
            ? html`<p class="muted">No edition has been published yet.</p>`
            : html`<table id="edition-downloads">
                <thead>
                  <tr>
                    <th>Period</th>
                    <th>Edition</th>
                    <th>JSON</th>
                    <th>CSV files</th>
                  </tr>
                </thead>
                <tbody>
                  ${editions.map(
                    (e) =>
                      html`<tr>
                        <td>${e.from} – ${e.to}</td>
                        <td>
                          <a href="${editionHref(e.id)}"><code>${e.id.slice(7, 19)}</code></a
                          >${e.synthetic ? html` <strong>SYNTHETIC</strong>` : ''}${e.supersededBy ? html` <span class="muted">(corrected)</span>` : ''}
                        </td>
                        <td><a href="${api(e.id)}">report.json</a></td>
                        <td>
                          ${EDITION_FILES.map((f, i) => html`${i ? ' · ' : ''}<a href="${api(e.id)}/sections/${f.file}">${f.file}</a>`)}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        <h3>What each CSV file holds</h3>
        <dl class="files">
          ${EDITION_FILES.map(
            (f) =>
              html`<dt><code>${f.file}</code></dt>
                <dd>${f.holds}</dd>`,
          )}
        </dl>
        <p>
          The list of editions itself, with periods, ids and what each supersedes:
          <a href="/api/v1/editions">/api/v1/editions</a> (JSON).
        </p>

        <h2>The law library</h2>
        <ul>
          <li>
            <a href="/api/v1/law/instruments">/api/v1/law/instruments</a> (JSON): every instrument version —
            id, title, layer, division, validity, confidence, number of clauses, its policy file — with the
            library revision (<code>${ctx.library.revision.slice(0, 19)}…</code>).
          </li>
          <li>
            <code>/api/v1/law/instruments/ID</code> (JSON), e.g.
            <a href="/api/v1/law/instruments/ca-values-act">ca-values-act</a>: one instrument with each
            version, its clauses, citations, sources and confidence.
          </li>
          <li>
            <code>/api/v1/jurisdictions/ID/profile?date=</code> (JSON): the cooperation profile of a division
            on a date, with the deciding clauses.
          </li>
        </ul>

        <h2>The API</h2>
        <p>
          <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>: the OpenAPI document of every public and
          staff endpoint, with their parameters and answers; <a href="/api/docs">read it as a page</a>.
        </p>`;
      return reply.type('text/html; charset=utf-8').send(
        page(
          {
            title: 'Data downloads',
            nav: 'downloads',
            ledger,
            libraryRevision: ctx.library.revision,
            actor: request.actor,
          },
          body,
        ),
      );
    });
  };
}
