import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { ImportGate } from './sqlite-import-gate.ts';
import type { SqliteStore } from './sqlite-store.ts';
import { storeSuite } from './store-suite.ts';
import { sampleEvent, sampleRequest } from './test-fixtures.ts';
import { freshSqliteStore } from './test-stores.ts';
import { verifyLedger } from './verify.ts';

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

describe('file ledger: rows linked ahead on the parsing thread', () => {
  const batch = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => sampleRequest({ id: `r-${from + i}` }));

  it('keeps the chain whole when a guess fails: a duplicate mid-batch, batches sent before it is known', async () => {
    const fresh = await freshSqliteStore();
    const store = fresh.store;
    try {
      const first = await store.beginImport();
      await first.addRequests(batch(1, 5));
      await first.commit();

      const s = await store.beginImport();
      // the first batch of a session is linked by the writer; its answer starts the guesses
      expect(await s.addRequests(batch(6, 8))).toHaveLength(3);
      const linkedAhead = s.addRequests(batch(9, 11));
      // r-3 is stored already: the guess for this batch fails at its second row, and the two
      // batches sent before its answer start where the guess said, not where the chain is
      const withDuplicate = s.addRequests([...batch(12, 12), ...batch(3, 3), ...batch(13, 14)]);
      const sentBlind = [s.addRequests(batch(15, 17)), s.addRequests(batch(18, 20))];
      expect((await withDuplicate).map((o) => o.status)).toEqual([
        'inserted',
        'duplicate',
        'inserted',
        'inserted',
      ]);
      // guessed again from where the chain did end, through the two batches still unanswered
      const after = s.addRequests(batch(21, 23));
      await Promise.all([linkedAhead, ...sentBlind, after]);
      await s.commit();

      expect(await store.chainHead()).toMatchObject({ seq: 23 });
      expect(await verifyLedger(store)).toMatchObject({ ok: true, links: 23, problems: [] });
    } finally {
      await fresh.dispose();
    }
  });
});

describe('file ledger: a write of this process while its import is open', () => {
  it('waits for the import, without blocking the thread that feeds it, then is written', async () => {
    const fresh = await freshSqliteStore();
    const store = fresh.store;
    try {
      const s = await store.beginImport();
      await s.addRequests([sampleRequest({ id: 'a' })]); // the writer thread holds the lock
      const write = sql`insert into ledger_meta (key, value) values ('note', 'after the import')`.execute(
        store.db,
      );
      const events = store.appendEvents([{ ...sampleEvent(), requestId: 'a', key: 'desk-1' }]);
      await s.addRequests([sampleRequest({ id: 'b' })]);
      await s.commit();
      await write;
      expect((await events).map((e) => e.seq)).toEqual([3]);
      const note = await sql<{ value: string }>`select value from ledger_meta where key = 'note'`.execute(
        store.db,
      );
      expect(note.rows).toEqual([{ value: 'after the import' }]);
    } finally {
      await fresh.dispose();
    }
  });

  it('gives up after the busy timeout with a reason, and lets writes through once imports end', async () => {
    vi.useFakeTimers();
    try {
      const gate = new ImportGate({ inTransaction: false } as never);
      const leave = gate.enter();
      const waiting = gate.writable();
      const outcome = waiting.then(
        () => 'written',
        (e: Error) => e.message,
      );
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await outcome).toBe('the ledger is busy with an import: try again when it has finished');
      const next = gate.writable();
      leave();
      leave(); // a second end of the same import counts for nothing
      await expect(next).resolves.toBeUndefined();
      const again = gate.enter();
      let through = false;
      void gate.writable().then(() => (through = true));
      await vi.advanceTimersByTimeAsync(1);
      expect(through).toBe(false);
      again();
      await vi.advanceTimersByTimeAsync(1);
      expect(through).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
