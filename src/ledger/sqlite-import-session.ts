import type BetterSqlite3 from 'better-sqlite3';
import type { Agency, Facility } from '../jurisdictions/types.ts';
import {
  chainHash,
  derivedEventKey,
  DIGEST_LENGTH,
  digestOfLine,
  linkHash,
  prepareRequest,
  type PreparedRequest,
  EVENT_COLUMNS,
  eventValues,
  REQUEST_COLUMNS,
  REQUEST_CONTENT_COLUMNS,
  type SqlValue,
} from './chain.ts';
import { headText, parseHead } from './chain-rows.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable } from './schema.ts';
import type { ImportSession, RowOutcome } from './store.ts';
import type { LedgerEvent, RequestRecord, StoredEvent } from './types.ts';

/*
 * One import transaction on an embedded ledger: prepared statements on the connection, because a
 * query builder per row would cost more than the insert itself. No Kysely here, so the writer
 * thread (sqlite-import-worker.ts) starts without loading it.
 */

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
const REQUEST_INSERT_SQL = `insert into requests (seq, ${stored(REQUEST_COLUMNS).join(', ')}, hash)
  values (${Array(REQUEST_COLUMNS.length + 2)
    .fill('?')
    .join(', ')}) on conflict (id) do nothing`;
const EVENT_INSERT_SQL = `insert into events (seq, ${stored(EVENT_COLUMNS).join(', ')}, hash)
  values (${Array(EVENT_COLUMNS.length + 2)
    .fill('?')
    .join(', ')})`;
const CONTENT_COLUMN_COUNT = REQUEST_CONTENT_COLUMNS.length;

export class SqliteImportSession implements ImportSession {
  private seq: number;
  private head: string;
  /** one time for the whole import: when these rows entered the ledger */
  readonly recordedAt: string;
  private closed = false;
  /** events appended by this session, kept for appendEvents' answer */
  readonly appended: StoredEvent[] = [];
  /** only appendEvents keeps them: an import of millions of events would not fit in memory */
  keepAppended = false;
  private readonly lookupByIds = new Map<number, BetterSqlite3.Statement>();
  private readonly requestParams: SqlValue[] = new Array(REQUEST_COLUMNS.length + 2);
  private lookupJson: BetterSqlite3.Statement | undefined;

  private readonly refCache = new Map<string, number>();
  /** whether the last batch was mostly duplicates (see addRequests) */
  private expectDuplicates = true;
  private readonly getRef: BetterSqlite3.Statement;
  private readonly insRef: BetterSqlite3.Statement;
  private readonly insRequest;
  private readonly requestExists;
  private readonly insEvent;
  private readonly getEventByKey;
  private readonly insAgency;
  private readonly getAgency;
  private readonly insFacility;
  private readonly getFacility;
  private readonly insAgreement;
  private readonly getAgreement;
  private readonly insArea;
  private readonly getArea;
  /** indexes of the requests table dropped for this import, made again at commit */
  private deferredIndexes: string[] = [];

