/**
 * Name resolution benchmark (ledger-core issue): names/s over a realistic stream — every facility
 * name, city and state of the real NPR extracts, in file order, repeated to 1,000,000 look-ups —
 * and, for the worst case, distinct names never seen before (every county jail in the country).
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { resolveName, type NameInput } from '../src/jurisdictions/resolve.ts';
import { figure, type Figure } from './stats.ts';

function nprNames(): NameInput[] {
  const out: NameInput[] = [];
  for (const file of ['data/npr/residents.csv', 'data/npr/americans.csv']) {
    const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    for (const r of rows) out.push({ name: r.det_facility ?? '', city: r.city, state: r.state });
  }
  return out;
}

export async function benchResolve(runs: number): Promise<Figure[]> {
  const stream = nprNames();
  const registry = loadRegistry();
  const counties = registry.counties().map((c) => ({ name: `${c.name.toUpperCase()} JAIL`, state: c.state }));
  const realistic: number[] = [];
  const distinct: number[] = [];
  for (let run = 0; run < runs; run++) {
    // a registry of its own per run, so no run starts with another's memo
    const fresh = loadRegistry({ agencies: [], facilities: [] }, {});
    const n = 1_000_000;
    let t = performance.now();
    for (let i = 0; i < n; i++) resolveName(fresh, stream[i % stream.length]!);
    realistic.push(n / ((performance.now() - t) / 1000));

    const cold = loadRegistry({
      agencies: [
        {
          id: `bench-${run}`,
          name: 'x',
          kind: 'police',
          divisionId: 'ocd-division/country:us',
          state: '',
          ori: null,
          source: 'bench',
        },
      ],
    });
    t = performance.now();
    for (const c of counties) resolveName(cold, c);
    distinct.push(counties.length / ((performance.now() - t) / 1000));
  }
  return [
    figure('resolve names: NPR facility/city/state stream, 1M look-ups', 'names/s', realistic, '>= 200,000'),
    figure(
      `resolve names: ${counties.length.toLocaleString('en-US')} distinct county jails, first sight`,
      'names/s',
      distinct,
    ),
  ];
}
