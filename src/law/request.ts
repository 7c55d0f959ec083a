/**
 * The decision request, the public contract of `decide` (DESIGN §4), and its validator.
 * Unknown fields, impossible dates and unknown divisions are errors, never ignored.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { DivisionLookup } from '../jurisdictions/types.ts';
import { RequestError, pointerToField, showValue } from './errors.ts';
import { DateString, Words, schemaIssues } from './schema.ts';
import {
  AGENCY_KINDS,
  AUTHORITIES,
  FORMS,
  INFO_KINDS,
  LEVELS,
  PURPOSES,
  REQUEST_TYPES,
  SENTENCES,
  type AgencyKind,
} from './vocabulary.ts';

const closed = { additionalProperties: false } as const;

export const Conviction = Type.Object(
  {
    code: Type.String({ minLength: 1, expected: 'an offense code such as `CA PC 245(a)(1)`' }),
    level: Type.Optional(Words(LEVELS)),
    wobbler: Type.Optional(Type.Boolean()),
    sentence: Type.Optional(Words(SENTENCES)),
    date: Type.Optional(DateString),
    seriousOrViolent: Type.Optional(Type.Boolean()),
    aggravatedFelony: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type Conviction = Static<typeof Conviction>;

export const PendingCharge = Type.Object(
  {
    code: Type.String({ minLength: 1, expected: 'an offense code such as `CA PC 211`' }),
    level: Type.Optional(Words(LEVELS)),
    magistrateProbableCause: Type.Optional(Type.Boolean()),
    seriousOrViolent: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type PendingCharge = Static<typeof PendingCharge>;

export const Subject = Type.Object(
  {
    juvenile: Type.Optional(Type.Boolean()),
    convictions: Type.Optional(Type.Array(Conviction)),
    pendingCharges: Type.Optional(Type.Array(PendingCharge)),
    sexArsonRegistrant: Type.Optional(Type.Boolean()),
    outstandingFederalFelonyWarrant: Type.Optional(Type.Boolean()),
    priorRemoval: Type.Optional(Type.Boolean()),
    terroristScreeningMatch: Type.Optional(Type.Boolean()),
    proofOfLawfulStatus: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type Subject = Static<typeof Subject>;

export const Receiver = Type.Object(
  {
    division: Type.Optional(Type.String({ minLength: 1 })),
    agencyKind: Type.Optional(Words(AGENCY_KINDS)),
    agency: Type.Optional(Type.String({ minLength: 1 })),
  },
  closed,
);

export const DecisionRequestSchema = Type.Object(
  {
    /** caller's own reference, echoed back (useful in `--batch`) */
    id: Type.Optional(Type.String()),
    type: Words(REQUEST_TYPES),
    infoKind: Type.Optional(Words(INFO_KINDS)),
    form: Type.Optional(Words(FORMS)),
    date: DateString,
    receiver: Receiver,
    authority: Type.Optional(Type.Array(Words(AUTHORITIES))),
    purpose: Type.Optional(Words(PURPOSES)),
    nonPublicArea: Type.Optional(Type.Boolean()),
    costReimbursementAgreement: Type.Optional(Type.Boolean()),
    /** local date-time the person becomes eligible for release, for the 48-hour deadline */
    releaseEligibleAt: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?$',
        expected: 'a local date-time `YYYY-MM-DDTHH:MM`, optionally with an offset',
      }),
    ),
    subject: Type.Optional(Subject),
  },
  closed,
);
export type DecisionRequestInput = Static<typeof DecisionRequestSchema>;

/** A validated request: the receiver is resolved to a canonical division and an agency kind. */
export interface DecisionRequest extends Omit<DecisionRequestInput, 'receiver'> {
  receiver: { division: string; agencyKind: AgencyKind; agency?: string };
}

/** Stable codes, one per kind of request error (policies/README.md lists them). */
export const REQUEST_ERRORS = {
  json: 'request.json',
  unknownField: 'request.unknown-field',
  missingField: 'request.missing-field',
  badValue: 'request.bad-value',
  badDate: 'request.bad-date',
  unknownDivision: 'request.unknown-division',
  unknownAgency: 'request.unknown-agency',
} as const;

let compiled: ReturnType<typeof TypeCompiler.Compile<typeof DecisionRequestSchema>> | undefined;
function checkRequest() {
  return (compiled ??= TypeCompiler.Compile(DecisionRequestSchema));
}