  constructor(
    private readonly conn: BetterSqlite3.Database,
    private readonly onClose: () => void,
    { recordedAt = new Date().toISOString(), deferIndexes = false }: InProcessOptions = {},
  ) {
    this.recordedAt = recordedAt;
    const head = parseHead(
      conn.prepare("select value from ledger_meta where key = 'chain_head'").pluck().get() as string,
    );
    this.seq = head.seq;
    this.head = head.hash;
    if (deferIndexes) this.deferredIndexes = dropEmptyTableIndexes(conn);
    this.insRequest = conn.prepare(REQUEST_INSERT_SQL);
    this.requestExists = conn.prepare('select 1 from requests where id = ?').pluck();
    this.insEvent = conn.prepare(EVENT_INSERT_SQL);
    this.getEventByKey = conn.prepare(
      'select request_id, kind, date, facility_id, data from events_v where key = ?',
    );
    this.getRef = conn.prepare('select ref from refs where id = ?').pluck();
    this.insRef = conn.prepare('insert into refs (id) values (?)');
    this.insAgency = conn.prepare(
      `insert into agencies (id, name, kind, division_id, state, ori, source) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do nothing`,
    );
    this.getAgency = conn.prepare('select name, kind, division_id, state, ori from agencies where id = ?');
    this.insFacility = conn.prepare(
      `insert into facilities (id, name, detloc, agency_id, division_id, city, state, source)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    );
    this.getFacility = conn.prepare(
      'select name, detloc, agency_id, division_id, city, state from facilities where id = ?',
    );
    this.insAgreement = conn.prepare(
      `insert into agreements_287g (id, agency_id, agency_name, agency_type, state, county, division_id,
        support_type, signed_date, moa, status, sheet_date, source, row)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    );
    this.getAgreement = conn.prepare(
      'select agency_name, state, county, support_type, signed_date, status, sheet_date from agreements_287g where id = ?',
    );
    this.insArea = conn.prepare(
      `insert into areas_of_responsibility (id, office, state, county_division_id, county_name, notes, source, row)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    );
    this.getArea = conn.prepare(
      'select office, state, county_name from areas_of_responsibility where id = ?',
    );
  }

  async addRequests(rows: RequestRecord[]): Promise<RowOutcome[]> {
    return this.addPreparedRequests(rows.map((r) => prepareRequest(r, this.recordedAt)));
  }

  /** Requests already turned into values and digests (by the caller's thread, for the worker). */
  addPreparedRequests(rows: PreparedRequest[]): RowOutcome[] {
    this.assertOpen();
    const out: RowOutcome[] = new Array(rows.length);
    // Re-imports are mostly duplicates: one look-up per batch then costs a read, not a failed
    // write per row. New data skips the look-up; the insert itself notices the odd duplicate.
    const existing = this.expectDuplicates
      ? this.storedContent(rows.map((r) => r.values[0] as string))
      : undefined;
    let duplicates = 0;
    for (let i = 0; i < rows.length; i++) {
      const { values, digest } = rows[i]!;
      const id = values[0] as string;
      const known = existing?.get(id);
      out[i] = known ? this.compareStored(id, values, known) : this.insertRequest(values, digest);
      if (out[i] !== INSERTED) duplicates++;
    }
    this.expectDuplicates = duplicates > rows.length / 10;
    return out;
  }

  /**
   * Requests as lines of JSON (see requestLine), as the worker receives them. A row already
   * stored is told a duplicate by comparing text: the stored content as JSON is the start of
   * the line. Only a row whose text differs is parsed and compared value by value, and only a
   * new row is parsed and, when the caller sent no digest for it, hashed. When the caller also
   * linked the rows (see RequestLines.hashes) and its chain starts where this one ends, its
   * links are taken as long as every row is new.
   */
  addRequestLines(batch: RequestLines): RowOutcome[] {
    this.assertOpen();
    const lines = batch.lines;
    const out: RowOutcome[] = new Array(lines.length);
    const existing = this.expectDuplicates ? this.storedPrefixes(batch.ids) : undefined;
    let linked = batch.hashes !== '' && batch.start === this.chainEnd;
    let duplicates = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const known = existing?.[i];
      // a duplicate costs a comparison of text
      if (known !== undefined && line.startsWith(known)) {
        out[i] = DUPLICATE;
        duplicates++;
        linked = false;
        continue;
      }
      const values = JSON.parse(line) as SqlValue[];
      const id = values[0] as string;
      let o: RowOutcome;
      const d = i * DIGEST_LENGTH;
      if (known !== undefined) {
        o = this.compareStored(id, values, this.storedContent([id]).get(id)!);
      } else if (linked) {
        o = this.insertRequest(values, '', batch.hashes.slice(d, d + DIGEST_LENGTH));
      } else {
        o = this.insertRequest(
          values,
          batch.digests ? batch.digests.slice(d, d + DIGEST_LENGTH) : digestOfLine(line),
        );
      }
      out[i] = o;
      if (o !== INSERTED) {
        duplicates++;
        linked = false;
      }
    }
    this.expectDuplicates = duplicates > out.length / 10;
    return out;
  }

  /** where the chain ends so far, as `seq:hash` (the form ledger_meta keeps it in) */
  get chainEnd(): string {
    return headText(this.seq, this.head);
  }

  /**
   * Link one request into the chain and insert it; a row whose id is taken is compared instead.
   * `hash` is its link when the caller made it (the row's digest is then not needed).
   */
  private insertRequest(values: SqlValue[], digest: string, hash?: string): RowOutcome {
    const params = this.requestParams;
    const seq = this.seq + 1;
    hash ??= linkHash(this.head, seq, 'request', digest);
    params[0] = seq;
    for (let c = 0; c < values.length; c++) params[c + 1] = values[c]!;
    for (const c of REQUEST_REF_POSITIONS) params[c + 1] = this.refOf(values[c] as string | null);
    params[values.length + 1] = hash;
    const info = this.insRequest.run(params);
    if (info.changes === 0) {
      const id = values[0] as string;
      return this.compareStored(id, values, this.storedContent([id]).get(id)!);
    }
    this.seq = seq;
    this.head = hash;
    return INSERTED;
  }

  private compareStored(id: string, values: SqlValue[], stored: SqlValue[]): RowOutcome {
    return sameContent(stored, values)
      ? DUPLICATE
      : conflict(`request id \`${id}\` already exists with different content`);
  }

