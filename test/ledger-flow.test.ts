/**
 * The 2017 report's failures, end to end through the importer and the ledger: a custody chain
 * decides who owns the outcome, an issued-in-error request is no decline, and a declined hold
 * with ICE notified and taking custody is no release.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { importFile } from '../src/ingest/run.ts';
import { requestWithEvents } from '../src/ledger/queries.ts';
import type { FreshStore } from '../src/ledger/store-suite.ts';
import type { Store } from '../src/ledger/store.ts';
import { eachStore } from '../src/ledger/test-stores.ts';

eachStore((fresh) => {
  let dir: string;
  let f: FreshStore;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flow-'));
    f = await fresh();
    store = f.store;
    const requests = join(dir, 'requests.csv');
    writeFileSync(
      requests,
      [
        'request_id,type,issued_date,state,facility_name,facility_city',
        't-1,hold,2017-01-30,TX,WILLIAMSON COUNTY JAIL,GEORGETOWN',
        'e-1,hold,2017-01-30,PA,CHESTER COUNTY PRISON,WEST CHESTER',
        'h-1,hold,2017-01-30,MN,HENNEPIN COUNTY JAIL,MINNEAPOLIS',
      ].join('\n') + '\n',
    );
    const events = join(dir, 'events.csv');
    writeFileSync(
      events,
      [
        'event_id,request_id,kind,date,facility_name,state,reason',
        'ev-1,t-1,transferred,2017-01-31,TRAVIS COUNTY JAIL,TX,',
        'ev-2,t-1,transferred,2017-02-01,BASTROP COUNTY JAIL,TX,',
        'ev-3,t-1,declined,2017-02-02,,,',
        'ev-4,t-1,released,2017-02-02,,,',
        'ev-5,e-1,declined,2017-02-01,,,',
        'ev-6,e-1,issued-in-error,2017-03-01,,,the person was held in another county',
        'ev-7,h-1,declined,2017-02-01,,,',
        'ev-8,h-1,notified,2017-02-01,,,',
        'ev-9,h-1,released,2017-02-01,,,',
        'ev-10,h-1,ice-custody,2017-02-01,,,',
      ].join('\n') + '\n',
    );
    const registry = loadRegistry();
    for (const file of [requests, events]) {
      const s = await importFile({ store, registry, file });
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    }
  });
  afterAll(async () => {
    await f.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('outcomes through the ledger', () => {
    it('attributes a release after a transfer chain to the last facility, not the first', async () => {
      const r = await requestWithEvents(store, 't-1');
      expect(r?.request.division_id).toBe('ocd-division/country:us/state:tx/county:williamson');
      expect(r?.state.custodyChain).toHaveLength(3);
      expect(r?.state.outcome).toBe('declined-released-without-notice');
      // Bastrop County's jail, resolved from the transfer event's name and state
      expect(r?.state.custodyChain[0]).toMatch(/county:williamson/);
      expect(r?.state.custodyChain[1]).toMatch(/county:travis/);
      expect(r?.state.outcomeFacilityId).toMatch(/county:bastrop/);
      expect(r?.state.declined?.facilityId).toMatch(/county:bastrop/);
    });

    it('takes a request issued in error out of the declines', async () => {
      expect((await requestWithEvents(store, 'e-1'))?.state.outcome).toBe('issued-in-error');
    });

    it('keeps a declined hold with ICE notified and taking custody apart from a release', async () => {
      expect((await requestWithEvents(store, 'h-1'))?.state.outcome).toBe(
        'declined-ice-notified-took-custody',
      );
    });
  });
});
