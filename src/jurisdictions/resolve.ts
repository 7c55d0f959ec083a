import { normalizeName, parseState, splitCountySuffix, stateName } from './normalize.ts';
import type { Registry } from './registry.ts';
import type { Agency, Candidate, Division, Facility, Resolution } from './types.ts';

export interface NameInput {
  name: string;
  state?: string | null;
  city?: string | null;
  /** ICE's facility code (DETLOC) */
  code?: string | null;
}

/** Rule names, stable: stored with resolutions and shown in import reports. */
export const RULES = [
  'facility-detloc',
  'facility-name',
  'agency-name',
  'agency-alias',
  'county-facility',
  'county-name',
  'sheriff-name',
  'city-of',
  'city-name',
  'police-department',
  'place-name',
  'city-field',
  'city-county-crosswalk',
  'state-conflict',
  'state-unknown',
  'no-state',
  'no-match',
] as const;
export type Rule = (typeof RULES)[number];

/** County-equivalent type words as the folded name spells them. */
const COUNTY_TYPES = ['city and borough', 'census area', 'county', 'parish', 'borough', 'municipio'];

/** Words that, after "<X> County", say the name is the county's jail or sheriff. */
const COUNTY_FACILITY_WORDS = new Set([
  'jail',
  'jails',
  'detention',
  'sheriffs',
  'correctional',
  'corrections',
  'correction',
  'adult',
  'justice',
  'law',
  'public',
  'criminal',
  'prison',
  'regional',
  'work',
  'intake',
  'holding',
  'juvenile',
  'stockade',
  'department',
  'house',
  'pre',
  'pretrial',
]);

/** Tails that make a name "<X> Police Department" (the folder already turned "PD" into "police department"). */
const POLICE_TAILS = [
  ' police department',
  ' police dept',
  ' police',
  ' department of police',
  ' police bureau',
];
const SHERIFF_TAILS = [' sheriffs office', ' sheriffs department', ' sheriffs'];
const CITY_TAILS = [' city jail', ' city police department', ' city'];
const PLACE_PREFIXES: ReadonlyArray<[string, string]> = [
  ['city of ', ''],
  ['town of ', ''],
  ['village of ', ''],
  ['borough of ', ''],
  ['township of ', ' township'],
];

const CACHE_LIMIT = 200_000;
const caches = new WeakMap<Registry, { raw: Map<string, Resolution>; folded: Map<string, Resolution> }>();

/**
 * Resolve a facility, agency or jurisdiction name to an id. A state is always required (given,
 * or parsed from the name's tail: "…, LAS VEGAS, NEVADA", "Franklin Co., PA"); several matches
 * are `ambiguous` and nothing is `unknown`, both with candidates. It never guesses.
 */
export function resolveName(registry: Registry, input: NameInput): Resolution {
  let cache = caches.get(registry);
  if (cache === undefined) {
    cache = { raw: new Map(), folded: new Map() };
    caches.set(registry, cache);
  }
  const rawKey = `${input.name}\u0001${input.state ?? ''}\u0001${input.city ?? ''}\u0001${input.code ?? ''}`;
  const hit = cache.raw.get(rawKey);
  if (hit !== undefined) return hit;

  const parsed = parseInput(input);
  const foldedKey = `${parsed.core}\u0001${parsed.givenState ?? ''}\u0001${parsed.nameState ?? ''}\u0001${parsed.badState ?? ''}\u0001${parsed.city ?? ''}\u0001${parsed.code ?? ''}`;
  let result = cache.folded.get(foldedKey);
  if (result === undefined) {
    result = freeze(resolveParsed(registry, parsed));
    if (cache.folded.size >= CACHE_LIMIT) cache.folded.clear();
    cache.folded.set(foldedKey, result);
  }
  if (cache.raw.size >= CACHE_LIMIT) cache.raw.clear();
  cache.raw.set(rawKey, result);
  return result;
}

