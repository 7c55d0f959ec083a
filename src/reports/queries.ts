/**
 * The reads a report makes, through Kysely only (portable to PostgreSQL). Each one is bounded by
 * the period: requests by issue date, events by kind and date (indexed), and the events of the
 * requests found — never a scan of the whole ledger.
 */
import { sql } from 'kysely';
import type { Store } from '../ledger/store.ts';
import type { EventKind } from '../ledger/types.ts';
import type { OutcomeEventInput } from '../ledger/outcome.ts';
import { dayAfter } from './period.ts';
import type { CorrectionNotice, OpenDispute } from './types.ts';

/** The request fields a report uses: no subject key, no provenance. */
export interface ReportRequest {
  id: string;
  type: string;
  issuedDate: string;
  state: string;
  divisionId: string | null;
  agencyId: string | null;
  facilityId: string | null;
  facilityName: string | null;
  facilityCity: string | null;
  resolution: string;
  citizenship: string | null;
  mostSeriousOffense: string | null;
  synthetic: boolean;
}

export interface ReportEvent extends OutcomeEventInput {
  seq: number;
  key: string;
}

const REQUEST_COLUMNS = [
  'id',
  'type',
  'issued_date',
  'state',
  'division_ref',
  'agency_ref',
  'facility_ref',
  'facility_name',
  'facility_city',
  'resolution',
  'citizenship',
  'most_serious_offense',
  'synthetic',
] as const;

type RequestRow = {
  id: string;
  type: string;
  issued_date: string;
  state: string;
  division_ref: number | null;
  agency_ref: number | null;
  facility_ref: number | null;
  facility_name: string | null;
  facility_city: string | null;
  resolution: string;
  citizenship: string | null;
  most_serious_offense: string | null;
  synthetic: number;
};

/**
 * Registry ids are stored once in `refs` and referenced by number (schema.ts). A report reads the
 * stored tables and maps the numbers itself: the views' three joins per row cost more than the
 * whole small `refs` table.
 */
export type Refs = ReadonlyMap<number, string>;

export async function loadRefs(store: Store): Promise<Refs> {
  const rows = await store.db.selectFrom('refs').select(['ref', 'id']).execute();
  return new Map(rows.map((r) => [Number(r.ref), r.id]));
}

const refId = (refs: Refs, ref: number | null): string | null =>
  ref === null ? null : (refs.get(Number(ref)) ?? null);

function toRequest(r: RequestRow, refs: Refs): ReportRequest {
  return {
    id: r.id,
    type: r.type,
    issuedDate: r.issued_date,
    state: r.state,
    divisionId: refId(refs, r.division_ref),
    agencyId: refId(refs, r.agency_ref),
    facilityId: refId(refs, r.facility_ref),
    facilityName: r.facility_name,
    facilityCity: r.facility_city,
    resolution: r.resolution,
    citizenship: r.citizenship,
    mostSeriousOffense: r.most_serious_offense,
    synthetic: Number(r.synthetic) === 1,
  };
}

type EventRow = {
  seq: number;
  key: string;
  request_id: string;
  kind: string;
  date: string;
  facility_ref: number | null;
  data: string;
};

const EVENT_COLUMNS = ['seq', 'key', 'request_id', 'kind', 'date', 'facility_ref', 'data'] as const;

/** The kinds whose details a report reads (decline date basis and reporter, withdrawn events). */
const DETAILED = new Set(['declined', 'corrected']);

function addEvent(into: Map<string, ReportEvent[]>, e: EventRow, refs: Refs): void {
  const ev: ReportEvent = {
    seq: Number(e.seq),
    key: e.key,
    kind: e.kind as EventKind,
    date: e.date,
    facilityId: refId(refs, e.facility_ref),
    // parsing every event's JSON would be most of a long period's cost; only these are read
    data: DETAILED.has(e.kind) ? (JSON.parse(e.data) as Record<string, unknown>) : {},
  };
  const list = into.get(e.request_id);
  if (list) list.push(ev);
  else into.set(e.request_id, [ev]);
}

/**
 * Requests issued from `from` to `to` (inclusive) with their events, in one pass over the two
 * covering indexes (migration 4): each request with the columns the issue-date index holds (the
 * other fields stay null until {@link withDetails} fills them for the few rows that show them),
 * its events with kind, date and place only. A request with a `declined` or `corrected` event,
 * whose details a report reads, gets its events again in full.
 */
