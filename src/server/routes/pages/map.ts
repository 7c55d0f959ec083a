/**
 * `/map`: a county choropleth, chosen with plain GET forms (no script). Two views:
 * `?show=declines` (the default) draws declines per county for a period — the latest published
 * edition's, a week (`?week=`) or a range (`?from=&to=`) — from the report model;
 * `?show=policy` draws one dimension of the law engine's cooperation profile of every county on a
 * date (`?date=`, `?dimension=`). Each county path has a title; the table under the map holds the
 * same figures, with links to the jurisdiction pages.
 */
import type { FastifyPluginAsync } from 'fastify';
import { DIMENSIONS, type Dimension } from '../../../law/index.ts';
import { buildReport } from '../../../reports/build.ts';
import { listEditions, readEdition } from '../../../reports/editions.ts';
import { isIsoDate, resolvePeriod } from '../../../reports/period.ts';
import { countyName, renderCategoryMap, renderMap } from '../../../reports/render/map.ts';
import type { Report } from '../../../reports/types.ts';
import type { ServerContext } from '../../context.ts';
import { html, trusted, type Html } from '../../html.ts';
import { today } from '../../jurisdiction.ts';
import { page } from '../../layout.ts';
import { policyMapCache, type PolicyEntry } from '../../policy-map.ts';
import { HttpProblem } from '../../problem.ts';
import { editionHref, latestCurrent } from './editions.ts';
import { calendarDate, jurisdictionHref, options } from './parts.ts';

const HTML = 'text/html; charset=utf-8';
/** the longest range a reader may ask for: a report over it reads every request in it */
export const MAX_RANGE_DAYS = 366;

type MapQuery = {
  show?: string;
  week?: string;
  from?: string;
  to?: string;
  date?: string;
  dimension?: string;
};

/** an empty field of a submitted form is the same as no field */
const given = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function badDate(field: string, value: string): HttpProblem {
  return new HttpProblem(400, `${field}: \`${value}\` is not a date YYYY-MM-DD that exists`, {
    field,
    value,
  });
}

function modeLinks(show: 'declines' | 'policy'): Html {
  return html`<p class="no-print">
    ${show === 'declines' ? html`<strong>Declines by county</strong>` : html`<a href="/map?show=declines">Declines by county</a>`}
    ·
    ${show === 'policy' ? html`<strong>Law by county on a date</strong>` : html`<a href="/map?show=policy">Law by county on a date</a>`}
  </p>`;
}

export function mapPage(ctx: ServerContext): FastifyPluginAsync {
  const policyOn = policyMapCache(ctx);
  return async (app) => {
    app.get<{ Querystring: MapQuery }>('/map', async (request, reply) => {
      const q = request.query;
      const show = given(q.show) ?? 'declines';
      if (show !== 'declines' && show !== 'policy')
        throw new HttpProblem(400, `show: \`${show}\` is not a view; expected declines or policy`, {
          field: 'show',
          value: show,
        });
      const ledger = await ctx.ledgerSummary();
      if (show === 'policy') {
        const body = policyView(ctx, policyOn, q);
        // the law alone: no ledger figure is shown, so no synthetic-data label (as the law library)
        return reply.type(HTML).send(
          page(
            {
              title: 'Law by county',
              nav: 'map',
              libraryRevision: ctx.library.revision,
              actor: request.actor,
            },
            body,
          ),
        );
      }
      const body = await declinesView(ctx, q);
      return reply
        .type(HTML)
        .send(page({ title: 'Declines by county', nav: 'map', ledger, actor: request.actor }, body));
    });
  };
}

/** The period asked for, or the latest current edition's; with the edition when one covers it. */
async function declinesReport(
  ctx: ServerContext,
  q: MapQuery,
): Promise<{ report: Report; published: boolean } | null> {
  const week = given(q.week);
  const from = given(q.from);
  const to = given(q.to);
  const editions = await listEditions(ctx.store);
  const latest = latestCurrent(editions);
  if (week === undefined && from === undefined && to === undefined) {
    return latest ? { report: await readEdition(ctx.store, latest.id), published: true } : null;
  }
  if (week !== undefined && !isIsoDate(week)) throw badDate('week', week);
  if (week === undefined) {
    if (from === undefined)
      throw new HttpProblem(400, 'from: give the first day of the range too', { field: 'from' });
    if (to === undefined)
      throw new HttpProblem(400, 'to: give the last day of the range too', { field: 'to' });
    if (!isIsoDate(from)) throw badDate('from', from);
    if (!isIsoDate(to)) throw badDate('to', to);
    if (from > to)
      throw new HttpProblem(400, `from: ${from} is after to ${to}`, { field: 'from', value: from });
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days > MAX_RANGE_DAYS)
      throw new HttpProblem(
        400,
        `to: a range may span at most ${MAX_RANGE_DAYS} days; this one has ${days}`,
        {
          field: 'to',
          value: to,
        },
      );
  }
  const period = resolvePeriod(week !== undefined ? { week } : { from: from!, to: to! });
  // a published edition of exactly this period is what the public has read: show its figures
  const edition = editions.find((e) => !e.supersededBy && e.from === period.from && e.to === period.to);
  if (edition) return { report: await readEdition(ctx.store, edition.id), published: true };
  // a period nobody published is built now, with the latest edition's small-count rule
  const report = await buildReport(ctx, period, {
    suppressBelow: latest ? (await readEdition(ctx.store, latest.id)).suppressBelow : 0,
  });
  return { report, published: false };
}