interface ParsedInput {
  /** the folded name without its state / city tail */
  core: string;
  givenState: string | null;
  nameState: string | null;
  /** a `state` value that is not a state */
  badState: string | null;
  city: string | null;
  code: string | null;
}

/** Split "NAME, CITY, STATE" / "NAME (STATE)" and fold the parts. */
export function parseInput(input: NameInput): ParsedInput {
  let name = typeof input.name === 'string' ? input.name.trim() : '';
  let nameState: string | null = null;
  let nameCity: string | null = null;

  const paren = /\(([^()]*)\)\s*$/.exec(name);
  if (paren !== null) {
    const code = parseState(paren[1]);
    if (code !== null) {
      nameState = code;
      name = name.slice(0, paren.index).trim();
    }
  }
  if (nameState === null && name.includes(',')) {
    const parts = name.split(',').map((part) => part.trim());
    const code = parseState(parts[parts.length - 1]);
    if (code !== null && parts.length > 1) {
      nameState = code;
      parts.pop();
      // "NAME, CITY, STATE": the middle part is the city
      if (parts.length > 1) nameCity = parts.pop() ?? null;
      name = parts.join(', ');
    }
  }

  const rawState = typeof input.state === 'string' ? input.state.trim() : '';
  const givenState = rawState.length > 0 ? parseState(rawState) : null;
  const city = typeof input.city === 'string' && input.city.trim().length > 0 ? input.city.trim() : nameCity;
  const code =
    typeof input.code === 'string' && input.code.trim().length > 0 ? input.code.trim().toUpperCase() : null;
  return {
    core: normalizeName(name),
    givenState,
    nameState,
    badState: rawState.length > 0 && givenState === null ? rawState : null,
    city: city === null ? null : normalizeName(city),
    code,
  };
}

function resolveParsed(registry: Registry, input: ParsedInput): Resolution {
  if (input.code !== null) {
    const facility = registry.facilityByDetloc(input.code);
    if (facility !== undefined) {
      const state = input.givenState ?? input.nameState;
      if (state !== null && state !== facility.state) {
        return unknown(
          'state-conflict',
          [facilityCandidate(facility)],
          `facility \`${input.code}\` is in ${label(facility.state)}, not ${label(state)}`,
        );
      }
      return {
        status: 'resolved',
        divisionId: facility.divisionId,
        agencyId: facility.agencyId,
        facilityId: facility.id,
        rule: 'facility-detloc',
        candidates: [],
        reason: `ICE facility code \`${input.code}\` is ${facility.name}`,
      };
    }
  }

  if (input.badState !== null)
    return unknown('state-unknown', [], `\`${input.badState}\` is not a US state, district or territory`);
  if (input.givenState !== null && input.nameState !== null && input.givenState !== input.nameState) {
    return unknown(
      'state-conflict',
      [],
      `the name says ${label(input.nameState)} but the state given is ${label(input.givenState)}`,
    );
  }
  const state = input.givenState ?? input.nameState;
  if (input.core.length === 0 && input.city === null) return unknown('no-match', [], 'the name is empty');
  if (state === null) return withoutState(registry, input.core);

  return (
    byRegistryName(registry, state, input.core) ??
    byCounty(registry, state, input.core) ??
    byPlace(registry, state, input.core) ??
    byCity(registry, state, input.city) ??
    nearest(registry, state, input.core)
  );
}

/** Without a state a name never resolves; an "X County" name lists every state's X County. */
function withoutState(registry: Registry, core: string): Resolution {
  const county = countyPattern(core);
  const candidates =
    county === null ? [] : registry.countiesNamedAnywhere(county.core).map(divisionCandidate);
  const reason = 'no state was given or found in the name, and a name never resolves without its state';
  if (candidates.length > 1) {
    return { ...empty('ambiguous', 'no-state', reason), candidates };
  }
  return unknown('no-state', candidates, reason);
}

