/** The law library as the API and the pages list it: filters, grouping by layer and state. */
import { stateName } from '../jurisdictions/normalize.ts';
import type { CompiledInstrument, Library } from '../law/index.ts';
import { LAYERS, type Layer } from '../law/vocabulary.ts';

export interface InstrumentFilter {
  division?: string;
  /** two-letter code, lower case */
  state?: string;
  layer?: Layer;
  date?: string;
}

/** `ocd-division/country:us/state:ca/...` → `ca`; the nation → `` */
export function stateOfDivision(division: string): string {
  return /\/state:([a-z]{2})/.exec(division)?.[1] ?? '';
}

export function listInstruments(library: Library, f: InstrumentFilter): CompiledInstrument[] {
  return library.instruments
    .filter(
      (i) =>
        (f.division === undefined || i.division === f.division) &&
        (f.state === undefined || stateOfDivision(i.division) === f.state) &&
        (f.layer === undefined || i.layer === f.layer) &&
        (f.date === undefined ||
          (i.ref.validFrom <= f.date && (i.ref.validTo === null || f.date <= i.ref.validTo))),
    )
    .sort(
      (a, b) =>
        LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) ||
        a.division.localeCompare(b.division) ||
        a.id.localeCompare(b.id) ||
        a.version.localeCompare(b.version),
    );
}

/** Every version of `id` (or the one named by `id@version`), oldest first. */
export function instrumentVersions(library: Library, idWithVersion: string): CompiledInstrument[] {
  const [id, version] = idWithVersion.split('@');
  return library.instruments
    .filter((i) => i.id === id && (version === undefined || i.version === version))
    .sort((a, b) => a.version.localeCompare(b.version));
}

export interface StateGroup {
  /** two-letter code, lower case; `` for federal law */
  state: string;
  label: string;
  byLayer: { layer: Layer; instruments: CompiledInstrument[][] }[];
}

/**
 * Instruments grouped for the library page: federal first, then states by name; within each,
 * by layer, each instrument's versions together.
 */
export function groupByStateAndLayer(library: Library): StateGroup[] {
  const states = new Map<string, CompiledInstrument[]>();
  for (const i of listInstruments(library, {})) {
    const s = stateOfDivision(i.division);
    states.set(s, [...(states.get(s) ?? []), i]);
  }
  return [...states.entries()]
    .map(([state, list]) => ({
      state,
      label: state === '' ? 'Federal' : (stateName(state) ?? state.toUpperCase()),
      byLayer: LAYERS.map((layer) => {
        const versions = new Map<string, CompiledInstrument[]>();
        for (const i of list.filter((x) => x.layer === layer))
          versions.set(i.id, [...(versions.get(i.id) ?? []), i]);
        return { layer, instruments: [...versions.values()] };
      }).filter((g) => g.instruments.length > 0),
    }))
    .sort((a, b) => (a.state === '' ? -1 : b.state === '' ? 1 : a.label.localeCompare(b.label)));
}
