/**
 * Build the report model (DESIGN §7) for a period from the ledger, the law library and the
 * registry. Outcomes come from `deriveState` (src/ledger/outcome.ts), so a transfer's outcome
 * belongs to the last facility, an issued-in-error request is no decline, and a declined hold
 * after which ICE took custody is no release. Only the period's rows are read.
 */
import { NATION_ID, type Registry } from '../jurisdictions/registry.ts';
import type { AgencyKind } from '../jurisdictions/types.ts';
import type { Engine } from '../law/index.ts';
import {
  DECLINE_CATEGORIES,
  deriveState,
  OUTCOME_CATEGORIES,
  OUTCOME_LABELS,
  type OutcomeCategory,
  type RequestState,
} from '../ledger/outcome.ts';
import type { Store } from '../ledger/store.ts';
import { addDays, resolvePeriod, weekStart, type PeriodInput } from './period.ts';
import {
  cachedProfile,
  countyFipsOf,
  divisionsWithInstruments,
  summarize,
  type ProfileSource,
} from './profiles.ts';
import {
  correctionsSince,
  eventsOf,
  loadRefs,
  openDisputesFor,
  withDetails,
  requestsById,
  requestsDeclinedIn,
  requestsIssuedWithEvents,
  requestsPerDay,
  type ReportEvent,
  type ReportRequest,
  type Refs,
} from './queries.ts';
import type {
  DeclineSpike,
  Report,
  ReportPeriod,
  SectionIIIRow,
  SectionIIRow,
  SectionIRow,
  SectionIV,
  UnresolvedNameCount,
  WeeklyTrendPoint,
} from './types.ts';

export interface BuildOptions {
  /** counts below this are suppressed in public renderings (0 = none) */
  suppressBelow?: number;
  /** the clock (tests pass a fixed one) */
  now?: Date;
  /** how many rows section I lists */
  topAgencies?: number;
}

/** The DDOR's section I was a top-ten table. */
const TOP_AGENCIES = 10;
const TREND_WEEKS = 26;
/**
 * A spike is flagged when one jurisdiction on one day holds more than half of the period's
 * declines (ddor.md item 5); below this many declines a half is no signal, so nothing is flagged.
 */
const SPIKE_MIN_DECLINES = 10;

const NOTES = [
  'A decline is counted in the period it was recorded as declined; where the source gives no decline date, in the period the request was issued (see the date basis of each row).',
  'The ledger holds only the declines that were recorded: agencies do not always report declining a request.',
  'A decline belongs to the facility that held the person when it happened: after a transfer, the receiving facility owns the outcome.',
  'Requests marked issued in error are not counted as declines; they are listed here.',
  'A hold declined after which ICE was notified and took custody is counted apart from a release without notice.',
];

/** One request with its events (corrections applied) and derived state. */
interface Derived {
  request: ReportRequest;
  events: ReportEvent[];
  state: RequestState;
}

/**
 * Events a `corrected` event withdraws (by key, in its `detail.withdraws` or `withdraws`) are
 * dropped before the state is derived: the ledger stays append-only, the report reads the fix.
 */
export function applyCorrections(events: readonly ReportEvent[]): ReportEvent[] {
  const withdrawn = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'corrected') continue;
    const detail = (e.data.detail ?? {}) as Record<string, unknown>;
    const w = detail.withdraws ?? e.data.withdraws;
    for (const k of Array.isArray(w) ? w : [w]) if (typeof k === 'string') withdrawn.add(k);
  }
  return withdrawn.size ? events.filter((e) => !withdrawn.has(e.key)) : (events as ReportEvent[]);
}

function derive(request: ReportRequest, events: readonly ReportEvent[]): Derived {
  const own = applyCorrections(events);
  const start = request.facilityId ?? request.agencyId ?? request.divisionId;
  return { request, events: own, state: deriveState(start, own) };
}

/** Where an id of the custody chain is: the facility, its agency, its division. */
interface Place {
  agencyId: string | null;
  agencyName: string | null;
  facilityId: string | null;
  facilityName: string | null;
  divisionId: string | null;
  state: string;
  countyFips: string | null;
}