/**
 * Check `input` against the contract and resolve its receiver. Throws `RequestError` naming the
 * first bad field and its value.
 */
export function validateRequest(input: unknown, lookup: DivisionLookup): DecisionRequest {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new RequestError(
      REQUEST_ERRORS.badValue,
      '',
      input,
      `a request is a JSON object, got ${showValue(input)}`,
    );
  }
  // The compiled check answers the common case fast; the errors are worked out only for a bad request.
  const issues = checkRequest().Check(input) ? [] : schemaIssues(DecisionRequestSchema, input);
  if (issues.length > 0) {
    const first = issues[0]!;
    const field = pointerToField(first.pointer);
    const value = valueAt(input, first.pointer);
    const code =
      first.message === 'unknown field'
        ? REQUEST_ERRORS.unknownField
        : first.message === 'is required'
          ? REQUEST_ERRORS.missingField
          : /date/.test(first.message) && typeof value === 'string'
            ? REQUEST_ERRORS.badDate
            : REQUEST_ERRORS.badValue;
    const message =
      code === REQUEST_ERRORS.unknownField
        ? `unknown field \`${field}\``
        : code === REQUEST_ERRORS.missingField
          ? `missing field \`${field}\``
          : code === REQUEST_ERRORS.badDate
            ? `\`${field}\`: impossible or malformed date ${showValue(value)}; expected \`YYYY-MM-DD\``
            : `\`${field}\`: ${first.message.replace(/^expected/, 'expected')}`;
    throw new RequestError(code, field, value, message);
  }
  const req = input as DecisionRequestInput;
  if (req.type === 'info' && req.infoKind === undefined) {
    throw new RequestError(
      REQUEST_ERRORS.missingField,
      'infoKind',
      undefined,
      'missing field `infoKind` (required when `type` is `info`)',
    );
  }
  if (req.type !== 'info' && req.infoKind !== undefined) {
    throw new RequestError(
      REQUEST_ERRORS.badValue,
      'infoKind',
      req.infoKind,
      `\`infoKind\`: only allowed when \`type\` is \`info\`, got ${showValue(req.infoKind)} with type ${showValue(req.type)}`,
    );
  }
  return { ...req, receiver: resolveReceiver(req.receiver, lookup) };
}

function resolveReceiver(
  r: DecisionRequestInput['receiver'],
  lookup: DivisionLookup,
): DecisionRequest['receiver'] {
  if (r.agency !== undefined) {
    const agency = lookup.agency(r.agency);
    if (!agency) {
      throw new RequestError(
        REQUEST_ERRORS.unknownAgency,
        'receiver.agency',
        r.agency,
        `\`receiver.agency\`: unknown agency ${showValue(r.agency)}`,
      );
    }
    if (r.agencyKind !== undefined && r.agencyKind !== agency.kind) {
      throw new RequestError(
        REQUEST_ERRORS.badValue,
        'receiver.agencyKind',
        r.agencyKind,
        `\`receiver.agencyKind\`: ${showValue(r.agencyKind)} contradicts the registry, which has ${showValue(agency.kind)} for ${showValue(r.agency)}`,
      );
    }
    const division = lookup.division(agency.divisionId);
    if (r.division !== undefined && lookup.division(r.division)?.id !== division?.id) {
      throw new RequestError(
        REQUEST_ERRORS.badValue,
        'receiver.division',
        r.division,
        `\`receiver.division\`: ${showValue(r.division)} is not the division of agency ${showValue(r.agency)}`,
      );
    }
    return { division: division?.id ?? agency.divisionId, agencyKind: agency.kind, agency: agency.id };
  }
  if (r.division === undefined) {
    throw new RequestError(
      REQUEST_ERRORS.missingField,
      'receiver.division',
      undefined,
      'missing field `receiver.division` (or `receiver.agency`)',
    );
  }
  const division = lookup.division(r.division);
  if (!division) {
    throw new RequestError(
      REQUEST_ERRORS.unknownDivision,
      'receiver.division',
      r.division,
      `\`receiver.division\`: unknown division ${showValue(r.division)}`,
    );
  }
  if (r.agencyKind === undefined) {
    throw new RequestError(
      REQUEST_ERRORS.missingField,
      'receiver.agencyKind',
      undefined,
      'missing field `receiver.agencyKind` (required with `receiver.division`)',
    );
  }
  return { division: division.id, agencyKind: r.agencyKind };
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}
