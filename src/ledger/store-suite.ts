/**
 * The behaviour every store adapter must have (DESIGN §3: one suite, both stores): imports,
 * duplicates and conflicts, rollback, desk appends, reopening, and `verify` catching tampering.
 * Run by src/ledger/sqlite-store.test.ts and test/postgres/store.test.ts.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { ledgerStats, requestStates, requestWithEvents, unresolvedNames } from './queries.ts';
import type { ImportOptions, Store } from './store.ts';
import { sampleEvent, sampleRequest } from './test-fixtures.ts';
import { verifyLedger } from './verify.ts';

export interface FreshStore {
  store: Store;
  /** where it is, as `--db` takes it: the file's path or the `postgres://` URL */
  location: string;
  /** close this store and open the same database again */
  reopen(): Promise<Store>;
  /** close and remove the database */
  dispose(): Promise<void>;
}

/** Raw SQL on either store, one statement at a time: how the tests tamper with a ledger. */
async function exec(store: Store, ...statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(store.db);
}

/**
 * `importOptions` are given to every import session: `{ large: true }` runs the suite through the
 * adapter's path for large files (on PostgreSQL, the session split over two threads).
 */
export function storeSuite(
  name: string,
  openFresh: () => Promise<FreshStore>,
  importOptions: ImportOptions = {},
): void {
  let fresh: FreshStore;
  let store: Store;

  beforeEach(async () => {
    fresh = await openFresh();
    store = fresh.store;
  });
  afterEach(async () => {
    await fresh.dispose();
  });

  async function load(requests = [sampleRequest()], events = [sampleEvent()]) {
    const s = await store.beginImport(importOptions);
    const r = await s.addRequests(requests);
    const e = await s.addEvents(events);
    await s.commit();
    return { r, e };
  }

  describe(`${name} store`, () => {
    it('records a request as its received link and later events after it', async () => {
      await load();
      const found = await requestWithEvents(store, 'req-1');
      expect(found?.request.seq).toBe(1);
      expect(found?.request.facility_id).toBe('facility:HENNEPIN');
      expect(found?.request.synthetic).toBe(1);
      expect(found?.events.map((e) => [e.seq, e.kind])).toEqual([[2, 'declined']]);
      expect(found?.state.outcome).toBeDefined();
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

    it('keeps an id and text with a backslash, tab and newline as given, and knows them again', async () => {
      const odd = sampleRequest({ id: 'req\\2\t\u00e9', facilityName: 'JAIL\nNORTH \\ WING' });
      await load([odd], []);
      const again = await load([odd], []);
      expect(again.r).toEqual([{ status: 'duplicate' }]);
      const row = await store.db
        .selectFrom('requests')
        .select(['id', 'facility_name'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ id: 'req\\2\t\u00e9', facility_name: 'JAIL\nNORTH \\ WING' });
    });

    it('reports the same id with other content as a conflict', async () => {
      await load();
      const s = await store.beginImport(importOptions);
      const [r] = await s.addRequests([sampleRequest({ issuedDate: '2019-03-05' })]);
      await s.rollback();
      expect(r).toMatchObject({ status: 'conflict' });
      expect((r as { reason: string }).reason).toContain('req-1');
    });

    it('reports a conflicting duplicate within one batch', async () => {
      const s = await store.beginImport(importOptions);
      const out = await s.addRequests([sampleRequest(), sampleRequest(), sampleRequest({ type: 'notify' })]);
      await s.rollback();
      expect(out.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'conflict']);
    });

    it('tells duplicates, conflicts and new rows apart in batches of each kind, and the chain verifies', async () => {
      // values that JSON escapes, and that a comparison of stored text against sent text must survive
      const odd = (id: string) =>
        sampleRequest({ id, facilityName: 'SAINT "PAUL"\nANNEX \\ é 😀 \u0001', facilityCity: null });
      const first = Array.from({ length: 30 }, (_, i) => odd(`odd-${i}`));
      const a = await store.beginImport(importOptions);
      expect((await a.addRequests(first)).every((o) => o.status === 'inserted')).toBe(true);
      // a batch of new rows, so the next one is sent as expected to be new
      expect((await a.addRequests([odd('odd-30'), odd('odd-31')])).map((o) => o.status)).toEqual([
        'inserted',
        'inserted',
      ]);
      await a.commit();
      const b = await store.beginImport(importOptions);
      const mixed = await b.addRequests([
        ...first,
        odd('new-1'),
        sampleRequest({ id: 'odd-3', facilityName: 'SAINT "PAUL"\nANNEX' }),
        odd('new-2'),
      ]);
      // the batch before was all duplicates: these new rows arrive expected to be duplicates
      const after = await b.addRequests([odd('new-3'), odd('odd-4'), odd('new-3')]);
      await b.commit();
      expect(mixed.slice(0, 30).every((o) => o.status === 'duplicate')).toBe(true);
      expect(mixed.slice(30).map((o) => o.status)).toEqual(['inserted', 'conflict', 'inserted']);
      expect(after.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'duplicate']);
      expect(await verifyLedger(store)).toMatchObject({ ok: true, links: 35, problems: [] });
    });

    it('finds a request repeated in a later batch of the same import, same or changed', async () => {
      const s = await store.beginImport(importOptions);
      const first = await s.addRequests([sampleRequest(), sampleRequest({ id: 'req-2' })]);
      const later = await s.addRequests([
        sampleRequest({ id: 'req-3' }),
        sampleRequest({ id: 'req-2' }),
        sampleRequest({ type: 'notify' }),
      ]);
      await s.commit();
      expect(first.map((o) => o.status)).toEqual(['inserted', 'inserted']);
      expect(later.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'conflict']);
      expect((await store.chainHead()).seq).toBe(3);
    });

    it('reports repeated and conflicting event keys within one batch', async () => {
      await load([sampleRequest()], []);
      const s = await store.beginImport(importOptions);
      const out = await s.addEvents([
        sampleEvent({ key: 'k1' }),
        sampleEvent({ key: 'k1' }),
        sampleEvent({ key: 'k1', kind: 'released' }),
        sampleEvent({ kind: 'received' }),
      ]);
      await s.commit();
      expect(out.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'conflict', 'conflict']);
      expect((await store.chainHead()).seq).toBe(2);
    });

    it('refuses an event for a request that does not exist', async () => {
      const s = await store.beginImport(importOptions);
      const [e] = await s.addEvents([sampleEvent({ requestId: 'nope' })]);
      await s.rollback();
      expect(e).toMatchObject({ status: 'conflict' });
    });

    it('keeps agencies and facilities once, and says when an id means something else', async () => {
      const agency = {
        id: 'ocd-division/country:us/state:mn/county:hennepin/agency:sheriff',
        name: 'Hennepin County Sheriff',
        kind: 'sheriff' as const,
        divisionId: 'ocd-division/country:us/state:mn/county:hennepin',
        state: 'mn',
        ori: null,
        source: 'test',
      };
      const s = await store.beginImport(importOptions);
      const out = await s.addAgencies([agency, agency, { ...agency, name: 'Other' }]);
      await s.commit();
      expect(out.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'conflict']);
      expect((await ledgerStats(store)).agencies).toBe(1);
    });

    it('leaves the store unchanged after a rollback', async () => {
      await load();
      const head = await store.chainHead();
      const s = await store.beginImport(importOptions);
      await s.addRequests([sampleRequest({ id: 'req-2' })]);
      await s.addEvents([sampleEvent({ requestId: 'req-2', kind: 'released' })]);
      await s.rollback();
      expect(await store.chainHead()).toEqual(head);
      expect((await ledgerStats(store)).requests).toBe(1);
      expect((await verifyLedger(store)).ok).toBe(true);
    });

    it('fails an import whose row the database refuses, and keeps the store as it was', async () => {
      await load();
      const head = await store.chainHead();
      const s = await store.beginImport(importOptions);
      const write = async () => {
        await s.addRequests([sampleRequest({ id: 'req-2' })]);
        // a NOT NULL column left empty: only the database notices (on PostgreSQL, when the COPY ends)
        await s.addRequests([sampleRequest({ id: 'req-3', issuedDate: null as unknown as string })]);
        await s.commit();
      };
      await expect(write()).rejects.toThrow(/issued_date|NOT NULL|null value/i);
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
      const found = await requestWithEvents(store, 'req-1');
      expect(found?.events.at(-1)?.user).toBe('clerk@hennepin');
    });

    it('streams every request with its derived state, in ledger order', async () => {
      const ids = Array.from({ length: 2500 }, (_, i) => `r-${String(i).padStart(5, '0')}`);
      await load(
        ids.map((id) => sampleRequest({ id })),
        ids.slice(0, 10).map((id) => sampleEvent({ requestId: id, kind: 'released' })),
      );
      const seen: string[] = [];
      let released = 0;
      for await (const r of requestStates(store)) {
        seen.push(r.id);
        if (r.state.lastEventDate !== null) released++;
      }
      expect(seen).toEqual(ids);
      expect(released).toBe(10);
    });

    it('lists unresolved names most frequent first, ties in one order on every store', async () => {
      const unresolved = { divisionId: null, agencyId: null, facilityId: null, resolution: 'unresolved' };
      await load(
        [
          sampleRequest({ id: 'u-1', ...unresolved, facilityName: 'B JAIL', facilityCity: 'Y' }),
          sampleRequest({ id: 'u-2', ...unresolved, facilityName: 'B JAIL', facilityCity: 'X' }),
          sampleRequest({ id: 'u-3', ...unresolved, facilityName: null, facilityCity: null }),
          sampleRequest({ id: 'u-4', ...unresolved, facilityName: 'A JAIL', facilityCity: 'Z' }),
          sampleRequest({ id: 'u-5', ...unresolved, facilityName: 'A JAIL', facilityCity: 'Z' }),
        ],
        [],
      );
      const names = (await unresolvedNames(store)).map((u) => [u.facilityName, u.facilityCity, u.count]);
      expect(names).toEqual([
        ['A JAIL', 'Z', 2],
        [null, null, 1],
        ['B JAIL', 'X', 1],
        ['B JAIL', 'Y', 1],
      ]);
    });

    it('survives reopening with its migrations applied once', async () => {
      await load();
      store = await fresh.reopen();
      const migrations = await store.db.selectFrom('schema_migrations').selectAll().execute();
      expect(migrations).toHaveLength(MIGRATIONS.length);
      expect((await verifyLedger(store)).ok).toBe(true);
    });
  });

  describe(`verify on the ${name} store`, () => {
    beforeEach(async () => {
      await load(
        [sampleRequest({ id: 'a' }), sampleRequest({ id: 'b' })],
        [
          sampleEvent({ requestId: 'a', kind: 'declined', date: '2019-03-05' }),
          sampleEvent({ requestId: 'a', kind: 'released', date: '2019-03-06' }),
          sampleEvent({ requestId: 'b', kind: 'ice-custody', date: '2019-03-07' }),
        ],
      );
    });

    it('accepts an untouched ledger', async () => {
      const r = await verifyLedger(store);
      expect(r).toMatchObject({ ok: true, links: 5, problems: [] });
    });

    it('detects a changed event', async () => {
      await exec(store, "update events set kind = 'ice-custody' where seq = 3");
      const r = await verifyLedger(store);
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => [p.code, p.seq])).toEqual([['E_CHAIN_CONTENT', 3]]);
    });

    it('detects a changed request row', async () => {
      await exec(store, "update requests set state = 'pa' where id = 'b'");
      const r = await verifyLedger(store);
      expect(r.problems.map((p) => p.code)).toEqual(['E_CHAIN_CONTENT']);
      expect(r.problems[0]?.message).toContain('`b`');
    });

    it('detects a changed provenance column (`user`, a keyword in SQL)', async () => {
      await exec(store, `update events set "user" = 'someone' where seq = 4`);
      const r = await verifyLedger(store);
      expect(r.problems.map((p) => [p.code, p.seq])).toEqual([['E_CHAIN_CONTENT', 4]]);
    });

    it('detects a removed event in the middle', async () => {
      await exec(store, 'delete from events where seq = 4');
      const r = await verifyLedger(store);
      expect(r.problems.map((p) => [p.code, p.seq])).toEqual([
        ['E_CHAIN_GAP', 4],
        ['E_CHAIN_CONTENT', 5],
      ]);
    });

    it('detects a removed last event through the recorded head', async () => {
      await exec(store, 'delete from events where seq = 5');
      const r = await verifyLedger(store);
      expect(r.problems.map((p) => p.code)).toEqual(['E_CHAIN_HEAD']);
    });

    it('detects two events swapped in order', async () => {
      await exec(
        store,
        'update events set seq = -4 where seq = 4',
        'update events set seq = 4 where seq = 3',
        'update events set seq = 3 where seq = -4',
      );
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
}
