/**
 * Requests issued over time in one place, with the outcome category each has reached, counted
 * per quarter (or per year when the span is long) of the issue date. Aggregates only: no request
 * id, name or date leaves this module. Outcomes are derived as the report derives them
 * (`deriveState` after the corrections are applied), so the figures agree with the editions.
 * Read through Kysely only, so it runs the same on SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import { deriveState, OUTCOME_CATEGORIES, type OutcomeCategory } from '../ledger/outcome.ts';
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

export async function outcomesOverTime(store: Store, scope: RequestScope): Promise<OutcomesOverTime> {
  const divisionRefs = scope.divisionIds ? await refsOf(store, scope.divisionIds) : [];
  const agencyRefs = scope.agencyIds ? await refsOf(store, scope.agencyIds) : [];
  const byRef = scope.divisionIds !== undefined || scope.agencyIds !== undefined;
  if (byRef && divisionRefs.length === 0 && agencyRefs.length === 0)
    return { unit: 'quarter', periods: [], categories: [] };

  let q = store.db
    .selectFrom('requests as r')
    .leftJoin('events as e', 'e.request_id', 'r.id')
    .select([
      'r.id',
      'r.issued_date',
      'e.seq',
      'e.key',
      'e.kind',
      'e.date',
      // the one kind whose data the outcome needs: a correction names the events it withdraws
      sql<string | null>`case when e.kind = 'corrected' then e.data else null end`.as('data'),
    ]);
  if (scope.state !== undefined) q = q.where('r.state', '=', scope.state.toLowerCase());
  if (byRef)
    q = q.where((eb) =>
      eb.or([
        ...(divisionRefs.length ? [eb('r.division_ref', 'in', divisionRefs)] : []),
        ...(agencyRefs.length ? [eb('r.agency_ref', 'in', agencyRefs)] : []),
      ]),
    );

  const issued = new Map<string, string>();
  const events = new Map<string, ReportEvent[]>();
  for (const r of await q.execute()) {
    issued.set(r.id, r.issued_date);
    if (r.kind === null || r.seq === null || r.date === null) continue;
    const ev: ReportEvent = {
      seq: Number(r.seq),
      key: r.key ?? '',
      kind: r.kind as EventKind,
      date: r.date,
      facilityId: null,
      data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {},
    };
    const list = events.get(r.id);
    if (list) list.push(ev);
    else events.set(r.id, [ev]);
  }
  if (issued.size === 0) return { unit: 'quarter', periods: [], categories: [] };

  const days = [...issued.values()].sort();
  const first = quarterOf(days[0]!);
  const last = quarterOf(days[days.length - 1]!);
  const unit: PeriodUnit = periodsBetween(first, last, 'quarter').length > MAX_QUARTERS ? 'year' : 'quarter';
  const key = (day: string) => (unit === 'quarter' ? quarterOf(day) : day.slice(0, 4));
  const periods = new Map(
    periodsBetween(
      unit === 'quarter' ? first : first.slice(0, 4),
      unit === 'quarter' ? last : last.slice(0, 4),
      unit,
    ).map((p) => [p, { period: p, requests: 0, byOutcome: zeros() }]),
  );
  const seen = new Set<OutcomeCategory>();
  for (const [id, day] of issued) {
    const list = events.get(id) ?? [];
    list.sort((a, b) => a.seq - b.seq);
    // the custody chain does not change the category, only who owns it: no facility is needed
    const { outcome } = deriveState(null, applyCorrections(list));
    const p = periods.get(key(day))!;
    p.requests++;
    p.byOutcome[outcome]++;
    seen.add(outcome);
  }
  return {
    unit,
    periods: [...periods.values()],
    categories: OUTCOME_CATEGORIES.filter((c) => seen.has(c)),
  };
}

function zeros(): Record<OutcomeCategory, number> {
  return Object.fromEntries(OUTCOME_CATEGORIES.map((c) => [c, 0])) as Record<OutcomeCategory, number>;
}
