import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { loadLibrary } from './load.ts';
import { DIMENSIONS, jailHoldingAgencyKind, probesFor } from './probes.ts';
import { validateRequest } from './request.ts';

const registry = loadRegistry();
const LAC = registry.division('ocd-division/country:us/state:ca/county:los_angeles')!;
const NYC = registry.division('ocd-division/country:us/state:ny/place:new_york')!;

describe('probe requests', () => {
  it('are valid decision requests, covering every dimension', () => {
    const probes = probesFor(LAC, '2019-03-04');
    for (const p of probes) expect(validateRequest(p.request, registry)).toEqual(p.request);
    expect(new Set(probes.map((p) => p.dimension))).toEqual(new Set(DIMENSIONS));
    expect(new Set(probes.map((p) => p.id)).size).toBe(probes.length);
  });

  it('ask the jail-holding agency: sheriff of a county, police of a place, a corrections department where there is one', () => {
    expect(jailHoldingAgencyKind(LAC)).toBe('sheriff');
    expect(jailHoldingAgencyKind(NYC)).toBe('police');
    const nycKinds = registry.agenciesIn(NYC.id).map((a) => a.kind);
    expect(jailHoldingAgencyKind(NYC, nycKinds)).toBe('jail');
    expect(probesFor({ ...NYC, agencyKind: 'jail' }, '2019-03-04')[0]!.request.receiver.agencyKind).toBe(
      'jail',
    );
  });

  it('use offense codes the offense lists contain', () => {
    const lib = loadLibrary();
    const codes = (state: string) =>
      probesFor({ ...LAC, state }, '2019-03-04').flatMap((p) => p.request.subject?.convictions ?? []);
    const ca = codes('ca');
    expect(ca.some((c) => lib.lists.get('ca-trust-act-7282.5a3')!.match(c.code).length > 0)).toBe(true);
    expect(ca.some((c) => lib.lists.get('ca-serious-violent-felonies')!.match(c.code).length > 0)).toBe(true);
    for (const c of codes('ny')) {
      expect(lib.lists.get('nyc-violent-or-serious-crimes')!.match(c.code).length, c.code).toBeGreaterThan(0);
    }
  });

  it('date convictions two years before the probe date', () => {
    const p = probesFor(LAC, '2020-02-29').find((x) => x.id === 'hold-serious-felony')!;
    expect(p.request.subject?.convictions?.[0]?.date).toBe('2018-02-28');
  });
});
