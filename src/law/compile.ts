/**
 * Conditions → plain closures, once, at load time. A condition answers TRUE, FALSE or UNKNOWN:
 * a fact the condition needs but the request lacks gives UNKNOWN and is named, never taken as false.
 * Every phrase a trace may show is built here, so evaluation only picks precomputed strings.
 */
import type { DecisionRequest, Conviction, PendingCharge } from './request.ts';
import type { ChargedWith, Condition, ConvictedOf } from './schema.ts';
import type { CompiledOffenseList } from './offenses.ts';
import { REQUEST_FLAGS, SUBJECT_FLAGS, dateNumber } from './vocabulary.ts';

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export interface EvalContext {
  /** the request date as YYYYMMDD */
  asOf: number;
  /** names of facts found missing; composites drop the names that did not matter */
  missing: string[];
}

export interface CompiledCondition {
  test(r: DecisionRequest, ctx: EvalContext): Tri;
  /** plain words for the condition holding */
  readonly text: string;
  /** plain words for it not holding */
  readonly negText: string;
  /** why it did not hold for this request; only meaningful after `test` answered FALSE */
  why(r: DecisionRequest, ctx: EvalContext): string;
}

export interface CompileIssue {
  /** JSON pointer relative to the condition */
  pointer: string;
  code: string;
  message: string;
}

export interface CompileEnv {
  lists: ReadonlyMap<string, CompiledOffenseList>;
  issues: CompileIssue[];
}

/** How the words of the vocabulary read in a sentence. */
const LABELS: Record<string, string> = {
  'i-200': 'an I-200 administrative arrest warrant',
  'i-205': 'an I-205 administrative removal warrant',
  'judicial-warrant': 'a judicial warrant',
  'judicial-probable-cause': 'a judicial probable-cause determination',
  'federal-criminal-warrant': 'a federal criminal warrant',
  'court-order': 'a court order',
  'judicial-subpoena': 'a judicial subpoena',
  none: 'no authority',
  'civil-immigration': 'civil immigration enforcement',
  'criminal-immigration': 'criminal immigration enforcement',
  criminal: 'criminal law enforcement',
  'task-force': 'a joint task force',
  'visa-certification': 'a T or U visa certification',
  'immigration-status': 'immigration status',
  'criminal-history': 'criminal history',
  'release-date': 'release date',
  'court-date': 'court date',
  'facility-access': 'facility access',
  'state-prison': 'state prison',
  'county-jail': 'county jail',
};
const label = (w: string): string => LABELS[w] ?? w;
const orList = (ws: readonly string[]): string =>
  ws.length <= 1
    ? ws.map(label).join('')
    : `${ws.slice(0, -1).map(label).join(', ')} or ${label(ws.at(-1)!)}`;

const FLAG_TEXT: Record<string, [string, string]> = {
  nonPublicArea: [
    'the request concerns an area not open to the public',
    'the request concerns a public area',
  ],
  costReimbursementAgreement: [
    'a written federal agreement reimburses the agency’s costs',
    'no written federal cost-reimbursement agreement exists',
  ],
  juvenile: ['the subject is a juvenile', 'the subject is not a juvenile'],
  sexArsonRegistrant: [
    'the subject is a current sex or arson registrant',
    'the subject is not a current sex or arson registrant',
  ],
  outstandingFederalFelonyWarrant: [
    'the subject has an outstanding federal felony arrest warrant',
    'the subject has no outstanding federal felony arrest warrant',
  ],
  priorRemoval: ['the subject was removed before', 'the subject was never removed'],
  terroristScreeningMatch: [
    'the subject is a possible terrorist-screening-database match',
    'the subject is not a terrorist-screening-database match',
  ],
  proofOfLawfulStatus: [
    'the subject has shown proof of citizenship or lawful status',
    'the subject has not shown proof of citizenship or lawful status',
  ],
};

function leaf(
  text: string,
  negText: string,
  test: (r: DecisionRequest, ctx: EvalContext) => Tri,
): CompiledCondition {
  return { test, text, negText, why: () => negText };
}

