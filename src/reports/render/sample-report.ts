/**
 * A realistic report model made up in memory (seeded, so the same options give the same report),
 * for the renderer tests and the render benchmark: they need a report of a chosen size without a
 * ledger. It is built the way src/reports/build.ts builds one, suppression included: section I
 * counts below the threshold become 0 with `suppressed`, and small counties leave the map.
 */
import { OUTCOME_CATEGORIES, OUTCOME_LABELS, type OutcomeCategory } from '../../ledger/outcome.ts';
import { addDays } from '../period.ts';
import type { Report, SectionIIIRow, SectionIIRow, SectionIRow } from '../types.ts';
import { atlasCountyFips } from './map.ts';

export interface SampleOptions {
  /** how many counties get declines (taken from the atlas, spread over the country) */
  counties?: number;
  /** declined requests (section II rows); at least `counties` */
  declines?: number;
  weeks?: number;
  suppressBelow?: number;
  synthetic?: boolean;
  /** a facility name with markup in it, to check escaping */
  hostileFacilityName?: string;
  corrections?: boolean;
  seed?: number;
}

const DECLINED: OutcomeCategory[] = [
  'declined-released-without-notice',
  'declined-ice-notified-took-custody',
  'declined-ice-notified-not-taken',
  'declined-outcome-unknown',
];

// prettier-ignore
const STATE_CODES: Record<string, string> = {
  '01': 'al', '04': 'az', '05': 'ar', '06': 'ca', '08': 'co', '09': 'ct', '12': 'fl', '13': 'ga',
  '17': 'il', '18': 'in', '26': 'mi', '27': 'mn', '36': 'ny', '37': 'nc', '41': 'or', '42': 'pa',
  '48': 'tx', '53': 'wa',
};

/** mulberry32: small, seedable, good enough to spread made-up counts */
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

