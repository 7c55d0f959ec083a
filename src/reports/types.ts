/**
 * The report model (DESIGN §7): everything the HTML, CSV and JSON renderers need, so none of them
 * reads the store. Public output: no names, birth dates, file numbers or subject keys anywhere.
 */
import type { OutcomeCategory } from '../ledger/outcome.ts';

export type PeriodBasis = 'week' | 'range';

export interface ReportPeriod {
  /** first day, ISO `YYYY-MM-DD`, inclusive */
  from: string;
  /** last day, ISO `YYYY-MM-DD`, inclusive; the day whose law section III shows */
  to: string;
  /** `week`: the Saturday-to-Friday week the DDOR used; `range`: any other period asked for */
  basis: PeriodBasis;
}

/** Which date put a decline into the period. */
export type DeclineDateBasis = 'recorded-declined' | 'issue-date';

/** A one-line reading of a profile, for tables that have no room for section III. */
export interface ProfileSummary {
  /** e.g. `judicial warrant only` (see src/law/profile.ts `HoldsValue`) */
  holds: string;
  notification: string;
  transfer: string;
  information: string;
  access: string;
  /** the same five as one phrase, e.g. `holds: never; notification: listed offenses only; …` */
  text: string;
}

/** Section I row: a receiving agency (or, where the name resolved only to a place, its division). */
export interface SectionIRow {
  /** 1-based rank by `count`, ties broken by id */
  rank: number;
  /** agency id where known, else the division id the name resolved to */
  id: string;
  /** agency name, else the division's name */
  name: string;
  /** the division whose law applies (and whose profile limits cooperation) */
  divisionId: string;
  divisionName: string;
  /** two-letter postal code, lower case */
  state: string;
  /** 5-digit county FIPS where known */
  countyFips: string | null;
  /** detainers (hold requests and every other type) issued to it in the period */
  count: number;
  /** the count is below the suppression threshold: renderings show `<N` instead of it */
  suppressed: boolean;
  profile: ProfileSummary;
}

/** Section II row: one declined request. Never a person: no name, birth date, file number, subject key. */
export interface SectionIIRow {
  /** the ledger's request id (the row key disputes and corrections name) */
  requestId: string;
  /** agency id and name the request was issued to (null when the name did not resolve) */
  agencyId: string | null;
  agencyName: string | null;
  /** the facility that owns the outcome (the last one in the custody chain); id and name */
  facilityId: string | null;
  facilityName: string | null;
  /** two-letter postal code, lower case (empty for ICE's placeholder rows) */
  state: string;
  /** 5-digit county FIPS where known */
  countyFips: string | null;
  /** as the source gave it; null when not recorded (e.g. the agency does not collect it) */
  citizenship: string | null;
  /** ISO date the request was issued */
  issuedDate: string;
  /** ISO date it was recorded as declined; null when only the issue date is known */
  declinedDate: string | null;
  /** which date put the decline into this period */
  declineDateBasis: DeclineDateBasis;
  /** offense category of the most serious conviction or charge; null when not recorded */
  mostSeriousOffense: string | null;
  outcome: OutcomeCategory;
  /** the plain words of `outcome` (OUTCOME_LABELS) */
  outcomeLabel: string;
  /** the agency itself reported the decline (the `declined` event's data says so) */
  confirmedByAgency: boolean;
  /** the request is synthetic (demo data) */
  synthetic: boolean;
  /**
   * citizenship and offense are withheld (null) because the row's jurisdiction has fewer declines in
   * the period than the suppression threshold: with so few rows they could single out a person
   */
  detailWithheld: boolean;
}

/** A clause of a profile dimension with what a reader needs to check it. */
export interface CitedClause {
  /** `<instrument>#<clause id>` */
  clause: string;
  instrument: string;
  version: string;
  citation: string;
  /** `high` | `medium` | `low` (src/law/vocabulary.ts) */
  confidence: string;
}

export interface SectionIIIDimension {
  /** `holds` | `notification` | `transfer` | `information` | `access` */
  dimension: string;
  /** the profile's value word, or `conflict` */
  value: string;
  /** stricter than the federal baseline */
  limits: boolean;
  /** false when a missing fact could change the answer */
  certain: boolean;
  /** the deciding clauses, excluding the federal baseline */
  clauses: CitedClause[];
}

export interface SectionIIIAgreement {
  id: string;
  agencyName: string;
  /** `jail` | `warrant service` | `task force` | `other` */
  model: string;
  supportType: string;
  signedDate: string | null;
}

/** Section III row: a division with an instrument in force on the period's last day. */
export interface SectionIIIRow {
  divisionId: string;
  divisionName: string;
  state: string;
  countyFips: string | null;
  /** some dimension is stricter than the federal baseline */
  limitsCooperation: boolean;
  /** the instruments in force, `<id>@<version>` */
  instruments: string[];
  dimensions: SectionIIIDimension[];
  /** ICE 287(g) agreements in force on the day, beside the law */
  agreements287g: SectionIIIAgreement[];
}

export interface CountByKey {
  key: string;
  label: string;
  count: number;
}

export interface OpenDispute {
  id: string;
  editionId: string;
  /** the disputed row: `II:<request id>`, `I:<agency id>`, … */
  row: string;
  by: string;
  reason: string;
  at: string;
}

