/**
 * The report as CSV files, one per section plus the map and trend data, each with a header row
 * and nothing else: no comment lines, so every file loads as is into a spreadsheet or a data
 * frame. What the files are (period, edition, library revision, synthetic marker) is in
 * `about.csv`; section II rows carry their own `synthetic` column.
 */
import Papa from 'papaparse';
import type { Report } from '../types.ts';
import { SYNTHETIC_MARKER, countText, numberText } from './format.ts';
import { countyName } from './map.ts';

type Cell = string | number | boolean | null;

function csv(fields: string[], rows: Cell[][]): string {
  // escapeFormulae: a facility name starting with `=` must not run as a formula in a spreadsheet
  const text = Papa.unparse({ fields, data: rows }, { header: true, newline: '\n', escapeFormulae: true });
  // with no rows papaparse ends the header with a newline already; end every file with exactly one
  return text.replace(/\n*$/, '\n');
}

const yesNo = (b: boolean) => (b ? 'true' : 'false');

function about(report: Report): string {
  const rows: Cell[][] = [
    ['title', 'Declined Detainer Outcome Report'],
    ['data', report.synthetic ? SYNTHETIC_MARKER : 'ledger records'],
    ['synthetic', yesNo(report.synthetic)],
    ['period_from', report.period.from],
    ['period_to', report.period.to],
    ['period_basis', report.period.basis],
    ['generated_at', report.generatedAt],
    ['library_revision', report.libraryRevision],
    ['edition_id', report.edition?.id ?? 'draft (not published)'],
    ['supersedes', report.edition?.supersedes ?? ''],
    ['published_at', report.edition?.publishedAt ?? ''],
    ['suppress_below', report.suppressBelow],
    ...report.sections.IV.notes.map((n): Cell[] => ['note', n]),
  ];
  if (report.suppressBelow > 0)
    rows.push([
      'note',
      `Section I counts below ${report.suppressBelow} are shown as <${report.suppressBelow}; counties with fewer than ${report.suppressBelow} declines are left out of county-declines.csv; section II rows of an agency with fewer than ${report.suppressBelow} declines show no citizenship or offense (detail_withheld).`,
    ]);
  return csv(['field', 'value'], rows);
}

function sectionI(report: Report): string {
  return csv(
    [
      'rank',
      'id',
      'name',
      'division_id',
      'division_name',
      'state',
      'county_fips',
      'detainers_issued',
      'holds',
      'notification',
      'transfer',
      'information',
      'access',
    ],
    report.sections.I.map((r) => [
      r.rank,
      r.id,
      r.name,
      r.divisionId,
      r.divisionName,
      r.state,
      r.countyFips,
      countText(r.count, report, r.suppressed),
      r.profile.holds,
      r.profile.notification,
      r.profile.transfer,
      r.profile.information,
      r.profile.access,
    ]),
  );
}

function sectionII(report: Report): string {
  return csv(
    [
      'request_id',
      'agency_id',
      'agency_name',
      'facility_id',
      'facility_name',
      'state',
      'county_fips',
      'citizenship',
      'issued_date',
      'declined_date',
      'decline_date_basis',
      'most_serious_offense',
      'outcome',
      'outcome_label',
      'confirmed_by_agency',
      'synthetic',
      'detail_withheld',
    ],
    report.sections.II.map((r) => [
      r.requestId,
      r.agencyId,
      r.agencyName,
      r.facilityId,
      r.facilityName,
      r.state,
      r.countyFips,
      r.citizenship,
      r.issuedDate,
      r.declinedDate,
      r.declineDateBasis,
      r.mostSeriousOffense,
      r.outcome,
      r.outcomeLabel,
      yesNo(r.confirmedByAgency),
      yesNo(r.synthetic),
      // editions published before this column existed read as "no"
      yesNo(r.detailWithheld ?? false),
    ]),
  );
}

/** One row per division and profile dimension; a dimension's clauses joined with ` | `. */
function sectionIII(report: Report): string {
  const rows: Cell[][] = [];
  for (const d of report.sections.III)
    for (const dim of d.dimensions)
      rows.push([
        d.divisionId,
        d.divisionName,
        d.state,
        d.countyFips,
        yesNo(d.limitsCooperation),
        d.instruments.join(' '),
        dim.dimension,
        dim.value,
        yesNo(dim.limits),
        yesNo(dim.certain),
        dim.clauses.map((c) => c.clause).join(' | '),
        dim.clauses.map((c) => c.citation).join(' | '),
        dim.clauses.map((c) => c.confidence).join(' | '),
      ]);
  return csv(
    [
      'division_id',
      'division_name',
      'state',
      'county_fips',
      'limits_cooperation',
      'instruments',
      'dimension',
      'value',
      'limits',
      'certain',
      'clauses',
      'citations',
      'confidence',
    ],
    rows,
  );
}

