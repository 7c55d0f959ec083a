/**
 * The instrument, offense-list and test-case file formats (policies/README.md), as TypeBox schemas:
 * one schema gives both the load-time validation and the TypeScript types.
 */
import { FormatRegistry, Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  AGENCY_KINDS,
  AUTHORITIES,
  CONFIDENCES,
  DECISIONS,
  EFFECTS,
  FORMS,
  INFO_KINDS,
  LAYERS,
  LEVELS,
  PURPOSES,
  REQUEST_FLAGS,
  REQUEST_TYPES,
  SENTENCES,
  STATE_ROLES,
  SUBJECT_FLAGS,
  isCalendarDate,
} from './vocabulary.ts';
import { pointerToField, showValue } from './errors.ts';

if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', isCalendarDate);

/** A closed word list; `expected` feeds the error message. */
export function Words<const T extends readonly string[]>(words: T) {
  return Type.Union(
    words.map((w) => Type.Literal(w)),
    { expected: `one of ${words.join(', ')}` },
  ) as unknown as TSchema & { static: T[number] };
}

function OneOrMany<const T extends readonly string[]>(words: T) {
  return Type.Union([Words(words), Type.Array(Words(words), { minItems: 1 })], {
    expected: `one of ${words.join(', ')}, or a list of them`,
  }) as unknown as TSchema & { static: T[number] | T[number][] };
}

const closed = { additionalProperties: false } as const;

export const DateString = Type.String({ format: 'date', expected: 'a date `YYYY-MM-DD` that exists' });
export const Id = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]*$',
  expected: 'an id of lower-case letters, digits, `.`, `_` and `-`',
});

// --- conditions -------------------------------------------------------------------------------

export const ConvictedOf = Type.Object(
  {
    list: Type.Optional(Id),
    level: Type.Optional(Words(LEVELS)),
    wobbler: Type.Optional(Type.Boolean()),
    sentence: Type.Optional(OneOrMany(SENTENCES)),
    withinYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    seriousOrViolent: Type.Optional(Type.Literal(true)),
    aggravatedFelony: Type.Optional(Type.Literal(true)),
  },
  closed,
);
export type ConvictedOf = Static<typeof ConvictedOf>;

export const ChargedWith = Type.Object(
  {
    list: Type.Optional(Id),
    level: Type.Optional(Words(LEVELS)),
    magistrateProbableCause: Type.Optional(Type.Boolean()),
    seriousOrViolent: Type.Optional(Type.Literal(true)),
  },
  closed,
);
export type ChargedWith = Static<typeof ChargedWith>;

/** Leaf conditions: one key each, named after the fact they test. */
export const LEAF_CONDITIONS: Record<string, TSchema> = {
  type: OneOrMany(REQUEST_TYPES),
  infoKind: OneOrMany(INFO_KINDS),
  form: OneOrMany(FORMS),
  authority: OneOrMany(AUTHORITIES),
  purpose: OneOrMany(PURPOSES),
  agencyKind: OneOrMany(AGENCY_KINDS),
  convictedOf: ConvictedOf,
  chargedWith: ChargedWith,
  ...Object.fromEntries([...REQUEST_FLAGS, ...SUBJECT_FLAGS].map((f) => [f, Type.Boolean()])),
};
export const COMBINATORS = ['all', 'any', 'not'] as const;
export const CONDITION_WORDS = [...COMBINATORS, ...Object.keys(LEAF_CONDITIONS)];

export const Condition = Type.Recursive((This) =>
  Type.Union([
    Type.Object({ all: Type.Array(This, { minItems: 1 }) }, closed),
    Type.Object({ any: Type.Array(This, { minItems: 1 }) }, closed),
    Type.Object({ not: This }, closed),
    ...Object.entries(LEAF_CONDITIONS).map(([k, s]) => Type.Object({ [k]: s }, closed)),
  ]),
);