export function compileCondition(c: Condition, env: CompileEnv, pointer = ''): CompiledCondition {
  const key = Object.keys(c)[0]!;
  const v = (c as Record<string, unknown>)[key];
  const here = `${pointer}/${key}`;
  switch (key) {
    case 'all':
      return compileAll((v as Condition[]).map((x, i) => compileCondition(x, env, `${here}/${i}`)));
    case 'any':
      return compileAny((v as Condition[]).map((x, i) => compileCondition(x, env, `${here}/${i}`)));
    case 'not':
      return compileNot(compileCondition(v as Condition, env, here));
    case 'type':
      return oneOf(
        v,
        (r) => r.type,
        'the request is',
        'type',
        (ws) => `a ${orList(ws)} request`,
      );
    case 'infoKind':
      return oneOf(v, (r) => r.infoKind, 'the information asked for is', 'infoKind', orList);
    case 'form':
      return oneOf(
        v,
        (r) => r.form,
        'the form is',
        'form',
        (ws) => ws.join(' or '),
      );
    case 'purpose':
      return oneOf(v, (r) => r.purpose, 'the purpose is', 'purpose', orList);
    case 'agencyKind':
      return oneOf(
        v,
        (r) => r.receiver.agencyKind,
        'the receiving agency is a',
        'receiver.agencyKind',
        (ws) => ws.join(' or '),
      );
    case 'authority':
      return authority(v as string | string[]);
    case 'convictedOf':
      return convictedOf(v as ConvictedOf, env, here);
    case 'chargedWith':
      return chargedWith(v as ChargedWith, env, here);
    default:
      if ((REQUEST_FLAGS as readonly string[]).includes(key)) return flag(key, v as boolean, false);
      if ((SUBJECT_FLAGS as readonly string[]).includes(key)) return flag(key, v as boolean, true);
      env.issues.push({ pointer: here, code: 'policy.condition', message: `unknown condition \`${key}\`` });
      return leaf('never', 'never', () => FALSE);
  }
}

function compileAll(parts: CompiledCondition[]): CompiledCondition {
  const text = parts.map((p) => p.text).join(', and ');
  const negText = `not all of: ${text}`;
  return {
    text,
    negText,
    test(r, ctx) {
      const mark = ctx.missing.length;
      let out: Tri = TRUE;
      for (let i = 0; i < parts.length; i++) {
        const t = parts[i]!.test(r, ctx);
        if (t === FALSE) {
          if (ctx.missing.length !== mark) ctx.missing.length = mark;
          return FALSE;
        }
        if (t === UNKNOWN) out = UNKNOWN;
      }
      return out;
    },
    why(r, ctx) {
      for (const p of parts) if (p.test(r, ctx) === FALSE) return p.why(r, ctx);
      return negText;
    },
  };
}

function compileAny(parts: CompiledCondition[]): CompiledCondition {
  const text = parts.length === 1 ? parts[0]!.text : `either ${parts.map((p) => p.text).join(', or ')}`;
  const negText = parts.map((p) => p.negText).join(', and ');
  return {
    text,
    negText,
    test(r, ctx) {
      const mark = ctx.missing.length;
      let out: Tri = FALSE;
      for (let i = 0; i < parts.length; i++) {
        const t = parts[i]!.test(r, ctx);
        if (t === TRUE) {
          if (ctx.missing.length !== mark) ctx.missing.length = mark;
          return TRUE;
        }
        if (t === UNKNOWN) out = UNKNOWN;
      }
      return out;
    },
    why: () => negText,
  };
}

function compileNot(p: CompiledCondition): CompiledCondition {
  return {
    text: p.negText,
    negText: p.text,
    test(r, ctx) {
      const t = p.test(r, ctx);
      return t === UNKNOWN ? UNKNOWN : t === TRUE ? FALSE : TRUE;
    },
    why: () => p.text,
  };
}

function words(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : [v as string];
}