function placeOf(registry: Registry, id: string | null, request: ReportRequest): Place {
  const start = request.facilityId ?? request.agencyId ?? request.divisionId;
  const agencyName = (aid: string | null) => (aid ? (registry.agency(aid)?.name ?? null) : null);
  if (id === start) {
    return {
      agencyId: request.agencyId,
      agencyName: agencyName(request.agencyId),
      facilityId: request.facilityId,
      facilityName:
        (request.facilityId ? registry.facility(request.facilityId)?.name : undefined) ??
        request.facilityName,
      divisionId: request.divisionId,
      state: request.state,
      countyFips: countyFipsOf(registry, request.divisionId),
    };
  }
  if (id === null)
    return {
      agencyId: null,
      agencyName: null,
      facilityId: null,
      facilityName: null,
      divisionId: null,
      state: '',
      countyFips: null,
    };
  const f = registry.facility(id);
  if (f) {
    const a = f.agencyId ? registry.agency(f.agencyId) : undefined;
    const divisionId = f.divisionId ?? a?.divisionId ?? null;
    return {
      agencyId: f.agencyId,
      agencyName: a?.name ?? null,
      facilityId: f.id,
      facilityName: f.name,
      divisionId,
      state: f.state,
      countyFips: countyFipsOf(registry, divisionId),
    };
  }
  const a = registry.agency(id);
  if (a)
    return {
      agencyId: a.id,
      agencyName: a.name,
      facilityId: null,
      facilityName: null,
      divisionId: a.divisionId,
      state: a.state,
      countyFips: countyFipsOf(registry, a.divisionId),
    };
  const d = registry.division(id);
  if (d)
    return {
      agencyId: null,
      agencyName: null,
      facilityId: null,
      facilityName: d.name,
      divisionId: d.id,
      state: d.state,
      countyFips: countyFipsOf(registry, d.id),
    };
  // a facility code the registry does not know: kept as the id, with no place
  return {
    agencyId: null,
    agencyName: null,
    facilityId: id,
    facilityName: null,
    divisionId: null,
    state: '',
    countyFips: null,
  };
}

/** The date a decline is counted on, and on what basis. */
function countedDecline(s: RequestState): { day: string; basis: 'recorded-declined' | 'issue-date' } | null {
  if (!DECLINE_CATEGORIES.has(s.outcome) || !s.declined) return null;
  return {
    day: s.declined.date.slice(0, 10),
    basis: s.declined.dateBasis === 'issue-date' ? 'issue-date' : 'recorded-declined',
  };
}

/** The agency itself reported the decline: its `declined` event says `reportedBy: agency`. */
function confirmedByAgency(events: readonly ReportEvent[]): boolean {
  const last = [...events].reverse().find((e) => e.kind === 'declined');
  if (!last) return false;
  const detail = (last.data.detail ?? {}) as Record<string, unknown>;
  return detail.reportedBy === 'agency' || last.data.reportedBy === 'agency';
}

const inPeriod = (day: string, p: ReportPeriod) => day >= p.from && day <= p.to;

/** Load every request issued in, or declined in, `from`–`to` with its derived state. */
async function loadPeriod(
  store: Store,
  refs: Refs,
  from: string,
  to: string,
): Promise<{ issued: Derived[]; declinedElsewhere: Derived[] }> {
  const { requests, events } = await requestsIssuedWithEvents(store, refs, from, to);
  const issued = requests.map((r) => derive(r, events.get(r.id) ?? []));
  const seen = new Set(requests.map((r) => r.id));
  const others = (await requestsDeclinedIn(store, from, to)).filter((id) => !seen.has(id));
  const otherRequests = await requestsById(store, refs, others);
  const otherEvents = await eventsOf(store, refs, others);
  return { issued, declinedElsewhere: otherRequests.map((r) => derive(r, otherEvents.get(r.id) ?? [])) };
}

export interface ReportContext {
  store: Store;
  engine: Engine;
  registry: Registry;
}

