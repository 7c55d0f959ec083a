/**
 * Build the shipped agency and facility seed (`data/agencies.csv`, `data/facilities.csv`) from:
 *   - `data/agencies-law.csv`, the hand-written agencies the law library names;
 *   - ICE's 287(g) participating-agency sheets (their cell dumps beside the workbooks);
 *   - `data/ice-reference/facility-locations-oct2025.tsv`, ICE facilities with city and state.
 * Every row must resolve to a division through the registry; rows that do not are reported and
 * left out, never guessed. Run: `npx tsx scripts/build-registry-seed.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { normalizeName, parseState, slugify, stateNameKey } from '../src/jurisdictions/normalize.ts';
import { loadRegistry, type Registry } from '../src/jurisdictions/registry.ts';
import { resolveName } from '../src/jurisdictions/resolve.ts';
import {
  AGENCY_KINDS,
  type Agency,
  type AgencyKind,
  type Division,
  type Facility,
} from '../src/jurisdictions/types.ts';

const DATA = fileURLToPath(new URL('../data/', import.meta.url));
const SHEETS = ['participatingAgencies07182025pm', 'participatingAgencies05162025am'];

interface Problem {
  source: string;
  row: number;
  name: string;
  reason: string;
}

const problems: Problem[] = [];

function readCsv(path: string, delimiter?: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
    header: true,
    skipEmptyLines: true,
    ...(delimiter === undefined ? {} : { delimiter, quoteChar: '\u0000' }),
  });
  // ICE's rows sometimes carry a stray extra cell; only broken quoting makes a file unreadable
  const broken = parsed.errors.find((error) => error.type === 'Quotes');
  if (broken !== undefined)
    throw new Error(`cannot read \`${path}\`: ${broken.message.toLowerCase()} at row ${broken.row ?? '?'}`);
  return parsed.data;
}

/** Collapse the line breaks and doubled spaces ICE's cells carry. */
function clean(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

class AgencySet {
  readonly byId = new Map<string, Agency>();

  constructor(readonly registry: Registry) {}

  /** An agency already known in the state by this name or alias. */
  named(state: string, name: string): Agency | undefined {
    const key = normalizeName(name);
    for (const agency of this.byId.values()) {
      if (agency.state !== state) continue;
      if (
        normalizeName(agency.name) === key ||
        (agency.aliases ?? []).some((alias) => normalizeName(alias) === key)
      )
        return agency;
    }
    return undefined;
  }

  /** Add, or merge into the agency that already has this id or name (its name becomes an alias). */
  add(agency: Agency): Agency {
    const existing = this.named(agency.state, agency.name) ?? this.byId.get(agency.id);
    if (existing !== undefined) {
      if (existing.kind !== agency.kind && this.byId.get(agency.id) === existing) {
        // same id, different kind: a second body in the division, so give it a name-based slug
        return this.add({ ...agency, id: `${agency.divisionId}/agency:${slugFromName(agency)}` });
      }
      const names = [existing.name, ...(existing.aliases ?? [])].map(normalizeName);
      if (!names.includes(normalizeName(agency.name)))
        existing.aliases = [...(existing.aliases ?? []), agency.name];
      return existing;
    }
    this.byId.set(agency.id, agency);
    return agency;
  }
}

/** A slug from the agency's own name, without the division's name in front. */
function slugFromName(agency: Agency): string {
  return slugify(agency.name).replace(/^(city_of_|town_of_|village_of_)/, '') || 'agency';
}

function loadLawAgencies(set: AgencySet): void {
  const rows = readCsv(`${DATA}agencies-law.csv`);
  rows.forEach((row, index) => {
    const name = clean(row['name']);
    const kind = clean(row['kind']) as AgencyKind;
    const division = set.registry.division(clean(row['division_id']));
    if (!AGENCY_KINDS.includes(kind))
      throw new Error(`agencies-law.csv row ${index + 2}: unknown kind \`${row['kind']}\``);
    if (division === undefined)
      throw new Error(`agencies-law.csv row ${index + 2}: unknown division \`${row['division_id']}\``);
    const slug = clean(row['slug']) || slugify(name);
    set.add({
      id: `${division.id}/agency:${slug}`,
      name,
      kind,
      divisionId: division.id,
      state: division.state,
      ori: clean(row['ori']) || null,
      source: 'seed:law',
      aliases: clean(row['aliases'])
        .split(';')
        .map((alias) => alias.trim())
        .filter((alias) => alias.length > 0),
    });
  });
}

const MUNICIPAL_TAILS =
  /\s+(police\s+(services\s+)?(department|dept|departent|department of public safety|division|services)|police|department of public safety|public safety department|public safety|marshals?('s)? office|marshal|constables?('s)?( office)?)$/i;

function countyKind(name: string): AgencyKind {
  const folded = normalizeName(name);
  if (/\bsheriffs\b/.test(folded)) return 'sheriff';
  if (/\bport authority police\b/.test(folded)) return 'port-police';
  if (/\b(jail|detention|correction|corrections|correctional|criminal justice authority)\b/.test(folded))
    return 'jail';
  if (/\b(police|constable|constables|constbales|marshal|metropolitan police)\b/.test(folded))
    return 'police';
  return 'non-law-enforcement';
}

function municipalKind(name: string): AgencyKind {
  const folded = normalizeName(name);
  if (/\b(jail|detention|corrections)\b/.test(folded)) return 'jail';
  if (/\b(police|public safety|marshal|marshals|constable|law enforcement|departent)\b/.test(folded))
    return 'police';
  return 'non-law-enforcement';
}

function stateAgencyKind(name: string): AgencyKind {
  const folded = normalizeName(name);
  if (/\bcorrections?\b/.test(folded)) return 'state-prison';
  if (/\b(university|college)\b/.test(folded)) return 'school-police';
  if (
    /\b(police|patrol|public safety|law enforcement|investigation|wildlife|fire marshal|alcoholic beverages|attorney general|justice)\b/.test(
      folded,
    )
  ) {
    return 'police';
  }
  return 'non-law-enforcement';
}

function kindSlug(kind: AgencyKind): string | null {
  switch (kind) {
    case 'sheriff':
      return 'sheriff';
    case 'police':
      return 'police';
    case 'jail':
      return 'jail';
    default:
      return null;
  }
}

function within(registry: Registry, division: Division, county: Division | undefined): boolean {
  return (
    county === undefined || registry.ancestors(division.id).some((ancestor) => ancestor.id === county.id)
  );
}

/** "Town of X Police Department" → the place X in the state, narrowed by the sheet's county when several share the name. */
function municipality(
  registry: Registry,
  state: string,
  name: string,
  county: Division | undefined,
): Division[] {
  const core = name
    .replace(MUNICIPAL_TAILS, '')
    .replace(/^(the\s+)?(city|town|village|borough|township)\s+of\s+/i, '')
    .replace(/\s+(city|town|village|borough)$/i, '')
    .trim();
  const candidates = [
    ...registry.placesNamed(state, core),
    ...registry.placesNamed(state, `${core} township`, { exact: true }),
    ...registry.placesNamed(state, `${core} city`, { exact: true }),
  ];
  const unique = [...new Map(candidates.map((division) => [division.id, division])).values()];
  if (unique.length <= 1) return unique;
  const inCounty = unique.filter((division) => within(registry, division, county));
  return inCounty.length > 0 ? inCounty : unique;
}

function load287g(set: AgencySet): void {
  const registry = set.registry;
  for (const sheet of SHEETS) {
    const source = `seed:287g:${sheet}.xlsx`;
    readCsv(`${DATA}ice-287g/${sheet}.cells.csv`).forEach((row, index) => {
      const name = clean(row['LAW ENFORCEMENT AGENCY']);
      const type = clean(row['TYPE']).toLowerCase();
      const rowNumber = index + 2;
      if (name.length === 0) return;
      const report = (reason: string): void => {
        problems.push({ source: `${sheet}.cells.csv`, row: rowNumber, name, reason });
      };
      const state = parseState(clean(row['STATE']));
      if (state === null) return report(`unknown state \`${clean(row['STATE'])}\``);
      // ICE writes "#N/A" / "N/A" where a state or city agency has no county
      const countyName = /^#?n\/?a$/i.test(clean(row['COUNTY'])) ? '' : clean(row['COUNTY']);
      const counties = countyName.length > 0 ? registry.countiesNamed(state, countyName) : [];
      if (countyName.length > 0 && counties.length !== 1) {
        return report(
          `county \`${countyName}\` ${counties.length === 0 ? 'not found' : 'is ambiguous'} in ${state.toUpperCase()}`,
        );
      }
      const county = counties[0];
      const known = set.named(state, name);
      if (known !== undefined) return;

      let division: Division;
      let kind: AgencyKind;
      if (type === 'state agency') {
        division = registry.state(state)!;
        kind = stateAgencyKind(name);
      } else if (type === 'county') {
        if (county === undefined) return report('a county agency with no county');
        division = county;
        kind = countyKind(name);
      } else if (type === 'municipality') {
        const places = municipality(registry, state, name, county);
        if (places.length !== 1) {
          return report(
            places.length === 0
              ? 'no place of that name in the state'
              : `${places.length} places of that name: ${places.map((place) => place.id).join(', ')}`,
          );
        }
        division = places[0]!;
        kind = municipalKind(name);
      } else {
        return report(`unknown agency type \`${clean(row['TYPE'])}\``);
      }
      const stateKey = stateNameKey(state);
      const base: Agency = {
        id: '',
        name,
        kind,
        divisionId: division.id,
        state,
        ori: null,
        source,
        aliases: [],
      };
      let slug = kindSlug(kind);
      if (slug === null || type === 'state agency') {
        const own = slugFromName(base);
        slug =
          stateKey !== undefined && own.startsWith(`${stateKey.replace(/ /g, '_')}_`)
            ? own.slice(stateKey.length + 1)
            : own;
      }
      set.add({ ...base, id: `${division.id}/agency:${slug}` });
    });
  }
}

function loadFacilities(registry: Registry): Facility[] {
  const source = 'seed:ice-reference:facility-locations-oct2025.tsv';
  const facilities: Facility[] = [];
  readCsv(`${DATA}ice-reference/facility-locations-oct2025.tsv`, '\t').forEach((row, index) => {
    const detloc = clean(row['detention_facility_code']).toUpperCase();
    const name = clean(row['detention_facility_name']);
    const city = clean(row['city']) || null;
    const state = parseState(clean(row['state']));
    const report = (reason: string): void => {
      problems.push({
        source: 'facility-locations-oct2025.tsv',
        row: index + 2,
        name: `${detloc} ${name}`,
        reason,
      });
    };
    if (detloc.length === 0) return report('no facility code');
    if (state === null) return report('no state: left out, a facility is never placed without its state');
    let divisionId: string | null = null;
    if (city !== null) {
      const counties = registry.cityCounties(state, city);
      if (counties.status === 'unique') divisionId = counties.county.id;
      else
        report(
          counties.status === 'ambiguous'
            ? `city \`${city}\` spans ${counties.counties.map((c) => c.name).join(', ')}: no division`
            : `city \`${city}\` not in the crosswalk: no division`,
        );
    }
    // the jail's own county sheriff, only when its name names the same county the city lies in
    const byName = resolveName(registry, { name, state });
    const agencyId =
      byName.status === 'resolved' && byName.rule === 'county-facility' && byName.divisionId === divisionId
        ? byName.agencyId
        : null;
    facilities.push({
      id: `facility:${detloc}`,
      name,
      detloc,
      agencyId,
      divisionId,
      city,
      state,
      source,
      aliases: [],
    });
  });
  return facilities;
}

function writeCsv(path: string, rows: Record<string, string>[], columns: string[]): void {
  writeFileSync(path, `${Papa.unparse(rows, { columns, newline: '\n' })}\n`);
}

function main(): void {
  const base = loadRegistry(undefined, { seed: false });
  const set = new AgencySet(base);
  loadLawAgencies(set);
  load287g(set);
  const agencies = [...set.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  // facilities see the agencies so a county jail can name its sheriff
  const withAgencies = loadRegistry({ agencies }, { seed: false });
  const facilities = loadFacilities(withAgencies).sort((a, b) => a.id.localeCompare(b.id));

  writeCsv(
    `${DATA}agencies.csv`,
    agencies.map((agency) => ({
      id: agency.id,
      name: agency.name,
      kind: agency.kind,
      division_id: agency.divisionId,
      state: agency.state,
      ori: agency.ori ?? '',
      aliases: (agency.aliases ?? []).join(';'),
      source: agency.source,
    })),
    ['id', 'name', 'kind', 'division_id', 'state', 'ori', 'aliases', 'source'],
  );
  writeCsv(
    `${DATA}facilities.csv`,
    facilities.map((facility) => ({
      id: facility.id,
      name: facility.name,
      detloc: facility.detloc ?? '',
      agency_id: facility.agencyId ?? '',
      division_id: facility.divisionId ?? '',
      city: facility.city ?? '',
      state: facility.state,
      aliases: (facility.aliases ?? []).join(';'),
      source: facility.source,
    })),
    ['id', 'name', 'detloc', 'agency_id', 'division_id', 'city', 'state', 'aliases', 'source'],
  );

  const byKind = new Map<string, number>();
  for (const agency of agencies) byKind.set(agency.kind, (byKind.get(agency.kind) ?? 0) + 1);
  console.log(`agencies: ${agencies.length} (${[...byKind].map(([kind, n]) => `${kind} ${n}`).join(', ')})`);
  console.log(
    `facilities: ${facilities.length}, ${facilities.filter((f) => f.divisionId !== null).length} with a division`,
  );
  if (problems.length > 0) {
    console.log(`left out or incomplete (${problems.length}):`);
    for (const problem of problems)
      console.log(`  ${problem.source} row ${problem.row}: ${problem.name}: ${problem.reason}`);
  }
}

main();
