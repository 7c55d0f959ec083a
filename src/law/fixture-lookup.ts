/**
 * A small division lookup over a handful of OCD ids, for tests and the benchmark, so the law
 * library can be exercised without the full registry.
 */
import type { Agency, Division, DivisionKind, DivisionLookup } from '../jurisdictions/types.ts';

const US = 'ocd-division/country:us';
const rows: [id: string, kind: DivisionKind, name: string, parent: string | null][] = [
  [US, 'country', 'United States', null],
  [`${US}/state:ca`, 'state', 'California', US],
  [`${US}/state:ca/county:los_angeles`, 'county', 'Los Angeles County', `${US}/state:ca`],
  [`${US}/state:ca/place:los_angeles`, 'place', 'Los Angeles city', `${US}/state:ca/county:los_angeles`],
  [`${US}/state:ca/county:santa_clara`, 'county', 'Santa Clara County', `${US}/state:ca`],
  [`${US}/state:ca/county:orange`, 'county', 'Orange County', `${US}/state:ca`],
  [`${US}/state:tx`, 'state', 'Texas', US],
  [`${US}/state:tx/county:harris`, 'county', 'Harris County', `${US}/state:tx`],
  [`${US}/state:tx/place:houston`, 'place', 'Houston city', `${US}/state:tx/county:harris`],
  [`${US}/state:tx/county:travis`, 'county', 'Travis County', `${US}/state:tx`],
  [`${US}/state:il`, 'state', 'Illinois', US],
  [`${US}/state:il/county:cook`, 'county', 'Cook County', `${US}/state:il`],
  [`${US}/state:ny`, 'state', 'New York', US],
  [`${US}/state:ny/place:new_york`, 'place', 'New York city', `${US}/state:ny`],
  [`${US}/state:fl`, 'state', 'Florida', US],
  [`${US}/state:fl/county:miami-dade`, 'county', 'Miami-Dade County', `${US}/state:fl`],
];

const divisions = new Map<string, Division>(
  rows.map(([id, kind, name, parentId]) => {
    const last = id.split('/').at(-1)!;
    const state = /state:([a-z]{2})/.exec(id)?.[1] ?? '';
    return [id, { id, kind, ocdType: last.split(':')[0]!, name, state, fips: null, parentId }];
  }),
);

const agencies = new Map<string, Agency>(
  (
    [
      [
        `${US}/state:ca/place:los_angeles/agency:lapd`,
        'Los Angeles Police Department',
        'police',
        `${US}/state:ca/place:los_angeles`,
      ],
      [
        `${US}/state:ca/county:los_angeles/agency:lasd`,
        'Los Angeles County Sheriff',
        'sheriff',
        `${US}/state:ca/county:los_angeles`,
      ],
      [
        `${US}/state:tx/county:harris/agency:hcso`,
        'Harris County Sheriff',
        'sheriff',
        `${US}/state:tx/county:harris`,
      ],
    ] as const
  ).map(([id, name, kind, divisionId]) => [
    id,
    { id, name, kind, divisionId, state: /state:([a-z]{2})/.exec(id)![1]!, ori: null, source: 'test' },
  ]),
);

export const fixtureLookup: DivisionLookup = {
  division: (id) => divisions.get(id),
  ancestors(id) {
    const out: Division[] = [];
    for (let d = divisions.get(id); d; d = d.parentId ? divisions.get(d.parentId) : undefined) out.push(d);
    return out;
  },
  agency: (id) => agencies.get(id),
  facility: () => undefined,
};
