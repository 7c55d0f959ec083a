import { describe } from 'vitest';
import { storeSuite } from './store-suite.ts';
import { freshSqliteStore } from './test-stores.ts';

// The shared store suite (test/postgres/store.test.ts runs it on PostgreSQL) on a ledger file,
// whose imports go through the writer thread.
describe('file ledger', () => {
  storeSuite('sqlite', freshSqliteStore);
});