export async function buildReport(
  ctx: ReportContext,
  input: PeriodInput,
  options: BuildOptions = {},
): Promise<Report> {
  const period = resolvePeriod(input);
  const suppressBelow = options.suppressBelow ?? 0;
  const { store, registry } = ctx;
  const src: ProfileSource = { engine: ctx.engine, registry, store };

  const refs = await loadRefs(store);
  const { issued, declinedElsewhere } = await loadPeriod(store, refs, period.from, period.to);
  const candidates = [...issued, ...declinedElsewhere];
  // the fields the index does not cover, for the rows that show them: declines and unresolved names
  await withDetails(
    store,
    refs,
    issued
      .filter((d) => d.request.divisionId === null || countedDecline(d.state) !== null)
      .map((d) => d.request),
  );

  // Section II: one row per decline counted in the period
  const II: SectionIIRow[] = [];
  const declinedRows: { row: SectionIIRow; day: string; jurisdiction: string; name: string }[] = [];
  for (const d of candidates) {
    const counted = countedDecline(d.state);
    if (!counted || !inPeriod(counted.day, period)) continue;
    const place = placeOf(registry, d.state.outcomeFacilityId, d.request);
    const row: SectionIIRow = {
      requestId: d.request.id,
      agencyId: place.agencyId,
      agencyName: place.agencyName,
      facilityId: place.facilityId,
      facilityName: place.facilityName,
      state: place.state,
      countyFips: place.countyFips,
      citizenship: d.request.citizenship,
      issuedDate: d.request.issuedDate,
      declinedDate: counted.basis === 'recorded-declined' ? counted.day : null,
      declineDateBasis: counted.basis,
      mostSeriousOffense: d.request.mostSeriousOffense,
      outcome: d.state.outcome,
      outcomeLabel: OUTCOME_LABELS[d.state.outcome],
      confirmedByAgency: confirmedByAgency(d.events),
      synthetic: d.request.synthetic,
      detailWithheld: false,
    };
    II.push(row);
    const jurisdiction =
      place.agencyId ?? place.divisionId ?? place.facilityId ?? `unresolved:${place.state}`;
    const name =
      place.agencyName ??
      (place.divisionId ? registry.division(place.divisionId)?.name : undefined) ??
      place.facilityName ??
      jurisdiction;
    declinedRows.push({ row, day: counted.day, jurisdiction, name });
  }
  if (suppressBelow > 0) withholdSmallGroups(declinedRows, suppressBelow);
  II.sort(
    (a, b) =>
      a.state.localeCompare(b.state) ||
      (a.agencyName ?? a.facilityName ?? '').localeCompare(b.agencyName ?? b.facilityName ?? '') ||
      (a.declinedDate ?? a.issuedDate).localeCompare(b.declinedDate ?? b.issuedDate) ||
      a.requestId.localeCompare(b.requestId),
  );

  const I = await sectionI(src, issued, period, options.topAgencies ?? TOP_AGENCIES, suppressBelow);
  const III = await sectionIII(src, period.to);
  const IV: SectionIV = {
    requestsIssued: issued.length,
    declines: II.length,
    byOutcome: byOutcome(issued),
    byDateBasis: (['recorded-declined', 'issue-date'] as const).map((k) => ({
      key: k,
      label:
        k === 'recorded-declined' ? 'date recorded as declined' : 'issue date (no decline date recorded)',
      count: II.filter((r) => r.declineDateBasis === k).length,
    })),
    confirmedByAgency: II.filter((r) => r.confirmedByAgency).length,
    confirmedShare: II.length ? II.filter((r) => r.confirmedByAgency).length / II.length : 0,
    issuedInError: (() => {
      const ids = candidates
        .filter((d) => d.state.outcome === 'issued-in-error')
        .map((d) => d.request.id)
        .sort();
      return { count: ids.length, requestIds: ids };
    })(),
    transferredElsewhere: issued.filter((d) => d.state.outcome === 'transferred-elsewhere').length,
    openDisputes: await openDisputesFor(store, period),
    unresolvedNames: unresolved(issued),
    corrections: await correctionsSince(store, period),
    spike: spike(declinedRows),
    notes: NOTES,
  };

  const countyDeclines: Record<string, number> = {};
  for (const r of II)
    if (r.countyFips) countyDeclines[r.countyFips] = (countyDeclines[r.countyFips] ?? 0) + 1;
  if (suppressBelow > 0)
    for (const [k, n] of Object.entries(countyDeclines)) if (n < suppressBelow) delete countyDeclines[k];

  const weeklyTrend = await trend(
    store,
    refs,
    period,
    declinedRows.map((d) => d.day),
  );
  return {
    period,
    generatedAt: (options.now ?? new Date()).toISOString(),
    libraryRevision: ctx.engine.library.revision,
    synthetic: candidates.some((d) => d.request.synthetic),
    suppressBelow,
    edition: null,
    sections: { I, II, III, IV },
    countyDeclines: Object.fromEntries(Object.entries(countyDeclines).sort(([a], [b]) => a.localeCompare(b))),
    weeklyTrend,
  };
}