function byRegistryName(registry: Registry, state: string, core: string): Resolution | null {
  if (core.length === 0) return null;
  const facilities = registry.facilitiesNamed(state, core);
  if (facilities.length === 1) {
    const facility = facilities[0]!;
    // A known facility whose city spans counties still names its county ("LEE COUNTY JAIL").
    const county = facility.divisionId === null ? byCounty(registry, state, core) : null;
    if (county?.status === 'resolved') {
      return {
        ...empty(
          'resolved',
          'facility-name',
          `${facility.name} is a known facility in ${label(state)}; its county is in its name`,
        ),
        divisionId: county.divisionId,
        agencyId: facility.agencyId ?? county.agencyId,
        facilityId: facility.id,
      };
    }
    return {
      ...empty('resolved', 'facility-name', `${facility.name} is a known facility in ${label(state)}`),
      divisionId: facility.divisionId,
      agencyId: facility.agencyId,
      facilityId: facility.id,
    };
  }
  const agencies = registry.agenciesNamed(state, core);
  if (agencies.length === 1) {
    const agency = agencies[0]!;
    const byName = normalizeName(agency.name) === core;
    return {
      ...empty(
        'resolved',
        byName ? 'agency-name' : 'agency-alias',
        byName
          ? `${agency.name} is a known agency in ${label(state)}`
          : `\`${core}\` is another name of ${agency.name}`,
      ),
      divisionId: agency.divisionId,
      agencyId: agency.id,
    };
  }
  if (facilities.length + agencies.length > 1) {
    return {
      ...empty(
        'ambiguous',
        agencies.length > 1 ? 'agency-name' : 'facility-name',
        `several agencies or facilities in ${label(state)} go by this name`,
      ),
      candidates: [...facilities.map(facilityCandidate), ...agencies.map(agencyCandidate)],
    };
  }
  return null;
}

/** "<X> County[ <jail words>]", "<X> Parish", "<X> Borough", "<X> Municipio", "<X> Sheriff's Office". */
function countyPattern(core: string): { core: string; type: string; rest: string } | null {
  const exact = splitCountySuffix(core);
  if (exact !== null) return { core: exact[0], type: exact[1], rest: '' };
  for (const type of COUNTY_TYPES) {
    const at = core.indexOf(` ${type} `);
    if (at <= 0) continue;
    const rest = core.slice(at + type.length + 2);
    const firstWord = rest.split(' ', 1)[0] ?? '';
    if (COUNTY_FACILITY_WORDS.has(firstWord)) return { core: core.slice(0, at), type, rest };
  }
  return null;
}

function byCounty(registry: Registry, state: string, core: string): Resolution | null {
  const county = countyPattern(core);
  if (county !== null) {
    const found = registry.countiesNamed(state, county.core);
    const rule = county.rest.length === 0 ? 'county-name' : 'county-facility';
    if (found.length === 1) {
      const division = found[0]!;
      const sheriff = county.rest.length > 0 ? registry.sheriffOf(division.id) : undefined;
      return {
        ...empty('resolved', rule, `${division.name} is a county of ${label(state)}`),
        divisionId: division.id,
        agencyId: sheriff?.id ?? null,
      };
    }
    if (found.length > 1)
      return {
        ...empty('ambiguous', rule, `several counties of ${label(state)} match`),
        candidates: found.map(divisionCandidate),
      };
    return nearest(
      registry,
      state,
      county.core,
      `${label(state)} has no ${county.type} named \`${county.core}\``,
    );
  }
  for (const tail of SHERIFF_TAILS) {
    if (!core.endsWith(tail) || core.length === tail.length) continue;
    const found = registry.countiesNamed(state, core.slice(0, -tail.length));
    if (found.length === 1) {
      const division = found[0]!;
      return {
        ...empty('resolved', 'sheriff-name', `a sheriff serves a county: ${division.name}, ${label(state)}`),
        divisionId: division.id,
        agencyId: registry.sheriffOf(division.id)?.id ?? null,
      };
    }
  }
  return null;
}

