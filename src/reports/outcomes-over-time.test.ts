/**
 * The jurisdiction pages' counts over time, made in the database by kind sequence, agree request
 * for request with deriving each request's state from its events, on a synthetic demo ledger of
 * both stores, for the nation and for one state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/run.ts';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { writeDemo } from '../ledger/demo.ts';
import type { OutcomeCategory } from '../ledger/outcome.ts';
import { requestStates } from '../ledger/queries.ts';
import type { FreshStore } from '../ledger/store-suite.ts';
import { eachStore } from '../ledger/test-stores.ts';
import { outcomesOverTime, type RequestScope } from './outcomes-over-time.ts';

eachStore((openFresh) => {
  let fresh: FreshStore;
  const dir = mkdtempSync(join(tmpdir(), 'outcomes-over-time-'));
  beforeAll(async () => {
    fresh = await openFresh();
    const files = await writeDemo({ dir, weeks: 3, perWeek: 400, seed: 11, endDate: '2026-11-20' });
    const registry = loadRegistry();
    for (const file of [files.requests, files.events!])
      expect((await importFile({ store: fresh.store, registry, file })).status).toBe('loaded');
  }, 120_000);
  afterAll(async () => {
    await fresh.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** category → requests, derived one request at a time */
  async function direct(state?: string): Promise<Map<OutcomeCategory, number>> {
    const states = new Map<string, string>();
    if (state)
      for (const r of await fresh.store.db.selectFrom('requests').select(['id', 'state']).execute())
        states.set(r.id, r.state);
    const out = new Map<OutcomeCategory, number>();
    for await (const r of requestStates(fresh.store)) {
      if (state && states.get(r.id) !== state) continue;
      out.set(r.state.outcome, (out.get(r.state.outcome) ?? 0) + 1);
    }
    return out;
  }

  async function summed(scope: RequestScope): Promise<Map<OutcomeCategory, number>> {
    const o = await outcomesOverTime(fresh.store, scope);
    const out = new Map<OutcomeCategory, number>();
    for (const p of o.periods)
      for (const [c, n] of Object.entries(p.byOutcome) as [OutcomeCategory, number][])
        if (n > 0) out.set(c, (out.get(c) ?? 0) + n);
    return out;
  }

  describe('counts by kind sequence', () => {
    it('equal a per-request derivation for the nation, with several categories present', async () => {
      const want = await direct();
      expect(want.size).toBeGreaterThan(3);
      expect(await summed({})).toEqual(want);
    });

    it('equal a per-request derivation for one state', async () => {
      expect(await summed({ state: 'ca' })).toEqual(await direct('ca'));
    });
  });
});
