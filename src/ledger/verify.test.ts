import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';
import { sampleEvent, sampleRequest } from './test-fixtures.ts';
import { verifyLedger } from './verify.ts';

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verify-'));
  store = await openSqliteStore(join(dir, 'ledger.db'));
  const s = await store.beginImport();
  await s.addRequests([sampleRequest({ id: 'a' }), sampleRequest({ id: 'b' })]);
  await s.addEvents([
    sampleEvent({ requestId: 'a', kind: 'declined', date: '2019-03-05' }),
    sampleEvent({ requestId: 'a', kind: 'released', date: '2019-03-06' }),
    sampleEvent({ requestId: 'b', kind: 'ice-custody', date: '2019-03-07' }),
  ]);
  await s.commit();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('verify', () => {
  it('accepts an untouched ledger', async () => {
    const r = await verifyLedger(store);
    expect(r).toMatchObject({ ok: true, links: 5, problems: [] });
  });

  it('detects a changed event', async () => {
    store.conn.prepare("update events set kind = 'ice-custody' where seq = 3").run();
    const r = await verifyLedger(store);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.seq])).toEqual([['E_CHAIN_CONTENT', 3]]);
  });

  it('detects a changed request row', async () => {
    store.conn.prepare("update requests set state = 'pa' where id = 'b'").run();
    const r = await verifyLedger(store);
    expect(r.problems.map((p) => p.code)).toEqual(['E_CHAIN_CONTENT']);
    expect(r.problems[0]?.message).toContain('`b`');
  });

  it('detects a removed event in the middle', async () => {
    store.conn.prepare('delete from events where seq = 4').run();
    const r = await verifyLedger(store);
    expect(r.problems.map((p) => [p.code, p.seq])).toEqual([
      ['E_CHAIN_GAP', 4],
      ['E_CHAIN_CONTENT', 5],
    ]);
  });

  it('detects a removed last event through the recorded head', async () => {
    store.conn.prepare('delete from events where seq = 5').run();
    const r = await verifyLedger(store);
    expect(r.problems.map((p) => p.code)).toEqual(['E_CHAIN_HEAD']);
  });

  it('detects two events swapped in order', async () => {
    store.conn.exec(`
      update events set seq = -4 where seq = 4;
      update events set seq = 4 where seq = 3;
      update events set seq = 3 where seq = -4;`);
    const r = await verifyLedger(store);
    expect(r.ok).toBe(false);
    // both swapped links fail, and so does the one after them, which was chained to the original order
    expect(r.problems.map((p) => [p.code, p.seq])).toEqual([
      ['E_CHAIN_CONTENT', 3],
      ['E_CHAIN_CONTENT', 4],
      ['E_CHAIN_CONTENT', 5],
    ]);
  });
});
