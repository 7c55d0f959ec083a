import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { createEngine, DEFAULT_POLICY_ROOT, loadLibrary, validateRequest } from '../law/index.ts';
import { findDecision, recordDecision, replayDecision } from './decisions.ts';
import type { FreshStore } from './store-suite.ts';
import type { Store } from './store.ts';
import { eachStore } from './test-stores.ts';
import { sampleRequest } from './test-fixtures.ts';

const registry = loadRegistry();
const LAC = 'ocd-division/country:us/state:ca/county:los_angeles';

// a notification to the Los Angeles County Sheriff in 2019, for a person with a listed conviction
const notify = validateRequest(
  {
    type: 'notify',
    date: '2019-03-04',
    receiver: { division: LAC, agencyKind: 'sheriff' },
    authority: ['i-200'],
    subject: {
      convictions: [
        { code: 'CA PC 245(a)(1)', level: 'felony', sentence: 'state-prison', date: '2012-05-01' },
      ],
      sexArsonRegistrant: false,
      outstandingFederalFelonyWarrant: false,
    },
  },
  registry,
);

eachStore((fresh) => {
  let dir: string;
  let f: FreshStore;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'decisions-'));
    f = await fresh();
    store = f.store;
    const s = await store.beginImport();
    await s.addRequests([
      sampleRequest({ id: 'req-1', type: 'notify', state: 'ca', divisionId: LAC, agencyId: null }),
      sampleRequest({ id: 'req-2', type: 'hold', state: 'ca', divisionId: LAC, agencyId: null }),
    ]);
    await s.commit();
  });
  afterEach(async () => {
    await f.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('recorded decisions', () => {
    it('are stored as a decided event with the request, the decision and the library revision', async () => {
      const library = loadLibrary();
      const result = createEngine(library, registry).decide(notify);
      const ev = await recordDecision(
        store,
        'req-1',
        notify,
        result,
        { source: 'test', user: 'desk' },
        library,
      );
      expect(ev?.kind).toBe('decided');
      const found = await findDecision(store, 'req-1');
      expect(found.seq).toBe(ev!.seq);
      expect(found.data).toMatchObject({
        request: notify,
        decision: 'permitted',
        deciding: result.deciding,
        obligations: result.obligations.map((o) => o.id),
        libraryRevision: library.revision,
      });
      expect(found.data.instruments.map((i) => i.id)).toContain('ca-values-act');
      const revisions = await store.db.selectFrom('policy_revisions').selectAll().execute();
      expect(revisions.map((r) => r.revision)).toEqual([library.revision]);

      // the same decision again changes nothing; the revision is kept once
      expect(await recordDecision(store, 'req-1', notify, result, { source: 'test' }, library)).toBeNull();
      expect(await store.db.selectFrom('policy_revisions').selectAll().execute()).toHaveLength(1);
    });

    it('refuses a request id the ledger does not have, or a request of another type', async () => {
      const library = loadLibrary();
      const result = createEngine(library, registry).decide(notify);
      await expect(
        recordDecision(store, 'nope', notify, result, { source: 'test' }, library),
      ).rejects.toThrow('no request `nope` in the ledger');
      await expect(
        recordDecision(store, 'req-2', notify, result, { source: 'test' }, library),
      ).rejects.toThrow('request `req-2` is a `hold` request in the ledger, not `notify`');
    });

    it('replay under the stored revision gives the stored decision', async () => {
      const library = loadLibrary();
      const result = createEngine(library, registry).decide(notify);
      await recordDecision(store, 'req-1', notify, result, { source: 'test' }, library);
      const r = await replayDecision(store, 'req-1', registry, { current: library });
      expect(r.same).toBe(true);
      expect(r.revision).toBe(library.revision);
      expect(r.replayed.libraryRevision).toBe(library.revision);
      expect(r.replayed.decision).toBe('permitted');
      expect(r.againstCurrent.same).toBe(true);
    });

    it('replay after the law changed: the old revision still gives the stored decision, the current one differs', async () => {
      const root = join(dir, 'policies');
      cpSync(DEFAULT_POLICY_ROOT, root, { recursive: true });
      const before = loadLibrary({ root });
      const result = createEngine(before, registry).decide(notify);
      const ev = await recordDecision(store, 'req-1', notify, result, { source: 'test' }, before);

      // the exceptions to SB 54's notification ban are struck from the library copy
      const file = join(root, 'us/ca/sb54@2018-01-01.yaml');
      const text = readFileSync(file, 'utf8');
      const struck = text.replace(
        /(id: a1c-no-notification\n(?:(?! {2}- id:).*\n)*?) {4}unless:\n(?: {6}- .*\n)+/,
        '$1',
      );
      expect(struck).not.toBe(text);
      writeFileSync(file, struck);
      const after = loadLibrary({ root });
      expect(after.revision).not.toBe(before.revision);

      const r = await replayDecision(store, ev!.seq, registry, { current: after });
      expect(r.same).toBe(true);
      expect(r.replayed.decision).toBe('permitted');
      expect(r.againstCurrent.revision).toBe(after.revision);
      // without the `unless` link the ban and the state's own permission collide
      expect(r.againstCurrent.result.decision).toBe('conflict');
      expect(r.againstCurrent.same).toBe(false);
    });

    it('notices kept library files that were altered', async () => {
      const library = loadLibrary();
      const result = createEngine(library, registry).decide(notify);
      await recordDecision(store, 'req-1', notify, result, { source: 'test' }, library);
      const row = await store.db.selectFrom('policy_revisions').selectAll().executeTakeFirstOrThrow();
      await store.db
        .updateTable('policy_revisions')
        .set({ files: row.files.replace('effect: forbid', 'effect: permit') })
        .execute();
      await expect(replayDecision(store, 'req-1', registry, { current: library })).rejects.toThrow(/altered/);
    });
  });
});