/**
 * A jurisdiction with fewer declines in the period than the threshold shows its rows without
 * citizenship and offense: facility, dates and those two together could single out a person.
 */
function withholdSmallGroups(rows: { row: SectionIIRow; jurisdiction: string }[], suppressBelow: number): void {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.jurisdiction, (counts.get(r.jurisdiction) ?? 0) + 1);
  for (const { row, jurisdiction } of rows)
    if ((counts.get(jurisdiction) ?? 0) < suppressBelow) {
      row.citizenship = null;
      row.mostSeriousOffense = null;
      row.detailWithheld = true;
    }
}

async function sectionI(
  src: ProfileSource,
  issued: readonly Derived[],
  period: ReportPeriod,
  top: number,
  suppressBelow: number,
): Promise<SectionIRow[]> {
  const groups = new Map<
    string,
    { divisionId: string; agencyId: string | null; state: string; count: number }
  >();
  for (const { request: r, state } of issued) {
    if (!r.divisionId) continue; // an unresolved name is never placed (ddor.md item 1)
    if (state.outcome === 'issued-in-error') continue; // it was never theirs (ddor.md item 3)
    const agency = r.agencyId ? src.registry.agency(r.agencyId) : undefined;
    const id = agency?.id ?? r.divisionId;
    const g = groups.get(id);
    if (g) g.count++;
    else
      groups.set(id, {
        divisionId: agency?.divisionId ?? r.divisionId,
        agencyId: agency?.id ?? null,
        state: r.state,
        count: 1,
      });
  }
  const federal = new Set(
    src.engine.library.instruments.filter((i) => i.division === NATION_ID).map((i) => i.id),
  );
  const ranked = [...groups.entries()].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b));
  const rows: SectionIRow[] = [];
  for (const [id, g] of ranked) {
    if (rows.length >= top) break;
    const division = src.registry.division(g.divisionId);
    if (!division) continue;
    const agency = g.agencyId ? src.registry.agency(g.agencyId) : undefined;
    // under federal instruments alone a profile is the federal baseline, which limits nothing:
    // most agencies of a national ledger are skipped without deciding a probe
    if (!src.engine.instrumentsInForce(division.id, period.to).some((i) => !federal.has(i.id))) continue;
    const profile = await cachedProfile(
      src,
      division,
      period.to,
      agency?.kind as AgencyKind | undefined,
      false,
    );
    if (!profile.limitsCooperation) continue;
    const suppressed = g.count < suppressBelow;
    rows.push({
      rank: rows.length + 1,
      id,
      name: agency?.name ?? division.name,
      divisionId: division.id,
      divisionName: division.name,
      state: division.state || g.state,
      countyFips: countyFipsOf(src.registry, division.id),
      count: suppressed ? 0 : g.count,
      suppressed,
      profile: summarize(profile),
    });
  }
  return rows;
}

async function sectionIII(src: ProfileSource, date: string): Promise<SectionIIIRow[]> {
  const rows: SectionIIIRow[] = [];
  for (const division of divisionsWithInstruments(src.engine, src.registry, date)) {
    const p = await cachedProfile(src, division, date);
    rows.push({
      divisionId: division.id,
      divisionName: division.name,
      state: division.state,
      countyFips: countyFipsOf(src.registry, division.id),
      limitsCooperation: p.limitsCooperation,
      instruments: p.instruments.map((i) => `${i.id}@${i.version}`),
      dimensions: (['holds', 'notification', 'transfer', 'information', 'access'] as const).map((k) => ({
        dimension: k,
        value: p[k].value,
        limits: p[k].limits,
        certain: p[k].certain,
        clauses: p[k].clauses
          .filter((c) => !c.baseline)
          .map((c) => ({
            clause: c.clause,
            instrument: c.instrument,
            version: c.version,
            citation: c.citation,
            confidence: c.confidence,
          })),
      })),
      agreements287g: p.agreements.agreements.map((a) => ({
        id: a.id,
        agencyName: a.agencyName,
        model: a.model,
        supportType: a.supportType,
        signedDate: a.signedDate,
      })),
    });
  }
  return rows;
}

