/**
 * "Requests and outcomes over time" on a jurisdiction page: requests issued per quarter (or per
 * year) and the outcome category each has reached, as counts only. A count from 1 to
 * SMALL_COUNT_BELOW − 1 is shown as `<SMALL_COUNT_BELOW`: in a small place a count of one or two
 * requests in a quarter could point to a person someone knows of. A period with such an outcome
 * count shows no breakdown (`shownPeriod`), or the other cells would give the small one away.
 */
import type { DivisionKind } from '../../../jurisdictions/types.ts';
import { OUTCOME_LABELS } from '../../../ledger/outcome.ts';
import type { OutcomesOverTime } from '../../../reports/outcomes-over-time.ts';
import { shownPeriod } from '../../../reports/outcomes-shown.ts';
import { renderOutcomesChart } from '../../../reports/render/outcomes-chart.ts';
import { html, trusted, type Html } from '../../html.ts';

/** counts from 1 up to this (exclusive) are shown as `<5` */
export const SMALL_COUNT_BELOW = 5;

export function shownCount(n: number): string {
  return n > 0 && n < SMALL_COUNT_BELOW ? `<${SMALL_COUNT_BELOW}` : String(n);
}

const WITHHELD = html`<span title="breakdown withheld: a small count">·</span>`;

const SCOPE: Record<DivisionKind, string> = {
  country: 'every request in the ledger',
  state: 'the requests issued in the state',
  county: 'the requests whose agency or facility lies in the county or a city in it',
  place: 'the requests whose agency or facility lies in the city',
};

export function outcomesTable(o: OutcomesOverTime, name: string, kind: DivisionKind, agency = false): Html {
  const shown = o.periods.map((p) => shownPeriod(p, SMALL_COUNT_BELOW));
  const unit = o.unit === 'quarter' ? 'quarter' : 'year';
  return html`<h2 id="outcomes">Requests and outcomes over time</h2>
    ${
      o.periods.length === 0
        ? html`<p class="muted">The ledger holds no request issued here.</p>`
        : html`<p>
              Detainer requests issued per ${unit} of the issue date to ${name}
              (${agency ? 'the requests sent to this agency' : SCOPE[kind]}), by the outcome each has reached
              so far, as the weekly report counts them. Counts only; a count from 1 to
              ${SMALL_COUNT_BELOW - 1} is shown as <code>&lt;${SMALL_COUNT_BELOW}</code>, and a ${unit} with
              such an outcome count shows no breakdown by outcome (<code>·</code>), so that the other counts
              cannot give it away.
            </p>
            <figure class="outcomes">
              ${trusted(renderOutcomesChart(o, SMALL_COUNT_BELOW))}
              <figcaption>
                Requests issued and, below, those declined, per ${unit}; a count below ${SMALL_COUNT_BELOW}
                has no bar.
              </figcaption>
            </figure>
            <div class="wide">
              <table id="outcomes-over-time">
                <thead>
                  <tr>
                    <th scope="col">Outcome</th>
                    ${o.periods.map((p) => html`<th scope="col" class="num">${p.period}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  <tr data-outcome="requests">
                    <th scope="row">Requests issued</th>
                    ${shown.map((p) => html`<td class="num">${p.requests ?? `<${SMALL_COUNT_BELOW}`}</td>`)}
                  </tr>
                  ${o.categories.map(
                    (c) =>
                      html`<tr data-outcome="${c}">
                        <th scope="row">${OUTCOME_LABELS[c]}</th>
                        ${shown.map(
                          (p) =>
                            html`<td class="num">${p.byOutcome ? String(p.byOutcome[c]) : WITHHELD}</td>`,
                        )}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }`;
}
