import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStore } from '../../src/ledger/postgres-store.ts';
import type { Store } from '../../src/ledger/store.ts';
import { storeSuite } from '../../src/ledger/store-suite.ts';
import { MISSING_POSTGRES, pgBinDir, startCluster, type Cluster } from './cluster.ts';

const available = pgBinDir() !== null;
if (!available) console.warn(`\n!!! ${MISSING_POSTGRES}\n`);

describe.skipIf(!available)('PostgreSQL', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ fsync: 'off' });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  // every test gets a database of its own in the one scratch cluster
  storeSuite('postgres', async () => {
    const url = await cluster.createDatabase();
    let store: Store = await openPostgresStore(url);
    return {
      store,
      async reopen() {
        await store.close();
        store = await openPostgresStore(url);
        return store;
      },
      async dispose() {
        await store.close();
      },
    };
  });
});
