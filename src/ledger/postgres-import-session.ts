import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Agency, Facility } from '../jurisdictions/types.ts';
import {
  chainHash,
  derivedEventKey,
  EVENT_COLUMNS,
  eventValues,
  contentDigest,
  linkHash,
  requestValues,
  REQUEST_COLUMNS,
  REQUEST_CONTENT_COLUMNS,
  type SqlValue,
} from './chain.ts';
import { headText, parseHead } from './chain-rows.ts';
import { IdFilter } from './id-filter.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable } from './schema.ts';
import type { ImportSession, RowOutcome } from './store.ts';
import type { LedgerEvent, RequestRecord, StoredEvent } from './types.ts';

/**
 * Advisory lock key every chain writer holds until its transaction ends (any process, any
 * connection): links are numbered and hashed in the application, so only one writer may extend
 * the chain at a time, as SQLite's `begin immediate` gives the embedded store.
 */
export const CHAIN_LOCK = 7_420_517_001;

/** Column lists for raw SQL: `user` and `row` are keywords in PostgreSQL, so every name is quoted. */
export const quoted = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');

const INSERTED: RowOutcome = { status: 'inserted' };
const DUPLICATE: RowOutcome = { status: 'duplicate' };

/** Stored column names: the registry ids go through `refs` (see schema.ts). */
const REFERENCED: Record<string, string> = {
  division_id: 'division_ref',
  agency_id: 'agency_ref',
  facility_id: 'facility_ref',
};
const stored = (cols: readonly string[]) => cols.map((c) => REFERENCED[c] ?? c);
const REQUEST_REF_POSITIONS = REQUEST_COLUMNS.flatMap((c, i) => (c in REFERENCED ? [i] : []));
const EVENT_REF_POSITIONS = EVENT_COLUMNS.flatMap((c, i) => (c in REFERENCED ? [i] : []));
const COPY_REQUESTS = `copy requests (seq, ${quoted(stored(REQUEST_COLUMNS))}, hash) from stdin`;
const COPY_EVENTS = `copy events (seq, ${quoted(stored(EVENT_COLUMNS))}, hash) from stdin`;
const CONTENT_COLUMN_COUNT = REQUEST_CONTENT_COLUMNS.length;

interface StoredEventContent {
  request_id: string;
  kind: string;
  date: string;
  facility_id: string | null;
  data: string;
}

/**
 * One import on PostgreSQL: one transaction holding the chain lock from start to end. New rows
 * go in through COPY; duplicates and conflicts are found first by a look-up per batch, which is
 * exact because no other writer can add a request or event while the lock is held. Outcomes are
 * the SQLite adapter's, row for row, including repeats within one batch.
 */
export class PostgresImportSession implements ImportSession {
  readonly appended: StoredEvent[] = [];
  private seq: number;
  private head: string;
  private closed = false;
  /** the first failure: the transaction is aborted, so nothing after it may commit */
  private failure: Error | null = null;
  /** the importer sends the next batch before the last one is written: calls run in order */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly refCache = new Map<string, number>();
  /** the ref of a registry id resolved already (resolveRefs) */
  private readonly refOf = (id: string) => this.refCache.get(id)!;
  /** whether the last batch was mostly duplicates (see addRequests) */
  private expectDuplicates = false;
  /** the COPY still being written by the server: commit waits for it */
  private copying: Promise<void> = Promise.resolve();
  /** the COPY before that one: a batch is not sent until it is done, so at most two are held */
  private copyingBefore: Promise<void> = Promise.resolve();
  /**
   * The request ids this session has added. A batch's ids are looked
   * up among the committed rows on the second connection, while this connection is still busy
   * with the previous COPY; only an id that may be one of this session's own is looked up here.
   */
  private readonly ownIds = new IdFilter();

  private constructor(
    private readonly client: pg.PoolClient,
    /** reads committed rows, outside the import transaction (see ownIds) */
    private readonly reader: pg.PoolClient,
    head: string,
    /**
     * The ledger held no request when the session began (a first load, often the largest), so
     * there is nothing committed to look up: only this session's own rows can repeat.
     */
    private readonly startedEmpty: boolean,
    /** one time for the whole import (given by the thread that prepares the rows, for a bulk import) */
    readonly recordedAt: string,
  ) {
    const h = parseHead(head);
    this.seq = h.seq;
    this.head = h.hash;
  }

