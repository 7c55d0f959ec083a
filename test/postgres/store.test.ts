import { afterAll, beforeAll, describe } from 'vitest';
import { storeSuite } from '../../src/ledger/store-suite.ts';
import { freshPostgresStore } from '../../src/ledger/test-stores.ts';
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
  storeSuite('postgres', () => freshPostgresStore(cluster));
  // the same behaviour from the session a large file gets (linked and sent on a worker thread)
  storeSuite('postgres, large-file import', () => freshPostgresStore(cluster), { large: true });
});