function byOutcome(issued: readonly Derived[]): SectionIV['byOutcome'] {
  const n = new Map<OutcomeCategory, number>();
  for (const d of issued) n.set(d.state.outcome, (n.get(d.state.outcome) ?? 0) + 1);
  return OUTCOME_CATEGORIES.map((k) => ({ key: k, label: OUTCOME_LABELS[k], count: n.get(k) ?? 0 }));
}

function unresolved(issued: readonly Derived[]): UnresolvedNameCount[] {
  const groups = new Map<string, UnresolvedNameCount>();
  for (const { request: r } of issued) {
    if (r.divisionId) continue;
    const k = [r.state, r.facilityName, r.facilityCity, r.resolution].join('\0');
    const g = groups.get(k);
    if (g) g.count++;
    else
      groups.set(k, {
        facilityName: r.facilityName,
        facilityCity: r.facilityCity,
        state: r.state,
        resolution: r.resolution,
        count: 1,
      });
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || (a.facilityName ?? '').localeCompare(b.facilityName ?? ''),
  );
}

function spike(rows: readonly { day: string; jurisdiction: string; name: string }[]): DeclineSpike {
  const n = new Map<string, { id: string; name: string; day: string; count: number }>();
  for (const r of rows) {
    const k = `${r.jurisdiction}\0${r.day}`;
    const g = n.get(k);
    if (g) g.count++;
    else n.set(k, { id: r.jurisdiction, name: r.name, day: r.day, count: 1 });
  }
  const top = [...n.values()].sort(
    (a, b) => b.count - a.count || a.day.localeCompare(b.day) || a.id.localeCompare(b.id),
  )[0];
  if (!top) return { flagged: false, id: null, name: null, day: null, count: 0, share: 0 };
  const share = top.count / rows.length;
  return {
    flagged: rows.length >= SPIKE_MIN_DECLINES && share > 0.5,
    id: top.id,
    name: top.name,
    day: top.day,
    count: top.count,
    share,
  };
}

/**
 * The 26 Saturday-to-Friday weeks up to the period's end: requests per week from an aggregate
 * over the issue-date index; declines derived like section II, whose rows give the period's own
 * days, so only the weeks outside the period are read (a weekly report's last week is its section
 * II count by construction).
 */
async function trend(
  store: Store,
  refs: Refs,
  period: ReportPeriod,
  periodDeclineDays: readonly string[],
): Promise<WeeklyTrendPoint[]> {
  const last = weekStart(period.to);
  const first = addDays(last, -7 * (TREND_WEEKS - 1));
  const end = addDays(last, 6);
  const points = new Map<string, WeeklyTrendPoint>();
  for (let i = 0; i < TREND_WEEKS; i++) {
    const w = addDays(first, 7 * i);
    points.set(w, { weekStart: w, declines: 0, requests: 0 });
  }
  for (const [day, n] of await requestsPerDay(store, first, end)) points.get(weekStart(day))!.requests += n;
  const count = (day: string) => {
    const p = points.get(weekStart(day));
    if (p) p.declines++;
  };
  for (const day of periodDeclineDays) if (day >= first) count(day);
  const outside: [string, string][] = [];
  if (first < period.from) outside.push([first, addDays(period.from, -1)]);
  if (period.to < end) outside.push([addDays(period.to, 1), end]);
  for (const [from, to] of outside) {
    const ids = await requestsDeclinedIn(store, from, to);
    const requests = await requestsById(store, refs, ids);
    const events = await eventsOf(store, refs, ids);
    for (const r of requests) {
      const counted = countedDecline(derive(r, events.get(r.id) ?? []).state);
      if (counted && counted.day >= from && counted.day <= to) count(counted.day);
    }
  }
  return [...points.values()];
}