  static async begin(pool: pg.Pool, recordedAt = new Date().toISOString()): Promise<PostgresImportSession> {
    const client = await pool.connect();
    let reader: pg.PoolClient | null = null;
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const { rows } = await client.query<{ value: string }>(
        "select value from ledger_meta where key = 'chain_head'",
      );
      // Taken after the lock: while it is held no other writer adds a request, so what this
      // connection sees is what was committed before the session, and stays so.
      reader = await pool.connect();
      const any = await client.query('select 1 from requests limit 1');
      return new PostgresImportSession(client, reader, rows[0]!.value, any.rowCount === 0, recordedAt);
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      client.release(true);
      reader?.release();
      throw err;
    }
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (this.closed) throw new Error('this import session is already closed');
      if (this.failure) throw this.failure;
      try {
        return await fn();
      } catch (err) {
        // after a failed COPY the server refuses every statement: the COPY's error is the one to report
        this.failure ??= err as Error;
        throw this.failure;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  addRequests(rows: RequestRecord[]): Promise<RowOutcome[]> {
    return this.run(async () => {
      const values = rows.map((r) => requestValues(r, this.recordedAt));
      const ids = values.map((v) => v[0] as string);
      const existing = this.storedRequests(ids);
      await this.resolveRefs(requestRefIds(values));
      const lines = values.map((v) => requestLine(v, this.refOf));
      // A new file's rows are hashed while the look-up runs; a re-import (mostly duplicates)
      // hashes only what is new.
      const digests = this.expectDuplicates ? null : values.map(contentDigest);
      return this.link(ids, lines, await existing, (i) => digests?.[i] ?? contentDigest(values[i]!));
    });
  }

  /**
   * Requests prepared on another thread (see postgres-bulk-session.ts): their COPY lines
   * (requestLine, with the refs this session gave) joined by newlines, and their content
   * digests, 64 characters each, end to end.
   */
  addRequestLines(batch: string, digests: string): Promise<RowOutcome[]> {
    return this.run(async () => {
      const lines = batch.split('\n');
      const ids = lines.map((l) => copyUnescape(l.slice(0, l.indexOf('\t'))));
      return this.link(ids, lines, await this.storedRequests(ids), (i) => digests.slice(i * 64, i * 64 + 64));
    });
  }

  /** The refs of registry ids, added where new (for another thread that writes COPY lines). */
  refsOf(ids: string[]): Promise<[string, number][]> {
    return this.run(async () => {
      await this.resolveRefs(new Set(ids));
      return ids.map((id) => [id, this.refCache.get(id)!] as [string, number]);
    });
  }

  /** Link the rows not stored yet into the chain and send them; the others are duplicates or conflicts. */
  private async link(
    ids: string[],
    lines: string[],
    existing: Map<string, string>,
    digestOf: (i: number) => string,
  ): Promise<RowOutcome[]> {
    const out: RowOutcome[] = new Array(ids.length);
    let text = '';
    let duplicates = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const line = lines[i]!;
      const known = existing.get(id);
      if (known !== undefined) {
        duplicates++;
        out[i] =
          contentOf(known) === contentOf(line)
            ? DUPLICATE
            : conflict(`request id \`${id}\` already exists with different content`);
        continue;
      }
      const seq = ++this.seq;
      this.head = linkHash(this.head, seq, 'request', digestOf(i));
      text += `${seq}\t${line}\t${this.head}\n`;
      this.ownIds.add(IdFilter.numberOf(id));
      // a later row of this batch with the same id meets this one
      existing.set(id, line);
      out[i] = INSERTED;
    }
    this.expectDuplicates = duplicates > ids.length / 10;
    await this.copyText(COPY_REQUESTS, text);
    return out;
  }

