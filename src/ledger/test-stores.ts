/**
 * Run a test body against every store (DESIGN §3: the same suite runs against both): the
 * embedded ledger file, and PostgreSQL in a scratch cluster when its server binaries are
 * installed (otherwise said loudly and skipped; CI installs them and scripts/test.mjs fails there
 * without them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { MISSING_POSTGRES, pgBinDir, startCluster, type Cluster } from '../../test/postgres/cluster.ts';
import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { FreshStore } from './store-suite.ts';
import type { Store } from './store.ts';

export async function freshSqliteStore(): Promise<FreshStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const path = join(dir, 'ledger.db');
  let store: Store = await openSqliteStore(path);
  return {
    store,
    location: path,
    async reopen() {
      await store.close();
      store = await openSqliteStore(path);
      return store;
    },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** a new, migrated database in `cluster` */
export async function freshPostgresStore(cluster: Cluster): Promise<FreshStore> {
  const url = await cluster.createDatabase();
  let store: Store = await openPostgresStore(url);
  return {
    store,
    location: url,
    async reopen() {
      await store.close();
      store = await openPostgresStore(url);
      return store;
    },
    async dispose() {
      await store.close();
    },
  };
}

/** `body` once per store, each in a describe block named after it */
export function eachStore(body: (fresh: () => Promise<FreshStore>) => void): void {
  describe('sqlite', () => body(freshSqliteStore));
  const available = pgBinDir() !== null;
  if (!available) console.warn(`\n!!! ${MISSING_POSTGRES}\n`);
  describe.skipIf(!available)('postgres', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster({ fsync: 'off' });
    });
    afterAll(async () => {
      await cluster?.stop();
    });
    body(() => freshPostgresStore(cluster));
  });
}