export async function requestsIssuedWithEvents(
  store: Store,
  refs: Refs,
  from: string,
  to: string,
): Promise<{ requests: ReportRequest[]; events: Map<string, ReportEvent[]> }> {
  const rows = await store.db
    .selectFrom('requests as r')
    .leftJoin('events as e', 'e.request_id', 'r.id')
    .select([
      'r.id',
      'r.issued_date',
      'r.state',
      'r.division_ref',
      'r.agency_ref',
      'r.facility_ref as r_facility_ref',
      'r.synthetic',
      'e.seq',
      'e.kind',
      'e.date',
      'e.facility_ref',
    ])
    .where('r.issued_date', '>=', from)
    .where('r.issued_date', '<', dayAfter(to))
    .execute();
  const requests: ReportRequest[] = [];
  const events = new Map<string, ReportEvent[]>();
  const detailed = new Set<string>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!seen.has(r.id)) {
      seen.add(r.id);
      requests.push({
        id: r.id,
        type: '',
        issuedDate: r.issued_date,
        state: r.state,
        divisionId: refId(refs, r.division_ref),
        agencyId: refId(refs, r.agency_ref),
        facilityId: refId(refs, r.r_facility_ref),
        facilityName: null,
        facilityCity: null,
        resolution: '',
        citizenship: null,
        mostSeriousOffense: null,
        synthetic: Number(r.synthetic) === 1,
      });
    }
    if (r.kind === null || r.seq === null || r.date === null) continue;
    if (DETAILED.has(r.kind)) {
      detailed.add(r.id);
      continue;
    }
    const ev: ReportEvent = {
      seq: Number(r.seq),
      key: '',
      kind: r.kind as EventKind,
      date: r.date,
      facilityId: refId(refs, r.facility_ref),
      data: {},
    };
    const list = events.get(r.id);
    if (list) list.push(ev);
    else events.set(r.id, [ev]);
  }
  for (const [id, list] of await eventsOf(store, refs, [...detailed])) events.set(id, list);
  // ledger order within each request (sorting a few events each beats sorting them all in SQL)
  for (const list of events.values()) if (list.length > 1) list.sort((a, b) => a.seq - b.seq);
  return { requests, events };
}

/** Fill in the fields {@link requestsIssuedWithEvents} leaves out, for the requests given. */
export async function withDetails(
  store: Store,
  refs: Refs,
  requests: readonly ReportRequest[],
): Promise<void> {
  const full = new Map(
    (
      await requestsById(
        store,
        refs,
        requests.map((r) => r.id),
      )
    ).map((r) => [r.id, r]),
  );
  for (const r of requests) Object.assign(r, full.get(r.id));
}

/** Ids of requests with a `declined` event dated from `from` to `to`. */
export async function requestsDeclinedIn(store: Store, from: string, to: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('events')
    .select('request_id')
    .distinct()
    .where('kind', '=', 'declined')
    .where('date', '>=', from)
    .where('date', '<', dayAfter(to))
    .execute();
  return rows.map((r) => r.request_id);
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function requestsById(
  store: Store,
  refs: Refs,
  ids: readonly string[],
): Promise<ReportRequest[]> {
  const out: ReportRequest[] = [];
  for (const part of chunks(ids)) {
    const rows = await store.db
      .selectFrom('requests')
      .select(REQUEST_COLUMNS)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.push(toRequest(r, refs));
  }
  return out;
}

export async function eventsOf(
  store: Store,
  refs: Refs,
  ids: readonly string[],
): Promise<Map<string, ReportEvent[]>> {
  const out = new Map<string, ReportEvent[]>();
  for (const part of chunks(ids)) {
    const rows = await store.db
      .selectFrom('events')
      .select(EVENT_COLUMNS)
      .where('request_id', 'in', part)
      .execute();
    for (const e of rows) addEvent(out, e, refs);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
  return out;
}

/** Requests issued per day from `from` to `to`: an aggregate over the issue-date index. */
export async function requestsPerDay(store: Store, from: string, to: string): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('requests')
    .select(['issued_date', sql<number>`count(*)`.as('n')])
    .where('issued_date', '>=', from)
    .where('issued_date', '<', dayAfter(to))
    .groupBy('issued_date')
    .execute();
  return new Map(rows.map((r) => [r.issued_date, Number(r.n)]));
}

/**
 * Disputes still open on editions whose period overlaps this one: a dispute is open until the
 * edition it names is superseded by a correction.
 */
export async function openDisputesFor(
  store: Store,
  period: { from: string; to: string },
): Promise<OpenDispute[]> {
  const rows = await store.db
    .selectFrom('edition_disputes as d')
    .innerJoin('editions as e', 'e.id', 'd.edition_id')
    .select(['d.id', 'd.edition_id', 'd.row_key', 'd.by', 'd.reason', 'd.at'])
    .where('e.period_from', '<=', period.to)
    .where('e.period_to', '>=', period.from)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('editions as s').select('s.id').whereRef('s.supersedes', '=', 'd.edition_id'),
        ),
      ),
    )
    .orderBy('d.at')
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    editionId: r.edition_id,
    row: r.row_key,
    by: r.by,
    reason: r.reason,
    at: r.at,
  }));
}

/**
 * The corrections published since the previous edition: the latest one (not itself a correction)
 * whose period ended before this one starts. With no previous edition, every correction so far.
 */
export async function correctionsSince(store: Store, period: { from: string }): Promise<CorrectionNotice[]> {
  const previous = await store.db
    .selectFrom('editions')
    .select('published_at')
    .where('period_to', '<', period.from)
    .where('supersedes', 'is', null)
    .orderBy('period_to', 'desc')
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  let q = store.db.selectFrom('edition_corrections').select('notice').orderBy('at').orderBy('edition_id');
  if (previous) q = q.where('at', '>', previous.published_at);
  return (await q.execute()).map((r) => JSON.parse(r.notice) as CorrectionNotice);
}