function byPlace(registry: Registry, state: string, core: string): Resolution | null {
  if (core.length === 0) return null;
  for (const [prefix, suffix] of PLACE_PREFIXES) {
    if (core.startsWith(prefix) && core.length > prefix.length) {
      return placeResult(registry, state, core.slice(prefix.length) + suffix, 'city-of', null);
    }
  }
  for (const tail of POLICE_TAILS) {
    if (core.endsWith(tail) && core.length > tail.length) {
      const name = core.slice(0, -tail.length).replace(/ city$/, '');
      return placeResult(registry, state, name, 'police-department', 'police');
    }
  }
  // "Carson City" and "Kansas City" are place names themselves; "Richmond city" is the census spelling of Richmond
  const whole = registry.placesNamed(state, core, { exact: true });
  if (whole.length > 0) return placeResult(registry, state, core, 'place-name', null);
  for (const tail of CITY_TAILS) {
    if (core.endsWith(tail) && core.length > tail.length) {
      return placeResult(
        registry,
        state,
        core.slice(0, -tail.length),
        'city-name',
        tail === ' city' ? null : 'jail',
      );
    }
  }
  return null;
}

function placeResult(
  registry: Registry,
  state: string,
  name: string,
  rule: Rule,
  agencyKind: Agency['kind'] | null,
): Resolution | null {
  const found = registry.placesNamed(state, name);
  if (found.length === 1) {
    const place = found[0]!;
    const agencies =
      agencyKind === null ? [] : registry.agenciesIn(place.id).filter((agency) => agency.kind === agencyKind);
    return {
      ...empty(
        'resolved',
        rule,
        `${displayName(place)} is ${place.kind === 'place' ? 'a place' : 'a consolidated city-county'} in ${label(state)}`,
      ),
      divisionId: place.id,
      agencyId: agencies.length === 1 ? agencies[0]!.id : null,
    };
  }
  if (found.length > 1)
    return {
      ...empty('ambiguous', rule, `several places in ${label(state)} are named \`${name}\``),
      candidates: found.map(divisionCandidate),
    };
  if (rule === 'place-name') return null;
  return nearest(registry, state, name, `${label(state)} has no place named \`${name}\``);
}

/** The `city` field (or the city part of the name): the place, else the one county the city lies in. */
function byCity(registry: Registry, state: string, city: string | null): Resolution | null {
  if (city === null || city.length === 0) return null;
  const places = registry.placesNamed(state, city);
  if (places.length === 1) {
    const place = places[0]!;
    return {
      ...empty('resolved', 'city-field', `the city ${displayName(place)} is a place in ${label(state)}`),
      divisionId: place.id,
    };
  }
  if (places.length > 1)
    return {
      ...empty('ambiguous', 'city-field', `several places in ${label(state)} are named \`${city}\``),
      candidates: places.map(divisionCandidate),
    };
  const counties = registry.cityCounties(state, city);
  if (counties.status === 'unique') {
    return {
      ...empty(
        'resolved',
        'city-county-crosswalk',
        `the postal city \`${city}\` lies in ${counties.county.name}, ${label(state)}`,
      ),
      divisionId: counties.county.id,
    };
  }
  if (counties.status === 'ambiguous') {
    return {
      ...empty(
        'ambiguous',
        'city-county-crosswalk',
        `the postal city \`${city}\` spans ${counties.counties.length} counties of ${label(state)}`,
      ),
      candidates: counties.counties.map(divisionCandidate),
    };
  }
  return null;
}

const NEAREST_LIMIT = 10;

/** Nothing matched: list what the state has that starts with the same word. */
function nearest(registry: Registry, state: string, core: string, reason?: string): Resolution {
  const first = core.split(' ', 1)[0] ?? '';
  const candidates: Candidate[] = [];
  if (first.length > 0) {
    const keys = registry.divisionKeys(state);
    const seen = new Set<string>();
    const consider = (
      key: string,
      items: readonly (Division | Agency | Facility)[],
      toCandidate: (item: never) => Candidate,
    ): void => {
      if (candidates.length >= NEAREST_LIMIT || !(key === first || key.startsWith(`${first} `))) return;
      for (const item of items) {
        if (seen.has(item.id) || candidates.length >= NEAREST_LIMIT) continue;
        seen.add(item.id);
        candidates.push(toCandidate(item as never));
      }
    };
    for (const [key, items] of registry.agencyKeys(state)) consider(key, items, agencyCandidate);
    for (const [key, items] of keys.counties) consider(key, items, divisionCandidate);
    for (const [key, items] of keys.places) consider(key, items, divisionCandidate);
  }
  return unknown('no-match', candidates, reason ?? `nothing in ${label(state)} is named \`${core}\``);
}

