/**
 * Law engine micro-benchmark: decisions per second over a realistic mixed batch (California county
 * and Los Angeles city stacks, Texas, Illinois, Oregon, New York City, Miami-Dade, divisions with no
 * instrument; every request type), with and without the trace, and the time to load and compile
 * the library. Receivers are looked up in the real registry.
 */
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { createEngine, loadLibrary, validateRequest, type DecisionRequest } from '../src/law/index.ts';

const US = 'ocd-division/country:us';
const RECEIVERS = [
  { division: `${US}/state:ca/county:los_angeles`, agencyKind: 'sheriff' },
  { division: `${US}/state:ca/place:los_angeles`, agencyKind: 'police' },
  { division: `${US}/state:ca/place:los_angeles`, agencyKind: 'airport-police' },
  { division: `${US}/state:ca/county:santa_clara`, agencyKind: 'sheriff' },
  { division: `${US}/state:ca`, agencyKind: 'state-prison' },
  { division: `${US}/state:tx/county:harris`, agencyKind: 'sheriff' },
  { division: `${US}/state:tx/place:houston`, agencyKind: 'police' },
  { division: `${US}/state:tx/county:travis`, agencyKind: 'sheriff' },
  { division: `${US}/state:il/county:cook`, agencyKind: 'sheriff' },
  { division: `${US}/state:il/county:dupage`, agencyKind: 'sheriff' },
  { division: `${US}/state:ny/place:new_york`, agencyKind: 'jail' },
  { division: `${US}/state:ny/place:new_york`, agencyKind: 'police' },
  { division: `${US}/state:or/county:multnomah`, agencyKind: 'sheriff' },
  { division: `${US}/state:fl/county:miami-dade`, agencyKind: 'jail' },
  { division: `${US}/state:az/county:maricopa`, agencyKind: 'sheriff' },
  { division: `${US}/state:pa/county:franklin`, agencyKind: 'jail' },
] as const;
const TYPES = ['hold', 'notify', 'transfer', 'info', 'interview', 'facility-access'] as const;
const INFO = ['immigration-status', 'criminal-history', 'release-date', 'address', 'court-date'] as const;
const CODES = [
  'CA PC 245(a)(1)',
  'CA PC 273.5',
  'CA PC 459',
  'CA PC 647(f)',
  'CA PC 664/211',
  'CA VC 23152(a)',
  'TX PC 19.03',
];
const AUTH = [['i-200'], ['i-205'], ['judicial-warrant'], ['none'], ['court-order']] as const;

/** A deterministic pseudo-random batch, so runs compare: requests as a client would send them. */
export function rawBenchRequests(n = 4096): unknown[] {
  let seed = 42;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[rnd(TYPES.length)]!;
    const year = 2015 + rnd(10);
    const convictions = Array.from({ length: rnd(3) }, () => ({
      code: CODES[rnd(CODES.length)]!,
      level: rnd(2) ? 'felony' : 'misdemeanor',
      wobbler: rnd(2) === 1,
      sentence: rnd(2) ? 'state-prison' : 'county-jail',
      date: `${year - 1 - rnd(20)}-0${1 + rnd(9)}-1${rnd(9)}`,
    }));
    out.push({
      type,
      ...(type === 'info' ? { infoKind: INFO[rnd(INFO.length)] } : {}),
      date: `${year}-0${1 + rnd(9)}-2${rnd(8)}`,
      receiver: RECEIVERS[rnd(RECEIVERS.length)],
      authority: AUTH[rnd(AUTH.length)],
      purpose: rnd(3) ? 'civil-immigration' : 'criminal',
      nonPublicArea: rnd(2) === 1,
      subject: {
        juvenile: false,
        sexArsonRegistrant: rnd(20) === 0,
        outstandingFederalFelonyWarrant: rnd(20) === 0,
        convictions,
        pendingCharges: rnd(3)
          ? []
          : [{ code: 'CA PC 211', level: 'felony', magistrateProbableCause: rnd(2) === 1 }],
      },
    });
  }
  return out;
}

export function benchRequests(n = 4096): DecisionRequest[] {
  const lookup = loadRegistry();
  return rawBenchRequests(n).map((r) => validateRequest(r, lookup));
}

export async function benchLaw(): Promise<{ withTrace: number; withoutTrace: number; loadMs: number }> {
  const t0 = performance.now();
  const library = loadLibrary();
  const loadMs = performance.now() - t0;
  const engine = createEngine(library, loadRegistry());
  const batch = benchRequests();

  const rate = (trace: boolean): number => {
    let sink = 0;
    for (let w = 0; w < 20; w++) for (const r of batch) sink += engine.decide(r, { trace }).deciding.length;
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < 1000) {
      for (const r of batch) sink += engine.decide(r, { trace }).deciding.length;
      n += batch.length;
      now = performance.now();
    }
    if (sink < 0) throw new Error('unreachable');
    return Math.round((n * 1000) / (now - start));
  };
  return { withTrace: rate(true), withoutTrace: rate(false), loadMs: Math.round(loadMs * 10) / 10 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchLaw());
}
