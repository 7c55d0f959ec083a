import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { createEngine } from './evaluate.ts';
import { DEFAULT_POLICY_ROOT, loadLibrary } from './load.ts';
import { agreementModel, profileOf, type Agreement287g } from './profile.ts';

const registry = loadRegistry();
const engine = createEngine(loadLibrary(), registry);
const division = (id: string) => {
  const d = registry.division(id);
  if (!d) throw new Error(`no division ${id} in the registry`);
  return d;
};
const LAC = division('ocd-division/country:us/state:ca/county:los_angeles');
const HARRIS = division('ocd-division/country:us/state:tx/county:harris');
const HENNEPIN = division('ocd-division/country:us/state:mn/county:hennepin');

const clauses = (xs: readonly { clause: string }[]) => xs.map((c) => c.clause);

describe('profileOf', () => {
  it('Los Angeles County under the TRUST Act (2017): holds for listed offenses only', () => {
    const p = profileOf(engine, LAC, '2017-06-01');
    expect(p.agencyKind).toBe('sheriff');
    expect(p.holds.value).toBe('listed offenses only');
    expect(clauses(p.holds.clauses)).toContain('ca-trust-act#hold-limited');
    expect(p.holds.clauses.find((c) => c.clause === 'ca-trust-act#hold-limited')).toMatchObject({
      citation: expect.stringContaining('7282.5'),
      confidence: expect.any(String),
    });
    expect(p.notification.value).toBe('all');
    expect(p.information.value).toBe('shared');
    expect(p.limitsCooperation).toBe(true);
    expect(p.holds.limits).toBe(true);
    expect(p.notification.limits).toBe(false);
  });

  it('Los Angeles County under SB 54 (2018): no holds, notification and transfer for listed offenses only', () => {
    const p = profileOf(engine, LAC, '2018-06-01');
    expect(p.holds.value).toBe('never');
    expect(clauses(p.holds.clauses)).toEqual(['ca-values-act#a1b-no-hold']);
    expect(p.notification.value).toBe('listed offenses only');
    expect(clauses(p.notification.clauses)).toContain('ca-values-act#a1c-no-notification');
    expect(p.transfer.value).toBe('listed offenses only');
    expect(p.information.value).toBe('restricted');
    expect(clauses(p.information.clauses)).toContain('ca-values-act#a1c-no-release-date');
    expect(p.access.value).toBe('allowed');
    expect(p.access.obligations).toContain('ca-truth-act#interview-consent-form');
    expect(p.limitsCooperation).toBe(true);
    expect(p.instruments.map((i) => i.id)).toContain('ca-values-act');
  });

  it('a division with no instrument of its own has the federal baseline profile', () => {
    const p = profileOf(engine, HENNEPIN, '2019-03-04');
    expect([
      p.holds.value,
      p.notification.value,
      p.transfer.value,
      p.information.value,
      p.access.value,
    ]).toEqual(['honoured', 'all', 'all', 'shared', 'allowed']);
    expect(p.limitsCooperation).toBe(false);
    expect(clauses(p.holds.clauses)).toEqual(['us-8cfr-287.7#detainer-is-request']);
    expect(p.holds.clauses[0]!.baseline).toBe(true);
    expect(p.agreements.value).toBe('not loaded');
  });

  it('Harris County, Texas: holds honoured before SB 4 (2017-09-01), required after', () => {
    const tx = join(DEFAULT_POLICY_ROOT, 'us', 'tx');
    if (!existsSync(tx)) {
      throw new Error(`the Texas instruments are not in the library yet: ${tx} does not exist`);
    }
    const before = profileOf(engine, HARRIS, '2017-08-31');
    const after = profileOf(engine, HARRIS, '2017-09-01');
    expect(before.holds.value).toBe('honoured');
    expect(after.holds.value).toBe('required');
    expect(after.holds.clauses.every((c) => c.instrument !== 'us-8cfr-287.7')).toBe(true);
    expect(after.limitsCooperation).toBe(false);
  });

  it('New York City DOC: holds only on a judicial warrant with a listed crime', () => {
    const ny = join(DEFAULT_POLICY_ROOT, 'us', 'ny');
    if (!existsSync(ny)) {
      throw new Error(`the New York instruments are not in the library yet: ${ny} does not exist`);
    }
    const NYC = division('ocd-division/country:us/state:ny/place:new_york');
    const p = profileOf(engine, { ...NYC, agencyKind: 'jail' }, '2019-03-04');
    expect(p.holds.value).toBe('judicial warrant and listed offense');
    expect(p.holds.probes.find((a) => a.probe === 'hold-judicial-serious-felony')?.decision).toBe(
      'permitted',
    );
    expect(p.limitsCooperation).toBe(true);
  });

  it('lists the 287(g) agreements in force on the date, by model', () => {
    const a = (over: Partial<Agreement287g>): Agreement287g => ({
      id: 'a',
      agencyId: null,
      agencyName: 'Hennepin County Sheriff',
      supportType: 'Jail Enforcement Model',
      signedDate: '2018-01-10',
      status: 'participating',
      sheetDate: '2025-07-18',
      source: 'sheet.xlsx',
      ...over,
    });
    const rows = [
      a({}),
      a({ id: 'b', supportType: 'Warrant Service Officer', signedDate: '2020-05-01' }),
      a({ id: 'c', supportType: 'Task Force Model', status: 'pending' }),
      a({ id: 'd', sheetDate: '2025-05-16' }),
    ];
    expect(profileOf(engine, HENNEPIN, '2019-03-04', rows).agreements.agreements.map((x) => x.id)).toEqual([
      'a',
    ]);
    expect(profileOf(engine, HENNEPIN, '2019-03-04', rows).agreements.value).toEqual(['jail']);
    expect(profileOf(engine, HENNEPIN, '2021-03-04', rows).agreements.value).toEqual([
      'jail',
      'warrant service',
    ]);
    expect(profileOf(engine, HENNEPIN, '2017-03-04', rows).agreements.value).toBe('none');
    expect(agreementModel('Task Force Model')).toBe('task force');
  });
});