  addEvents(rows: LedgerEvent[]): Promise<RowOutcome[]> {
    return this.run(async () => {
      const keys = rows.map((e) => e.key || derivedEventKey(e));
      const existing = await this.storedEvents(keys);
      const requestIds = await this.knownRequests(rows.map((e) => e.requestId));
      await this.resolveRefs(new Set(rows.flatMap((e) => (e.facilityId === null ? [] : [e.facilityId]))));
      const out: RowOutcome[] = new Array(rows.length);
      let text = '';
      for (let i = 0; i < rows.length; i++) {
        const e = rows[i]!;
        if (e.kind === 'received') {
          out[i] = conflict('a `received` event is recorded by importing its request');
          continue;
        }
        const key = keys[i]!;
        const data = JSON.stringify(e.data);
        const known = existing.get(key);
        if (known) {
          const same =
            known.request_id === e.requestId &&
            known.kind === e.kind &&
            known.date === e.date &&
            known.facility_id === e.facilityId &&
            known.data === data;
          out[i] = same ? DUPLICATE : conflict(`event id \`${key}\` already exists with different content`);
          continue;
        }
        if (!requestIds.has(e.requestId)) {
          out[i] = conflict(`no request with id \`${e.requestId}\`: import the request first`);
          continue;
        }
        const values = eventValues(e, key, this.recordedAt);
        const seq = ++this.seq;
        const prevHash = this.head;
        this.head = chainHash(prevHash, seq, 'event', values);
        text += `${seq}\t${copyValues(values, EVENT_REF_POSITIONS, this.refOf)}\t${this.head}\n`;
        existing.set(key, {
          request_id: e.requestId,
          kind: e.kind,
          date: e.date,
          facility_id: e.facilityId,
          data,
        });
        this.appended.push({ ...e, key, seq, prevHash, hash: this.head, recordedAt: this.recordedAt });
        out[i] = INSERTED;
      }
      await this.copyText(COPY_EVENTS, text);
      return out;
    });
  }

  addAgencies(rows: Agency[]): Promise<RowOutcome[]> {
    return this.run(() =>
      this.oneByOne(rows, async (a) => {
        const ins = await this.client.query({
          name: 'ledger_ins_agency',
          text: `insert into agencies (id, name, kind, division_id, state, ori, source) values ($1, $2, $3, $4, $5, $6, $7)
                 on conflict (id) do nothing`,
          values: [a.id, a.name, a.kind, a.divisionId, a.state, a.ori, a.source],
        });
        if (ins.rowCount) return INSERTED;
        const s = await this.one('select name, kind, division_id, state from agencies where id = $1', a.id);
        return s.name === a.name && s.kind === a.kind && s.division_id === a.divisionId && s.state === a.state
          ? DUPLICATE
          : conflict(`agency id \`${a.id}\` already exists as \`${String(s.name)}\``);
      }),
    );
  }

  addFacilities(rows: Facility[]): Promise<RowOutcome[]> {
    return this.run(() =>
      this.oneByOne(rows, async (f) => {
        const ins = await this.client.query({
          name: 'ledger_ins_facility',
          text: `insert into facilities (id, name, detloc, agency_id, division_id, city, state, source)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing`,
          values: [f.id, f.name, f.detloc, f.agencyId, f.divisionId, f.city, f.state, f.source],
        });
        if (ins.rowCount) return INSERTED;
        const s = await this.one('select name, state from facilities where id = $1', f.id);
        return s.name === f.name && s.state === f.state
          ? DUPLICATE
          : conflict(`facility id \`${f.id}\` already exists as \`${String(s.name)}\``);
      }),
    );
  }

