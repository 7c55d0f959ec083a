/**
 * The API's response and query schemas (TypeBox). The decision request itself is the law
 * library's `DecisionRequestSchema`: one contract for the CLI and the API.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { AGENCY_KINDS, CONFIDENCES, DECISIONS, EFFECTS, LAYERS } from '../law/vocabulary.ts';

const date = (description: string) =>
  Type.String({ format: 'date', expected: 'a date `YYYY-MM-DD` that exists', description });

function words<const T extends readonly string[]>(list: T, description?: string) {
  return Type.Union(
    list.map((w) => Type.Literal(w)),
    description ? { description } : {},
  ) as unknown as TSchema & { static: T[number] };
}

export const InstrumentRefSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
});

export const TraceEntrySchema = Type.Object({
  layer: words(LAYERS),
  instrument: Type.String(),
  version: Type.String(),
  clause: Type.String({ description: '`<instrument>#<clause id>`' }),
  citation: Type.String(),
  summary: Type.String(),
  effect: Type.Union([words(EFFECTS), Type.Null()]),
  applied: Type.Boolean(),
  outcome: Type.String({ description: 'applied, not-applied, unknown, excepted, overridden or preempted' }),
  because: Type.String({ description: 'the condition that held, or the one that failed' }),
  confidence: words(CONFIDENCES),
});

export const ObligationSchema = Type.Object({
  id: Type.String(),
  citation: Type.String(),
  text: Type.String(),
  clause: Type.String(),
  confidence: words(CONFIDENCES),
  due: Type.Optional(Type.String()),
});

export const DecisionResultSchema = Type.Object(
  {
    requestId: Type.Optional(Type.String({ description: 'the request’s `id`, echoed' })),
    decision: words(DECISIONS),
    certain: Type.Boolean({ description: 'false when a missing fact could change the decision' }),
    deciding: Type.Array(Type.String(), { description: 'the clauses that decided' }),
    obligations: Type.Array(ObligationSchema),
    trace: Type.Optional(Type.Array(TraceEntrySchema)),
    missingFacts: Type.Array(Type.String()),
    asOf: Type.String(),
    libraryRevision: Type.String(),
    instruments: Type.Array(InstrumentRefSchema),
  },
  { description: 'the decision (DESIGN §4)' },
);

export const DecideQuery = Type.Object(
  {
    trace: Type.Optional(
      Type.Boolean({ description: 'include the clause trace (default true)', default: true }),
    ),
  },
  { additionalProperties: false },
);

export const JurisdictionSearchQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'a name as a source writes it, e.g. `Franklin Co.`' }),
    state: Type.Optional(
      Type.String({ description: 'two-letter code or full name; a name never resolves without it' }),
    ),
    city: Type.Optional(Type.String({ description: 'the city the source gives' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 15 })),
  },
  { additionalProperties: false },
);

const CandidateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: words(['division', 'agency', 'facility']),
});

export const JurisdictionSearchResult = Type.Object({
  resolution: Type.Object({
    status: words(['resolved', 'ambiguous', 'unknown']),
    divisionId: Type.Union([Type.String(), Type.Null()]),
    agencyId: Type.Union([Type.String(), Type.Null()]),
    facilityId: Type.Union([Type.String(), Type.Null()]),
    rule: Type.String(),
    candidates: Type.Array(CandidateSchema),
    reason: Type.String(),
  }),
  candidates: Type.Array(
    Type.Composite([CandidateSchema, Type.Object({ state: Type.String(), score: Type.Integer() })]),
  ),
});

export const IdParams = Type.Object({
  id: Type.String({
    minLength: 1,
    description: 'an OCD division id or an agency id, URL-encoded (`/` as `%2F`)',
  }),
});

export const InstrumentIdParams = Type.Object({
  id: Type.String({
    minLength: 1,
    description: 'an instrument id, e.g. `ca-values-act`, optionally `@version`',
  }),
});

export const ProfileQuery = Type.Object(
  {
    date: Type.Optional(date('the date, `YYYY-MM-DD` (default today)')),
    agencyKind: Type.Optional(
      words(AGENCY_KINDS, 'probe this kind of agency instead of the jail-holding one'),
    ),
  },
  { additionalProperties: false },
);

const DimensionSchema = Type.Object(
  {
    value: Type.String(),
    limits: Type.Boolean(),
    certain: Type.Boolean(),
    clauses: Type.Array(Type.Object({}, { additionalProperties: true })),
    obligations: Type.Array(Type.String()),
    probes: Type.Array(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

export const ProfileSchema = Type.Object(
  {
    name: Type.String(),
    division: Type.String(),
    date: Type.String(),
    agencyKind: Type.String(),
    libraryRevision: Type.String(),
    instruments: Type.Array(InstrumentRefSchema),
    holds: DimensionSchema,
    notification: DimensionSchema,
    transfer: DimensionSchema,
    information: DimensionSchema,
    access: DimensionSchema,
    agreements: Type.Object({
      value: Type.Union([Type.Array(Type.String()), Type.String()]),
      agreements: Type.Array(Type.Object({}, { additionalProperties: true })),
    }),
    limitsCooperation: Type.Boolean(),
  },
  { description: 'the cooperation profile (DESIGN §4): probe requests decided on the date' },
);

export const InstrumentListQuery = Type.Object(
  {
    division: Type.Optional(Type.String({ description: 'only instruments of this division (OCD id)' })),
    state: Type.Optional(Type.String({ description: 'only instruments of this state and its localities' })),
    layer: Type.Optional(words(LAYERS)),
    date: Type.Optional(date('only instrument versions valid on this date')),
  },
  { additionalProperties: false },
);

export const InstrumentSummary = Type.Object({
  id: Type.String(),
  version: Type.String(),
  title: Type.String(),
  layer: words(LAYERS),
  division: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  confidence: words(CONFIDENCES),
  clauses: Type.Integer(),
  file: Type.String(),
});

export const InstrumentList = Type.Object({
  revision: Type.String(),
  instruments: Type.Array(InstrumentSummary),
});

export const InstrumentDetail = Type.Object({
  id: Type.String(),
  revision: Type.String(),
  versions: Type.Array(
    Type.Object(
      { file: Type.String(), instrument: Type.String(), version: Type.String() },
      { additionalProperties: true, description: 'the instrument file as written, with its path' },
    ),
  ),
});

export const Health = Type.Object({
  status: Type.Literal('ok'),
  libraryRevision: Type.String(),
  instruments: Type.Integer(),
  requests: Type.Integer(),
  syntheticRequests: Type.Integer(),
});