  async addEvents(rows: LedgerEvent[]): Promise<RowOutcome[]> {
    this.assertOpen();
    const out: RowOutcome[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i]!;
      if (e.kind === 'received') {
        out[i] = { status: 'conflict', reason: 'a `received` event is recorded by importing its request' };
        continue;
      }
      const key = e.key || derivedEventKey(e);
      const existing = this.getEventByKey.get(key) as
        | { request_id: string; kind: string; date: string; facility_id: string | null; data: string }
        | undefined;
      if (existing) {
        const same =
          existing.request_id === e.requestId &&
          existing.kind === e.kind &&
          existing.date === e.date &&
          existing.facility_id === e.facilityId &&
          existing.data === JSON.stringify(e.data);
        out[i] = same
          ? DUPLICATE
          : { status: 'conflict', reason: `event id \`${key}\` already exists with different content` };
        continue;
      }
      if (this.requestExists.get(e.requestId) === undefined) {
        out[i] = {
          status: 'conflict',
          reason: `no request with id \`${e.requestId}\`: import the request first`,
        };
        continue;
      }
      const values = eventValues(e, key, this.recordedAt);
      const seq = ++this.seq;
      const prevHash = this.head;
      const hash = chainHash(prevHash, seq, 'event', values);
      this.insEvent.run(seq, ...this.withRefs(values, EVENT_REF_POSITIONS), hash);
      this.head = hash;
      if (this.keepAppended)
        this.appended.push({ ...e, key, seq, prevHash, hash, recordedAt: this.recordedAt });
      out[i] = INSERTED;
    }
    return out;
  }

  async addAgencies(rows: Agency[]): Promise<RowOutcome[]> {
    this.assertOpen();
    return rows.map((a) => {
      const info = this.insAgency.run(a.id, a.name, a.kind, a.divisionId, a.state, a.ori, a.source);
      if (info.changes) return INSERTED;
      const s = this.getAgency.get(a.id) as {
        name: string;
        kind: string;
        division_id: string;
        state: string;
      };
      return s.name === a.name && s.kind === a.kind && s.division_id === a.divisionId && s.state === a.state
        ? DUPLICATE
        : conflict(`agency id \`${a.id}\` already exists as \`${s.name}\``);
    });
  }

  async addFacilities(rows: Facility[]): Promise<RowOutcome[]> {
    this.assertOpen();
    return rows.map((f) => {
      const info = this.insFacility.run(
        f.id,
        f.name,
        f.detloc,
        f.agencyId,
        f.divisionId,
        f.city,
        f.state,
        f.source,
      );
      if (info.changes) return INSERTED;
      const s = this.getFacility.get(f.id) as { name: string; state: string };
      return s.name === f.name && s.state === f.state
        ? DUPLICATE
        : conflict(`facility id \`${f.id}\` already exists as \`${s.name}\``);
    });
  }

  async addAgreements(rows: Agreements287gTable[]): Promise<RowOutcome[]> {
    this.assertOpen();
    return rows.map((a) => {
      const info = this.insAgreement.run(
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
      );
      if (info.changes) return INSERTED;
      const s = this.getAgreement.get(a.id) as Record<string, unknown>;
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
    });
  }

  async addAreas(rows: AreasOfResponsibilityTable[]): Promise<RowOutcome[]> {
    this.assertOpen();
    return rows.map((a) => {
      const info = this.insArea.run(
        a.id,
        a.office,
        a.state,
        a.county_division_id,
        a.county_name,
        a.notes,
        a.source,
        a.row,
      );
      if (info.changes) return INSERTED;
      const s = this.getArea.get(a.id) as { office: string; state: string };
      return s.office === a.office && s.state === a.state
        ? DUPLICATE
        : conflict(`area id \`${a.id}\` already exists with different content`);
    });
  }

  async commit(): Promise<void> {
    this.assertOpen();
    if (this.deferredIndexes.length) this.makeDeferredIndexes();
    this.conn.prepare("update ledger_meta set value = ? where key = 'chain_head'").run(this.chainEnd);
    this.conn.exec('commit');
    this.close();
  }

  /**
   * The indexes dropped at the start, made again by sorting. The sort gets a second thread (the
   * parsing thread has nothing left to do) and a small page cache: the sorter takes that as its
   * memory budget and works in runs merged from temporary files. Measured on a million rows: the
   * 32 MB cache sorted in 0.7 s and added 60 MB to the import's peak memory; 4 MB sorts in 0.4 s
   * and adds nothing.
   */
  private makeDeferredIndexes(): void {
    const cacheSize = this.conn.pragma('cache_size', { simple: true }) as number;
    this.conn.pragma('threads = 1');
    this.conn.pragma('cache_size = -4096');
    for (const ddl of this.deferredIndexes) this.conn.exec(ddl);
    this.conn.pragma('threads = 0');
    this.conn.pragma(`cache_size = ${cacheSize}`);
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    if (this.conn.inTransaction) this.conn.exec('rollback');
    this.close();
  }

  /** the values as stored: registry ids replaced by their number in `refs` (added when new) */
  private withRefs(values: SqlValue[], positions: number[]): SqlValue[] {
    const out = values.slice();
    for (const i of positions) out[i] = this.refOf(values[i] as string | null);
    return out;
  }

  private refOf(id: string | null): number | null {
    if (id === null || id === undefined) return null;
    let ref = this.refCache.get(id);
    if (ref === undefined) {
      ref = (this.getRef.get(id) as number | undefined) ?? Number(this.insRef.run(id).lastInsertRowid);
      this.refCache.set(id, ref);
    }
    return ref;
  }

  /** content values of the stored requests among `ids`, keyed by id */
  private storedContent(ids: string[]): Map<string, SqlValue[]> {
    const found = new Map<string, SqlValue[]>();
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      let stmt = this.lookupByIds.get(chunk.length);
      if (!stmt) {
        stmt = this.conn
          .prepare(
            `select ${REQUEST_CONTENT_COLUMNS.join(', ')} from requests_v where id in (${chunk.map(() => '?').join(',')})`,
          )
          .raw();
        this.lookupByIds.set(chunk.length, stmt);
      }
      for (const row of stmt.all(...chunk) as SqlValue[][]) found.set(row[0] as string, row);
    }
    return found;
  }

  /**
   * The stored requests among `ids` (a JSON array; one statement for the batch), by position in
   * it, each as the start of its line: the JSON of its content columns, open for the provenance
   * that follows. (Every element is a scalar, so the only `]` trimmed is the array's own.)
   */
  private storedPrefixes(ids: string): (string | undefined)[] {
    this.lookupJson ??= this.conn
      .prepare(
        `select j.key, rtrim(json_array(${REQUEST_CONTENT_COLUMNS.map((c) => `r.${c}`).join(', ')}), ']') || ','
         from json_each(?) j join requests_v r on r.id = j.value`,
      )
      .raw();
    const found: (string | undefined)[] = [];
    for (const [i, prefix] of this.lookupJson.iterate(ids) as IterableIterator<[number, string]>)
      found[i] = prefix;
    return found;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('this import session is already closed');
  }

  private close(): void {
    this.closed = true;
    this.onClose();
  }
}