  addAgreements(rows: Agreements287gTable[]): Promise<RowOutcome[]> {
    return this.run(() =>
      this.oneByOne(rows, async (a) => {
        const ins = await this.client.query({
          name: 'ledger_ins_agreement',
          text: `insert into agreements_287g (id, agency_id, agency_name, agency_type, state, county, division_id,
                   support_type, signed_date, moa, status, sheet_date, source, "row")
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) on conflict (id) do nothing`,
          values: [
            a.id,
            a.agency_id,
            a.agency_name,
            a.agency_type,
            a.state,
            a.county,
            a.division_id,
            a.support_type,
            a.signed_date,
            a.moa,
            a.status,
            a.sheet_date,
            a.source,
            a.row,
          ],
        });
        if (ins.rowCount) return INSERTED;
        const s = await this.one(
          'select agency_name, state, support_type, signed_date, status, sheet_date from agreements_287g where id = $1',
          a.id,
        );
        const same =
          s.agency_name === a.agency_name &&
          s.state === a.state &&
          s.support_type === a.support_type &&
          s.signed_date === a.signed_date &&
          s.status === a.status &&
          s.sheet_date === a.sheet_date;
        return same
          ? DUPLICATE
          : conflict(`287(g) agreement id \`${a.id}\` already exists with different content`);
      }),
    );
  }

  addAreas(rows: AreasOfResponsibilityTable[]): Promise<RowOutcome[]> {
    return this.run(() =>
      this.oneByOne(rows, async (a) => {
        const ins = await this.client.query({
          name: 'ledger_ins_area',
          text: `insert into areas_of_responsibility (id, office, state, county_division_id, county_name, notes, source, "row")
                 values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing`,
          values: [a.id, a.office, a.state, a.county_division_id, a.county_name, a.notes, a.source, a.row],
        });
        if (ins.rowCount) return INSERTED;
        const s = await this.one('select office, state from areas_of_responsibility where id = $1', a.id);
        return s.office === a.office && s.state === a.state
          ? DUPLICATE
          : conflict(`area id \`${a.id}\` already exists with different content`);
      }),
    );
  }

  async commit(): Promise<void> {
    await this.run(async () => {
      await this.copying;
      if (this.failure) throw this.failure;
      await this.client.query("update ledger_meta set value = $1 where key = 'chain_head'", [
        headText(this.seq, this.head),
      ]);
      const r = await this.client.query('commit');
      // PostgreSQL answers COMMIT with ROLLBACK when the transaction had already failed
      if ((r as { command?: string }).command === 'ROLLBACK')
        throw new Error('the import transaction was rolled back');
    }).finally(() => this.close(false));
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    await this.copying;
    if (this.closed) return;
    let broken = false;
    await this.client.query('rollback').catch(() => (broken = true));
    this.close(broken);
  }

  private close(broken: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.client.release(broken || this.failure !== null);
    this.reader.release();
  }

  private async oneByOne<T>(rows: T[], fn: (row: T) => Promise<RowOutcome>): Promise<RowOutcome[]> {
    const out: RowOutcome[] = [];
    for (const r of rows) out.push(await fn(r));
    return out;
  }

  private async one(text: string, id: string): Promise<Record<string, unknown>> {
    const { rows } = await this.client.query<Record<string, unknown>>(text, [id]);
    return rows[0]!;
  }

  /**
   * The stored requests among `ids`, as the COPY text of their content columns, keyed by id.
   * Committed rows are looked up on the reader while the server still writes the previous batch;
   * ids this session may have added itself wait for that COPY on this connection.
   */
  private async storedRequests(ids: string[]): Promise<Map<string, string>> {
    const committed = this.startedEmpty ? null : this.storedContent(this.reader, ids);
    const maybeOwn = ids.filter((id) => this.ownIds.has(IdFilter.numberOf(id)));
    const own = maybeOwn.length > 0 ? await this.storedContent(this.client, maybeOwn) : [];
    const out = new Map<string, string>(committed ? await committed : []);
    for (const [id, content] of own) out.set(id, content);
    return out;
  }

  /** Not a named statement on purpose: a plan cached while the table was empty would scan it whole later. */
  private async storedContent(on: pg.PoolClient, ids: string[]): Promise<[string, string][]> {
    const { rows } = await on.query<SqlValue[]>({
      text: `select ${quoted(stored(REQUEST_CONTENT_COLUMNS))} from requests where id = any($1::text[])`,
      values: [ids],
      rowMode: 'array',
    });
    return rows.map((r) => [r[0] as string, r.map(copyField).join('\t')]);
  }

