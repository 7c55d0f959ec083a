import { describe, expect, it } from 'vitest';
import { loadRegistry } from './registry.ts';
import { resolveName, searchJurisdictions } from './resolve.ts';

const US = 'ocd-division/country:us';
const registry = loadRegistry();

describe('resolveName', () => {
  it('resolves a facility name with city and state in its tail', () => {
    const r = resolveName(registry, { name: 'CLARK COUNTY DETENTION CENTER, LAS VEGAS, NEVADA' });
    expect(r).toMatchObject({
      status: 'resolved',
      divisionId: `${US}/state:nv/county:clark`,
      rule: 'county-facility',
    });
    expect(r.agencyId).toBe(`${US}/state:nv/county:clark/agency:sheriff`);
  });

  it.each([
    ['Clark County, NV', `${US}/state:nv/county:clark`],
    ['Franklin Co., PA', `${US}/state:pa/county:franklin`],
    ['St. Lawrence County, New York', `${US}/state:ny/county:st_lawrence`],
    ['Orleans Parish, LA', `${US}/state:la/parish:orleans`],
    ['Doña Ana County, N.M.', `${US}/state:nm/county:doña_ana`],
    ['Dona Ana Co., NM', `${US}/state:nm/county:doña_ana`],
  ])('%s → %s', (name, id) => {
    expect(resolveName(registry, { name })).toMatchObject({
      status: 'resolved',
      divisionId: id,
      rule: 'county-name',
    });
  });

  it('resolves an agency alias within its state', () => {
    const r = resolveName(registry, { name: 'NYC DOC', state: 'NY' });
    expect(r).toMatchObject({
      status: 'resolved',
      rule: 'agency-alias',
      agencyId: `${US}/state:ny/place:new_york/agency:correction`,
      divisionId: `${US}/state:ny/place:new_york`,
    });
    expect(registry.agency(r.agencyId!)?.name).toBe('New York City Department of Correction');
    expect(resolveName(registry, { name: 'LAPD', state: 'CA' }).agencyId).toBe(
      `${US}/state:ca/place:los_angeles/agency:police`,
    );
    expect(resolveName(registry, { name: 'NYC DOC', state: 'NJ' }).status).not.toBe('resolved');
  });

  it('never resolves "Franklin County" without a state, and lists all 24', () => {
    const r = resolveName(registry, { name: 'Franklin County' });
    expect(r.status).not.toBe('resolved');
    expect(r.divisionId).toBeNull();
    const counties = r.candidates.filter((c) => /\/county:franklin$/.test(c.id));
    expect(counties).toHaveLength(24);
    for (const code of ['ia', 'ny', 'pa', 'oh', 'tx', 'wa'])
      expect(r.candidates.map((c) => c.id)).toContain(`${US}/state:${code}/county:franklin`);
  });

  it('resolves "Franklin County" in Ohio to Ohio, never Pennsylvania', () => {
    expect(resolveName(registry, { name: 'Franklin County', state: 'OH' }).divisionId).toBe(
      `${US}/state:oh/county:franklin`,
    );
    expect(resolveName(registry, { name: 'FRANKLIN COUNTY JAIL', state: 'Iowa' }).divisionId).toBe(
      `${US}/state:ia/county:franklin`,
    );
  });

  it('never resolves a name whose own state conflicts with the given one', () => {
    for (const state of ['OH', 'NY', 'IA']) {
      const r = resolveName(registry, { name: 'Franklin Co., PA', state });
      expect(r.status).toBe('unknown');
      expect(r.rule).toBe('state-conflict');
      expect(r.divisionId).toBeNull();
    }
    expect(resolveName(registry, { name: 'HAMILTON CO. JAIL (TENN)', state: 'OH' }).status).toBe('unknown');
  });

  it('a wrong state never lands in Pennsylvania', () => {
    for (const state of ['IA', 'NY', 'OH', 'NJ', 'DE']) {
      const r = resolveName(registry, { name: 'Franklin County', state });
      expect(r.divisionId ?? '').not.toContain('state:pa');
    }
    expect(resolveName(registry, { name: 'Franklin County', state: 'XX' })).toMatchObject({
      status: 'unknown',
      rule: 'state-unknown',
    });
  });

  it('keeps Richmond city and Richmond County (Virginia) apart', () => {
    expect(resolveName(registry, { name: 'Richmond city', state: 'VA' }).divisionId).toBe(
      `${US}/state:va/place:richmond`,
    );
    expect(resolveName(registry, { name: 'City of Richmond', state: 'VA' }).divisionId).toBe(
      `${US}/state:va/place:richmond`,
    );
    expect(resolveName(registry, { name: 'Richmond County', state: 'VA' }).divisionId).toBe(
      `${US}/state:va/county:richmond`,
    );
    expect(resolveName(registry, { name: 'Richmond Co., VA' }).divisionId).toBe(
      `${US}/state:va/county:richmond`,
    );
    expect(resolveName(registry, { name: 'Richmond County Jail', state: 'NC' })).toMatchObject({
      divisionId: `${US}/state:nc/county:richmond`,
      agencyId: `${US}/state:nc/county:richmond/agency:sheriff`,
    });
  });

  it('reports a city in several counties as ambiguous', () => {
    const r = resolveName(registry, { name: 'Some Clinic', state: 'TX', city: 'Spring' });
    expect(r.status).toBe('ambiguous');
    expect(r.rule).toBe('city-county-crosswalk');
    expect(r.candidates.map((c) => c.id)).toEqual([
      `${US}/state:tx/county:harris`,
      `${US}/state:tx/county:montgomery`,
    ]);
  });

  it('resolves a bare city to its place', () => {
    expect(
      resolveName(registry, { name: 'Riverside Clinic', state: 'MN', city: 'Coon Rapids' }),
    ).toMatchObject({
      status: 'resolved',
      rule: 'city-field',
      divisionId: `${US}/state:mn/place:coon_rapids`,
    });
    // a known facility name wins over its city
    expect(resolveName(registry, { name: 'MERCY HOSPITAL', state: 'MN', city: 'Coon Rapids' })).toMatchObject(
      {
        rule: 'facility-name',
        facilityId: 'facility:MRYHPMN',
      },
    );
  });

  it('resolves police departments and cities to places', () => {
    expect(resolveName(registry, { name: 'Austin PD', state: 'TX' })).toMatchObject({
      rule: 'police-department',
      divisionId: `${US}/state:tx/place:austin`,
    });
    expect(resolveName(registry, { name: 'Chicago Police Department', state: 'IL' }).agencyId).toBe(
      `${US}/state:il/place:chicago/agency:police`,
    );
    expect(resolveName(registry, { name: 'Carson City', state: 'NV' }).divisionId).toBe(
      `${US}/state:nv/place:carson_city`,
    );
  });

  it('resolves an ICE facility code', () => {
    expect(resolveName(registry, { name: 'anything', code: 'stlucfl' })).toMatchObject({
      status: 'resolved',
      rule: 'facility-detloc',
      facilityId: 'facility:STLUCFL',
      divisionId: `${US}/state:fl/county:st_lucie`,
    });
    expect(resolveName(registry, { name: 'x', code: 'STLUCFL', state: 'GA' }).rule).toBe('state-conflict');
  });

  it('answers unknown with nearby names, never a guess', () => {
    const r = resolveName(registry, { name: 'Franklyn County', state: 'PA' });
    expect(r.status).toBe('unknown');
    expect(r.divisionId).toBeNull();
    const s = resolveName(registry, { name: 'Franklin Memorial Hospital', state: 'PA' });
    expect(s.status).toBe('unknown');
    expect(s.candidates.map((c) => c.id)).toContain(`${US}/state:pa/county:franklin`);
  });

  it('returns the same frozen answer for repeated input', () => {
    const a = resolveName(registry, { name: 'Clark County, NV' });
    const b = resolveName(registry, { name: 'Clark County, NV' });
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('searchJurisdictions', () => {
  it('ranks exact matches first within a state', () => {
    const hits = searchJurisdictions(registry, 'franklin county', 'pa');
    expect(hits[0]?.id).toBe(`${US}/state:pa/county:franklin`);
    expect(hits.every((hit) => hit.state === 'pa')).toBe(true);
  });

  it('searches every state when none is given', () => {
    const hits = searchJurisdictions(registry, 'Franklin County', null, 100);
    expect(hits.filter((hit) => hit.score === 100 && hit.id.endsWith('/county:franklin'))).toHaveLength(24);
  });

  it('finds agencies by alias', () => {
    expect(searchJurisdictions(registry, 'LASD', 'ca')[0]?.id).toBe(
      `${US}/state:ca/county:los_angeles/agency:sheriff`,
    );
  });
});

describe('known facilities without a county', () => {
  it('take the county from the name when the city spans counties', () => {
    const r = resolveName(loadRegistry(), { name: 'LEE COUNTY JAIL', city: 'FORT MYERS', state: 'FL' });
    expect(r.status).toBe('resolved');
    expect(r.divisionId).toBe('ocd-division/country:us/state:fl/county:lee');
    expect(r.facilityId).not.toBeNull();
  });
});
