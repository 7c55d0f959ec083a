import Papa from 'papaparse';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/**
 * A synthetic ledger with a realistic shape: about 3,000 detainers a week nationally, a few
 * percent declined, transfers, lifts and notifications, concentrated in real counties. Every row
 * says `synthetic=true`; nothing here is a real person or a real request.
 *
 * The county weights and decline rates below describe the demo's made-up traffic, not the law:
 * whether a jurisdiction may decline is decided by the instruments in `policies/`.
 */

interface DemoCounty {
  /** facility name as ICE's files print it */
  facility: string;
  city: string;
  state: string;
  /** relative share of national detainer volume */
  weight: number;
  /** share of this facility's detainers that it declines, in the demo */
  declineRate: number;
  /** where people from here are transferred, in the demo */
  transferTo?: number;
}

const COUNTIES: DemoCounty[] = [
  { facility: 'LOS ANGELES COUNTY JAIL', city: 'LOS ANGELES', state: 'CA', weight: 9, declineRate: 0.09 },
  { facility: 'HARRIS COUNTY JAIL', city: 'HOUSTON', state: 'TX', weight: 8, declineRate: 0.002 },
  { facility: 'DALLAS COUNTY JAIL', city: 'DALLAS', state: 'TX', weight: 5, declineRate: 0.002 },
  { facility: 'MARICOPA COUNTY JAIL', city: 'PHOENIX', state: 'AZ', weight: 6, declineRate: 0.003 },
  { facility: 'COOK COUNTY JAIL', city: 'CHICAGO', state: 'IL', weight: 3, declineRate: 0.18 },
  { facility: 'ORANGE COUNTY JAIL', city: 'SANTA ANA', state: 'CA', weight: 4, declineRate: 0.075 },
  { facility: 'SAN DIEGO COUNTY JAIL', city: 'SAN DIEGO', state: 'CA', weight: 4, declineRate: 0.075 },
  { facility: 'RIVERSIDE COUNTY JAIL', city: 'RIVERSIDE', state: 'CA', weight: 3, declineRate: 0.075 },
  {
    facility: 'TRAVIS COUNTY JAIL',
    city: 'AUSTIN',
    state: 'TX',
    weight: 3,
    declineRate: 0.01,
    transferTo: 22,
  },
  { facility: 'BEXAR COUNTY JAIL', city: 'SAN ANTONIO', state: 'TX', weight: 3, declineRate: 0.002 },
  { facility: 'TARRANT COUNTY JAIL', city: 'FORT WORTH', state: 'TX', weight: 3, declineRate: 0.002 },
  { facility: 'MIAMI-DADE COUNTY JAIL', city: 'MIAMI', state: 'FL', weight: 3, declineRate: 0.005 },
  { facility: 'NYC DOC', city: 'NEW YORK', state: 'NY', weight: 4, declineRate: 0.15 },
  { facility: 'KING COUNTY JAIL', city: 'SEATTLE', state: 'WA', weight: 2, declineRate: 0.15 },
  {
    facility: 'CLARK COUNTY DETENTION CENTER',
    city: 'LAS VEGAS',
    state: 'NV',
    weight: 3,
    declineRate: 0.005,
  },
  { facility: 'GWINNETT COUNTY JAIL', city: 'LAWRENCEVILLE', state: 'GA', weight: 2, declineRate: 0.002 },
  { facility: 'MECKLENBURG COUNTY JAIL', city: 'CHARLOTTE', state: 'NC', weight: 2, declineRate: 0.02 },
  { facility: 'HENNEPIN COUNTY JAIL', city: 'MINNEAPOLIS', state: 'MN', weight: 1, declineRate: 0.09 },
  { facility: 'MULTNOMAH COUNTY JAIL', city: 'PORTLAND', state: 'OR', weight: 1, declineRate: 0.18 },
  { facility: 'SANTA CLARA COUNTY JAIL', city: 'SAN JOSE', state: 'CA', weight: 2, declineRate: 0.21 },
  { facility: 'SAN FRANCISCO COUNTY JAIL', city: 'SAN FRANCISCO', state: 'CA', weight: 1, declineRate: 0.18 },
  { facility: 'DENVER COUNTY JAIL', city: 'DENVER', state: 'CO', weight: 2, declineRate: 0.12 },
  {
    facility: 'WILLIAMSON COUNTY JAIL',
    city: 'GEORGETOWN',
    state: 'TX',
    weight: 1,
    declineRate: 0.002,
    transferTo: 8,
  },
  {
    facility: 'BASTROP COUNTY JAIL',
    city: 'BASTROP',
    state: 'TX',
    weight: 0.5,
    declineRate: 0.002,
    transferTo: 8,
  },
  { facility: 'FRANKLIN COUNTY JAIL', city: 'CHAMBERSBURG', state: 'PA', weight: 0.5, declineRate: 0.002 },
  { facility: 'FRANKLIN COUNTY JAIL', city: 'COLUMBUS', state: 'OH', weight: 1, declineRate: 0.002 },
  { facility: 'CHESTER COUNTY PRISON', city: 'WEST CHESTER', state: 'PA', weight: 0.5, declineRate: 0.015 },
  { facility: 'PALM BEACH COUNTY JAIL', city: 'WEST PALM BEACH', state: 'FL', weight: 2, declineRate: 0.002 },
  { facility: 'SALT LAKE COUNTY JAIL', city: 'SALT LAKE CITY', state: 'UT', weight: 1.5, declineRate: 0.01 },
  { facility: 'DAVIDSON COUNTY JAIL', city: 'NASHVILLE', state: 'TN', weight: 1.5, declineRate: 0.002 },
  { facility: 'FAIRFAX COUNTY JAIL', city: 'FAIRFAX', state: 'VA', weight: 1.5, declineRate: 0.015 },
  {
    facility: 'PRINCE GEORGES COUNTY JAIL',
    city: 'UPPER MARLBORO',
    state: 'MD',
    weight: 1.5,
    declineRate: 0.06,
  },
  { facility: 'MIDDLESEX COUNTY JAIL', city: 'NORTH BRUNSWICK', state: 'NJ', weight: 1.5, declineRate: 0.09 },
  { facility: 'FRESNO COUNTY JAIL', city: 'FRESNO', state: 'CA', weight: 1.5, declineRate: 0.075 },
  { facility: 'KERN COUNTY JAIL', city: 'BAKERSFIELD', state: 'CA', weight: 1.5, declineRate: 0.06 },
  { facility: 'HIDALGO COUNTY JAIL', city: 'EDINBURG', state: 'TX', weight: 2.5, declineRate: 0.002 },
  { facility: 'EL PASO COUNTY JAIL', city: 'EL PASO', state: 'TX', weight: 2, declineRate: 0.002 },
  { facility: 'PIMA COUNTY JAIL', city: 'TUCSON', state: 'AZ', weight: 1.5, declineRate: 0.01 },
  { facility: 'DUVAL COUNTY JAIL', city: 'JACKSONVILLE', state: 'FL', weight: 1, declineRate: 0.002 },
  { facility: 'WAKE COUNTY JAIL', city: 'RALEIGH', state: 'NC', weight: 1, declineRate: 0.02 },
];

