/**
 * Public report pages: `/editions` (every published edition), `/editions/:id` (headline figures,
 * map, trend, the declines of section II, corrections, disputes and downloads; the forms to
 * dispute and correct for staff who may) and `/editions/:id/report.html` (the report itself, as
 * `src/reports` renders it for print).
 */
import type { FastifyPluginAsync } from 'fastify';
import { disputesOf, listEditions, successorOf, type EditionSummary } from '../../../reports/editions.ts';
import { renderChart } from '../../../reports/render/chart.ts';
import { CSV_FILES } from '../../../reports/render/csv.ts';
import { renderHtml } from '../../../reports/render/html.ts';
import { renderMap } from '../../../reports/render/map.ts';
import type { Report } from '../../../reports/types.ts';
import { can } from '../../auth/roles.ts';
import type { ServerContext } from '../../context.ts';
import { html, trusted, type Html } from '../../html.ts';
import { page } from '../../layout.ts';
import { RecentCache } from '../../recent-cache.ts';
import { editionOr404 } from '../api/editions.ts';
import { csrfField } from '../desk/forms.ts';

const HTML = 'text/html; charset=utf-8';
export const editionHref = (id: string) => `/editions/${encodeURIComponent(id)}`;
const short = (id: string) => id.slice(7, 19);

/** The figures a reader looks for first; the home page shows them for the latest edition. */
export function headline(report: Report): Html {
  const iv = report.sections.IV;
  return html`<dl class="headline">
    <div>
      <dt>Requests issued</dt>
      <dd>${iv.requestsIssued.toLocaleString('en-US')}</dd>
    </div>
    <div>
      <dt>Declines counted</dt>
      <dd>${iv.declines.toLocaleString('en-US')}</dd>
    </div>
    <div>
      <dt>Confirmed by the agency</dt>
      <dd>${Math.round(iv.confirmedShare * 100)}%</dd>
    </div>
    <div>
      <dt>Issued in error (not declines)</dt>
      <dd>${iv.issuedInError.count.toLocaleString('en-US')}</dd>
    </div>
    <div>
      <dt>Transferred elsewhere</dt>
      <dd>${iv.transferredElsewhere.toLocaleString('en-US')}</dd>
    </div>
  </dl>`;
}

/**
 * Map and trend, drawn by `src/reports` from the edition's own figures. The county map (about a
 * megabyte of SVG) is an image of its own, cached for good (an edition never changes), so pages
 * that show it stay small; the home page links to it instead.
 */
export function mapAndTrend(report: Report, opts: { map: boolean } = { map: true }): Html {
  const id = report.edition?.id;
  return html`${
      opts.map && id
        ? html`<figure class="map">
            <img
              src="${editionHref(id)}/map.svg"
              alt="Map: declines by county; the figures are in section-2.csv and county-declines.csv"
              width="960"
              height="600"
            />
            <figcaption>Declines by county, ${report.period.from} to ${report.period.to}</figcaption>
          </figure>`
        : ''
    }
    <figure class="trend">
      ${trusted(renderChart(report))}
      <figcaption>Declines and requests, the 26 weeks to ${report.period.to}</figcaption>
    </figure>`;
}

/** The parts of an edition's page that never change once it is published. */
interface EditionParts {
  report: Report;
  /** title, synthetic note, edition line */
  head: Html;
  /** corrections, headline figures, map and trend, downloads, section II */
  figures: Html;
}

/**
 * An edition is immutable and content-addressed: its page parts are rendered once per server
 * (after `readEdition` has checked the content against its id) and kept, the most recent few.
 */
const PARTS_CACHED = 16;

