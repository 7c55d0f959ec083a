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
    collectionLimits: Type.Array(
      Type.Object({
        field: Type.String({ description: 'an intake field, e.g. `citizenship`' }),
        clause: Type.String({ description: '`<instrument>#<clause id>`' }),
        instrument: Type.String(),
        version: Type.String(),
        citation: Type.String(),
        summary: Type.String(),
        confidence: words(CONFIDENCES),
        note: Type.Union([Type.String(), Type.Null()]),
      }),
      {
        description:
          'what an agency of this kind may not collect at intake on the date (`forbidsCollecting` clauses); `POST /requests` refuses these fields',
      },
    ),
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

/** `POST /imports`: the file is the body; these say what to call it and how to import it. */
export const ImportQuery = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'the file name messages and provenance use (`requests.csv`); a 287(g) sheet’s date is read from it',
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'report what would load, write nothing' })),
    sheetDate: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'the date of a 287(g) sheet when its file name does not carry it',
      }),
    ),
  },
  { additionalProperties: false },
);

const ImportRowError = Type.Object({
  file: Type.String(),
  sheet: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  row: Type.Integer({ description: '1-based row in the file or sheet (the header counts); 0 for the file' }),
  column: Type.Union([Type.String(), Type.Null()]),
  value: Type.Union([Type.String(), Type.Null()]),
  code: Type.String({ description: 'e.g. `E_DATE_INVALID`' }),
  reason: Type.String({ description: 'what is wrong and how to fix it' }),
});

export const ImportSummarySchema = Type.Object(
  {
    file: Type.String(),
    layout: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union(['loaded', 'partial', 'rejected', 'dry-run'].map((s) => Type.Literal(s))),
    read: Type.Integer({ description: 'data rows read' }),
    loaded: Type.Integer(),
    duplicates: Type.Integer({ description: 'rows already in the ledger, skipped' }),
    rejected: Type.Integer(),
    unresolved: Type.Array(
      Type.Object({
        name: Type.String(),
        city: Type.Union([Type.String(), Type.Null()]),
        state: Type.String(),
        count: Type.Integer(),
        status: Type.Union([Type.Literal('ambiguous'), Type.Literal('unknown')]),
        candidates: Type.Array(Type.String()),
      }),
    ),
    errors: Type.Array(ImportRowError, { description: 'the first 100 errors; `errorCount` counts them all' }),
    errorCount: Type.Integer(),
    warnings: Type.Array(ImportRowError),
    warningCount: Type.Integer(),
    dryRun: Type.Boolean(),
    rejectsFile: Type.Null(),
  },
  { title: 'ImportSummary' },
);

export const ImportJobSchema = Type.Object(
  {
    id: Type.String(),
    file: Type.String(),
    bytes: Type.Integer(),
    user: Type.String(),
    state: Type.Union(['queued', 'running', 'done', 'failed'].map((s) => Type.Literal(s)), {
      description: '`done` once the importer has answered (the summary says whether it loaded or rejected)',
    }),
    dryRun: Type.Boolean(),
    sheetDate: Type.Union([Type.String(), Type.Null()]),
    queuedAt: Type.String(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
    rowsRead: Type.Integer(),
    bytesRead: Type.Integer(),
    summary: Type.Union([ImportSummarySchema, Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'ImportJob', description: 'an import and how far it has got; kept in memory while the server runs' },
);
