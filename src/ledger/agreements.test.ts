import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Division } from '../jurisdictions/types.ts';
import { agreementsFor } from './agreements.ts';
import type { Agreements287gTable } from './schema.ts';
import type { FreshStore } from './store-suite.ts';
import type { Store } from './store.ts';
import { eachStore } from './test-stores.ts';

const HARRIS: Division = {
  id: 'ocd-division/country:us/state:tx/county:harris',
  kind: 'county',
  ocdType: 'county',
  name: 'Harris County',
  state: 'tx',
  fips: '48201',
  parentId: 'ocd-division/country:us/state:tx',
};

const row = (over: Partial<Agreements287gTable>): Agreements287gTable => ({
  id: 'a',
  agency_id: null,
  agency_name: "Harris County Sheriff's Office",
  agency_type: 'County',
  state: 'tx',
  county: 'Harris County',
  division_id: HARRIS.id,
  support_type: 'Jail Enforcement Model',
  signed_date: '2017-02-01',
  moa: null,
  status: 'participating',
  sheet_date: '2025-07-18',
  source: 'sheet.xlsx',
  row: 2,
  ...over,
});

eachStore((fresh) => {
  let f: FreshStore;
  let store: Store;
  beforeEach(async () => {
    f = await fresh();
    store = f.store;
  });
  afterEach(async () => {
    await f.dispose();
  });

  describe('agreementsFor', () => {
    it('finds a division’s agreements by division id, or by state and county name when unresolved', async () => {
      const s = await store.beginImport();
      await s.addAgreements([
        row({}),
        row({ id: 'b', division_id: null, county: 'HARRIS', support_type: 'Warrant Service Officer' }),
        row({ id: 'c', division_id: null, state: 'ga', county: 'Harris' }),
        row({
          id: 'd',
          division_id: 'ocd-division/country:us/state:tx/county:harrison',
          county: 'Harrison County',
        }),
      ]);
      await s.commit();
      const found = await agreementsFor(store, HARRIS);
      expect(found.map((a) => [a.id, a.supportType])).toEqual([
        ['a', 'Jail Enforcement Model'],
        ['b', 'Warrant Service Officer'],
      ]);
    });
  });
});
