/**
 * The "what would the law say?" form: its fields, and how a submitted form becomes a decision
 * request (DESIGN §4). The division is typed as a name and resolved with its state by the
 * registry's rules, or given as an id; nothing is guessed.
 */
import { parseState } from '../../../jurisdictions/normalize.ts';
import type { Registry } from '../../../jurisdictions/registry.ts';
import { resolveName } from '../../../jurisdictions/resolve.ts';
import type { Candidate } from '../../../jurisdictions/types.ts';
import { jailHoldingAgencyKind, type DecisionRequestInput } from '../../../law/index.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../../law/vocabulary.ts';

/** A submitted form: every value a string (a repeated field, a list). */
export type FormValues = Record<string, string | string[] | undefined>;

export const SUBJECT_FLAG_LABELS = {
  juvenile: 'a juvenile',
  sexArsonRegistrant: 'a registered sex or arson offender',
  outstandingFederalFelonyWarrant: 'has an outstanding federal felony warrant',
  priorRemoval: 'was removed from the United States before',
  terroristScreeningMatch: 'matches the terrorist screening database',
  proofOfLawfulStatus: 'has shown proof of lawful status',
} as const;
export const CONVICTION_ROWS = 2;

export function one(v: FormValues, key: string): string {
  const x = v[key];
  return (Array.isArray(x) ? (x[0] ?? '') : (x ?? '')).trim();
}
export function many(v: FormValues, key: string): string[] {
  const x = v[key];
  return (Array.isArray(x) ? x : x === undefined ? [] : [x]).map((s) => s.trim()).filter(Boolean);
}
const checked = (v: FormValues, key: string): boolean => one(v, key) !== '';

/** A form that cannot become a request: a message and, for a name, what it could have been. */
export class FormProblem extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly candidates: Candidate[] = [],
  ) {
    super(message);
  }
}

/**
 * The decision request a form describes. Values are passed through as typed (the law library's
 * validator then names any bad one); only the receiver is worked out here.
 */
export function requestFromForm(v: FormValues, registry: Registry): DecisionRequestInput {
  const req: Record<string, unknown> = { type: one(v, 'type'), date: one(v, 'date') };
  if (one(v, 'infoKind')) req.infoKind = one(v, 'infoKind');
  if (one(v, 'form')) req.form = one(v, 'form');
  const authority = many(v, 'authority');
  if (authority.length) req.authority = authority;
  if (one(v, 'purpose')) req.purpose = one(v, 'purpose');
  if (checked(v, 'nonPublicArea')) req.nonPublicArea = true;
  if (checked(v, 'costReimbursementAgreement')) req.costReimbursementAgreement = true;
  req.receiver = receiverFromForm(v, registry);

  const subject: Record<string, unknown> = {};
  for (const flag of Object.keys(SUBJECT_FLAG_LABELS)) if (checked(v, flag)) subject[flag] = true;
  const convictions = [];
  for (let n = 1; n <= CONVICTION_ROWS; n++) {
    const code = one(v, `conviction${n}Code`);
    if (!code) continue;
    const c: Record<string, unknown> = { code };
    for (const k of ['Level', 'Sentence', 'Date'] as const) {
      const x = one(v, `conviction${n}${k}`);
      if (x) c[k.toLowerCase()] = x;
    }
    if (checked(v, `conviction${n}Wobbler`)) c.wobbler = true;
    if (checked(v, `conviction${n}SeriousOrViolent`)) c.seriousOrViolent = true;
    convictions.push(c);
  }
  if (convictions.length) subject.convictions = convictions;
  const charge = one(v, 'chargeCode');
  if (charge) {
    const c: Record<string, unknown> = { code: charge };
    if (one(v, 'chargeLevel')) c.level = one(v, 'chargeLevel');
    if (checked(v, 'chargeMagistrateProbableCause')) c.magistrateProbableCause = true;
    subject.pendingCharges = [c];
  }
  if (Object.keys(subject).length) req.subject = subject;
  return req as DecisionRequestInput;
}

function receiverFromForm(v: FormValues, registry: Registry): DecisionRequestInput['receiver'] {
  const input = one(v, 'division');
  const kindText = one(v, 'agencyKind');
  const kind = kindText === '' ? undefined : (kindText as AgencyKind);
  if (input === '')
    throw new FormProblem('give the jurisdiction: a name with its state, or an id', 'division');
  if (input.startsWith('ocd-division/')) {
    if (registry.agency(input)) return { agency: input, ...(kind ? { agencyKind: kind } : {}) };
    const d = registry.division(input);
    return { division: input, agencyKind: kind ?? (d ? defaultKind(registry, d.id) : 'sheriff') };
  }
  const stateText = one(v, 'state');
  const state = stateText === '' ? null : parseState(stateText);
  if (stateText !== '' && state === null) {
    throw new FormProblem(
      `unknown state \`${stateText}\`: give a two-letter code such as CA or a full name`,
      'state',
    );
  }
  const r = resolveName(registry, { name: input, state });
  if (r.status !== 'resolved' || r.divisionId === null) {
    throw new FormProblem(
      `\`${input}\`${state ? ` in ${state.toUpperCase()}` : ''} is ${r.status === 'ambiguous' ? 'ambiguous' : 'not a known jurisdiction'}: ${r.reason}`,
      'division',
      r.candidates,
    );
  }
  if (r.agencyId !== null && (kind === undefined || registry.agency(r.agencyId)?.kind === kind)) {
    return { agency: r.agencyId };
  }
  return { division: r.divisionId, agencyKind: kind ?? defaultKind(registry, r.divisionId) };
}

function defaultKind(registry: Registry, divisionId: string): AgencyKind {
  const d = registry.division(divisionId)!;
  return jailHoldingAgencyKind(
    d,
    registry.agenciesIn(d.id).map((a) => a.kind),
  );
}

export { AGENCY_KINDS };
