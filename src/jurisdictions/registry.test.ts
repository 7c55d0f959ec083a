import { describe, expect, it } from 'vitest';
import { loadCityCountyCrosswalk, parseGeoNamesPostal } from './crosswalk.ts';
import { loadRegistry, NATION_ID } from './registry.ts';

const US = 'ocd-division/country:us';

describe('registry', () => {
  const registry = loadRegistry();

  it('holds 56 states, DC and territories, 3,181 county rows and the nation', () => {
    expect(registry.states()).toHaveLength(56);
    expect(registry.counties()).toHaveLength(3181);
    expect(registry.division(NATION_ID)?.kind).toBe('country');
    expect(registry.state('DC')?.id).toBe(`${US}/district:dc`);
    expect(registry.state('pr')?.id).toBe(`${US}/territory:pr`);
  });

  it('links a city to its county, state and nation', () => {
    expect(registry.ancestors(`${US}/state:ca/place:los_angeles`).map((d) => d.id)).toEqual([
      `${US}/state:ca/place:los_angeles`,
      `${US}/state:ca/county:los_angeles`,
      `${US}/state:ca`,
      NATION_ID,
    ]);
  });

  it('links a place nested in a county id to that county', () => {
    const ids = registry.ancestors(`${US}/state:pa/county:adams/place:franklin`).map((d) => d.id);
    expect(ids).toEqual([
      `${US}/state:pa/county:adams/place:franklin`,
      `${US}/state:pa/county:adams`,
      `${US}/state:pa`,
      NATION_ID,
    ]);
  });

  it('does not put New York City in Manhattan alone', () => {
    expect(registry.division(`${US}/state:ny/place:new_york`)?.parentId).toBe(`${US}/state:ny`);
  });

  it('keeps Virginia independent cities apart from same-named counties', () => {
    const city = registry.division(`${US}/state:va/place:richmond`);
    const county = registry.division(`${US}/state:va/county:richmond`);
    expect(city?.fips).toBe('5167000');
    expect(city?.parentId).toBe(`${US}/state:va`);
    expect(county?.fips).toBe('51159');
    expect(registry.division(`${US}/state:va/county:richmond_city`)?.id).toBe(city?.id);
  });

  it('resolves alias ids to canonical divisions', () => {
    expect(registry.division(`${US}/state:nm/county:dona_ana`)?.id).toBe(`${US}/state:nm/county:doña_ana`);
    expect(registry.canonicalId(`${US}/state:nm/county:dona_ana`)).toBe(`${US}/state:nm/county:doña_ana`);
    expect(registry.division(`${US}/state:ak/place:anchorage`)?.id).toBe(`${US}/state:ak/borough:anchorage`);
    expect(registry.ancestors(`${US}/state:nm/county:dona_ana`).map((d) => d.id)).toEqual([
      `${US}/state:nm/county:doña_ana`,
      `${US}/state:nm`,
      NATION_ID,
    ]);
  });

  it('finds divisions by FIPS, state and name', () => {
    expect(registry.divisionByFips('42055')?.id).toBe(`${US}/state:pa/county:franklin`);
    expect(registry.countiesNamed('pa', 'Franklin Co.').map((d) => d.id)).toEqual([
      `${US}/state:pa/county:franklin`,
    ]);
    expect(registry.countiesNamed('ny', 'Saint Lawrence County').map((d) => d.id)).toEqual([
      `${US}/state:ny/county:st_lawrence`,
    ]);
    expect(
      registry.countiesNamedAnywhere('Franklin County').filter((d) => d.ocdType === 'county'),
    ).toHaveLength(24);
    expect(registry.placesNamed('ca', 'Los Angeles').map((d) => d.id)).toEqual([
      `${US}/state:ca/place:los_angeles`,
    ]);
  });

  it('loads the shipped seed and extra agencies', () => {
    expect(registry.agency(`${US}/state:ny/place:new_york/agency:correction`)?.kind).toBe('jail');
    expect(registry.sheriffOf(`${US}/state:ca/county:los_angeles`)?.name).toBe(
      "Los Angeles County Sheriff's Department",
    );
    const extra = loadRegistry({
      agencies: [
        {
          id: `${US}/state:ia/county:franklin/agency:sheriff`,
          name: "Franklin County Sheriff's Office",
          kind: 'sheriff',
          divisionId: `${US}/state:ia/county:franklin`,
          state: 'ia',
          ori: null,
          source: 'test',
        },
      ],
    });
    expect(extra.agency(`${US}/state:ia/county:franklin/agency:sheriff`)).toBeDefined();
    expect(registry.agency(`${US}/state:ia/county:franklin/agency:sheriff`)).toBeUndefined();
  });

  it('loads fast once cached', () => {
    const start = performance.now();
    for (let i = 0; i < 10; i++) loadRegistry();
    expect(performance.now() - start).toBeLessThan(100);
  });
});

describe('city → county crosswalk', () => {
  const registry = loadRegistry();

  it('places a city in one county', () => {
    const found = registry.cityCounties('nv', 'Las Vegas');
    expect(found.status).toBe('unique');
    expect(found.status === 'unique' && found.county.id).toBe(`${US}/state:nv/county:clark`);
  });

  it('reports a city in several counties as ambiguous, listing them', () => {
    const found = registry.cityCounties('tx', 'Austin');
    expect(found.status).toBe('ambiguous');
    expect(found.status === 'ambiguous' && found.counties.map((d) => d.id)).toEqual([
      `${US}/state:tx/county:travis`,
      `${US}/state:tx/county:williamson`,
    ]);
    expect(loadCityCountyCrosswalk().counties('TX', 'austin').status).toBe('ambiguous');
  });

  it('lists a Virginia independent city as its place', () => {
    const found = registry.cityCounties('va', 'Richmond');
    expect(found.status === 'ambiguous' && found.counties.map((d) => d.id)).toContain(
      `${US}/state:va/place:richmond`,
    );
  });

  it('parses the GeoNames table shape', () => {
    const table = parseGeoNamesPostal(
      [
        'US\t00001\tTwin\tTexas\tTX\tTravis\t453\t\t\t0\t0\t1',
        'US\t00002\tTwin\tTexas\tTX\tHays\t209\t\t\t0\t0\t1',
        'US\t00003\tSolo\tTexas\tTX\tTravis\t453\t\t\t0\t0\t1',
        'US\t09001\tAPO AA\t\t\t\t\t\t\t0\t0\t',
      ].join('\n'),
    );
    expect(table.counties('tx', 'Solo')).toEqual({
      status: 'unique',
      county: { fips: '48453', name: 'Travis' },
    });
    expect(table.counties('tx', 'TWIN').status).toBe('ambiguous');
    expect(table.counties('tx', 'APO AA').status).toBe('unknown');
  });
});
