/**
 * Requests issued over time in one place, with the outcome category each has reached, counted
 * per quarter (or per year when the span is long) of the issue date. Aggregates only: no request
 * id, name or date leaves this module. Outcomes are derived as the report derives them
 * (`deriveState` after the corrections are applied), so the figures agree with the editions.
 * Read through Kysely only, so it runs the same on SQLite and PostgreSQL.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { deriveState, OUTCOME_CATEGORIES, type OutcomeCategory } from '../ledger/outcome.ts';
import type { Database } from '../ledger/schema.ts';
import type { Store } from '../ledger/store.ts';
import type { EventKind } from '../ledger/types.ts';
import { applyCorrections } from './build.ts';
import type { ReportEvent } from './queries.ts';

/**
 * Which requests: those whose name resolved to one of `divisionIds`, or that went to one of
 * `agencyIds`, or that were issued in `state` (two letters); with none of them, every request.
 */
export interface RequestScope {
  state?: string;
  divisionIds?: readonly string[];
  agencyIds?: readonly string[];
}

export type PeriodUnit = 'quarter' | 'year';

export interface OutcomePeriod {
  /** `2019-Q1` or `2019` */
  period: string;
  requests: number;
  byOutcome: Record<OutcomeCategory, number>;
}

export interface OutcomesOverTime {
  unit: PeriodUnit;
  periods: OutcomePeriod[];
  /** the categories with a request in some period, in the report's order */
  categories: OutcomeCategory[];
}

/** More quarters than this and the table is per year instead. */
export const MAX_QUARTERS = 16;

const CHUNK = 500;

/** the schema with `requests as r`, as the queries below name it */
type WithR = Database & { r: Database['requests'] };

/** Every registry id the ledger refers to (divisions, agencies, facilities): a small table. */
export async function ledgerRefIds(store: Store): Promise<string[]> {
  return (await store.db.selectFrom('refs').select('id').execute()).map((r) => r.id);
}

async function refsOf(store: Store, ids: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await store.db
      .selectFrom('refs')
      .select('ref')
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push(Number(r.ref));
  }
  return out;
}

/** the quarter of a day or a month (`YYYY-MM…`) */
const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** Every period from the first to the last, so a quarter with no request shows as zero. */
function periodsBetween(first: string, last: string, unit: PeriodUnit): string[] {
  const out: string[] = [];
  let year = Number(first.slice(0, 4));
  let q = unit === 'quarter' ? Number(first.slice(6)) : 1;
  const [lastYear, lastQ] = [Number(last.slice(0, 4)), unit === 'quarter' ? Number(last.slice(6)) : 1];
  while (year < lastYear || (year === lastYear && q <= lastQ)) {
    out.push(unit === 'quarter' ? `${year}-Q${q}` : String(year));
    if (unit === 'year' || q === 4) {
      year++;
      q = 1;
    } else q++;
  }
  return out;
}

/**
 * A request's category follows from the kinds of its events in ledger order alone (deriveState
 * reads no date or facility for it), so the database counts requests per month and kind sequence,
 * and each distinct sequence — a few dozen — is derived once here. Nothing per request is read
 * into memory, whatever the size of the scope. Requests with a correction are the exception: a
 * correction withdraws named events, so those few are read with their events and derived one by one.
 */