  private async storedEvents(keys: string[]): Promise<Map<string, StoredEventContent>> {
    const { rows } = await this.client.query<StoredEventContent & { key: string }>({
      text: 'select key, request_id, kind, date, facility_id, data from events_v where key = any($1::text[])',
      values: [keys],
    });
    return new Map(rows.map((r) => [r.key, r]));
  }

  private async knownRequests(ids: string[]): Promise<Set<string>> {
    const { rows } = await this.client.query<{ id: string }>({
      text: 'select id from requests where id = any($1::text[])',
      values: [[...new Set(ids)]],
    });
    return new Set(rows.map((r) => r.id));
  }

  /** Send COPY lines; refs of the rows' registry ids must be resolved already. */
  private async copyText(statement: string, text: string): Promise<void> {
    if (text === '') return;
    // At most two batches wait in this process for the server: the one it writes and this one.
    await this.copyingBefore;
    this.copyingBefore = this.copying;
    // Not awaited: the rows are counted already, and the next statement on this connection
    // queues behind the COPY, so the importer parses the next batch while the server writes this
    // one. A failure stops the session at its next call, and commit waits for the last COPY.
    const stream = this.client.query(copyFrom(statement));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
    });
    this.copying = done.catch((err: Error) => {
      this.failure ??= err;
    });
    stream.end(text);
  }

  /**
   * Registry ids to their numbers in `refs`, adding the new ones. PostgreSQL has no rowid, so a
   * new ref is the next number after the largest: safe, since only the chain lock holder adds refs.
   */
  private async resolveRefs(ids: Set<string>): Promise<void> {
    const missing = [...ids].filter((id) => !this.refCache.has(id));
    if (missing.length === 0) return;
    const found = await this.client.query<{ id: string; ref: number }>(
      'select id, ref from refs where id = any($1::text[])',
      [missing],
    );
    for (const r of found.rows) this.refCache.set(r.id, r.ref);
    const added = missing.filter((id) => !this.refCache.has(id));
    if (added.length === 0) return;
    const ins = await this.client.query<{ id: string; ref: number }>(
      `insert into refs (ref, id)
       select m.n + u.ord, u.id from unnest($1::text[]) with ordinality as u(id, ord),
         (select coalesce(max(ref), 0) as n from refs) m
       returning id, ref`,
      [added],
    );
    for (const r of ins.rows) this.refCache.set(r.id, r.ref);
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
/** One value in COPY's text format. */
export function copyField(v: SqlValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (!COPY_SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A request's values as one COPY line without its seq and hash, registry ids as their refs. */
export function requestLine(values: SqlValue[], refOf: (id: string) => number): string {
  return copyValues(values, REQUEST_REF_POSITIONS, refOf);
}

/** Values as COPY text fields joined by tabs, the registry ids at `refPositions` as their refs. */
function copyValues(values: SqlValue[], refPositions: number[], refOf: (id: string) => number): string {
  let line = '';
  for (let c = 0; c < values.length; c++) {
    const v = values[c]!;
    if (c > 0) line += '\t';
    line += v !== null && refPositions.includes(c) ? String(refOf(v as string)) : copyField(v);
  }
  return line;
}

const COPY_ESCAPES: Record<string, string> = { '\\\\': '\\', '\\t': '\t', '\\n': '\n', '\\r': '\r' };
/** A value from COPY's text format (what copyField made of it; never `\\N` here). */
function copyUnescape(field: string): string {
  return field.includes('\\') ? field.replace(/\\[\\tnr]/g, (e) => COPY_ESCAPES[e]!) : field;
}

/** the registry ids a batch of request values refers to */
export function requestRefIds(values: SqlValue[][]): Set<string> {
  const ids = new Set<string>();
  for (const v of values) for (const c of REQUEST_REF_POSITIONS) if (v[c] != null) ids.add(v[c] as string);
  return ids;
}

/** the content columns of a request line (or of stored content, which is only those) */
function contentOf(line: string): string {
  let at = -1;
  for (let n = 0; n < CONTENT_COLUMN_COUNT; n++) {
    at = line.indexOf('\t', at + 1);
    if (at < 0) return line;
  }
  return line.slice(0, at);
}

function conflict(reason: string): RowOutcome {
  return { status: 'conflict', reason };
}