function oneOf(
  v: unknown,
  get: (r: DecisionRequest) => string | undefined,
  lead: string,
  fact: string,
  show: (ws: string[]) => string,
): CompiledCondition {
  const ws = words(v);
  const set = new Set(ws);
  const text = `${lead} ${show(ws)}`;
  const negText = `${lead.replace(/ is( a)?$/, ' is not$1')} ${show(ws)}`;
  return leaf(text, negText, (r, ctx) => {
    const x = get(r);
    if (x === undefined) {
      ctx.missing.push(fact);
      return UNKNOWN;
    }
    return set.has(x) ? TRUE : FALSE;
  });
}

function authority(v: string | string[]): CompiledCondition {
  const ws = words(v);
  const set = new Set(ws);
  const text = `the request comes with ${orList(ws)}`;
  const negText = `the request comes without ${orList(ws).replace(/ or /g, ' or ')}`;
  return leaf(text, negText, (r, ctx) => {
    const a = r.authority;
    if (a === undefined) {
      ctx.missing.push('authority');
      return UNKNOWN;
    }
    for (let i = 0; i < a.length; i++) if (set.has(a[i]!)) return TRUE;
    return FALSE;
  });
}

function flag(name: string, wanted: boolean, onSubject: boolean): CompiledCondition {
  const [yes, no] = FLAG_TEXT[name] ?? [`${name}`, `not ${name}`];
  const fact = onSubject ? `subject.${name}` : name;
  return leaf(wanted ? yes : no, wanted ? no : yes, (r, ctx) => {
    const x = onSubject
      ? (r.subject?.[name as keyof NonNullable<DecisionRequest['subject']>] as boolean | undefined)
      : (r[name as 'nonPublicArea'] as boolean | undefined);
    if (x === undefined) {
      ctx.missing.push(fact);
      return UNKNOWN;
    }
    return x === wanted ? TRUE : FALSE;
  });
}

function resolveList(name: string | undefined, env: CompileEnv, pointer: string): CompiledOffenseList | null {
  if (name === undefined) return null;
  const list = env.lists.get(name);
  if (!list) {
    env.issues.push({
      pointer: `${pointer}/list`,
      code: 'policy.unknown-list',
      message: `unknown offense list \`${name}\`; known: ${[...env.lists.keys()].join(', ') || 'none'}`,
    });
    return null;
  }
  return list;
}

/** Does one record (conviction or charge) fall on the list? Flags on the record count when the list names them. */
function onList(list: CompiledOffenseList, code: string, level: string | undefined, rec: object): Tri {
  const entries = list.match(code);
  for (let i = 0; i < entries.length; i++) {
    const need = entries[i]!.level;
    if (need === undefined || need === level) return TRUE;
    if (level === undefined) return UNKNOWN;
  }
  const flags = list.flags;
  for (let i = 0; i < flags.length; i++)
    if ((rec as Record<string, unknown>)[flags[i]!] === true) return TRUE;
  return FALSE;
}

function convictedOf(spec: ConvictedOf, env: CompileEnv, pointer: string): CompiledCondition {
  const list = resolveList(spec.list, env, pointer);
  const sentences = spec.sentence === undefined ? null : new Set(words(spec.sentence));
  const years = spec.withinYears;
  const parts: string[] = [];
  if (spec.level) parts.push(spec.level);
  if (spec.wobbler) parts.push('wobbler');
  if (spec.seriousOrViolent) parts.push('serious or violent felony');
  if (spec.aggravatedFelony) parts.push('aggravated felony');
  let what = `${parts.length ? `${parts.join(' ')} ` : ''}conviction`;
  if (list) what += ` for an offense on the list “${list.title}”`;
  if (sentences) what += ` with a ${orList([...sentences])} sentence`;
  if (years) what += ` within ${years} years before the request`;
  const text = `the subject has a ${what}`;
  const negText = `the subject has no ${what}`;

  function one(c: Conviction, i: number, ctx: EvalContext): Tri {
    // each constraint answers TRUE, FALSE or UNKNOWN (field absent: named, never taken as false)
    let out: Tri = TRUE;
    if (list) {
      const t = onList(list, c.code, c.level, c);
      if (t === FALSE) return FALSE;
      if (t === UNKNOWN) out = missingField(ctx, 'subject.convictions', i, 'level');
    }
    if (spec.level) {
      if (c.level === undefined) out = missingField(ctx, 'subject.convictions', i, 'level');
      else if (c.level !== spec.level) return FALSE;
    }
    if (spec.wobbler) {
      if (c.wobbler === undefined) out = missingField(ctx, 'subject.convictions', i, 'wobbler');
      else if (!c.wobbler) return FALSE;
    }
    if (sentences) {
      if (c.sentence === undefined) out = missingField(ctx, 'subject.convictions', i, 'sentence');
      else if (!sentences.has(c.sentence)) return FALSE;
    }
    // flags are assertions a source record may carry; without one nothing is asserted
    if (spec.seriousOrViolent && c.seriousOrViolent !== true) return FALSE;
    if (spec.aggravatedFelony && c.aggravatedFelony !== true) return FALSE;
    if (years) {
      if (c.date === undefined) out = missingField(ctx, 'subject.convictions', i, 'date');
      else if (dateNumber(c.date) < ctx.asOf - years * 10000) return FALSE;
    }
    return out;
  }

  return leaf(text, negText, (r, ctx) => {
    const cs = r.subject?.convictions;
    if (cs === undefined) {
      ctx.missing.push('subject.convictions');
      return UNKNOWN;
    }
    return some(cs, one, ctx);
  });
}