export function sampleReport(options: SampleOptions = {}): Report {
  const random = rng(options.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const suppressBelow = options.suppressBelow ?? 0;
  const synthetic = options.synthetic ?? true;
  const from = '2026-01-03';
  const to = addDays(from, 6);

  const all = atlasCountyFips();
  const nCounties = Math.min(options.counties ?? 40, all.length);
  const step = all.length / nCounties;
  const counties = Array.from({ length: nCounties }, (_, i) => all[Math.floor(i * step)]!);
  const nDeclines = Math.max(options.declines ?? nCounties * 2, nCounties);

  // every chosen county gets one decline, the rest go mostly to a few large ones (as in life)
  const II: SectionIIRow[] = [];
  for (let i = 0; i < nDeclines; i++) {
    const fips = i < nCounties ? counties[i]! : counties[Math.floor(random() ** 3 * nCounties)]!;
    const state = STATE_CODES[fips.slice(0, 2)] ?? 'tx';
    const outcome = pick(DECLINED);
    const recorded = random() < 0.7;
    const issued = addDays(from, -Math.floor(random() * 30));
    const facility =
      i === 0 && options.hostileFacilityName ? options.hostileFacilityName : `COUNTY JAIL ${fips}`;
    II.push({
      requestId: `r-${String(i + 1).padStart(6, '0')}`,
      agencyId: `agency:${fips}:sheriff`,
      agencyName: `Sheriff of county ${fips}`,
      facilityId: `facility:${fips}:jail`,
      facilityName: facility,
      state,
      countyFips: fips,
      citizenship: random() < 0.1 ? null : pick(['MEXICO', 'GUATEMALA', 'HONDURAS', 'EL SALVADOR', 'CHINA']),
      issuedDate: recorded ? issued : addDays(from, Math.floor(random() * 7)),
      declinedDate: recorded ? addDays(from, Math.floor(random() * 7)) : null,
      declineDateBasis: recorded ? 'recorded-declined' : 'issue-date',
      mostSeriousOffense:
        random() < 0.2 ? null : pick(['assault', 'dui', 'drug possession', 'burglary', 'fraud']),
      outcome,
      outcomeLabel: OUTCOME_LABELS[outcome],
      confirmedByAgency: random() < 0.4,
      synthetic,
      detailWithheld: false,
    });
  }
  // as buildReport does: small groups show no citizenship or offense
  const perAgency = new Map<string, number>();
  for (const r of II) perAgency.set(r.agencyId!, (perAgency.get(r.agencyId!) ?? 0) + 1);
  for (const r of II)
    if (suppressBelow > 0 && perAgency.get(r.agencyId!)! < suppressBelow)
      Object.assign(r, { citizenship: null, mostSeriousOffense: null, detailWithheld: true });
  II.sort((a, b) => a.state.localeCompare(b.state) || a.requestId.localeCompare(b.requestId));

  const countyDeclines: Record<string, number> = {};
  for (const r of II) countyDeclines[r.countyFips!] = (countyDeclines[r.countyFips!] ?? 0) + 1;
  if (suppressBelow > 0)
    for (const [k, n] of Object.entries(countyDeclines)) if (n < suppressBelow) delete countyDeclines[k];

  const profile = {
    holds: 'judicial warrant only',
    notification: 'listed offenses only',
    transfer: 'judicial warrant only',
    information: 'public information only',
    access: 'never',
    text: 'holds: judicial warrant only; notification: listed offenses only; transfer: judicial warrant only; information: public information only; access: never',
  };
  const issuedCounts = [412, 230, 97, 51, 20, 9, 4, 3, 2, 1];
  const I: SectionIRow[] = issuedCounts.map((count, i) => {
    const fips = counties[i % nCounties]!;
    const suppressed = count < suppressBelow;
    return {
      rank: i + 1,
      id: `agency:${fips}:sheriff`,
      name: `Sheriff of county ${fips}`,
      divisionId: `ocd-division/country:us/county-fips:${fips}`,
      divisionName: `County ${fips}`,
      state: STATE_CODES[fips.slice(0, 2)] ?? 'tx',
      countyFips: fips,
      count: suppressed ? 0 : count,
      suppressed,
      profile,
    };
  });

  const III: SectionIIIRow[] = counties.slice(0, 12).map((fips, i) => ({
    divisionId: `ocd-division/country:us/county-fips:${fips}`,
    divisionName: `County ${fips}`,
    state: STATE_CODES[fips.slice(0, 2)] ?? 'tx',
    countyFips: fips,
    limitsCooperation: true,
    instruments: [`county-${fips}-policy@2019-01-01`],
    dimensions: (['holds', 'notification', 'transfer', 'information', 'access'] as const).map(
      (dimension) => ({
        dimension,
        value: profile[dimension],
        limits: true,
        certain: dimension !== 'information',
        clauses: [
          {
            clause: `county-${fips}-policy#${dimension}`,
            instrument: `county-${fips}-policy`,
            version: '2019-01-01',
            citation: `Board Policy ${fips} § 3(${dimension[0]})`,
            confidence: dimension === 'information' ? 'medium' : 'high',
          },
        ],
      }),
    ),
    agreements287g:
      i === 0
        ? [
            {
              id: `287g-${fips}`,
              agencyName: `Sheriff of county ${fips}`,
              model: 'jail',
              supportType: 'JEM',
              signedDate: '2025-02-20',
            },
          ]
        : [],
  }));

  const requestsIssued = nDeclines * 14;
  const declinedPerCategory = new Map<OutcomeCategory, number>();
  for (const r of II) declinedPerCategory.set(r.outcome, (declinedPerCategory.get(r.outcome) ?? 0) + 1);
  const IN_ERROR = 2;
  declinedPerCategory.set('issued-in-error', IN_ERROR);
  const others = OUTCOME_CATEGORIES.filter((k) => !DECLINED.includes(k) && k !== 'issued-in-error');
  let left = requestsIssued - II.length - IN_ERROR;
  const byOutcome = OUTCOME_CATEGORIES.map((k) => {
    let count = declinedPerCategory.get(k) ?? 0;
    if (others.includes(k)) {
      count = k === others[others.length - 1] ? left : Math.floor(left * random() * 0.5);
      left -= count;
    }
    return { key: k, label: OUTCOME_LABELS[k], count };
  });
  const confirmed = II.filter((r) => r.confirmedByAgency).length;
  const weeks = options.weeks ?? 26;
  const weekly = Array.from({ length: weeks }, (_, i) => {
    const weekStart = addDays(from, -7 * (weeks - 1 - i));
    const last = i === weeks - 1;
    return {
      weekStart,
      declines: last ? II.length : Math.round(II.length * (0.6 + random() * 0.8)),
      requests: last ? requestsIssued : Math.round(requestsIssued * (0.8 + random() * 0.4)),
    };
  });
  const byBasis = (k: 'recorded-declined' | 'issue-date') =>
    II.filter((r) => r.declineDateBasis === k).length;

  return {
    period: { from, to, basis: 'week' },
    generatedAt: '2026-01-10T12:00:00.000Z',
    libraryRevision: 'sha256:5f1c0de',
    synthetic,
    suppressBelow,
    edition: options.corrections
      ? { id: 'sha256:bbbb', supersedes: 'sha256:aaaa', publishedAt: '2026-01-12T09:00:00.000Z' }
      : null,
    sections: {
      I,
      II,
      III,
      IV: {
        requestsIssued,
        declines: II.length,
        byOutcome,
        byDateBasis: [
          {
            key: 'recorded-declined',
            label: 'date recorded as declined',
            count: byBasis('recorded-declined'),
          },
          { key: 'issue-date', label: 'issue date (no decline date recorded)', count: byBasis('issue-date') },
        ],
        confirmedByAgency: confirmed,
        confirmedShare: II.length ? confirmed / II.length : 0,
        issuedInError: { count: IN_ERROR, requestIds: ['r-err-1', 'r-err-2'] },
        transferredElsewhere: byOutcome.find((c) => c.key === 'transferred-elsewhere')!.count,
        openDisputes: [
          {
            id: 'd-1',
            editionId: 'sha256:aaaa',
            row: `II:${II[0]!.requestId}`,
            by: 'sheriff@example.org',
            reason: 'the person was transferred before the decline <b>not us</b>',
            at: '2026-01-11T10:00:00.000Z',
          },
        ],
        unresolvedNames: [
          {
            facilityName: 'FRANKLIN COUNTY JAIL',
            facilityCity: null,
            state: 'ia',
            resolution: 'unresolved:ambiguous',
            count: 3,
          },
          {
            facilityName: 'OTHER-OTHER FACILITY',
            facilityCity: null,
            state: '',
            resolution: 'unresolved:no state',
            count: 1,
          },
        ],
        corrections: options.corrections
          ? [
              {
                supersedes: 'sha256:aaaa',
                reason: 'the sheriff showed the person was transferred',
                by: 'analyst@example.org',
                at: '2026-01-12T08:00:00.000Z',
                changes: [
                  {
                    row: 'II:r-000099',
                    old: { requestId: 'r-000099', outcome: 'declined-released-without-notice' },
                    new: null,
                    fields: [],
                  },
                ],
                text: [
                  'Row II:r-000099 was removed: the person was transferred; the receiving facility owns the outcome.',
                ],
              },
            ]
          : [],
        spike: (() => {
          const top = II.filter((r) => r.countyFips === counties[0]).length;
          return {
            flagged: false,
            id: `agency:${counties[0]}:sheriff`,
            name: `Sheriff of county ${counties[0]}`,
            day: from,
            count: top,
            share: top / II.length,
          };
        })(),
        notes: [
          'A decline is counted in the period it was recorded as declined; where the source gives no decline date, in the period the request was issued.',
        ],
      },
    },
    countyDeclines: Object.fromEntries(Object.entries(countyDeclines).sort(([a], [b]) => a.localeCompare(b))),
    weeklyTrend: weekly,
  };
}
