/**
 * Shared by the ingest tests: a fresh store per test (SQLite, or whichever store `useStore` last
 * chose: the tests run against both) and a snapshot that shows any change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FreshStore } from '../ledger/store-suite.ts';
import type { Store } from '../ledger/store.ts';
import { freshSqliteStore } from '../ledger/test-stores.ts';

export interface TempStore {
  store: Store;
  /** a scratch folder for the test's files */
  dir: string;
  dispose(): Promise<void>;
}

let opener: () => Promise<FreshStore> = freshSqliteStore;

/** the store the following tempStore() calls open (see eachStore in src/ledger/test-stores.ts) */
export function useStore(fresh: () => Promise<FreshStore>): void {
  opener = fresh;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  const fresh = await opener();
  let disposed = false;
  return {
    store: fresh.store,
    dir,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await fresh.dispose();
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