export async function outcomesOverTime(store: Store, scope: RequestScope): Promise<OutcomesOverTime> {
  const divisionRefs = scope.divisionIds ? await refsOf(store, scope.divisionIds) : [];
  const agencyRefs = scope.agencyIds ? await refsOf(store, scope.agencyIds) : [];
  const byRef = scope.divisionIds !== undefined || scope.agencyIds !== undefined;
  if (byRef && divisionRefs.length === 0 && agencyRefs.length === 0)
    return { unit: 'quarter', periods: [], categories: [] };

  const inScope = (eb: ExpressionBuilder<WithR, 'r'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [];
    if (scope.state !== undefined) all.push(eb('r.state', '=', scope.state.toLowerCase()));
    if (byRef)
      all.push(
        eb.or([
          ...(divisionRefs.length ? [eb('r.division_ref', 'in', divisionRefs)] : []),
          ...(agencyRefs.length ? [eb('r.agency_ref', 'in', agencyRefs)] : []),
        ]),
      );
    return eb.and(all);
  };

  // the kinds of a request's events in ledger order, one string ('' for none)
  const kinds =
    store.dialect === 'postgres'
      ? sql<
          string | null
        >`(select string_agg(e.kind, ',' order by e.seq) from events e where e.request_id = r.id)`
      : sql<
          string | null
        >`(select group_concat(e.kind, ',' order by e.seq) from events e where e.request_id = r.id)`;
  const perRequest = store.db
    .selectFrom('requests as r')
    .select([sql<string>`substr(r.issued_date, 1, 7)`.as('month'), kinds.as('kinds')])
    .where(inScope)
    .as('t');
  const counted = await store.db
    .selectFrom(perRequest)
    .select(['t.month', 't.kinds', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['t.month', 't.kinds'])
    .execute();

  // month → category → requests
  const tally = new Map<string, Map<OutcomeCategory, number>>();
  const add = (month: string, outcome: OutcomeCategory, n: number) => {
    let m = tally.get(month);
    if (!m) tally.set(month, (m = new Map()));
    m.set(outcome, (m.get(outcome) ?? 0) + n);
  };
  const bySequence = new Map<string, OutcomeCategory>();
  let corrected = false;
  for (const row of counted) {
    const seq = row.kinds ?? '';
    if (seq.split(',').includes('corrected')) {
      corrected = true;
      continue;
    }
    let outcome = bySequence.get(seq);
    if (outcome === undefined) {
      const events =
        seq === ''
          ? []
          : seq.split(',').map((kind) => ({ kind: kind as EventKind, date: '', facilityId: null, data: {} }));
      outcome = deriveState(null, events).outcome;
      bySequence.set(seq, outcome);
    }
    add(row.month, outcome, Number(row.n));
  }
  if (corrected)
    for (const [month, outcome] of await correctedOutcomes(store, inScope)) add(month, outcome, 1);
  if (tally.size === 0) return { unit: 'quarter', periods: [], categories: [] };

  const months = [...tally.keys()].sort();
  const first = quarterOf(months[0]!);
  const last = quarterOf(months[months.length - 1]!);
  const unit: PeriodUnit = periodsBetween(first, last, 'quarter').length > MAX_QUARTERS ? 'year' : 'quarter';
  const key = (month: string) => (unit === 'quarter' ? quarterOf(month) : month.slice(0, 4));
  const periods = new Map(
    periodsBetween(
      unit === 'quarter' ? first : first.slice(0, 4),
      unit === 'quarter' ? last : last.slice(0, 4),
      unit,
    ).map((p) => [p, { period: p, requests: 0, byOutcome: zeros() }]),
  );
  const seen = new Set<OutcomeCategory>();
  for (const [month, byOutcome] of tally) {
    const p = periods.get(key(month))!;
    for (const [outcome, n] of byOutcome) {
      p.requests += n;
      p.byOutcome[outcome] += n;
      seen.add(outcome);
    }
  }
  return {
    unit,
    periods: [...periods.values()],
    categories: OUTCOME_CATEGORIES.filter((c) => seen.has(c)),
  };
}

/** [month, category] of each request in scope that has a correction, derived from its own events */
async function correctedOutcomes(
  store: Store,
  inScope: (eb: ExpressionBuilder<WithR, 'r'>) => Expression<SqlBool>,
): Promise<[string, OutcomeCategory][]> {
  const rows = await store.db
    .selectFrom('requests as r')
    .innerJoin('events as e', 'e.request_id', 'r.id')
    .select(['r.id', 'r.issued_date', 'e.seq', 'e.key', 'e.kind', 'e.date', 'e.data'])
    .where(inScope)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('events as c')
          .select('c.seq')
          .whereRef('c.request_id', '=', 'r.id')
          .where('c.kind', '=', 'corrected'),
      ),
    )
    .execute();
  const issued = new Map<string, string>();
  const events = new Map<string, ReportEvent[]>();
  for (const r of rows) {
    issued.set(r.id, r.issued_date);
    const ev: ReportEvent = {
      seq: Number(r.seq),
      key: r.key,
      kind: r.kind as EventKind,
      date: r.date,
      facilityId: null,
      data: r.kind === 'corrected' ? (JSON.parse(r.data) as Record<string, unknown>) : {},
    };
    const list = events.get(r.id);
    if (list) list.push(ev);
    else events.set(r.id, [ev]);
  }
  return [...issued].map(([id, day]) => {
    const list = events.get(id)!.sort((a, b) => a.seq - b.seq);
    return [day.slice(0, 7), deriveState(null, applyCorrections(list)).outcome];
  });
}

function zeros(): Record<OutcomeCategory, number> {
  return Object.fromEntries(OUTCOME_CATEGORIES.map((c) => [c, 0])) as Record<OutcomeCategory, number>;
}
