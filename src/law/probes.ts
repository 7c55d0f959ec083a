/**
 * The fixed probe requests of DESIGN §4: the questions whose answers classify a jurisdiction.
 * A probe is a question, never an answer: what a division's law says about it comes from the
 * engine alone. Every fact a clause might ask about is given, so that a probe's answer turns on
 * the law and not on a missing fact.
 */
import type { Division, DivisionKind } from '../jurisdictions/types.ts';
import type { Conviction, DecisionRequest, Subject } from './request.ts';
import type { AgencyKind, Authority, InfoKind, RequestType } from './vocabulary.ts';

export const DIMENSIONS = ['holds', 'notification', 'transfer', 'information', 'access'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The division a profile is about, and the kind of agency that holds people in its jail. */
export interface ProbeDivision {
  readonly id: string;
  readonly kind: DivisionKind;
  /** two-letter code, lower case */
  readonly state: string;
  readonly name?: string;
  /** default: {@link jailHoldingAgencyKind} with no registry agencies */
  readonly agencyKind?: AgencyKind;
}

export interface Probe {
  /** stable id, e.g. `hold-administrative` */
  readonly id: string;
  readonly dimension: Dimension;
  /** the question in plain words */
  readonly question: string;
  readonly request: DecisionRequest;
}

/**
 * The kind of agency that holds people in a division's jail: a corrections department where the
 * registry has one (New York City DOC, Miami-Dade MDCR), else the sheriff of a county, the police
 * of a place.
 */
export function jailHoldingAgencyKind(
  division: Pick<Division, 'kind'>,
  agencyKinds: readonly AgencyKind[] = [],
): AgencyKind {
  if (agencyKinds.includes('jail')) return 'jail';
  return division.kind === 'place' ? 'police' : 'sheriff';
}

/** Subject facts of a person with nothing against them: no conviction, charge, flag or warrant. */
const CLEAN_SUBJECT: Subject = {
  juvenile: false,
  convictions: [],
  pendingCharges: [],
  sexArsonRegistrant: false,
  outstandingFederalFelonyWarrant: false,
  priorRemoval: false,
  terroristScreeningMatch: false,
  proofOfLawfulStatus: false,
};

/**
 * Per state, a conviction on the state's offense list that is not a serious or violent felony,
 * and a serious felony; codes the lists in `policies/offenses/` really contain. Elsewhere a felony
 * record carries the `seriousOrViolent` flag a source record may carry.
 */
const PROBE_OFFENSES: Record<string, { listed: Conviction; serious: Conviction }> = {
  // §7282.5(a)(3)(B) lists 273.5; neither §1192.7(c) nor §667.5(c) does; a county-jail sentence
  // keeps it clear of the state-prison-felony criterion
  ca: {
    listed: { code: 'CA PC 273.5', level: 'felony', wobbler: true, sentence: 'county-jail' },
    serious: { code: 'CA PC 245(a)(1)', level: 'felony', sentence: 'state-prison', seriousOrViolent: true },
  },
  ny: {
    listed: { code: 'NY PL 160.10', level: 'felony', sentence: 'probation' },
    serious: { code: 'NY PL 120.05', level: 'felony', sentence: 'state-prison', seriousOrViolent: true },
  },
};

function offensesFor(state: string): { listed: Conviction; serious: Conviction } {
  const known = PROBE_OFFENSES[state];
  if (known) return known;
  const prefix = state.toUpperCase();
  return {
    listed: { code: `${prefix} felony`, level: 'felony', sentence: 'county-jail' },
    serious: { code: `${prefix} felony`, level: 'felony', sentence: 'state-prison', seriousOrViolent: true },
  };
}

/** `date` minus `years`, as `YYYY-MM-DD` (29 February falls back to the 28th). */
function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = m === 2 && d === 29 ? 28 : d;
  return `${String(y - years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const ADMINISTRATIVE: Authority[] = ['i-200'];
const JUDICIAL: Authority[] = ['judicial-warrant'];

/** The probe requests for `division` on `date`, in the order of DESIGN §4. */
export function probesFor(division: ProbeDivision, date: string): Probe[] {
  const agencyKind = division.agencyKind ?? jailHoldingAgencyKind(division);
  const offenses = offensesFor(division.state);
  // "recent": two years before the probe date, inside every look-back window in the library
  const listed: Conviction = { ...offenses.listed, date: yearsBefore(date, 2) };
  const serious: Conviction = { ...offenses.serious, date: yearsBefore(date, 2) };

  const make = (
    id: string,
    dimension: Dimension,
    question: string,
    type: RequestType,
    authority: Authority[],
    extra: { convictions?: Conviction[]; infoKind?: InfoKind; nonPublicArea?: boolean } = {},
  ): Probe => {
    const request: DecisionRequest = {
      id: `probe:${id}`,
      type,
      date,
      receiver: { division: division.id, agencyKind },
      authority,
      purpose: 'civil-immigration',
      nonPublicArea: extra.nonPublicArea ?? false,
      costReimbursementAgreement: false,
      subject: { ...CLEAN_SUBJECT, convictions: extra.convictions ?? [] },
    };
    // the I-247A replaced every earlier detainer form on 2017-04-02
    if (date >= '2017-04-02' && (type === 'hold' || type === 'notify' || type === 'transfer')) {
      request.form = 'I-247A';
    }
    if (extra.infoKind) request.infoKind = extra.infoKind;
    return Object.freeze({ id, dimension, question, request });
  };

  return [
    make(
      'hold-administrative',
      'holds',
      'hold on an administrative warrant, no conviction',
      'hold',
      ADMINISTRATIVE,
    ),
    make('hold-judicial', 'holds', 'hold on a judicial warrant, no conviction', 'hold', JUDICIAL),
    make(
      'hold-serious-felony',
      'holds',
      'hold on an administrative warrant, a serious felony two years ago',
      'hold',
      ADMINISTRATIVE,
      { convictions: [serious] },
    ),
    make(
      'hold-judicial-serious-felony',
      'holds',
      'hold on a judicial warrant, a serious felony two years ago',
      'hold',
      JUDICIAL,
      { convictions: [serious] },
    ),
    make(
      'notify-no-conviction',
      'notification',
      'notify of release, no conviction',
      'notify',
      ADMINISTRATIVE,
    ),
    make(
      'notify-listed-offense',
      'notification',
      'notify of release, a listed offense two years ago',
      'notify',
      ADMINISTRATIVE,
      { convictions: [listed] },
    ),
    make(
      'notify-serious-felony',
      'notification',
      'notify of release, a serious felony two years ago',
      'notify',
      ADMINISTRATIVE,
      { convictions: [serious] },
    ),
    make(
      'notify-judicial-serious-felony',
      'notification',
      'notify of release on a judicial warrant, a serious felony two years ago',
      'notify',
      JUDICIAL,
      { convictions: [serious] },
    ),
    make(
      'transfer-administrative',
      'transfer',
      'transfer on an administrative warrant, no conviction',
      'transfer',
      ADMINISTRATIVE,
    ),
    make(
      'transfer-listed-offense',
      'transfer',
      'transfer on an administrative warrant, a listed offense two years ago',
      'transfer',
      ADMINISTRATIVE,
      { convictions: [listed] },
    ),
    make(
      'transfer-judicial',
      'transfer',
      'transfer on a judicial warrant, no conviction',
      'transfer',
      JUDICIAL,
    ),
    make(
      'transfer-judicial-serious-felony',
      'transfer',
      'transfer on a judicial warrant, a serious felony two years ago',
      'transfer',
      JUDICIAL,
      { convictions: [serious] },
    ),
    make('info-status', 'information', 'share immigration status', 'info', ADMINISTRATIVE, {
      infoKind: 'immigration-status',
    }),
    make('info-release-date', 'information', 'share the release date', 'info', ADMINISTRATIVE, {
      infoKind: 'release-date',
    }),
    make('info-criminal-history', 'information', 'share criminal history', 'info', ADMINISTRATIVE, {
      infoKind: 'criminal-history',
    }),
    make('interview', 'access', 'let ICE interview a person in custody', 'interview', ADMINISTRATIVE),
    make(
      'facility-access-non-public',
      'access',
      'let ICE into a non-public area without a judicial warrant',
      'facility-access',
      ADMINISTRATIVE,
      { nonPublicArea: true },
    ),
  ];
}