export interface SearchHit extends Candidate {
  state: string;
  /** 100 exact, 80 starts with the query, 60 a word starts with it, 40 contains it */
  score: number;
}

/** Ranked candidates for a free-text query (`jurisdictions search NAME --state XX`): counties, places, agencies, facilities. */
export function searchJurisdictions(
  registry: Registry,
  query: string,
  state?: string | null,
  limit = 25,
): SearchHit[] {
  const parsed = parseInput({ name: query, state: state ?? null });
  const scope = parsed.givenState ?? parsed.nameState;
  const folded = parsed.core;
  if (folded.length === 0) return [];
  const countyCore = countyPattern(folded)?.core ?? folded;
  const hits = new Map<string, SearchHit>();
  const score = (key: string, q: string): number => {
    if (key === q) return 100;
    if (key.startsWith(q)) return 80;
    if (key.includes(` ${q}`)) return 60;
    if (key.includes(q)) return 40;
    return 0;
  };
  const add = (candidate: Candidate, code: string, points: number): void => {
    if (points === 0) return;
    const previous = hits.get(candidate.id);
    if (previous === undefined || previous.score < points)
      hits.set(candidate.id, { ...candidate, state: code, score: points });
  };
  const states = scope === null ? registry.states().map((division) => division.state) : [scope];
  for (const code of states) {
    const keys = registry.divisionKeys(code);
    for (const [key, items] of keys.counties) {
      const points = score(key, countyCore);
      if (points > 0) for (const item of items) add(divisionCandidate(item), code, points);
    }
    for (const [key, items] of keys.places) {
      const points = score(key, folded);
      if (points > 0) for (const item of items) add(divisionCandidate(item), code, points);
    }
    for (const [key, items] of registry.agencyKeys(code)) {
      const points = score(key, folded);
      if (points > 0) for (const item of items) add(agencyCandidate(item), code, points);
    }
    for (const [key, items] of registry.facilityKeys(code)) {
      const points = score(key, folded);
      if (points > 0) for (const item of items) add(facilityCandidate(item), code, points);
    }
  }
  const kindOrder = { division: 0, agency: 1, facility: 2 } as const;
  return [...hits.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        kindOrder[a.kind] - kindOrder[b.kind] ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, limit);
}

// ---------------------------------------------------------------------------------------------

function empty(status: Resolution['status'], rule: Rule, reason: string): Resolution {
  return { status, divisionId: null, agencyId: null, facilityId: null, rule, candidates: [], reason };
}

function unknown(rule: Rule, candidates: Candidate[], reason: string): Resolution {
  return { ...empty('unknown', rule, reason), candidates };
}

function label(state: string): string {
  return stateName(state) ?? state.toUpperCase();
}

/** Census names like "Los Angeles city"; the whitelist rows carry a note instead of a name. */
function displayName(division: Division): string {
  return `${division.name} (${division.state.toUpperCase()})`;
}

function divisionCandidate(division: Division): Candidate {
  return { id: division.id, name: division.name, kind: 'division' };
}

function agencyCandidate(agency: Agency): Candidate {
  return { id: agency.id, name: agency.name, kind: 'agency' };
}

function facilityCandidate(facility: Facility): Candidate {
  return { id: facility.id, name: facility.name, kind: 'facility' };
}

/** Cached results are shared between callers, so they must not be changed in place. */
function freeze(resolution: Resolution): Resolution {
  for (const candidate of resolution.candidates) Object.freeze(candidate);
  Object.freeze(resolution.candidates);
  return Object.freeze(resolution);
}
