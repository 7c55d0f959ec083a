/** The domain words shared by instruments, requests and results (DESIGN §2, §4). */
import { AGENCY_KINDS } from '../jurisdictions/types.ts';

export { AGENCY_KINDS };
export type { AgencyKind } from '../jurisdictions/types.ts';

export const REQUEST_TYPES = ['hold', 'notify', 'transfer', 'info', 'interview', 'facility-access'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const INFO_KINDS = [
  'immigration-status',
  'criminal-history',
  'release-date',
  'address',
  'court-date',
] as const;
export type InfoKind = (typeof INFO_KINDS)[number];

export const FORMS = ['I-247', 'I-247D', 'I-247N', 'I-247X', 'I-247A'] as const;
export type Form = (typeof FORMS)[number];

export const AUTHORITIES = [
  'none',
  'i-200',
  'i-205',
  'judicial-warrant',
  'judicial-probable-cause',
  'federal-criminal-warrant',
  'court-order',
  'judicial-subpoena',
] as const;
export type Authority = (typeof AUTHORITIES)[number];

export const PURPOSES = [
  'civil-immigration',
  'criminal-immigration',
  'criminal',
  'task-force',
  'visa-certification',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const LEVELS = ['felony', 'misdemeanor'] as const;
export type Level = (typeof LEVELS)[number];

export const SENTENCES = ['state-prison', 'county-jail', 'probation', 'none'] as const;
export type Sentence = (typeof SENTENCES)[number];

/** Outermost first: the order in which layers bind one another. */
export const LAYERS = ['federal', 'state', 'county', 'city', 'agency'] as const;
export type Layer = (typeof LAYERS)[number];

export const STATE_ROLES = ['ceiling', 'floor'] as const;
export type StateRole = (typeof STATE_ROLES)[number];

export const EFFECTS = ['require', 'permit', 'forbid'] as const;
export type Effect = (typeof EFFECTS)[number];

export const DECISIONS = ['required', 'permitted', 'forbidden', 'conflict'] as const;
export type DecisionValue = (typeof DECISIONS)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Subject facts that are plain yes/no answers; each is a condition word of its own. */
export const SUBJECT_FLAGS = [
  'juvenile',
  'sexArsonRegistrant',
  'outstandingFederalFelonyWarrant',
  'priorRemoval',
  'terroristScreeningMatch',
  'proofOfLawfulStatus',
] as const;
export type SubjectFlag = (typeof SUBJECT_FLAGS)[number];

/**
 * The facts about the person that an intake may collect, named as the contracts name them: the
 * ledger request's `citizenship` and the decision request's `subject` facts. A clause's
 * `forbidsCollecting` names fields from this list (policies/README.md).
 */
export const COLLECTED_FIELDS = [
  'citizenship',
  'subject.convictions',
  'subject.pendingCharges',
  ...SUBJECT_FLAGS.map((f) => `subject.${f}` as const),
] as const;
export type CollectedField = (typeof COLLECTED_FIELDS)[number];

/** Request facts that are plain yes/no answers. */
export const REQUEST_FLAGS = ['nonPublicArea', 'costReimbursementAgreement'] as const;
export type RequestFlag = (typeof REQUEST_FLAGS)[number];

/** `2019-02-30` is well formed but impossible; this says whether the day exists. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` as the integer YYYYMMDD, without allocating: dates compare as numbers on the hot path. */
export function dateNumber(s: string): number {
  let n = 0;
  for (let i = 0; i < 10; i++) {
    const c = s.charCodeAt(i);
    if (c !== 45) n = n * 10 + (c - 48);
  }
  return n;
}