/** The condition tree as the compiler sees it: one key per node. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { type: string | string[] }
  | { infoKind: string | string[] }
  | { form: string | string[] }
  | { authority: string | string[] }
  | { purpose: string | string[] }
  | { agencyKind: string | string[] }
  | { convictedOf: ConvictedOf }
  | { chargedWith: ChargedWith }
  | Record<string, boolean>;

// --- instruments ------------------------------------------------------------------------------

export const Source = Type.Object(
  {
    title: Type.String({ minLength: 1 }),
    url: Type.String({ minLength: 1 }),
    note: Type.Optional(Type.String()),
  },
  closed,
);

export const Deadline = Type.Object(
  {
    hours: Type.Integer({ minimum: 1 }),
    from: Type.Literal('releaseEligibleAt'),
    excluding: Type.Array(Words(['weekends', 'federal-holidays'] as const)),
  },
  closed,
);
export type Deadline = Static<typeof Deadline>;

export const Obligation = Type.Object(
  {
    id: Id,
    citation: Type.String({ minLength: 1 }),
    text: Type.String({ minLength: 1 }),
    onDecision: Type.Optional(Type.Array(Words(DECISIONS), { minItems: 1 })),
    deadline: Type.Optional(Deadline),
    confidence: Type.Optional(Words(CONFIDENCES)),
  },
  closed,
);
export type Obligation = Static<typeof Obligation>;

export const AppliesTo = Type.Object(
  {
    types: Type.Optional(Type.Array(Words(REQUEST_TYPES), { minItems: 1 })),
    agencyKinds: Type.Optional(Type.Array(Words(AGENCY_KINDS), { minItems: 1 })),
  },
  closed,
);
export type AppliesTo = Static<typeof AppliesTo>;

export const Preempts = Type.Object(
  {
    effect: Words(EFFECTS),
    layers: Type.Array(Words(LAYERS), { minItems: 1 }),
  },
  closed,
);
export type Preempts = Static<typeof Preempts>;

/**
 * The intake fields a clause forbids an agency to collect (names from `COLLECTED_FIELDS`, checked
 * at load with the clause named): a list, or `{ fields, confidence, note }` when the reading that
 * turns the provision into an intake rule is less sure than the clause itself.
 */
const FieldNames = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
export const ForbidsCollecting = Type.Union(
  [
    FieldNames,
    Type.Object(
      {
        fields: FieldNames,
        confidence: Type.Optional(Words(CONFIDENCES)),
        note: Type.Optional(Type.String()),
      },
      closed,
    ),
  ],
  { expected: 'a list of intake fields, or `{ fields: [...], confidence, note }`' },
);
export type ForbidsCollecting = Static<typeof ForbidsCollecting>;

export const Clause = Type.Object(
  {
    id: Id,
    citation: Type.String({ minLength: 1 }),
    summary: Type.String({ minLength: 1 }),
    confidence: Type.Optional(Words(CONFIDENCES)),
    validFrom: Type.Optional(DateString),
    validTo: Type.Optional(Type.Union([DateString, Type.Null()])),
    appliesTo: Type.Optional(AppliesTo),
    when: Type.Optional(Condition),
    except: Type.Optional(Condition),
    effect: Type.Optional(Words(EFFECTS)),
    unless: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    preempts: Type.Optional(Preempts),
    baseline: Type.Optional(Type.Boolean()),
    obligations: Type.Optional(Type.Array(Obligation, { minItems: 1 })),
    forbidsCollecting: Type.Optional(ForbidsCollecting),
    note: Type.Optional(Type.String()),
  },
  closed,
);
export type Clause = Omit<Static<typeof Clause>, 'when' | 'except'> & {
  when?: Condition;
  except?: Condition;
};

export const Instrument = Type.Object(
  {
    instrument: Id,
    title: Type.String({ minLength: 1 }),
    division: Type.String({
      pattern: '^ocd-division/country:[a-z]{2}(/[a-z_]+:[^/\\s]+)*$',
      expected: 'an OCD division id',
    }),
    layer: Words(LAYERS),
    stateRole: Type.Optional(Words(STATE_ROLES)),
    validFrom: DateString,
    validTo: Type.Optional(Type.Union([DateString, Type.Null()])),
    source: Source,
    references: Type.Optional(Type.Array(Source)),
    confidence: Words(CONFIDENCES),
    agencyKinds: Type.Optional(Type.Array(Words(AGENCY_KINDS), { minItems: 1 })),
    notes: Type.Optional(Type.String()),
    clauses: Type.Array(Clause, { minItems: 1 }),
  },
  closed,
);
export type Instrument = Omit<Static<typeof Instrument>, 'clauses'> & { clauses: Clause[] };

// --- offense lists ----------------------------------------------------------------------------

export const OffenseCategory = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    title: Type.String({ minLength: 1 }),
    citation: Type.Optional(Type.String()),
    /** code prefix of every section in this category, e.g. `CA PC` */
    code: Type.String({ minLength: 1 }),
    /** sections as the statute writes them, comma or semicolon separated: `245, 245.2, 26100(c),(d)` */
    sections: Type.Optional(Type.String()),
    /** whole-number section ranges, inclusive, e.g. Penal Code Part 6 */
    ranges: Type.Optional(
      Type.Array(Type.Object({ from: Type.Integer(), to: Type.Integer() }, closed), { minItems: 1 }),
    ),
    level: Type.Optional(Words(LEVELS)),
    confidence: Type.Optional(Words(CONFIDENCES)),
    note: Type.Optional(Type.String()),
  },
  closed,
);
export type OffenseCategory = Static<typeof OffenseCategory>;

