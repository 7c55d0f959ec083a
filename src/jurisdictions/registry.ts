import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { loadCityCountyCrosswalk, type CityCountyCrosswalk } from './crosswalk.ts';
import { keyFromSlug, normalizeName, placeKey, splitCountySuffix } from './normalize.ts';
import {
  AGENCY_KINDS,
  type Agency,
  type AgencyKind,
  type Division,
  type DivisionKind,
  type DivisionLookup,
  type Facility,
} from './types.ts';

export const NATION_ID = 'ocd-division/country:us';

const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

const NATION: Division = Object.freeze({
  id: NATION_ID,
  kind: 'country',
  ocdType: 'country',
  name: 'United States',
  state: '',
  fips: null,
  parentId: null,
});

/**
 * Places whose postal city name points at one county although the place spans several:
 * New York's postal city "New York" is Manhattan only, the city has five boroughs.
 */
const PLACE_PARENT_OVERRIDES: ReadonlyMap<string, 'state'> = new Map([
  ['ocd-division/country:us/state:ny/place:new_york', 'state'],
]);

const TOWNSHIP = / township$/i;

type NameIndex<T> = Map<string, Map<string, T[]>>;

function addToIndex<T>(index: NameIndex<T>, state: string, key: string, value: T): void {
  if (key.length === 0) return;
  let byKey = index.get(state);
  if (byKey === undefined) {
    byKey = new Map();
    index.set(state, byKey);
  }
  const list = byKey.get(key);
  if (list === undefined) byKey.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The divisions and their indexes: loaded once per process, shared by every Registry. */
interface DivisionBase {
  divisions: Map<string, Division>;
  aliases: Map<string, string>;
  byFips: Map<string, Division>;
  states: Map<string, Division>;
  counties: NameIndex<Division>;
  places: NameIndex<Division>;
  /** county key → every county of that name, across states ("franklin" → 24) */
  countiesAnywhere: Map<string, Division[]>;
  crosswalk: CityCountyCrosswalk;
}

let cachedBase: DivisionBase | undefined;
let cachedRegistry: Registry | undefined;
let cachedSeed: { agencies: Agency[]; facilities: Facility[] } | undefined;

function parseCsv(path: string): Record<string, string>[] {
  const rows = parseCsvRows(path);
  const header = rows[0] ?? [];
  return rows.slice(1).map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

/** Rows as arrays, header first: array mode is markedly faster than papaparse's header mode on 39k rows. */
function parseCsvRows(path: string): string[][] {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { header: false, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    throw new Error(`cannot read \`${path}\`: ${first.message.toLowerCase()} at row ${first.row ?? '?'}`);
  }
  return parsed.data;
}

/** `ocd-division/country:us/state:ca/county:x/place:y` → `ocd-division/country:us/state:ca` */
function stateIdOf(id: string): string {
  const end = id.indexOf('/', NATION_ID.length + 1);
  return end === -1 ? id : id.slice(0, end);
}

function loadBase(): DivisionBase {
  const divisions = new Map<string, Division>([[NATION_ID, NATION]]);
  const byFips = new Map<string, Division>();
  const states = new Map<string, Division>();
  const counties: NameIndex<Division> = new Map();
  const places: NameIndex<Division> = new Map();
  const countiesAnywhere = new Map<string, Division[]>();
  const crosswalk = loadCityCountyCrosswalk();

  const [header = [], ...rows] = parseCsvRows(`${DATA_DIR}divisions/us-divisions.csv`);
  const col = (name: string): number => {
    const at = header.indexOf(name);
    if (at === -1) throw new Error(`\`us-divisions.csv\` has no \`${name}\` column`);
    return at;
  };
  const [ID, KIND, OCD_TYPE, NAME, STATE, FIPS] = ['id', 'kind', 'ocd_type', 'name', 'state', 'fips'].map(
    col,
  ) as [number, number, number, number, number, number];
  const pendingPlaces: Array<[Division, string]> = [];
  for (const row of rows) {
    const id = row[ID]!;
    const kind = row[KIND] as DivisionKind;
    const state = row[STATE]!;
    const fips = row[FIPS] || null;
    let parentId: string | null;
    if (kind === 'state') parentId = NATION_ID;
    else if (kind === 'county') parentId = stateIdOf(id);
    else {
      const nested = id.indexOf('/county:');
      parentId = nested === -1 ? null : id.slice(0, id.indexOf('/', nested + 1));
    }
    const division: Division = { id, kind, ocdType: row[OCD_TYPE]!, name: row[NAME]!, state, fips, parentId };
    divisions.set(id, division);
    if (fips !== null) byFips.set(fips, division);
    const slug = id.slice(id.lastIndexOf(':') + 1);
    if (kind === 'state') states.set(state, division);
    else if (kind === 'county') {
      const folded = normalizeName(division.name);
      const core = splitCountySuffix(folded)?.[0] ?? folded;
      const slugKey = keyFromSlug(slug);
      for (const key of core === slugKey ? [core] : [core, slugKey]) {
        addToIndex(counties, state, key, division);
        const all = countiesAnywhere.get(key);
        if (all === undefined) countiesAnywhere.set(key, [division]);
        else if (!all.includes(division)) all.push(division);
      }
    } else {
      const nameKey = placeKey(division.name);
      const slugKey = keyFromSlug(slug);
      // a township keeps its type word ("Franklin township" ≠ Franklin borough): its slug drops it
      if (!TOWNSHIP.test(division.name)) addToIndex(places, state, slugKey, division);
      if (nameKey !== slugKey) addToIndex(places, state, nameKey, division);
      if (parentId === null) pendingPlaces.push([division, slugKey]);
    }
  }

  // Places outside a county id: link to the county the postal crosswalk names, when it names exactly one
  for (const [place, cityKey] of pendingPlaces) {
    const stateId = stateIdOf(place.id);
    if (PLACE_PARENT_OVERRIDES.get(place.id) === 'state') {
      place.parentId = stateId;
      continue;
    }
    const found = crosswalk.countiesByKey(place.state, cityKey);
    const county = found.status === 'unique' ? byFips.get(found.county.fips) : undefined;
    place.parentId = county !== undefined && county.kind === 'county' ? county.id : stateId;
  }

  const aliases = new Map<string, string>();
  for (const row of parseCsv(`${DATA_DIR}divisions/aliases.csv`)) {
    const aliasId = row['alias_id']!;
    aliases.set(aliasId, row['id']!);
    // consolidated city-counties: "Anchorage" or "Honolulu" as a city name means the county-level division
    const target = divisions.get(row['id']!);
    if (row['alias_kind'] === 'place' && target !== undefined && target.kind === 'county') {
      addToIndex(places, target.state, keyFromSlug(aliasId.slice(aliasId.lastIndexOf(':') + 1)), target);
    }
  }

  return { divisions, aliases, byFips, states, counties, places, countiesAnywhere, crosswalk };
}

function splitAliases(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((alias) => alias.trim())
    .filter((alias) => alias.length > 0);
}

/** Read the shipped seed (`data/agencies.csv`, `data/facilities.csv`); missing files mean an empty seed. */
export function readSeed(dir: string = DATA_DIR): { agencies: Agency[]; facilities: Facility[] } {
  const agencies: Agency[] = [];
  const facilities: Facility[] = [];
  const agencyPath = `${dir}agencies.csv`;
  const facilityPath = `${dir}facilities.csv`;
  if (existsSync(agencyPath)) {
    for (const row of parseCsv(agencyPath)) {
      const kind = row['kind'] as AgencyKind;
      if (!AGENCY_KINDS.includes(kind))
        throw new Error(`unknown agency kind \`${row['kind']}\` for \`${row['id']}\``);
      agencies.push({
        id: row['id']!,
        name: row['name']!,
        kind,
        divisionId: row['division_id']!,
        state: row['state']!,
        ori: row['ori'] || null,
        source: row['source']!,
        aliases: splitAliases(row['aliases']),
      });
    }
  }
  if (existsSync(facilityPath)) {
    for (const row of parseCsv(facilityPath)) {
      facilities.push({
        id: row['id']!,
        name: row['name']!,
        detloc: row['detloc'] || null,
        agencyId: row['agency_id'] || null,
        divisionId: row['division_id'] || null,
        city: row['city'] || null,
        state: row['state']!,
        source: row['source']!,
        aliases: splitAliases(row['aliases']),
      });
    }
  }
  return { agencies, facilities };
}

export interface LoadOptions {
  /** include the shipped agencies/facilities seed (default true; the seed builder turns it off) */
  seed?: boolean;
}

/** The jurisdiction registry: divisions, agencies and facilities, with the lookups name resolution needs. */
export class Registry implements DivisionLookup {
  readonly #base: DivisionBase;
  readonly #agencies = new Map<string, Agency>();
  readonly #facilities = new Map<string, Facility>();
  readonly #facilitiesByDetloc = new Map<string, Facility>();
  readonly #agencyNames: NameIndex<Agency> = new Map();
  readonly #facilityNames: NameIndex<Facility> = new Map();
  readonly #agenciesByDivision = new Map<string, Agency[]>();

  constructor(base: DivisionBase, agencies: readonly Agency[], facilities: readonly Facility[]) {
    this.#base = base;
    for (const agency of agencies) {
      const divisionId = this.canonicalId(agency.divisionId);
      const stored = divisionId === agency.divisionId ? agency : { ...agency, divisionId };
      this.#agencies.set(agency.id, stored);
      for (const name of [agency.name, ...(agency.aliases ?? [])]) {
        addToIndex(this.#agencyNames, agency.state, normalizeName(name), stored);
      }
      const list = this.#agenciesByDivision.get(divisionId);
      if (list === undefined) this.#agenciesByDivision.set(divisionId, [stored]);
      else list.push(stored);
    }
    for (const facility of facilities) {
      const divisionId = facility.divisionId === null ? null : this.canonicalId(facility.divisionId);
      const stored = divisionId === facility.divisionId ? facility : { ...facility, divisionId };
      this.#facilities.set(facility.id, stored);
      if (facility.detloc !== null) this.#facilitiesByDetloc.set(facility.detloc.toUpperCase(), stored);
      for (const name of [facility.name, ...(facility.aliases ?? [])]) {
        addToIndex(this.#facilityNames, facility.state, normalizeName(name), stored);
      }
    }
  }

  /** The canonical id of a division id or alias id (unknown ids come back unchanged). */
  canonicalId(id: string): string {
    return this.#base.aliases.get(id) ?? id;
  }

  division(id: string): Division | undefined {
    return this.#base.divisions.get(id) ?? this.#base.divisions.get(this.#base.aliases.get(id) ?? '');
  }

  ancestors(id: string): Division[] {
    const out: Division[] = [];
    let current = this.division(id);
    // the chain is at most nation/state/county/place; the bound guards against a bad parent link
    while (current !== undefined && out.length < 8) {
      out.push(current);
      current = current.parentId === null ? undefined : this.#base.divisions.get(current.parentId);
    }
    return out;
  }

  agency(id: string): Agency | undefined {
    return this.#agencies.get(id);
  }

  facility(id: string): Facility | undefined {
    return this.#facilities.get(id);
  }

  facilityByDetloc(code: string): Facility | undefined {
    return this.#facilitiesByDetloc.get(code.trim().toUpperCase());
  }

  /** A county (or county-equivalent) by its 5-digit FIPS, or a place by its 7-digit code, or a state by 2 digits. */
  divisionByFips(fips: string): Division | undefined {
    return this.#base.byFips.get(fips.trim());
  }

  /** The state, district or territory division of a two-letter code. */
  state(code: string): Division | undefined {
    return this.#base.states.get(code.toLowerCase());
  }

  states(): Division[] {
    return [...this.#base.states.values()];
  }

  /** Counties of a state whose name core folds to `name` ("Franklin", "Franklin County" and "Franklin Co." all match). */
  countiesNamed(state: string, name: string): Division[] {
    const folded = normalizeName(name);
    const key = splitCountySuffix(folded)?.[0] ?? folded;
    return this.#base.counties.get(state.toLowerCase())?.get(key) ?? [];
  }

  /** Counties named `name` in every state: what an unqualified "Franklin County" could mean. */
  countiesNamedAnywhere(name: string): Division[] {
    const folded = normalizeName(name);
    const key = splitCountySuffix(folded)?.[0] ?? folded;
    return this.#base.countiesAnywhere.get(key) ?? [];
  }

  /** Places of a state whose name folds to `name` (census suffix "city"/"town"/"village" ignored). */
  placesNamed(state: string, name: string, options: { exact?: boolean } = {}): Division[] {
    const byKey = this.#base.places.get(state.toLowerCase());
    if (byKey === undefined) return [];
    // "Carson City" is a name of its own; "Richmond city" is the census spelling of Richmond
    const exact = byKey.get(normalizeName(name));
    if (exact !== undefined || options.exact === true) return exact ?? [];
    return byKey.get(placeKey(name)) ?? [];
  }

  /** Every county key and place key of a state, for "did you mean" lists. */
  divisionKeys(state: string): {
    counties: ReadonlyMap<string, Division[]>;
    places: ReadonlyMap<string, Division[]>;
  } {
    const code = state.toLowerCase();
    return {
      counties: this.#base.counties.get(code) ?? new Map(),
      places: this.#base.places.get(code) ?? new Map(),
    };
  }

  counties(state?: string): Division[] {
    const out: Division[] = [];
    for (const division of this.#base.divisions.values()) {
      if (division.kind === 'county' && (state === undefined || division.state === state.toLowerCase()))
        out.push(division);
    }
    return out;
  }

  agencies(): Agency[] {
    return [...this.#agencies.values()];
  }

  facilities(): Facility[] {
    return [...this.#facilities.values()];
  }

  /** Agencies of a state whose name or alias folds to the same key as `name`. */
  agenciesNamed(state: string, name: string): Agency[] {
    return this.#agencyNames.get(state.toLowerCase())?.get(normalizeName(name)) ?? [];
  }

  facilitiesNamed(state: string, name: string): Facility[] {
    return this.#facilityNames.get(state.toLowerCase())?.get(normalizeName(name)) ?? [];
  }

  /** Every agency name key of a state (for search). */
  agencyKeys(state: string): ReadonlyMap<string, Agency[]> {
    return this.#agencyNames.get(state.toLowerCase()) ?? new Map();
  }

  facilityKeys(state: string): ReadonlyMap<string, Facility[]> {
    return this.#facilityNames.get(state.toLowerCase()) ?? new Map();
  }

  agenciesIn(divisionId: string): Agency[] {
    return this.#agenciesByDivision.get(this.canonicalId(divisionId)) ?? [];
  }

  /** The county's sheriff, when the registry knows exactly one. */
  sheriffOf(countyId: string): Agency | undefined {
    const sheriffs = this.agenciesIn(countyId).filter((agency) => agency.kind === 'sheriff');
    return sheriffs.length === 1 ? sheriffs[0] : undefined;
  }

  /**
   * The county divisions a postal city lies in (GeoNames crosswalk). `ambiguous` lists every county;
   * a Virginia independent city is listed as its OCD place (OCD has no county row for it), so a
   * `unique` answer may be a place.
   */
  cityCounties(
    state: string,
    city: string,
  ):
    | { status: 'unique'; county: Division }
    | { status: 'ambiguous'; counties: Division[] }
    | { status: 'unknown'; counties: [] } {
    const code = state.toLowerCase();
    const found = this.#base.crosswalk.counties(code, city);
    if (found.status === 'unknown') return { status: 'unknown', counties: [] };
    const refs = found.status === 'unique' ? [found.county] : found.counties;
    const counties: Division[] = [];
    for (const ref of refs) {
      const county = this.#base.byFips.get(ref.fips);
      if (county !== undefined && county.kind === 'county') {
        counties.push(county);
        continue;
      }
      // GeoNames' "City of Richmond", "Lynchburg (city)", "Carson City" are independent cities:
      // OCD has them as places directly under the state, not as counties
      const city = ref.name.replace(/^city of /i, '').replace(/\s*\(city\)?$/i, '');
      const stateId = this.state(code)?.id;
      const places = this.placesNamed(code, city).filter((place) => place.parentId === stateId);
      if (places.length === 1) counties.push(places[0]!);
    }
    if (counties.length === 1 && refs.length === 1) return { status: 'unique', county: counties[0]! };
    if (counties.length === 0) return { status: 'unknown', counties: [] };
    return { status: 'ambiguous', counties };
  }

  get crosswalk(): CityCountyCrosswalk {
    return this.#base.crosswalk;
  }
}

/** The divisions alone (no seed agencies), cached. */
function base(): DivisionBase {
  cachedBase ??= loadBase();
  return cachedBase;
}

/**
 * Load the registry: OCD divisions and aliases, the nation, the shipped agency/facility seed, and any
 * `extra` rows (imports, tests). The divisions and the seed are read once per process.
 */
export function loadRegistry(
  extra?: { agencies?: Agency[]; facilities?: Facility[] },
  options: LoadOptions = {},
): Registry {
  const seeded = options.seed ?? true;
  const plain = (extra?.agencies?.length ?? 0) === 0 && (extra?.facilities?.length ?? 0) === 0;
  // the plain registry is shared, so the resolver's memo stays warm across callers
  if (plain && seeded && cachedRegistry !== undefined) return cachedRegistry;
  if (seeded) cachedSeed ??= readSeed();
  const seed = seeded ? cachedSeed! : { agencies: [], facilities: [] };
  const registry = new Registry(
    base(),
    [...seed.agencies, ...(extra?.agencies ?? [])],
    [...seed.facilities, ...(extra?.facilities ?? [])],
  );
  if (plain && seeded) cachedRegistry = registry;
  return registry;
}