function sectionIII287g(report: Report): string {
  const rows: Cell[][] = [];
  for (const d of report.sections.III)
    for (const a of d.agreements287g)
      rows.push([d.divisionId, d.divisionName, a.id, a.agencyName, a.model, a.supportType, a.signedDate]);
  return csv(
    ['division_id', 'division_name', 'agreement_id', 'agency_name', 'model', 'support_type', 'signed_date'],
    rows,
  );
}

/** Section IV's figures under the keys `reportFigures` uses, so the files can be checked against it. */
function sectionIV(report: Report): string {
  const iv = report.sections.IV;
  const rows: Cell[][] = [
    ['requestsIssued', 'requests issued in the period (all types)', numberText(iv.requestsIssued)],
    ['declines', 'declines counted in the period', numberText(iv.declines)],
    ...iv.byOutcome.map((c): Cell[] => [`outcome:${c.key}`, c.label, numberText(c.count)]),
    ...iv.byDateBasis.map((c): Cell[] => [`basis:${c.key}`, c.label, numberText(c.count)]),
    ['confirmedByAgency', 'declines the agency itself confirmed', numberText(iv.confirmedByAgency)],
    ['confirmedShare', 'share of declines confirmed by the agency (0–1)', numberText(iv.confirmedShare)],
    [
      'issuedInError',
      'requests issued in error (not counted as declines)',
      numberText(iv.issuedInError.count),
    ],
    [
      'transferredElsewhere',
      'transferred elsewhere: the receiving facility owns the outcome',
      numberText(iv.transferredElsewhere),
    ],
    ['openDisputes', 'open disputes', numberText(iv.openDisputes.length)],
    ...iv.unresolvedNames.map((u): Cell[] => [
      `unresolved:${u.state}:${u.facilityName ?? ''}:${u.facilityCity ?? ''}`,
      `requests under a name that did not resolve (${u.resolution})`,
      numberText(u.count),
    ]),
    [
      'spike',
      iv.spike.id
        ? `most declines from one jurisdiction on one day: ${iv.spike.name ?? iv.spike.id} on ${iv.spike.day ?? ''}` +
          (iv.spike.flagged ? ' (FLAGGED: more than half of the period)' : '')
        : 'most declines from one jurisdiction on one day',
      numberText(iv.spike.count),
    ],
  ];
  return csv(['key', 'label', 'value'], rows);
}

function disputes(report: Report): string {
  return csv(
    ['dispute_id', 'edition_id', 'row', 'by', 'reason', 'at'],
    report.sections.IV.openDisputes.map((d) => [d.id, d.editionId, d.row, d.by, d.reason, d.at]),
  );
}

function unresolved(report: Report): string {
  return csv(
    ['state', 'facility_name', 'facility_city', 'resolution', 'requests'],
    report.sections.IV.unresolvedNames.map((u) => [
      u.state,
      u.facilityName,
      u.facilityCity,
      u.resolution,
      numberText(u.count),
    ]),
  );
}

/** The corrections notice in machine-readable form: one row per changed field. */
function corrections(report: Report): string {
  const rows: Cell[][] = [];
  const text = (v: unknown) =>
    v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  for (const n of report.sections.IV.corrections)
    for (const c of n.changes) {
      const fields = c.fields.length ? c.fields : [c.old === null ? '(row added)' : '(row removed)'];
      for (const f of fields)
        rows.push([n.supersedes, c.row, f, text(c.old?.[f]), text(c.new?.[f]), n.reason, n.by, n.at]);
    }
  return csv(['supersedes', 'row', 'field', 'old_value', 'new_value', 'reason', 'by', 'at'], rows);
}

function countyDeclines(report: Report): string {
  const rows = Object.entries(report.countyDeclines)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([fips, n]): Cell[] => [fips, countyName(fips), numberText(n)]);
  return csv(['county_fips', 'county_name', 'declines'], rows);
}

function weeklyTrend(report: Report): string {
  return csv(
    ['week_start', 'declines', 'requests'],
    report.weeklyTrend.map((w) => [w.weekStart, numberText(w.declines), numberText(w.requests)]),
  );
}

/** File name → what writes it: every report has every file. */
const FILES: Record<string, (report: Report) => string> = {
  'about.csv': about,
  'section-1.csv': sectionI,
  'section-2.csv': sectionII,
  'section-3.csv': sectionIII,
  'section-3-287g.csv': sectionIII287g,
  'section-4.csv': sectionIV,
  'section-4-disputes.csv': disputes,
  'section-4-unresolved-names.csv': unresolved,
  'section-4-corrections.csv': corrections,
  'county-declines.csv': countyDeclines,
  'weekly-trend.csv': weeklyTrend,
};

/** The names of the CSV files of every report, in the order they are written. */
export const CSV_FILES: readonly string[] = Object.keys(FILES);

/** File name → CSV text. */
export function renderCsv(report: Report): Record<string, string> {
  return Object.fromEntries(Object.entries(FILES).map(([name, write]) => [name, write(report)]));
}