export interface UnresolvedNameCount {
  facilityName: string | null;
  facilityCity: string | null;
  state: string;
  /** the name-resolution reason (`unresolved:ambiguous`, `unresolved:no state`, …) */
  resolution: string;
  /** requests issued in the period under that name */
  count: number;
}

/** One changed row between two editions. */
export interface ChangedRow {
  /** `II:<request id>` etc. */
  row: string;
  /** the row's fields as published before (null: the row is new) */
  old: Record<string, unknown> | null;
  /** the row's fields as corrected (null: the row was removed) */
  new: Record<string, unknown> | null;
  /** names of the fields that differ */
  fields: string[];
}

export interface CorrectionNotice {
  /** the edition this one supersedes */
  supersedes: string;
  reason: string;
  by: string;
  at: string;
  changes: ChangedRow[];
  /** the same in sentences, one per changed row */
  text: string[];
}

export interface DeclineSpike {
  /** true when one jurisdiction on one day holds more than half the period's declines */
  flagged: boolean;
  /** the jurisdiction (agency or division id) and name with the most declines on one day */
  id: string | null;
  name: string | null;
  day: string | null;
  count: number;
  /** its share of the period's declines, 0–1 */
  share: number;
}

export interface SectionIV {
  /** requests issued in the period (all types) */
  requestsIssued: number;
  /** declines counted in the period (section II rows) */
  declines: number;
  /** requests issued in the period, by outcome category (every category, zero included) */
  byOutcome: CountByKey[];
  /** declines by the date that put them in the period */
  byDateBasis: CountByKey[];
  /** declines the agency itself confirmed */
  confirmedByAgency: number;
  /** confirmedByAgency / declines, 0–1 (0 when no declines) */
  confirmedShare: number;
  /** requests issued in the period and later marked issued in error (not counted as declines) */
  issuedInError: { count: number; requestIds: string[] };
  /** requests declined and then transferred: the receiving facility owns the outcome */
  transferredElsewhere: number;
  openDisputes: OpenDispute[];
  unresolvedNames: UnresolvedNameCount[];
  /** the notice of the edition this one corrects; empty for a first edition or a draft */
  corrections: CorrectionNotice[];
  spike: DeclineSpike;
  /** plain-words scope notes (what the ledger can and cannot know) */
  notes: string[];
}

export interface WeeklyTrendPoint {
  /** the Saturday the week starts */
  weekStart: string;
  /** declines counted in that week (recorded-declined date, else issue date) */
  declines: number;
  /** requests issued in that week */
  requests: number;
}

export interface Report {
  period: ReportPeriod;
  /** ISO date-time the model was built */
  generatedAt: string;
  /** the law library's content hash (`sha256:…`) sections I and III were read under */
  libraryRevision: string;
  /** true when any counted request is synthetic: every rendering must say so */
  synthetic: boolean;
  /** counts below this are shown as `<N` in public renderings (0: no suppression) */
  suppressBelow: number;
  /** set once published: the edition id (`sha256:…`) and the one it supersedes */
  edition: { id: string; supersedes: string | null; publishedAt: string } | null;
  sections: {
    I: SectionIRow[];
    II: SectionIIRow[];
    III: SectionIIIRow[];
    IV: SectionIV;
  };
  /** county FIPS (5 digits) → declines counted in the period, for the map */
  countyDeclines: Record<string, number>;
  /** the 26 weeks up to the period end, oldest first, for the trend chart */
  weeklyTrend: WeeklyTrendPoint[];
}

export interface ReportFigure {
  section: string;
  key: string;
  value: number;
}

/**
 * Every number in the report as a flat list, so a test can check that the HTML, the CSV and the
 * JSON carry the same figures.
 */
export function reportFigures(report: Report): ReportFigure[] {
  const out: ReportFigure[] = [];
  const { I, II, IV } = report.sections;
  for (const r of I) out.push({ section: 'I', key: r.id, value: r.count });
  out.push({ section: 'II', key: 'rows', value: II.length });
  out.push({ section: 'IV', key: 'requestsIssued', value: IV.requestsIssued });
  out.push({ section: 'IV', key: 'declines', value: IV.declines });
  for (const c of IV.byOutcome) out.push({ section: 'IV', key: `outcome:${c.key}`, value: c.count });
  for (const c of IV.byDateBasis) out.push({ section: 'IV', key: `basis:${c.key}`, value: c.count });
  out.push({ section: 'IV', key: 'confirmedByAgency', value: IV.confirmedByAgency });
  out.push({ section: 'IV', key: 'confirmedShare', value: IV.confirmedShare });
  out.push({ section: 'IV', key: 'issuedInError', value: IV.issuedInError.count });
  out.push({ section: 'IV', key: 'transferredElsewhere', value: IV.transferredElsewhere });
  out.push({ section: 'IV', key: 'openDisputes', value: IV.openDisputes.length });
  for (const u of IV.unresolvedNames)
    out.push({
      section: 'IV',
      key: `unresolved:${u.state}:${u.facilityName ?? ''}:${u.facilityCity ?? ''}`,
      value: u.count,
    });
  out.push({ section: 'IV', key: 'spike', value: IV.spike.count });
  for (const [fips, n] of Object.entries(report.countyDeclines))
    out.push({ section: 'map', key: fips, value: n });
  for (const w of report.weeklyTrend) {
    out.push({ section: 'trend', key: `${w.weekStart}:declines`, value: w.declines });
    out.push({ section: 'trend', key: `${w.weekStart}:requests`, value: w.requests });
  }
  return out;
}
