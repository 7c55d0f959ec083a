import { sql } from 'kysely';
import { deriveState, type OutcomeCategory, type RequestState } from './outcome.ts';
import type { Store } from './store.ts';
import type { EventKind } from './types.ts';

export interface LedgerStats {
  requests: number;
  events: number;
  synthetic: number;
  agencies: number;
  facilities: number;
  agreements287g: number;
  areasOfResponsibility: number;
  byType: Record<string, number>;
  byState: Record<string, number>;
  byOutcome: Partial<Record<OutcomeCategory, number>>;
  issuedFrom: string | null;
  issuedTo: string | null;
  resolved: number;
  unresolved: number;
}

export interface UnresolvedName {
  facilityName: string | null;
  facilityCity: string | null;
  state: string;
  resolution: string;
  count: number;
}

async function count(
  store: Store,
  table: 'requests' | 'events' | 'agencies' | 'facilities' | 'agreements_287g' | 'areas_of_responsibility',
): Promise<number> {
  const r = await store.db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function tally(store: Store, column: 'type' | 'state'): Promise<Record<string, number>> {
  const rows = await store.db
    .selectFrom('requests_v')
    .select([column, sql<number>`count(*)`.as('n')])
    .groupBy(column)
    .orderBy(column)
    .execute();
  return Object.fromEntries(rows.map((r) => [String(r[column as keyof typeof r]), Number(r.n)]));
}

export async function ledgerStats(store: Store): Promise<LedgerStats> {
  const span = await store.db
    .selectFrom('requests_v')
    .select([
      sql<string | null>`min(issued_date)`.as('from'),
      sql<string | null>`max(issued_date)`.as('to'),
      sql<number>`sum(case when synthetic = 1 then 1 else 0 end)`.as('synthetic'),
      sql<number>`sum(case when division_id is null then 1 else 0 end)`.as('unresolved'),
    ])
    .executeTakeFirstOrThrow();
  const byOutcome: Partial<Record<OutcomeCategory, number>> = {};
  for await (const { state } of requestStates(store))
    byOutcome[state.outcome] = (byOutcome[state.outcome] ?? 0) + 1;
  const requests = await count(store, 'requests');
  return {
    requests,
    events: await count(store, 'events'),
    synthetic: Number(span.synthetic ?? 0),
    agencies: await count(store, 'agencies'),
    facilities: await count(store, 'facilities'),
    agreements287g: await count(store, 'agreements_287g'),
    areasOfResponsibility: await count(store, 'areas_of_responsibility'),
    byType: await tally(store, 'type'),
    byState: await tally(store, 'state'),
    byOutcome,
    issuedFrom: span.from,
    issuedTo: span.to,
    unresolved: Number(span.unresolved ?? 0),
    resolved: requests - Number(span.unresolved ?? 0),
  };
}

/** Names that did not resolve to a division, most frequent first. */
export async function unresolvedNames(store: Store, limit = 50): Promise<UnresolvedName[]> {
  const rows = await store.db
    .selectFrom('requests_v')
    .select(['facility_name', 'facility_city', 'state', 'resolution', sql<number>`count(*)`.as('n')])
    .where('division_id', 'is', null)
    .groupBy(['facility_name', 'facility_city', 'state', 'resolution'])
    .orderBy(sql`count(*)`, 'desc')
    // a missing name first on both stores (PostgreSQL puts nulls last unless told), and every
    // grouped column after it, so ties come out in one order wherever the ledger lives
    .orderBy('facility_name', (o) => o.asc().nullsFirst())
    .orderBy('facility_city', (o) => o.asc().nullsFirst())
    .orderBy('state')
    .orderBy('resolution', (o) => o.asc().nullsFirst())
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    facilityName: r.facility_name,
    facilityCity: r.facility_city,
    state: r.state,
    resolution: r.resolution,
    count: Number(r.n),
  }));
}

export interface RequestWithState {
  id: string;
  facilityId: string | null;
  state: RequestState;
}

/**
 * Every request with its derived state, streamed in ledger order: one pass over requests and
 * events joined, so memory stays flat however large the ledger is.
 */
export async function* requestStates(store: Store): AsyncIterable<RequestWithState> {
  const rows = store.db
    .selectFrom('requests_v as r')
    .leftJoin('events_v as e', 'e.request_id', 'r.id')
    .select([
      'r.id as id',
      // where custody starts: the facility, else the agency or place the name resolved to
      sql<string | null>`coalesce(r.facility_id, r.agency_id, r.division_id)`.as('facility_id'),
      'e.kind as kind',
      'e.date as date',
      'e.facility_id as event_facility_id',
      'e.data as data',
    ])
    .orderBy('r.seq')
    .orderBy('e.seq')
    .stream(2000);
  let current: { id: string; facilityId: string | null; events: Parameters<typeof deriveState>[1] } | null =
    null;
  for await (const row of rows) {
    if (!current || current.id !== row.id) {
      if (current)
        yield {
          id: current.id,
          facilityId: current.facilityId,
          state: deriveState(current.facilityId, current.events),
        };
      current = { id: row.id, facilityId: row.facility_id, events: [] };
    }
    if (row.kind) {
      current.events.push({
        kind: row.kind as EventKind,
        date: row.date as string,
        facilityId: row.event_facility_id,
        data: JSON.parse(row.data as string) as Record<string, unknown>,
      });
    }
  }
  if (current)
    yield {
      id: current.id,
      facilityId: current.facilityId,
      state: deriveState(current.facilityId, current.events),
    };
}

/** One request with its events, for `show` and the desk. */
export async function requestWithEvents(store: Store, id: string) {
  const request = await store.db.selectFrom('requests_v').selectAll().where('id', '=', id).executeTakeFirst();
  if (!request) return undefined;
  const events = await store.db
    .selectFrom('events_v')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('seq')
    .execute();
  const state = deriveState(
    request.facility_id ?? request.agency_id ?? request.division_id,
    events.map((e) => ({
      kind: e.kind as EventKind,
      date: e.date,
      facilityId: e.facility_id,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
  );
  return { request, events, state };
}
