/** In-memory policy files for unit tests: small instruments written inline as YAML. */
import { buildLibrary, type Library, type PolicyFile } from './load.ts';

export const FED = `
instrument: fed
title: Federal baseline
division: ocd-division/country:us
layer: federal
validFrom: 2000-01-01
source: { title: t, url: u }
confidence: high
clauses:
  - id: baseline
    citation: base
    summary: detainers are requests
    baseline: true
    effect: permit
  - id: status
    citation: 8 U.S.C. 1373
    summary: status sharing
    appliesTo: { types: [info] }
    when: { infoKind: immigration-status }
    effect: permit
    preempts: { effect: forbid, layers: [state, county, city, agency] }
`;

export function lib(files: Record<string, string>): Library {
  const list: PolicyFile[] = Object.entries(files).map(([path, text]) => ({ path, text }));
  return buildLibrary(list);
}

export function instrument(opts: {
  id: string;
  division: string;
  layer: string;
  validFrom?: string;
  validTo?: string;
  stateRole?: string;
  clauses: string;
}): [string, string] {
  const validFrom = opts.validFrom ?? '2000-01-01';
  const text = `instrument: ${opts.id}
title: ${opts.id}
division: ${opts.division}
layer: ${opts.layer}
${opts.stateRole ? `stateRole: ${opts.stateRole}\n` : ''}validFrom: ${validFrom}
${opts.validTo ? `validTo: ${opts.validTo}\n` : ''}source: { title: t, url: u }
confidence: high
clauses:
${opts.clauses}`;
  return [`${opts.id}@${validFrom}.yaml`, text];
}