/**
 * A bulk load into an empty ledger: the requests table's own indexes (not the id constraint,
 * which finds duplicates) are dropped and made again at commit, because sorting a million rows
 * once costs less than a million random inserts into an index. Returns their definitions.
 */
function dropEmptyTableIndexes(conn: BetterSqlite3.Database): string[] {
  if (conn.prepare('select exists (select 1 from requests)').pluck().get()) return [];
  const indexes = conn
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'requests' and sql is not null",
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) conn.exec(`drop index "${i.name}"`);
  return indexes.map((i) => i.sql);
}

function sameContent(stored: SqlValue[], values: SqlValue[]): boolean {
  for (let i = 0; i < CONTENT_COLUMN_COUNT; i++) if (stored[i] !== values[i]) return false;
  return true;
}

function conflict(reason: string): RowOutcome {
  return { status: 'conflict', reason };
}

/** A batch of requests as the writer thread receives it (see SqliteImportSession.addRequestLines). */
export interface RequestLines {
  /** the rows' ids, a JSON array */
  ids: string;
  /**
   * each row's values as JSON (requestLine). An array of strings crosses threads for less than
   * its text joined: the join was a tenth of a re-import's time on the parsing thread.
   */
  lines: string[];
  /** each row's content digest, side by side, or '' to have the writer hash them */
  digests: string;
  /**
   * each row's link in the chain, side by side, made by the caller on the guess that every row
   * is new and the chain ends at `start` (`seq:hash`); or '' for the writer to link them
   */
  hashes: string;
  start: string;
}

export interface InProcessOptions {
  /** the import's time, when another thread prepared the rows with it */
  recordedAt?: string;
  /** a bulk load (the writer thread's): into an empty ledger, make the indexes at commit */
  deferIndexes?: boolean;
}

/** Open an import transaction on `conn`; `onClose` is told when it commits or rolls back. */
export function beginSqliteImport(
  conn: BetterSqlite3.Database,
  onClose: () => void,
  options: InProcessOptions = {},
): SqliteImportSession {
  conn.exec('begin immediate');
  return new SqliteImportSession(conn, onClose, options);
}