function chargedWith(spec: ChargedWith, env: CompileEnv, pointer: string): CompiledCondition {
  const list = resolveList(spec.list, env, pointer);
  let what = `pending ${spec.level ? `${spec.level} ` : ''}${spec.seriousOrViolent ? 'serious or violent felony ' : ''}charge`;
  if (list) what += ` for an offense on the list “${list.title}”`;
  if (spec.magistrateProbableCause === true) what += ' on which a magistrate found probable cause';
  if (spec.magistrateProbableCause === false) what += ' with no magistrate probable-cause finding';
  const text = `the subject has a ${what}`;
  const negText = `the subject has no ${what}`;

  function one(c: PendingCharge, i: number, ctx: EvalContext): Tri {
    let out: Tri = TRUE;
    if (list) {
      const t = onList(list, c.code, c.level, c);
      if (t === FALSE) return FALSE;
      if (t === UNKNOWN) out = missingField(ctx, 'subject.pendingCharges', i, 'level');
    }
    if (spec.level) {
      if (c.level === undefined) out = missingField(ctx, 'subject.pendingCharges', i, 'level');
      else if (c.level !== spec.level) return FALSE;
    }
    if (spec.seriousOrViolent && c.seriousOrViolent !== true) return FALSE;
    if (spec.magistrateProbableCause !== undefined) {
      if (c.magistrateProbableCause === undefined) {
        out = missingField(ctx, 'subject.pendingCharges', i, 'magistrateProbableCause');
      } else if (c.magistrateProbableCause !== spec.magistrateProbableCause) return FALSE;
    }
    return out;
  }

  return leaf(text, negText, (r, ctx) => {
    const cs = r.subject?.pendingCharges;
    if (cs === undefined) {
      ctx.missing.push('subject.pendingCharges');
      return UNKNOWN;
    }
    return some(cs, one, ctx);
  });
}

/** TRUE if one record matches; the missing facts of records that did not matter are dropped. */
function some<T>(xs: readonly T[], one: (x: T, i: number, ctx: EvalContext) => Tri, ctx: EvalContext): Tri {
  const mark = ctx.missing.length;
  let out: Tri = FALSE;
  for (let i = 0; i < xs.length; i++) {
    const m = ctx.missing.length;
    const t = one(xs[i]!, i, ctx);
    if (t === TRUE) {
      if (ctx.missing.length !== mark) ctx.missing.length = mark;
      return TRUE;
    }
    if (t === UNKNOWN) out = UNKNOWN;
    else if (ctx.missing.length !== m) ctx.missing.length = m;
  }
  return out;
}

function missingField(ctx: EvalContext, list: string, i: number, field: string): Tri {
  ctx.missing.push(`${list}[${i}].${field}`);
  return UNKNOWN;
}
