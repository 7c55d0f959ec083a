/**
 * `/jurisdictions/:id?date=`: a division (or an agency's division) on a date: the law in force with
 * citations, the cooperation profile the probes give, 287(g) agreements, agencies and facilities.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AGENCY_KINDS, type AgencyKind } from '../../../jurisdictions/types.ts';
import type { DimensionProfile, Profile } from '../../../law/index.ts';
import type { ServerContext } from '../../context.ts';
import { html } from '../../html.ts';
import { facilitiesIn, findJurisdiction, profileFor, requestScopeOf, today } from '../../jurisdiction.ts';
import { page } from '../../layout.ts';
import {
  outcomesOverTime,
  type OutcomesOverTime,
  type RequestScope,
} from '../../../reports/outcomes-over-time.ts';
import { RecentCache } from '../../recent-cache.ts';
import { outcomesTable } from './outcomes.ts';
import { HttpProblem } from '../../problem.ts';
import { calendarDate, clauseRefs, instrumentTitle, jurisdictionHref, options, validity } from './parts.ts';

export function jurisdictionPages(ctx: ServerContext): FastifyPluginAsync {
  // Counts over time change only when the ledger does: kept per scope and chain head, so a busy
  // page costs one small read of the head, and a large state's counts are made once per change.
  const counted = new RecentCache<string, Promise<OutcomesOverTime>>(256);
  const outcomesOf = async (scope: RequestScope): Promise<OutcomesOverTime> => {
    const head = await ctx.store.chainHead();
    const key = `${head.seq}:${head.hash} ${JSON.stringify(scope)}`;
    let hit = counted.get(key);
    if (!hit) {
      hit = outcomesOverTime(ctx.store, scope);
      counted.set(key, hit);
      // a failed read is not kept: the next view tries again
      hit.catch(() => counted.delete(key));
    }
    return hit;
  };
  return async (app) => {
    app.get<{ Params: { id: string }; Querystring: { date?: string; agencyKind?: string } }>(
      '/jurisdictions/:id',
      async (request, reply) => {
        const j = findJurisdiction(ctx, request.params.id);
        if (!j) throw new HttpProblem(404, `there is no division or agency \`${request.params.id}\``);
        const q = request.query;
        const date = q.date === undefined || q.date === '' ? today() : calendarDate(q.date);
        if (date === undefined) {
          throw new HttpProblem(400, `the date \`${String(q.date)}\` is not a date YYYY-MM-DD that exists`);
        }
        let kind = j.agencyKind;
        if (q.agencyKind) {
          if (!(AGENCY_KINDS as readonly string[]).includes(q.agencyKind)) {
            throw new HttpProblem(
              400,
              `unknown agency kind \`${q.agencyKind}\`; expected one of ${AGENCY_KINDS.join(', ')}`,
            );
          }
          kind = q.agencyKind as AgencyKind;
        }
        const [profile, ledger, outcomes] = await Promise.all([
          profileFor(ctx, j, date, kind),
          ctx.ledgerSummary(),
          requestScopeOf(ctx, j).then(outcomesOf),
        ]);
        const d = j.division;
        const ancestors = ctx.registry.ancestors(d.id).filter((a) => a.id !== d.id);
        const inForce = profile.instruments
          .map((ref) => ctx.library.instruments.find((i) => i.id === ref.id && i.version === ref.version))
          .filter((i) => i !== undefined);
        const facilities = facilitiesIn(ctx, j);
        const body = html`<p class="muted">
            ${ancestors
              .reverse()
              .map((a) => html`<a href="${jurisdictionHref(a.id, date)}">${a.name}</a> › `)}
          </p>
          <h1>${j.agency ? html`${j.agency.name}, ` : ''}${d.name}</h1>
          <p><code>${j.agency?.id ?? d.id}</code>${d.fips ? html` · FIPS ${d.fips}` : ''}</p>
          <form method="get" action="${jurisdictionHref(request.params.id)}" class="no-print">
            <label>As of <input type="date" name="date" value="${date}" required /></label>
            <label
              >Agency
              <select name="agencyKind">
                ${options(AGENCY_KINDS, kind)}
              </select></label
            >
            <button type="submit">Show</button>
          </form>
          <p>
            <a
              href="/ask?division=${encodeURIComponent(j.agency?.id ?? d.id)}&amp;date=${date}&amp;agencyKind=${kind}"
              >What would the law say about a request here?</a
            >
          </p>

          <h2>Cooperation profile on ${date}</h2>
          <p>
            The fixed probe requests of the design, decided against the law in force for its ${kind}.
            ${profile.limitsCooperation ? html`<strong>Limits cooperation</strong> beyond the federal baseline.` : html`No limit beyond the federal baseline.`}
          </p>
          ${profileTable(profile)}

          <h2>Law in force on ${date}</h2>
          ${
            inForce.length === 0
              ? html`<p>No instrument of the library is in force here on this date.</p>`
              : inForce.map(
                  (i) =>
                    html`<h3>${instrumentTitle(i)}</h3>
                      <p class="muted">${i.layer} layer · valid ${validity(i.ref)}</p>
                      <ul>
                        ${i.clauses
                          .filter(
                            (c) =>
                              c.validFromText <= date && (c.validToText === null || date <= c.validToText),
                          )
                          .map(
                            (c) =>
                              html`<li>
                                <strong>${c.citation}</strong>${c.effect ? html` (${c.effect})` : ''}:
                                ${c.summary}
                              </li>`,
                          )}
                      </ul>`,
                )
          }

          <h2>287(g) agreements in force</h2>
          ${agreements(profile)}
          ${outcomesTable(outcomes, j.agency ? j.agency.name : d.name, d.kind, j.agency !== null)}

          <h2>Agencies and facilities</h2>
          ${
            j.agencies.length === 0
              ? html`<p class="muted">No agency of this division is in the registry.</p>`
              : html`<ul>
                  ${j.agencies.map((a) => html`<li><a href="${jurisdictionHref(a.id, date)}">${a.name}</a> <span class="muted">${a.kind}</span></li>`)}
                </ul>`
          }
          ${
            facilities.length > 0
              ? html`<p>Facilities:</p>
                  <ul>
                    ${facilities.map((f) => html`<li>${f.name}${f.detloc ? html` <span class="muted">${f.detloc}</span>` : ''}${f.city ? html`, ${f.city}` : ''}</li>`)}
                  </ul>`
              : ''
          }`;
        return reply
          .type('text/html; charset=utf-8')
          .send(page({ title: d.name, ledger, libraryRevision: ctx.library.revision }, body));
      },
    );
  };
}

function profileTable(p: Profile) {
  const dims: [string, DimensionProfile<string>][] = [
    ['Holds', p.holds],
    ['Notification', p.notification],
    ['Transfer', p.transfer],
    ['Information', p.information],
    ['Access', p.access],
  ];
  return html`<table>
    <thead>
      <tr>
        <th>Dimension</th>
        <th>Value</th>
        <th>Probes</th>
        <th>Decided by</th>
      </tr>
    </thead>
    <tbody>
      ${dims.map(
        ([label, d]) =>
          html`<tr>
            <th scope="row">${label}</th>
            <td>
              <strong>${d.value}</strong
              >${d.limits ? html`<br /><span class="muted">stricter than the federal baseline</span>` : ''}${d.certain ? '' : html`<br /><em>not certain</em>`}
            </td>
            <td>
              <ul>
                ${d.probes.map((a) => html`<li>${a.question}: ${a.decision}${a.certain ? '' : ' (not certain)'}</li>`)}
              </ul>
            </td>
            <td>${clauseRefs(d.clauses)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function agreements(p: Profile) {
  const a = p.agreements;
  if (a.value === 'not loaded') return html`<p class="muted">No 287(g) sheets are loaded in this ledger.</p>`;
  if (a.value === 'none')
    return html`<p>None in force on ${p.date} in ICE's sheets loaded in this ledger.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Agency</th>
        <th>Model</th>
        <th>Signed</th>
        <th>ICE sheet</th>
      </tr>
    </thead>
    <tbody>
      ${a.agreements.map(
        (x) =>
          html`<tr>
            <td>${x.agencyName}</td>
            <td>${x.supportType}</td>
            <td>${x.signedDate ?? 'unknown date'}</td>
            <td>${x.sheetDate}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
