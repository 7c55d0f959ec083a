import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { EVENT_COLUMNS, REQUEST_COLUMNS } from './chain.ts';
import { mergeBySeqAsync, parseHead } from './chain-rows.ts';
import { MIGRATIONS } from './migrations.ts';
import { cursorArrays, streamWithCursors } from './postgres-cursor.ts';
import { PostgresImportSession, quoted } from './postgres-import-session.ts';
import type { Database } from './schema.ts';
import { PostgresBulkSession } from './postgres-bulk-session.ts';
import type { ChainHead, ChainRow, ImportOptions, ImportSession, Store } from './store.ts';
import type { SqlValue } from './chain.ts';
import type { LedgerEvent, StoredEvent } from './types.ts';

/** Advisory lock key held while migrating, so two processes starting at once migrate once. */
const MIGRATION_LOCK = 7_420_517_002;

/**
 * The multi-user store (DESIGN §3): the same tables, views and hash chain as the embedded one.
 * Writers from any number of processes are serialised on one advisory lock for the length of
 * their transaction, which is what keeps the chain a single line.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly db: Kysely<Database>;

  constructor(
    readonly pool: pg.Pool,
    /** where it is, for a worker thread that opens its own connections */
    readonly url: string,
  ) {
    this.db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool, onCreateConnection: async (c) => streamWithCursors(c) }),
    });
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at text not null)',
      );
      const done = new Set(
        (await client.query<{ version: number }>('select version from schema_migrations')).rows.map(
          (r) => r.version,
        ),
      );
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        // DDL is transactional here: a migration applies whole or not at all
        await this.db.transaction().execute(async (trx) => {
          await m.up(trx as unknown as Kysely<unknown>);
          await sql`insert into schema_migrations (version, name, applied_at) values (${m.version}, ${m.name}, ${new Date().toISOString()})`.execute(
            trx,
          );
        });
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  /** versions applied, oldest first */
  async appliedMigrations(): Promise<{ version: number; name: string; applied_at: string }[]> {
    return this.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
  }

  beginImport(options: ImportOptions = {}): Promise<ImportSession> {
    // a large file is parsed here and sent from a worker thread (see postgres-bulk-session.ts)
    if (options.large) return Promise.resolve(PostgresBulkSession.start(this.url));
    return PostgresImportSession.begin(this.pool);
  }

  async appendEvents(rows: LedgerEvent[]): Promise<StoredEvent[]> {
    const session = await PostgresImportSession.begin(this.pool);
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
    // both cursors in one repeatable-read transaction: requests and events from one snapshot
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin isolation level repeatable read read only');
      const reqs = cursorArrays(
        client,
        `select seq, ${quoted(REQUEST_COLUMNS)}, hash from requests_v order by seq`,
      ) as AsyncGenerator<SqlValue[]>;
      const evs = cursorArrays(
        client,
        `select seq, ${quoted(EVENT_COLUMNS)}, hash from events_v order by seq`,
      ) as AsyncGenerator<SqlValue[]>;
      yield* mergeBySeqAsync(reqs, evs);
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      await client.query('rollback').catch(() => (broken = true));
      client.release(broken);
    }
  }

  async chainHead(): Promise<ChainHead> {
    const { rows } = await this.pool.query<{ value: string }>(
      "select value from ledger_meta where key = 'chain_head'",
    );
    return parseHead(rows[0]!.value);
  }

  async close(): Promise<void> {
    // destroying Kysely ends the pool it was given
    await this.db.destroy();
  }
}

/**
 * count(*) is a bigint and sum() a bigint or numeric, which `pg` returns as strings; SQLite gives
 * numbers. The ledger's counts and sums stay far below 2^53, so both stores answer with numbers
 * and a query reads the same on either.
 */
const NUMBER_TYPES = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
function getTypeParser(oid: number, format?: 'text' | 'binary') {
  if (NUMBER_TYPES.has(oid) && format !== 'binary') return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format);
}

/** A `postgres://` URL as a store, migrated to the current schema. */
export async function openPostgresStore(
  url: string,
  options: { migrate?: boolean } = {},
): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: { getTypeParser } });
  // an idle client losing its server is reported on the pool; the next query will say why
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, url);
  try {
    if (options.migrate !== false) await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
