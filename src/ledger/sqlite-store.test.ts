import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { ledgerStats, requestWithEvents } from './queries.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';
import { sampleEvent, sampleRequest } from './test-fixtures.ts';
import { verifyLedger } from './verify.ts';

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  store = await openSqliteStore(join(dir, 'ledger.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function load(requests = [sampleRequest()], events = [sampleEvent()]) {
  const s = await store.beginImport();
  const r = await s.addRequests(requests);
  const e = await s.addEvents(events);
  await s.commit();
  return { r, e };
}

describe('sqlite store', () => {
  it('records a request as its received link and later events after it', async () => {
    await load();
    const found = await requestWithEvents(store, 'req-1');
    expect(found?.request.seq).toBe(1);
    expect(found?.events.map((e) => [e.seq, e.kind])).toEqual([[2, 'declined']]);
    expect((await store.chainHead()).seq).toBe(2);
  });

  it('skips the same rows imported twice and changes nothing', async () => {
    await load();
    const head = await store.chainHead();
    const again = await load();
    expect(again.r).toEqual([{ status: 'duplicate' }]);
    expect(again.e).toEqual([{ status: 'duplicate' }]);
    expect(await store.chainHead()).toEqual(head);
    expect((await ledgerStats(store)).events).toBe(1);
  });

  it('reports the same id with other content as a conflict', async () => {
    await load();
    const s = await store.beginImport();
    const [r] = await s.addRequests([sampleRequest({ issuedDate: '2019-03-05' })]);
    await s.rollback();
    expect(r).toMatchObject({ status: 'conflict' });
    expect((r as { reason: string }).reason).toContain('req-1');
  });

  it('reports a conflicting duplicate within one batch', async () => {
    const s = await store.beginImport();
    const out = await s.addRequests([sampleRequest(), sampleRequest({ type: 'notify' })]);
    await s.rollback();
    expect(out.map((o) => o.status)).toEqual(['inserted', 'conflict']);
  });

  it('refuses an event for a request that does not exist', async () => {
    const s = await store.beginImport();
    const [e] = await s.addEvents([sampleEvent({ requestId: 'nope' })]);
    await s.rollback();
    expect(e).toMatchObject({ status: 'conflict' });
  });

  it('leaves the store unchanged after a rollback', async () => {
    await load();
    const head = await store.chainHead();
    const s = await store.beginImport();
    await s.addRequests([sampleRequest({ id: 'req-2' })]);
    await s.addEvents([sampleEvent({ requestId: 'req-2', kind: 'released' })]);
    await s.rollback();
    expect(await store.chainHead()).toEqual(head);
    expect((await ledgerStats(store)).requests).toBe(1);
    expect((await verifyLedger(store)).ok).toBe(true);
  });

  it('appends desk events with their hashes', async () => {
    await load();
    const [stored] = await store.appendEvents([
      sampleEvent({
        kind: 'notified',
        date: '2019-03-06',
        provenance: { source: 'api', user: 'clerk@hennepin' },
      }),
    ]);
    expect(stored?.seq).toBe(3);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(store.appendEvents([sampleEvent({ requestId: 'nope', key: 'x' })])).rejects.toThrow(
      /no request/,
    );
    expect((await store.chainHead()).seq).toBe(3);
  });

  it('survives reopening with its migrations applied once', async () => {
    await load();
    await store.close();
    store = await openSqliteStore(join(dir, 'ledger.db'));
    const migrations = await store.db.selectFrom('schema_migrations').selectAll().execute();
    expect(migrations).toHaveLength(MIGRATIONS.length);
    expect((await verifyLedger(store)).ok).toBe(true);
  });
});
