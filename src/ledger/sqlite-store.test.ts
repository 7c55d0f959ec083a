import { describe, expect, it } from 'vitest';
import type { SqliteStore } from './sqlite-store.ts';
import { storeSuite } from './store-suite.ts';
import { sampleRequest } from './test-fixtures.ts';
import { freshSqliteStore } from './test-stores.ts';

// The shared store suite (test/postgres/store.test.ts runs it on PostgreSQL) on a ledger file,
// whose imports go through the writer thread.
describe('file ledger', () => {
  storeSuite('sqlite', freshSqliteStore);
});

describe('file ledger: a first load makes the requests indexes at commit', () => {
  const indexes = (store: SqliteStore) =>
    store.conn
      .prepare(
        "select name, sql from sqlite_master where type = 'index' and tbl_name = 'requests' order by name",
      )
      .all();

  it('leaves every index as the migrations made it, after a commit and after a rollback', async () => {
    const fresh = await freshSqliteStore();
    const store = fresh.store as SqliteStore;
    try {
      const before = indexes(store);
      expect(before.map((i) => (i as { name: string }).name)).toContain('requests_issued_cover');
      const rolledBack = await store.beginImport();
      await rolledBack.addRequests([sampleRequest({ id: 'a' })]);
      await rolledBack.rollback();
      expect(indexes(store)).toEqual(before);
      const committed = await store.beginImport();
      await committed.addRequests([sampleRequest({ id: 'a' }), sampleRequest({ id: 'b' })]);
      await committed.commit();
      expect(indexes(store)).toEqual(before);
      // the period read finds the rows through the remade index
      const plan = store.conn
        .prepare("explain query plan select id from requests where issued_date >= '2000-01-01'")
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('requests_issued_cover');
      expect(store.conn.prepare('pragma integrity_check').pluck().get()).toBe('ok');
    } finally {
      await fresh.dispose();
    }
  });
});
