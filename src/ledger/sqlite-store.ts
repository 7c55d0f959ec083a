import type BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { EVENT_COLUMNS, REQUEST_COLUMNS, type SqlValue } from './chain.ts';
import { mergeBySeq, parseHead } from './chain-rows.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Database } from './schema.ts';
import { openSqliteConnection } from './sqlite-connection.ts';
import {
  beginSqliteImport,
  type InProcessOptions,
  type SqliteImportSession,
} from './sqlite-import-session.ts';
import { GatedSqliteDialect, ImportGate } from './sqlite-import-gate.ts';
import { SqliteWorkerSession } from './sqlite-worker-session.ts';
import type { ChainHead, ChainRow, ImportSession, Store } from './store.ts';
import type { LedgerEvent, StoredEvent } from './types.ts';

/**
 * The embedded store. Reads go through Kysely; the import path uses prepared statements on the
 * same connection because a query builder per row would cost more than the insert itself.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: Kysely<Database>;
  private sessionOpen = false;
  private readonly gate: ImportGate;

  constructor(
    readonly conn: BetterSqlite3.Database,
    readonly path: string,
  ) {
    this.gate = new ImportGate(conn);
    this.db = new Kysely<Database>({ dialect: new GatedSqliteDialect(conn, this.gate) });
  }

  async migrate(): Promise<void> {
    this.conn.exec(
      'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at text not null)',
    );
    const done = new Set(
      (this.conn.prepare('select version from schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.conn.exec('begin immediate');
      try {
        await m.up(this.db as Kysely<unknown>);
        this.conn
          .prepare('insert into schema_migrations (version, name, applied_at) values (?, ?, ?)')
          .run(m.version, m.name, new Date().toISOString());
        this.conn.exec('commit');
      } catch (err) {
        this.conn.exec('rollback');
        throw err;
      }
    }
  }

  async beginImport(): Promise<ImportSession> {
    if (this.path === ':memory:') return this.beginInProcess();
    // A file ledger writes imports on a worker thread, so parsing and writing overlap; this
    // thread's own writes wait for it meanwhile (see ImportGate).
    const leave = this.gate.enter();
    try {
      return await SqliteWorkerSession.start(this.path, leave);
    } catch (err) {
      leave();
      throw err;
    }
  }

  /** an import session on this thread (see InProcessOptions) */
  async beginInProcess(options: InProcessOptions = {}): Promise<SqliteImportSession> {
    if (this.sessionOpen) throw new Error('an import is already open on this connection');
    const session = beginSqliteImport(this.conn, () => (this.sessionOpen = false), options);
    this.sessionOpen = true;
    return session;
  }

  async appendEvents(rows: LedgerEvent[]): Promise<StoredEvent[]> {
    // a desk's few events are written here: a worker would cost more than the write
    await this.gate.writable();
    const session = await this.beginInProcess();
    session.keepAppended = true;
    try {
      const outcomes = await session.addEvents(rows);
      const bad = outcomes.findIndex((o) => o.status === 'conflict');
      if (bad >= 0) throw new Error((outcomes[bad] as { reason: string }).reason);
      const stored = session.appended;
      await session.commit();
      return stored;
    } catch (err) {
      await session.rollback();
      throw err;
    }
  }

  async *chain(): AsyncIterable<ChainRow> {
    const reqs = this.conn
      .prepare(`select seq, ${REQUEST_COLUMNS.join(', ')}, hash from requests_v order by seq`)
      .raw()
      .iterate() as IterableIterator<SqlValue[]>;
    const evs = this.conn
      .prepare(`select seq, ${EVENT_COLUMNS.join(', ')}, hash from events_v order by seq`)
      .raw()
      .iterate() as IterableIterator<SqlValue[]>;
    yield* mergeBySeq(reqs, evs);
  }

  async chainHead(): Promise<ChainHead> {
    return parseHead(
      this.conn.prepare("select value from ledger_meta where key = 'chain_head'").pluck().get() as string,
    );
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.conn.open) this.conn.close();
  }
}

/** Open (creating if needed) an embedded ledger file, migrated to the current schema. */
export async function openSqliteStore(path: string): Promise<SqliteStore> {
  const store = new SqliteStore(openSqliteConnection(path), path);
  await store.migrate();
  return store;
}
