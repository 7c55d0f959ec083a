/**
 * The report as one printable HTML page, rendered on the server: no script, the map and the chart
 * inline as SVG, every section a table. All text from the model is escaped (facility names in the
 * sources may hold markup). Every figure `reportFigures` lists sits in an element with a
 * `data-figure="<section>:<key>"` attribute whose text is the figure as the CSV writes it, so the
 * three outputs can be checked against each other.
 */
import type {
  CorrectionNotice,
  Report,
  SectionIIIRow,
  SectionIIRow,
  SectionIRow,
  SectionIV,
} from '../types.ts';
import { renderChart } from './chart.ts';
import { SYNTHETIC_MARKER, countText, esc, numberText } from './format.ts';
import { countyName, renderMap, unmappedCounties } from './map.ts';

const TITLE = 'Declined Detainer Outcome Report';

const STYLE = `
:root { color: #1a1a1a; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 14px; line-height: 1.45; }
body { max-width: 1040px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #333; padding-bottom: 2px; margin-top: 36px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: #444; margin: 2px 0; }
.synthetic-banner { border: 4px solid #b00020; background: #fde7ea; color: #7a0016; padding: 10px 14px; margin: 12px 0;
  font-size: 18px; font-weight: 700; text-align: center; letter-spacing: 0.04em; }
.synthetic-banner small { display: block; font-size: 13px; font-weight: 400; letter-spacing: 0; }
.notice { border-left: 6px solid #e08a00; background: #fff6e5; padding: 8px 14px; margin: 12px 0; }
.flag { color: #b00020; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 12.5px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; caption-side: top; }
th, td { border: 1px solid #c8c8c8; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #f1f1f1; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.disputed { color: #b00020; font-weight: 600; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 12.5px; color: #444; }
ul.notes li { margin: 3px 0; }
.muted { color: #666; }
@page { size: letter; margin: 14mm 12mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 9px; color: #555; } }
@media print {
  :root { font-size: 11px; }
  body { max-width: none; padding: 0; }
  .synthetic-banner, .notice, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2.section { break-before: page; }
  h2, h3, caption { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  details > summary { display: none; }
}
`;

/** every printed page of demo data says so, in the page margin where it covers nothing */
const SYNTHETIC_PAGE_STYLE = `
@page { @bottom-center { content: "${SYNTHETIC_MARKER}"; color: #b00020; font-weight: 700; font-size: 10px; } }
`;

/** `<td>` holding one figure of `reportFigures` */
function figureCell(section: string, key: string, text: string): string {
  return `<td class="n" data-figure="${esc(`${section}:${key}`)}">${esc(text)}</td>`;
}

/** the cell text of a detail the model withheld from a small group of rows, or undefined */
function withheld(r: SectionIIRow): string | undefined {
  return r.detailWithheld ? `<span class="muted">withheld (small count)</span>` : undefined;
}

function optional(value: string | null | undefined, missing = 'not recorded'): string {
  return value === null || value === undefined || value === ''
    ? `<span class="muted">${esc(missing)}</span>`
    : esc(value);
}

function header(report: Report): string {
  const p = report.period;
  const periodText =
    p.basis === 'week'
      ? `Week of Saturday ${p.from} to Friday ${p.to}`
      : `Period ${p.from} to ${p.to} (inclusive)`;
  const edition = report.edition
    ? `Edition <code>${esc(report.edition.id)}</code>, published ${esc(report.edition.publishedAt)}` +
      (report.edition.supersedes ? `; supersedes <code>${esc(report.edition.supersedes)}</code>` : '')
    : 'Draft: not a published edition';
  const banner = report.synthetic
    ? `<div class="synthetic-banner" role="note">${SYNTHETIC_MARKER}<small>Every request in this report is invented for ` +
      `demonstration. None of it is a real person, agency decision or detainer.</small></div>`
    : '';
  return (
    `<header>${banner}<h1>${TITLE}</h1>` +
    `<p class="meta period">${esc(periodText)}</p>` +
    `<p class="meta">${edition}</p>` +
    `<p class="meta">Law library revision <code>${esc(report.libraryRevision)}</code>; generated ${esc(report.generatedAt)}</p>` +
    `</header>`
  );
}