const CITIZENSHIP: [string, number][] = [
  ['MEXICO', 55],
  ['GUATEMALA', 12],
  ['HONDURAS', 10],
  ['EL SALVADOR', 7],
  ['DOMINICAN REPUBLIC', 2],
  ['CUBA', 2],
  ['COLOMBIA', 2],
  ['VENEZUELA', 2],
  ['JAMAICA', 1],
  ['INDIA', 1],
  ['CHINA', 1],
  ['NICARAGUA', 1],
  ['ECUADOR', 2],
  ['HAITI', 1],
  ['BRAZIL', 1],
];

const OFFENSES: [string, number][] = [
  ['driving under the influence', 18],
  ['assault', 14],
  ['dangerous drugs', 16],
  ['traffic offense', 12],
  ['larceny', 6],
  ['burglary', 4],
  ['weapon offense', 4],
  ['obstructing police', 4],
  ['family offense', 5],
  ['immigration', 6],
  ['fraudulent activities', 3],
  ['robbery', 2],
  ['sexual assault', 2],
  ['homicide', 0.5],
  ['kidnapping', 0.5],
];

/** mulberry32: small, fast and reproducible, so the demo and the benchmarks see the same data */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function picker<T>(items: [T, number][], random: () => number): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of items) cumulative.push((acc += w / total));
  return () => {
    const x = random();
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return items[i]![0];
    return items[items.length - 1]![0];
  };
}

