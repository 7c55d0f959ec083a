/** Shared by the ingest tests: a fresh SQLite store per test and a snapshot that shows any change. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqliteStore } from '../ledger/sqlite-store.ts';
import type { Store } from '../ledger/store.ts';

export interface TempStore {
  store: Store;
  dir: string;
  dispose(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  const store = await openSqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  return {
    store,
    dir,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Snapshot {
  requests: number;
  events: number;
  agreements: number;
  areas: number;
  head: string;
}

export async function snapshot(store: Store): Promise<Snapshot> {
  const n = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]?.n,
    );
  const head = await store.chainHead();
  return {
    requests: await n('requests'),
    events: await n('events'),
    agreements: await n('agreements_287g'),
    areas: await n('areas_of_responsibility'),
    head: `${head.seq}:${head.hash}`,
  };
}