function correctionNotices(notices: CorrectionNotice[]): string {
  if (!notices.length) return '';
  const parts = notices.map((n) => {
    const rows = n.changes.flatMap((c) => {
      const fields = c.fields.length ? c.fields : [c.old === null ? '(row added)' : '(row removed)'];
      return fields.map(
        (f) =>
          `<tr><td>${esc(c.row)}</td><td>${esc(f)}</td><td>${esc(valueText(c.old?.[f]))}</td><td>${esc(valueText(c.new?.[f]))}</td></tr>`,
      );
    });
    return (
      `<div class="notice corrections" role="note"><strong>Correction.</strong> This edition supersedes ` +
      `<code>${esc(n.supersedes)}</code>: ${esc(n.reason)} (${esc(n.by)}, ${esc(n.at)}).` +
      `<ul>${n.text.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` +
      `<table><caption>Changed rows (${n.changes.length})</caption><thead><tr><th>row</th><th>field</th><th>was</th><th>now</th></tr></thead>` +
      `<tbody>${rows.join('')}</tbody></table></div>`
    );
  });
  return parts.join('');
}

function valueText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function summary(report: Report): string {
  const iv = report.sections.IV;
  return (
    `<table class="summary"><caption>In this period</caption><tbody>` +
    `<tr><th>Detainer requests issued (all types)</th>${figureCell('IV', 'requestsIssued', numberText(iv.requestsIssued))}</tr>` +
    `<tr><th>Declines counted (section II)</th>${figureCell('IV', 'declines', numberText(iv.declines))}</tr>` +
    `</tbody></table>` +
    (iv.spike.flagged ? `<p class="notice flag">${esc(spikeText(iv))}</p>` : '')
  );
}

function spikeText(iv: SectionIV): string {
  const s = iv.spike;
  if (!s.id) return 'No declines in the period.';
  const pct = Math.round(s.share * 1000) / 10;
  return (
    `${s.flagged ? 'Flagged: ' : ''}${s.name ?? s.id} on ${s.day ?? 'an unknown day'} accounts for ${s.count} ` +
    `of the period's ${iv.declines} declines (${pct} %).` +
    (s.flagged
      ? " When one jurisdiction on one day holds most of a period's declines, check whether a policy date or a bulk update recorded older requests as declined that day."
      : '')
  );
}

function mapAndChart(report: Report): string {
  const unmapped = unmappedCounties(report.countyDeclines);
  const unmappedNote = unmapped.length
    ? ` Not drawn (no shape in the Census county atlas): ${unmapped.map((f) => `${f} (${numberText(report.countyDeclines[f]!)})`).join(', ')}.`
    : '';
  const suppression =
    report.suppressBelow > 0
      ? ` Counties with fewer than ${report.suppressBelow} declines are not shown.`
      : '';
  return (
    `<figure class="map">${renderMap(report)}<figcaption>Declines counted in the period by the county of the facility ` +
    `that owns the outcome. Declines whose facility has no known county are not on the map. The same numbers are in ` +
    `the <a href="#county-declines">table of declines by county</a>.${esc(suppression)}${esc(unmappedNote)}</figcaption></figure>` +
    `<figure class="chart">${renderChart(report)}<figcaption>The ${report.weeklyTrend.length} weeks up to the end of the period ` +
    `(numbers in the <a href="#weekly-trend">table of declines by week</a>). ` +
    `A decline counts in the week it was recorded as declined, or its issue week where no decline date is known.</figcaption></figure>`
  );
}