async function declinesView(ctx: ServerContext, q: MapQuery): Promise<Html> {
  const found = await declinesReport(ctx, q);
  const form = html`<form method="get" action="/map" class="no-print">
    <input type="hidden" name="show" value="declines" />
    <label>Week containing <input type="date" name="week" value="${given(q.week) ?? ''}" /></label>
    <span>or</span>
    <label>From <input type="date" name="from" value="${given(q.from) ?? ''}" /></label>
    <label>to <input type="date" name="to" value="${given(q.to) ?? ''}" /></label>
    <button type="submit">Show</button>
  </form>`;
  if (!found)
    return html`<h1>Declines by county</h1>
      ${modeLinks('declines')} ${form}
      <p class="muted">No report edition has been published yet: choose a week or a range.</p>`;
  const { report, published } = found;
  const rows = Object.entries(report.countyDeclines)
    .filter(([, n]) => n > 0)
    .map(([fips, n]) => ({ fips, n, name: countyName(fips), division: ctx.registry.divisionByFips(fips) }))
    .sort((a, b) => b.n - a.n || a.fips.localeCompare(b.fips));
  const ed = report.edition;
  return html`<h1>Declines by county, ${report.period.from} to ${report.period.to}</h1>
    ${modeLinks('declines')} ${form}
    <p>
      ${
        published && ed
          ? html`From the published edition
              <a href="${editionHref(ed.id)}"><code>${ed.id.slice(7, 19)}</code></a
              >.`
          : html`Built now from the ledger: no edition covers exactly this period.`
      }
      A decline is counted where the facility that held the person was, in the period it was recorded as
      declined.
      ${report.suppressBelow > 0 ? html`Counties with fewer than ${report.suppressBelow} declines are not shown.` : ''}
    </p>
    <figure class="map">${trusted(renderMap(report))}</figure>
    <h2>Counties with declines</h2>
    ${
      rows.length === 0
        ? html`<p>No decline counted in this period.</p>`
        : html`<table id="map-figures">
            <thead>
              <tr>
                <th>County</th>
                <th>FIPS</th>
                <th>Declines</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr data-fips="${r.fips}">
                    <td>
                      ${r.division ? html`<a href="${jurisdictionHref(r.division.id)}">${r.name ?? r.division.name}</a>` : (r.name ?? r.fips)}
                    </td>
                    <td>${r.fips}</td>
                    <td class="num">${r.n}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

const DIMENSION_LABELS: Record<Dimension, string> = {
  holds: 'Holds',
  notification: 'Notification of release',
  transfer: 'Transfer to ICE',
  information: 'Information sharing',
  access: 'ICE access to the jail',
};

function valueNote(e: PolicyEntry, dimension: Dimension): string {
  const d = e.profile[dimension];
  return `${d.value}${d.limits ? ' (stricter than the federal baseline)' : ''}${d.certain ? '' : ' (not certain)'}`;
}

function policyView(ctx: ServerContext, policyOn: ReturnType<typeof policyMapCache>, q: MapQuery): Html {
  const rawDate = given(q.date);
  const date = rawDate === undefined ? today() : calendarDate(rawDate);
  if (date === undefined) throw badDate('date', rawDate!);
  const dimension = (given(q.dimension) ?? 'holds') as Dimension;
  if (!DIMENSIONS.includes(dimension))
    throw new HttpProblem(
      400,
      `dimension: \`${String(q.dimension)}\` is not a profile dimension; expected one of ${DIMENSIONS.join(', ')}`,
      { field: 'dimension', value: q.dimension },
    );
  const pm = policyOn(date);
  const stateName = (code: string) => ctx.registry.state(code)?.name ?? code.toUpperCase();
  const placesIn = new Map<string, string[]>();
  for (const p of pm.places)
    if (p.county) placesIn.set(p.county.id, [...(placesIn.get(p.county.id) ?? []), p.division.name]);

  // only what the map draws is counted in the tables beside it (the atlas has no territories)
  const drawn = pm.counties.filter((c) => c.fips !== null);
  const counties: Record<string, { category: string; text: string }> = {};
  for (const c of drawn) {
    const cities = placesIn.get(c.division.id);
    counties[c.fips!] = {
      category: c.profile[dimension].value,
      text:
        `${dimension}: ${valueNote(c, dimension)}; ` +
        (c.source === 'local' ? 'law of the county in force' : `${stateName(c.division.state)} law alone`) +
        (cities ? `; ${cities.join(', ')} has law of its own (see the table)` : ''),
    };
  }
  const tally = new Map<string, number>();
  for (const c of drawn)
    tally.set(c.profile[dimension].value, (tally.get(c.profile[dimension].value) ?? 0) + 1);
  const categories = [...tally.keys()].sort().map((k) => ({ key: k, label: k }));
  const svg = renderCategoryMap({
    title: `${DIMENSION_LABELS[dimension]} by county on ${date}`,
    legendHeading: `${DIMENSION_LABELS[dimension]}: what the law in force permits`,
    counties,
    categories,
    neutral: 'not in the registry',
  });

  // counties without law of their own, grouped by state and value (one profile stands for them)
  const byState = new Map<string, { state: string; value: string; note: string; n: number }>();
  for (const c of drawn) {
    if (c.source !== 'state') continue;
    const key = `${c.division.state}\0${c.profile[dimension].value}\0${valueNote(c, dimension)}`;
    const row = byState.get(key);
    if (row) row.n++;
    else
      byState.set(key, {
        state: c.division.state,
        value: c.profile[dimension].value,
        note: valueNote(c, dimension),
        n: 1,
      });
  }
  const stateRows = [...byState.values()].sort(
    (a, b) => a.state.localeCompare(b.state) || a.value.localeCompare(b.value),
  );
  const local = [
    ...pm.counties
      .filter((c) => c.source === 'local')
      .map((c) => ({ e: c, county: c.division, drawn: c.fips !== null })),
    ...pm.places.map((p) => ({ e: p as PolicyEntry, county: p.county, drawn: false })),
  ].sort(
    (a, b) =>
      a.e.division.state.localeCompare(b.e.division.state) ||
      a.e.division.name.localeCompare(b.e.division.name),
  );

  return html`<h1>${DIMENSION_LABELS[dimension]} by county on ${date}</h1>
    ${modeLinks('policy')}
    <form method="get" action="/map" class="no-print">
      <input type="hidden" name="show" value="policy" />
      <label>On <input type="date" name="date" value="${date}" required /></label>
      <label
        >Dimension
        <select name="dimension">
          ${options(DIMENSIONS, dimension)}
        </select></label
      >
      <button type="submit">Show</button>
    </form>
    <p>
      Each county is coloured by the cooperation profile the law engine gives its jail-holding agency on
      ${date}: the fixed probe requests decided against the federal, state and local law in force. A county
      with no instrument of its own in the library has its state's law alone. A city's own law (listed below)
      governs its police, not the county jail, so it does not colour the county. Not legal advice: each value
      links to the jurisdiction page with its clauses. Puerto Rico and the other territories are not drawn;
      their pages are in the <a href="/law">law library</a>.
    </p>
    <figure class="map">${trusted(svg)}</figure>
    <h2>Counties by value</h2>
    <table id="map-values">
      <thead>
        <tr>
          <th>${DIMENSION_LABELS[dimension]}</th>
          <th>Counties</th>
        </tr>
      </thead>
      <tbody>
        ${categories.map(
          (c) =>
            html`<tr data-value="${c.key}">
              <td>${c.label}</td>
              <td class="num">${tally.get(c.key)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Counties and cities with law of their own</h2>
    <table id="map-local">
      <thead>
        <tr>
          <th>Jurisdiction</th>
          <th>State</th>
          <th>${DIMENSION_LABELS[dimension]}</th>
          <th>On the map</th>
        </tr>
      </thead>
      <tbody>
        ${local.map(
          (r) =>
            html`<tr data-fips="${r.e.fips ?? ''}" data-value="${r.e.profile[dimension].value}">
              <td><a href="${jurisdictionHref(r.e.division.id, date)}">${r.e.division.name}</a></td>
              <td>${r.e.division.state.toUpperCase()}</td>
              <td>${valueNote(r.e, dimension)}</td>
              <td>
                ${r.drawn ? 'the county' : r.county ? html`not drawn (a city in ${r.county.name})` : 'not drawn (a city)'}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Every other county, by state</h2>
    <table id="map-states">
      <thead>
        <tr>
          <th>State</th>
          <th>${DIMENSION_LABELS[dimension]}</th>
          <th>Counties</th>
        </tr>
      </thead>
      <tbody>
        ${stateRows.map((r) => {
          const s = ctx.registry.state(r.state);
          return html`<tr data-state="${r.state}" data-value="${r.value}">
            <td>
              ${s ? html`<a href="${jurisdictionHref(s.id, date)}">${s.name}</a>` : r.state.toUpperCase()}
            </td>
            <td>${r.note}</td>
            <td class="num">${r.n}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}