async function editionParts(
  ctx: ServerContext,
  partsCache: RecentCache<string, EditionParts>,
  idOrPrefix: string,
): Promise<EditionParts> {
  const hit = partsCache.get(idOrPrefix);
  if (hit) return hit;
  const report = await editionOr404(ctx, idOrPrefix);
  const ed = report.edition!;
  const cached = partsCache.get(ed.id);
  if (cached) return cached;
  const iv = report.sections.IV;
  const api = `/api/v1/editions/${encodeURIComponent(ed.id)}`;
  const head = html`<h1>Declined-detainer report, ${report.period.from} to ${report.period.to}</h1>
    ${report.synthetic ? html`<p class="synthetic" role="note"><strong>SYNTHETIC DEMO DATA</strong> — this edition counts synthetic requests, not real people.</p>` : ''}
    <p class="muted">
      Edition <code>${ed.id}</code>, published
      ${ed.publishedAt}${ed.supersedes ? html`; corrects <a href="${editionHref(ed.supersedes)}">${short(ed.supersedes)}</a>` : ''}.
    </p>`;
  const figures = html`${iv.corrections.map(
      (c) =>
        html`<section class="correction">
          <h2>Correction</h2>
          <p>${c.reason} (${c.by}, ${c.at.slice(0, 10)})</p>
          <ul>
            ${c.text.map((t) => html`<li>${t}</li>`)}
          </ul>
        </section>`,
    )}
    ${headline(report)} ${mapAndTrend(report)}
    <p>
      <a href="${editionHref(ed.id)}/report.html">The full report (sections I–IV, printable)</a> ·
      <a href="${api}">JSON</a> · CSV: ${CSV_FILES.map((f) => html` <a href="${api}/sections/${f}">${f}</a>`)}
    </p>
    <h2>Section II: declined requests</h2>
    ${
      report.sections.II.length === 0
        ? html`<p>No decline counted in this period.</p>`
        : html`<table id="section-2">
            <thead>
              <tr>
                <th>Request</th>
                <th>Agency</th>
                <th>Facility owning the outcome</th>
                <th>State</th>
                <th>Issued</th>
                <th>Declined</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              ${report.sections.II.map(
                (r) =>
                  html`<tr>
                    <td><code>${r.requestId}</code></td>
                    <td>${r.agencyName ?? '—'}</td>
                    <td>${r.facilityName ?? '—'}</td>
                    <td>${r.state.toUpperCase()}</td>
                    <td>${r.issuedDate}</td>
                    <td>${r.declinedDate ?? html`<span class="muted">issue week</span>`}</td>
                    <td>${r.outcomeLabel}${r.confirmedByAgency ? ' (confirmed by the agency)' : ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
  const parts = { report, head, figures };
  partsCache.set(ed.id, parts);
  return parts;
}

export function latestCurrent(list: EditionSummary[]): EditionSummary | undefined {
  return list.filter((e) => !e.supersededBy).at(-1);
}

export function editionPages(ctx: ServerContext): FastifyPluginAsync {
  const partsCache = new RecentCache<string, EditionParts>(PARTS_CACHED);
  return async (app) => {
    app.get('/editions', async (request, reply) => {
      const list = (await listEditions(ctx.store)).reverse();
      const body = html`<h1>Weekly declined-detainer report: editions</h1>
        <p>
          Each edition is addressed by the sha256 of its content and never changes; a correction is a new
          edition that supersedes the old one with a notice of what changed.
        </p>
        ${
          list.length === 0
            ? html`<p class="muted">No edition has been published yet.</p>`
            : html`<table>
                <thead>
                  <tr>
                    <th>Period</th>
                    <th>Edition</th>
                    <th>Declines</th>
                    <th>Published</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map(
                    (e) =>
                      html`<tr>
                        <td>${e.from} – ${e.to}</td>
                        <td>
                          <a href="${editionHref(e.id)}"><code>${short(e.id)}</code></a
                          >${e.synthetic ? html` <strong>SYNTHETIC</strong>` : ''}
                        </td>
                        <td>${e.declines}</td>
                        <td>${e.publishedAt.slice(0, 10)} by ${e.publishedBy}</td>
                        <td>
                          ${e.supersededBy ? html`corrected by <a href="${editionHref(e.supersededBy)}">${short(e.supersededBy)}</a>` : e.supersedes ? html`corrects ${short(e.supersedes)}` : 'current'}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }`;
      return reply
        .type(HTML)
        .send(page({ title: 'Report editions', nav: 'editions', actor: request.actor }, body));
    });

    app.get<{ Params: { id: string } }>('/editions/:id/report.html', async (request, reply) => {
      const report = await editionOr404(ctx, request.params.id);
      // the report is one self-contained document with its own style sheet and no scripts
      reply.header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
      );
      return reply.type(HTML).send(renderHtml(report));
    });

    app.get<{ Params: { id: string } }>('/editions/:id/map.svg', async (request, reply) => {
      const report = await editionOr404(ctx, request.params.id);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(renderMap(report));
    });

    app.get<{ Params: { id: string } }>('/editions/:id', async (request, reply) => {
      const { report, head, figures } = await editionParts(ctx, partsCache, request.params.id);
      const ed = report.edition!;
      const actor = request.actor;
      // what can change after publication: a correction that supersedes it, disputes
      const successor = await successorOf(ctx.store, ed.id);
      const disputes = await disputesOf(ctx.store, ed.id);
      const body = html`${head}
        ${successor ? html`<p class="problem" role="note">This edition was corrected by <a href="${editionHref(successor)}">${short(successor)}</a>.</p>` : ''}
        ${figures}
        <h2>Open disputes</h2>
        ${
          disputes.length
            ? html`<ul>
                ${disputes.map((d) => html`<li><code>${d.row}</code>: ${d.reason} (${d.by})</li>`)}
              </ul>`
            : html`<p class="muted">None.</p>`
        }
        ${
          actor && can(actor.role, 'correct') && !successor
            ? html`<h2>Dispute or correct</h2>
                <form method="post" action="/desk/editions/${encodeURIComponent(ed.id)}/dispute">
                  ${csrfField(actor)}
                  <label>Row <input type="text" name="row" placeholder="II:request-id" required /></label>
                  <label>Reason <input type="text" name="reason" required /></label>
                  <button type="submit">Dispute</button>
                </form>
                <form method="post" action="/desk/editions/${encodeURIComponent(ed.id)}/correct">
                  ${csrfField(actor)}
                  <p>After the ledger events that fix it are recorded:</p>
                  <label>Reason <input type="text" name="reason" required /></label>
                  <button type="submit">Publish a correction</button>
                </form>`
            : ''
        }`;
      return reply
        .type(HTML)
        .send(
          page({ title: `Report ${report.period.from} – ${report.period.to}`, nav: 'editions', actor }, body),
        );
    });
  };
}
