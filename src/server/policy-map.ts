/**
 * The cooperation profile of every county on a date, for the policy map. A profile is many
 * decisions, so it is computed once per state (and agency kind) for the counties with no law of
 * their own, and once per county or city only where an instrument of the library is in force
 * there: a county with no local instrument has the same policy stack as any other county of its
 * state. The value words are the law engine's (`profileOf`); nothing here decides.
 */
import type { Registry } from '../jurisdictions/registry.ts';
import type { Division } from '../jurisdictions/types.ts';
import { jailHoldingAgencyKind, profileOf, type Dimension, type Engine, type Profile } from '../law/index.ts';
import { divisionsWithInstruments } from '../reports/profiles.ts';
import { atlasCountyFips, atlasFips, countyName } from '../reports/render/map.ts';
import { RecentCache } from './recent-cache.ts';

export interface PolicyEntry {
  /** the atlas code the map draws it under; null when the map does not draw it (territories, cities) */
  fips: string | null;
  /** the county; for a county-equivalent of the atlas the registry has no county for, its state */
  division: Division;
  /** `Autauga, Alabama` as the map names it, else the division's name */
  name: string;
  /** `local`: an instrument of the county (or city) itself is in force; `state`: its state's law alone */
  source: 'local' | 'state';
  profile: Profile;
}

export interface PolicyMap {
  date: string;
  /** every county with a FIPS code, in registry order, then the county-equivalents only the atlas has */
  counties: PolicyEntry[];
  /** cities (places) with law of their own, each with the county it lies in where known */
  places: (PolicyEntry & { county: Division | null })[];
  /** how many profiles were computed (the rest were shared) */
  computed: number;
}

export interface PolicySource {
  engine: Engine;
  registry: Registry;
}

function agencyKindOf(registry: Registry, d: Division) {
  return jailHoldingAgencyKind(
    d,
    registry.agenciesIn(d.id).map((a) => a.kind),
  );
}

function profile(src: PolicySource, d: Division, date: string): Profile {
  return profileOf(
    src.engine,
    { id: d.id, kind: d.kind, state: d.state, name: d.name, agencyKind: agencyKindOf(src.registry, d) },
    date,
  );
}

export function policyMap(src: PolicySource, date: string): PolicyMap {
  const local = divisionsWithInstruments(src.engine, src.registry, date).filter(
    (d) => d.kind === 'county' || d.kind === 'place',
  );
  const localIds = new Set(local.map((d) => d.id));
  let computed = 0;
  // one profile per (state, agency kind) stands for every county there without law of its own
  const shared = new Map<string, Profile>();
  const counties: PolicyEntry[] = [];
  const drawn = new Set<string>();
  const entry = (county: Division, source: PolicyEntry['source'], p: Profile): PolicyEntry => {
    const name = countyName(county.fips!);
    const fips = name === null ? null : atlasFips(county.fips!);
    if (fips) drawn.add(fips);
    return { fips, division: county, name: name ?? county.name, source, profile: p };
  };
  for (const county of src.registry.counties()) {
    if (!county.fips) continue;
    if (localIds.has(county.id)) {
      computed++;
      counties.push(entry(county, 'local', profile(src, county, date)));
      continue;
    }
    const key = `${county.state}\0${agencyKindOf(src.registry, county)}`;
    let p = shared.get(key);
    if (!p) {
      computed++;
      shared.set(key, (p = profile(src, county, date)));
    }
    counties.push(entry(county, 'state', p));
  }
  // independent cities the atlas draws as county-equivalents (Virginia's, St. Louis, Baltimore)
  // are places in the registry, not counties: drawn with their state's law alone, for the sheriff
  // who holds their jail (a city with law of its own is listed beside the map, as every city is)
  for (const fips of atlasCountyFips()) {
    if (drawn.has(fips)) continue;
    const state = src.registry.divisionByFips(fips.slice(0, 2));
    const p = state && shared.get(`${state.state}\0${jailHoldingAgencyKind({ kind: 'county' })}`);
    if (!state || !p) continue;
    counties.push({ fips, division: state, name: countyName(fips) ?? fips, source: 'state', profile: p });
  }
  const places = local
    .filter((d) => d.kind === 'place')
    .map((d) => {
      computed++;
      const parent = d.parentId ? src.registry.division(d.parentId) : undefined;
      return {
        fips: null,
        division: d,
        name: d.name,
        source: 'local' as const,
        profile: profile(src, d, date),
        county: parent?.kind === 'county' ? parent : null,
      };
    });
  return { date, counties, places, computed };
}

/** The value of one dimension of a profile, as the engine words it. */
export function dimensionValue(p: Profile, dimension: Dimension): string {
  return p[dimension].value;
}

/**
 * The policy maps of the last few dates asked for: the page is read far more often than the
 * library changes (a library is loaded once per process), and a handful of dates covers the
 * default (today) and whatever readers are comparing.
 */
export function policyMapCache(src: PolicySource, size = 8): (date: string) => PolicyMap {
  const cache = new RecentCache<string, PolicyMap>(size);
  return (date) => {
    let value = cache.get(date);
    if (!value) cache.set(date, (value = policyMap(src, date)));
    return value;
  };
}