function sectionI(report: Report, rows: SectionIRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-row="I:${esc(r.id)}"><td class="n">${r.rank}</td><td>${esc(r.name)}</td><td>${esc(r.divisionName)}</td>` +
        `<td>${esc(r.state.toUpperCase())}</td><td>${optional(r.countyFips, '')}</td>` +
        `${figureCell('I', r.id, countText(r.count, report, r.suppressed))}<td>${esc(r.profile.text)}</td></tr>`,
    )
    .join('');
  return (
    `<h2 class="section" id="section-1">I. Highest volume of detainers issued to jurisdictions that limit cooperation</h2>` +
    `<table><caption>Agencies (or, where the name resolved only to a place, the place) with the most detainer requests ` +
    `issued in the period, among those whose law limits cooperation on ${esc(report.period.to)}.</caption>` +
    `<thead><tr><th class="n">rank</th><th>agency</th><th>jurisdiction</th><th>state</th><th>county FIPS</th>` +
    `<th class="n">detainers issued</th><th>what its law allows</th></tr></thead><tbody>${body || emptyRow(7)}</tbody></table>`
  );
}

function emptyRow(cols: number, text = 'None in this period.'): string {
  return `<tr><td colspan="${cols}" class="muted">${esc(text)}</td></tr>`;
}

function sectionII(report: Report, rows: SectionIIRow[]): string {
  const disputed = new Set(report.sections.IV.openDisputes.map((d) => d.row));
  const body = rows
    .map((r) => {
      const key = `II:${r.requestId}`;
      return (
        `<tr data-row="${esc(key)}"><td>${esc(r.state.toUpperCase())}</td><td>${optional(r.agencyName, 'no agency on record')}</td>` +
        `<td>${optional(r.facilityName)}</td><td>${withheld(r) ?? optional(r.citizenship)}</td><td>${esc(r.issuedDate)}</td>` +
        `<td>${optional(r.declinedDate, 'not recorded: counted by issue date')}</td><td>${withheld(r) ?? optional(r.mostSeriousOffense)}</td>` +
        `<td>${esc(r.outcomeLabel)}</td><td>${r.confirmedByAgency ? 'yes' : 'no'}</td>` +
        `<td><code>${esc(r.requestId)}</code>${disputed.has(key) ? ' <span class="disputed">disputed</span>' : ''}</td></tr>`
      );
    })
    .join('');
  return (
    `<h2 class="section" id="section-2">II. Declined detainers</h2>` +
    `<p>One row per declined request (<span data-figure="II:rows">${rows.length}</span> in this period). No names, ` +
    `birth dates or file numbers: only the agency, the facility that owns the outcome, citizenship, dates and the ` +
    `offense category. The issue date and the decline date are shown side by side; where no decline date was ` +
    `recorded the decline counts in the week the request was issued.</p>` +
    `<table class="section-2"><caption>Declined detainers in the period, by state and agency</caption>` +
    `<thead><tr><th>state</th><th>agency</th><th>facility</th><th>citizenship</th><th>issued</th><th>declined</th>` +
    `<th>most serious conviction or charge</th><th>outcome</th><th>confirmed by agency</th><th>request</th></tr></thead>` +
    `<tbody>${body || emptyRow(10)}</tbody></table>`
  );
}

function sectionIIIDivision(d: SectionIIIRow): string {
  const dims = d.dimensions
    .map((dim) => {
      const clauses = dim.clauses.length
        ? `<ul>${dim.clauses
            .map(
              (c) =>
                `<li><code>${esc(c.clause)}</code> (${esc(c.instrument)} ${esc(c.version)}): ${esc(c.citation)}; ` +
                `confidence <strong>${esc(c.confidence)}</strong></li>`,
            )
            .join('')}</ul>`
        : '<span class="muted">federal baseline only</span>';
      return (
        `<tr><td>${esc(dim.dimension)}</td><td>${esc(dim.value)}</td><td>${dim.limits ? 'yes' : 'no'}</td>` +
        `<td>${dim.certain ? 'yes' : 'no: a missing fact could change it'}</td><td>${clauses}</td></tr>`
      );
    })
    .join('');
  const agreements = d.agreements287g.length
    ? `<p>ICE 287(g) agreements in force: ${d.agreements287g
        .map(
          (a) =>
            `${esc(a.agencyName)} (${esc(a.model)}, ${esc(a.supportType)}${a.signedDate ? `, signed ${esc(a.signedDate)}` : ''})`,
        )
        .join('; ')}.</p>`
    : '';
  return (
    `<h3 id="${esc(`III-${d.divisionId}`)}">${esc(d.divisionName)}, ${esc(d.state.toUpperCase())}` +
    `${d.limitsCooperation ? '' : ' <span class="muted">(does not limit cooperation)</span>'}</h3>` +
    `<p class="meta"><code>${esc(d.divisionId)}</code>; in force: ${d.instruments.map((i) => `<code>${esc(i)}</code>`).join(', ')}</p>` +
    `<table><caption>${esc(d.divisionName)}: what its law allows, with citations</caption>` +
    `<thead><tr><th>request</th><th>answer</th><th>limits cooperation</th><th>certain</th><th>deciding clauses</th></tr></thead>` +
    `<tbody>${dims}</tbody></table>${agreements}`
  );
}

function sectionIII(report: Report): string {
  const rows = report.sections.III;
  return (
    `<h2 class="section" id="section-3">III. Jurisdictions whose law limits cooperation</h2>` +
    `<p>Every jurisdiction with a law, ordinance or policy in force on ${esc(report.period.to)}, read by the policy engine ` +
    `under library revision <code>${esc(report.libraryRevision)}</code>. Each answer cites the clauses that decide it ` +
    `and how confident the reading of each clause is (high, medium, low).</p>` +
    (rows.length ? rows.map(sectionIIIDivision).join('') : '<p class="muted">None.</p>')
  );
}

/** A section IV breakdown; its figures are keyed `IV:<keyPrefix>:<key>` as in `reportFigures`. */
function countTable(
  caption: string,
  heading: string,
  keyPrefix: string,
  rows: { key: string; label: string; count: number }[],
): string {
  return (
    `<table><caption>${esc(caption)}</caption><thead><tr><th>${esc(heading)}</th><th class="n">count</th></tr></thead><tbody>` +
    rows
      .map(
        (c) =>
          `<tr><td>${esc(c.label)}</td>${figureCell('IV', `${keyPrefix}:${c.key}`, numberText(c.count))}</tr>`,
      )
      .join('') +
    `</tbody></table>`
  );
}

function sectionIV(report: Report): string {
  const iv = report.sections.IV;
  const pct = Math.round(iv.confirmedShare * 1000) / 10;
  const fidelity =
    `<table><caption>Data fidelity</caption><tbody>` +
    `<tr><th>declines the agency itself confirmed</th>${figureCell('IV', 'confirmedByAgency', numberText(iv.confirmedByAgency))}</tr>` +
    `<tr><th>share of declines confirmed by the agency (0–1; ${pct} %)</th>${figureCell('IV', 'confirmedShare', numberText(iv.confirmedShare))}</tr>` +
    `<tr><th>requests issued in error (not counted as declines)</th>${figureCell('IV', 'issuedInError', numberText(iv.issuedInError.count))}</tr>` +
    `<tr><th>requests transferred elsewhere (the receiving facility owns the outcome)</th>${figureCell('IV', 'transferredElsewhere', numberText(iv.transferredElsewhere))}</tr>` +
    `<tr><th>open disputes</th>${figureCell('IV', 'openDisputes', numberText(iv.openDisputes.length))}</tr>` +
    `<tr><th>most declines from one jurisdiction on one day</th>${figureCell('IV', 'spike', numberText(iv.spike.count))}</tr>` +
    `</tbody></table>` +
    `<p class="${iv.spike.flagged ? 'flag' : ''}">${esc(spikeText(iv))}</p>`;
  const inError = iv.issuedInError.requestIds.length
    ? `<p>Issued in error: ${iv.issuedInError.requestIds.map((id) => `<code>${esc(id)}</code>`).join(', ')}.</p>`
    : '';
  const disputes =
    `<table><caption>Open disputes (${iv.openDisputes.length})</caption><thead><tr><th>row</th><th>by</th><th>reason</th><th>since</th><th>edition</th></tr></thead><tbody>` +
    (iv.openDisputes
      .map(
        (d) =>
          `<tr><td><code>${esc(d.row)}</code></td><td>${esc(d.by)}</td><td>${esc(d.reason)}</td><td>${esc(d.at)}</td><td><code>${esc(d.editionId)}</code></td></tr>`,
      )
      .join('') || emptyRow(5, 'None.')) +
    `</tbody></table>`;
  const unresolved =
    `<table><caption>Requests under names that did not resolve to a place (never counted against a same-named jurisdiction)</caption>` +
    `<thead><tr><th>state</th><th>facility name</th><th>city</th><th>why</th><th class="n">requests</th></tr></thead><tbody>` +
    (iv.unresolvedNames
      .map(
        (u) =>
          `<tr><td>${esc(u.state.toUpperCase())}</td><td>${optional(u.facilityName, '')}</td><td>${optional(u.facilityCity, '')}</td>` +
          `<td>${esc(u.resolution)}</td>${figureCell('IV', `unresolved:${u.state}:${u.facilityName ?? ''}:${u.facilityCity ?? ''}`, numberText(u.count))}</tr>`,
      )
      .join('') || emptyRow(5, 'None.')) +
    `</tbody></table>`;
  const corrections = iv.corrections.length
    ? `<h3>Corrections since the previous edition</h3>${correctionNotices(iv.corrections)}`
    : `<p>Corrections since the previous edition: none.</p>`;
  const suppression =
    report.suppressBelow > 0
      ? `<p>Small counts are suppressed: a section I count below ${report.suppressBelow} is shown as ` +
        `<code>&lt;${report.suppressBelow}</code>, and counties with fewer than ${report.suppressBelow} declines are ` +
        `left off the map and the county table. A section II row of an agency with fewer than ${report.suppressBelow} ` +
        `declines in the period shows no citizenship or offense. National totals are shown in full.</p>`
      : `<p>No small-count suppression was applied to this report.</p>`;
  return (
    `<h2 class="section" id="section-4">IV. Scope and data fidelity</h2>` +
    countTable('Requests issued in the period, by outcome', 'outcome', 'outcome', iv.byOutcome) +
    countTable(
      'Declines counted in the period, by the date that put them in it',
      'date basis',
      'basis',
      iv.byDateBasis,
    ) +
    fidelity +
    inError +
    disputes +
    unresolved +
    corrections +
    `<h3>Scope</h3><ul class="notes">${iv.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` +
    suppression
  );
}

function dataTables(report: Report): string {
  const counties = Object.entries(report.countyDeclines).sort(
    ([a, x], [b, y]) => y - x || a.localeCompare(b),
  );
  const countyRows = counties
    .map(
      ([fips, n]) =>
        `<tr><td>${esc(fips)}</td><td>${optional(countyName(fips), 'not in the county atlas')}</td>${figureCell('map', fips, numberText(n))}</tr>`,
    )
    .join('');
  const trendRows = report.weeklyTrend
    .map(
      (w) =>
        `<tr><td>${esc(w.weekStart)}</td>${figureCell('trend', `${w.weekStart}:declines`, numberText(w.declines))}` +
        `${figureCell('trend', `${w.weekStart}:requests`, numberText(w.requests))}</tr>`,
    )
    .join('');
  return (
    `<h2 class="section" id="data">Data behind the map and the chart</h2>` +
    `<table id="weekly-trend"><caption>Declines by week (the chart)</caption><thead><tr><th>week starting (Saturday)</th><th class="n">declines</th>` +
    `<th class="n">requests issued</th></tr></thead><tbody>${trendRows || emptyRow(3)}</tbody></table>` +
    `<table id="county-declines"><caption>Declines by county (the map), ${counties.length} counties</caption><thead><tr><th>county FIPS</th>` +
    `<th>county</th><th class="n">declines</th></tr></thead><tbody>${countyRows || emptyRow(3)}</tbody></table>`
  );
}

/** The complete page. */
export function renderHtml(report: Report): string {
  const p = report.period;
  const title = `${TITLE}, ${p.from} to ${p.to}${report.synthetic ? ` (${SYNTHETIC_MARKER})` : ''}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title><style>${STYLE}${report.synthetic ? SYNTHETIC_PAGE_STYLE : ''}</style></head><body>` +
    header(report) +
    correctionNotices(report.sections.IV.corrections) +
    summary(report) +
    mapAndChart(report) +
    sectionI(report, report.sections.I) +
    sectionII(report, report.sections.II) +
    sectionIII(report) +
    sectionIV(report) +
    dataTables(report) +
    `</body></html>\n`
  );
}