function addDays(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Friday that ends the last full Saturday-to-Friday week before `today`. */
export function lastFullWeekEnd(today: string): string {
  const d = new Date(today + 'T00:00:00Z');
  const back = (d.getUTCDay() - 5 + 7) % 7 || 7;
  return addDays(today, -back);
}

export interface DemoOptions {
  /** folder to write requests.csv and events.csv into */
  dir: string;
  weeks?: number;
  perWeek?: number;
  /** last day of the last week (a Friday); default: the last full week before today */
  endDate?: string;
  seed?: number;
  /** write only requests (for the import benchmark) */
  requestsOnly?: boolean;
  /** exact number of requests to write (overrides weeks × perWeek) */
  total?: number;
}

export interface DemoFiles {
  requests: string;
  events: string | null;
  requestCount: number;
  eventCount: number;
  from: string;
  to: string;
}

export const REQUEST_HEADER = [
  'request_id',
  'type',
  'info_kind',
  'form',
  'issued_date',
  'issuer',
  'state',
  'agency_id',
  'facility_code',
  'facility_name',
  'facility_city',
  'division_id',
  'aor',
  'citizenship',
  'criminality',
  'most_serious_offense',
  'subject_key',
  'synthetic',
];
export const EVENT_HEADER = [
  'event_id',
  'request_id',
  'kind',
  'date',
  'facility_name',
  'state',
  'reason',
  'detail',
];

/** Write the synthetic data set as canonical CSV files (the README's import format). */
export async function writeDemo(opts: DemoOptions): Promise<DemoFiles> {
  const weeks = opts.weeks ?? 26;
  const perWeek = opts.perWeek ?? 3000;
  const total = opts.total ?? weeks * perWeek;
  const spanDays = Math.max(7, Math.ceil((total / perWeek) * 7));
  const to = opts.endDate ?? lastFullWeekEnd(new Date().toISOString().slice(0, 10));
  const from = addDays(to, -(spanDays - 1));
  const random = rng(opts.seed ?? 2017);
  const county = picker(
    COUNTIES.map((c, i) => [i, c.weight] as [number, number]),
    random,
  );
  const citizenship = picker(CITIZENSHIP, random);
  const offense = picker(OFFENSES, random);

  mkdirSync(opts.dir, { recursive: true });
  const requestsPath = join(opts.dir, 'requests.csv');
  const eventsPath = opts.requestsOnly ? null : join(opts.dir, 'events.csv');
  const reqOut = createWriteStream(requestsPath);
  const evOut = eventsPath ? createWriteStream(eventsPath) : null;
  reqOut.write(REQUEST_HEADER.join(',') + '\n');
  evOut?.write(EVENT_HEADER.join(',') + '\n');

  let reqRows: unknown[][] = [];
  let evRows: unknown[][] = [];
  let eventCount = 0;
  const flush = async (force = false) => {
    if (reqRows.length >= 5000 || (force && reqRows.length)) {
      if (!reqOut.write(Papa.unparse(reqRows, { newline: '\n' }) + '\n')) await once(reqOut, 'drain');
      reqRows = [];
    }
    if (evOut && (evRows.length >= 5000 || (force && evRows.length))) {
      if (!evOut.write(Papa.unparse(evRows, { newline: '\n' }) + '\n')) await once(evOut, 'drain');
      evRows = [];
    }
  };

  for (let n = 0; n < total; n++) {
    const id = `demo-${String(n + 1).padStart(7, '0')}`;
    const c = COUNTIES[county()]!;
    const issued = addDays(from, Math.floor(random() * spanDays));
    const r = random();
    const type = r < 0.9 ? 'hold' : r < 0.97 ? 'notify' : r < 0.99 ? 'transfer' : 'info';
    const form =
      type === 'hold' ? 'I-247A' : type === 'notify' ? 'I-247A' : type === 'transfer' ? 'I-247A' : '';
    const criminality =
      random() < 0.7 ? 'convicted' : random() < 0.8 ? 'pending-charges' : 'other-immigration-violator';
    reqRows.push([
      id,
      type,
      type === 'info' ? 'release-date' : '',
      form,
      issued,
      'ICE',
      c.state,
      '',
      '',
      c.facility,
      c.city,
      '',
      '',
      citizenship(),
      criminality,
      criminality === 'other-immigration-violator' ? '' : offense(),
      `demo-subject-${Math.floor(random() * 1e9).toString(36)}`,
      'true',
    ]);
    if (evOut) eventCount += demoEvents(id, c, issued, type, to, random, evRows);
    await flush();
  }
  await flush(true);
  // Wait for both together: one may finish while we wait for the other.
  await Promise.all([finished(reqOut.end()), evOut ? finished(evOut.end()) : undefined]);
  return { requests: requestsPath, events: eventsPath, requestCount: total, eventCount, from, to };
}

/** What happens to one synthetic request after it is received. */
function demoEvents(
  id: string,
  c: DemoCounty,
  issued: string,
  type: string,
  lastDay: string,
  random: () => number,
  out: unknown[][],
): number {
  let n = 0;
  const push = (kind: string, day: number, reason = '', facility = '', state = '') => {
    const date = addDays(issued, day);
    if (date > lastDay) return;
    out.push([`${id}-${++n}`, id, kind, date, facility, state, reason, '']);
  };
  const age = (Date.parse(lastDay) - Date.parse(issued)) / 86_400_000;
  const x = random();
  if (age < 3 && x < 0.5) return n; // recent requests are often still open
  if (x < 0.003) {
    push('issued-in-error', 2 + Math.floor(random() * 10), 'person was not in this facility');
    return n;
  }
  if (type === 'notify') {
    if (random() < 0.7) push('notified', 3 + Math.floor(random() * 20));
    return n;
  }
  if (type === 'info') return n;
  if (c.transferTo !== undefined && random() < 0.25) {
    const target = COUNTIES[c.transferTo]!;
    push('transferred', 1 + Math.floor(random() * 3), '', target.facility, target.state);
    if (random() < target.declineRate + 0.02) {
      push('declined', 5);
      push('released', 5);
    } else push('ice-custody', 6);
    return n;
  }
  const d = random();
  if (d < c.declineRate) {
    const day = 1 + Math.floor(random() * 14);
    push('declined', day);
    if (random() < 0.35) {
      // the Hennepin pattern: hold declined, ICE told of the release and waiting at the door
      push('notified', day);
      push('released', day);
      push('ice-custody', day);
    } else push('released', day);
    return n;
  }
  const o = random();
  if (o < 0.62) {
    push('held', 2 + Math.floor(random() * 10));
    push('ice-custody', 3 + Math.floor(random() * 10));
  } else if (o < 0.8) push('lifted', 1 + Math.floor(random() * 30), 'Prosecutorial Discretion');
  else if (o < 0.84) push('cancelled', 1 + Math.floor(random() * 5), 'Duplicate');
  else if (o < 0.88) push('released', 1 + Math.floor(random() * 20), 'Early Release');
  return n;
}
