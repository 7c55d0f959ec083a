import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { diffPolicies } from './diff.ts';
import { createEngine } from './evaluate.ts';
import { loadLibrary } from './load.ts';

const registry = loadRegistry();
const engine = createEngine(loadLibrary(), registry);
const LAC = registry.division('ocd-division/country:us/state:ca/county:los_angeles')!;

describe('diffPolicies', () => {
  it('Los Angeles County across 2018-01-01: TRUST Act A gives way to SB 54 and TRUST Act B', () => {
    const d = diffPolicies(engine, LAC, '2017-12-31', '2018-01-01');
    const change = (probe: string) => d.changes.find((c) => c.probe === probe);

    const hold = change('hold-serious-felony')!;
    expect(hold.decisionChanged).toBe(true);
    expect(hold.before.decision).toBe('permitted');
    expect(hold.after.decision).toBe('forbidden');
    expect(hold.before.deciding.map((c) => c.clause)).toContain('ca-trust-act#a1-serious-violent');
    expect(hold.after.deciding.map((c) => c.clause)).toEqual(['ca-values-act#a1b-no-hold']);

    expect(change('notify-no-conviction')).toMatchObject({
      decisionChanged: true,
      before: { decision: 'permitted' },
      after: { decision: 'forbidden' },
    });
    expect(change('transfer-administrative')?.after.decision).toBe('forbidden');
    expect(change('info-release-date')?.after.decision).toBe('forbidden');
    // holds without a listed offense were already forbidden: only the grounds changed
    expect(change('hold-administrative')).toMatchObject({
      decisionChanged: false,
      before: { decision: 'forbidden' },
      after: { decision: 'forbidden' },
    });
    // decision changes come first
    const firstGroundsOnly = d.changes.findIndex((c) => !c.decisionChanged);
    expect(d.changes.slice(firstGroundsOnly).every((c) => !c.decisionChanged)).toBe(true);

    expect(d.instrumentsAdded.map((i) => `${i.id}@${i.version}`)).toEqual(
      expect.arrayContaining(['ca-values-act@2018-01-01', 'ca-trust-act@2018-01-01']),
    );
    expect(d.instrumentsRemoved.map((i) => `${i.id}@${i.version}`)).toEqual(['ca-trust-act@2014-01-01']);
  });

  it('reports nothing for two dates under the same law', () => {
    const d = diffPolicies(engine, LAC, '2019-01-01', '2019-06-01');
    expect(d.changes).toEqual([]);
    expect(d.instrumentsAdded).toEqual([]);
    expect(d.instrumentsRemoved).toEqual([]);
  });
});