export const OffenseList = Type.Object(
  {
    list: Id,
    title: Type.String({ minLength: 1 }),
    citation: Type.String({ minLength: 1 }),
    source: Source,
    confidence: Words(CONFIDENCES),
    /** a conviction record carrying one of these flags matches the list whatever its code */
    flags: Type.Optional(Type.Array(Words(['seriousOrViolent', 'aggravatedFelony'] as const))),
    /** codes such as `CA PC 664/211` (attempt) match when the part after `/` is on the list */
    inchoate: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    notes: Type.Optional(Type.String()),
    categories: Type.Array(OffenseCategory, { minItems: 1 }),
  },
  closed,
);
export type OffenseList = Static<typeof OffenseList>;

// --- test cases -------------------------------------------------------------------------------

export const CaseExpectation = Type.Object(
  {
    decision: Words(DECISIONS),
    deciding: Type.Array(Type.String()),
    obligations: Type.Optional(Type.Array(Type.String())),
    missingFacts: Type.Optional(Type.Array(Type.String())),
    certain: Type.Optional(Type.Boolean()),
    /** the intake fields the receiving agency may not collect on the request date, each with the clauses that say so */
    forbidsCollecting: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  },
  closed,
);
export const PolicyCase = Type.Object(
  { name: Type.String({ minLength: 1 }), request: Type.Unknown(), expect: CaseExpectation },
  closed,
);
export const CasesFile = Type.Object(
  {
    defaults: Type.Optional(Type.Object({ request: Type.Unknown() }, closed)),
    cases: Type.Array(PolicyCase, { minItems: 1 }),
  },
  closed,
);
export type CasesFile = Static<typeof CasesFile>;
export type PolicyCase = Static<typeof PolicyCase>;

// --- error messages ---------------------------------------------------------------------------

export interface SchemaIssue {
  /** JSON pointer to the offending field */
  pointer: string;
  message: string;
}

/**
 * Every problem with `value` against `schema`, one per field, worded for a reviewer. TypeBox reports
 * a bad condition as "expected union"; conditions are checked word by word instead so the message
 * names the bad word or field.
 */
export function schemaIssues(schema: TSchema, value: unknown, base = ''): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const pointer = base + e.path;
    if ([...seen].some((p) => pointer === p || pointer.startsWith(`${p}/`))) continue;
    if (isCondition(e.schema)) {
      seen.add(pointer);
      out.push(...conditionIssues(e.value, pointer));
      continue;
    }
    seen.add(pointer);
    out.push({ pointer, message: describe(e.schema as TSchema & { expected?: string }, e.value, e.message) });
  }
  return out;
}

function isCondition(schema: TSchema): boolean {
  return schema === Condition || (schema as { $id?: string }).$id === Condition.$id;
}

function conditionIssues(value: unknown, pointer: string): SchemaIssue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ pointer, message: `a condition must be a map with one key, got ${showValue(value)}` }];
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return [
      {
        pointer,
        message: `a condition has exactly one key (wrap several in \`all\` or \`any\`), got ${keys.length}: ${keys.map((k) => `\`${k}\``).join(', ') || 'none'}`,
      },
    ];
  }
  const key = keys[0]!;
  const v = (value as Record<string, unknown>)[key];
  const here = `${pointer}/${key}`;
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(v) || v.length === 0)
      return [{ pointer: here, message: `\`${key}\` takes a non-empty list of conditions` }];
    return v.flatMap((c, i) => conditionIssues(c, `${here}/${i}`));
  }
  if (key === 'not') return conditionIssues(v, here);
  const leaf = LEAF_CONDITIONS[key];
  if (!leaf) {
    return [
      {
        pointer: here,
        message: `unknown condition \`${key}\`; expected one of ${CONDITION_WORDS.join(', ')}`,
      },
    ];
  }
  return schemaIssues(leaf, v, here);
}

function describe(schema: TSchema & { expected?: string }, value: unknown, fallback: string): string {
  if (value === undefined) return 'is required';
  if (fallback === 'Unexpected property') return 'unknown field';
  if (schema.expected) return `expected ${schema.expected}, got ${showValue(value)}`;
  return `${fallback.charAt(0).toLowerCase()}${fallback.slice(1)}, got ${showValue(value)}`;
}

export { pointerToField };
