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
  'division_id',
  'agency_id',
  'facility_id',
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
  division_id: string | null;
  agency_id: string | null;
  facility_id: string | null;
  facility_name: string | null;
  facility_city: string | null;
  resolution: string;
  citizenship: string | null;
  most_serious_offense: string | null;
  synthetic: number;
};

function toRequest(r: RequestRow): ReportRequest {
  return {
    id: r.id,
    type: r.type,
    issuedDate: r.issued_date,
    state: r.state,
    divisionId: r.division_id,
    agencyId: r.agency_id,
    facilityId: r.facility_id,
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
  facility_id: string | null;
  data: string;
};

function addEvent(into: Map<string, ReportEvent[]>, e: EventRow): void {
  const ev: ReportEvent = {
    seq: Number(e.seq),
    key: e.key,
    kind: e.kind as EventKind,
    date: e.date,
    facilityId: e.facility_id,
    data: JSON.parse(e.data) as Record<string, unknown>,
  };
  const list = into.get(e.request_id);
  if (list) list.push(ev);
  else into.set(e.request_id, [ev]);
}

/** Requests issued from `from` to `to` (inclusive). */
export async function requestsIssued(store: Store, from: string, to: string): Promise<ReportRequest[]> {
  const rows = await store.db
    .selectFrom('requests_v')
    .select(REQUEST_COLUMNS)
    .where('issued_date', '>=', from)
    .where('issued_date', '<', dayAfter(to))
    .execute();
  return rows.map(toRequest);
}

/** The events of every request issued from `from` to `to`, by request id, in ledger order. */
export async function eventsOfRequestsIssued(
  store: Store,
  from: string,
  to: string,
): Promise<Map<string, ReportEvent[]>> {
  const rows = await store.db
    .selectFrom('events_v as e')
    .innerJoin('requests as r', 'r.id', 'e.request_id')
    .select(['e.seq', 'e.key', 'e.request_id', 'e.kind', 'e.date', 'e.facility_id', 'e.data'])
    .where('r.issued_date', '>=', from)
    .where('r.issued_date', '<', dayAfter(to))
    .orderBy('e.seq')
    .execute();
  const out = new Map<string, ReportEvent[]>();
  for (const e of rows) addEvent(out, e);
  return out;
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

export async function requestsById(store: Store, ids: readonly string[]): Promise<ReportRequest[]> {
  const out: ReportRequest[] = [];
  for (const part of chunks(ids)) {
    const rows = await store.db
      .selectFrom('requests_v')
      .select(REQUEST_COLUMNS)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.push(toRequest(r));
  }
  return out;
}

export async function eventsOf(store: Store, ids: readonly string[]): Promise<Map<string, ReportEvent[]>> {
  const out = new Map<string, ReportEvent[]>();
  for (const part of chunks(ids)) {
    const rows = await store.db
      .selectFrom('events_v')
      .select(['seq', 'key', 'request_id', 'kind', 'date', 'facility_id', 'data'])
      .where('request_id', 'in', part)
      .orderBy('seq')
      .execute();
    for (const e of rows) addEvent(out, e);
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
