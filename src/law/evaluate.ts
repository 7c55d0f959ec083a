/**
 * The decision engine: as of the request date, the clauses in force for the receiver's division
 * stack are evaluated and layered (DESIGN §4, legal-rules.md "Modelling notes"). The engine knows
 * no law: layering follows each instrument's declared layer and state role, overrides follow
 * `unless` links and pre-emption follows `preempts`, all written in the policy files.
 *
 * Per (division, validity window, request type, agency kind) the list of applicable compiled
 * clauses is built once and memoised, so a decision is a walk over a short array.
 */
import type { DivisionLookup } from '../jurisdictions/types.ts';
import { FALSE, TRUE, type EvalContext } from './compile.ts';
import {
  OPEN_END,
  type CompiledClause,
  type CompiledInstrument,
  type InstrumentRef,
  type Library,
} from './load.ts';
import { addHoursExcluding } from './holidays.ts';
import type { DecisionRequest } from './request.ts';
import type { DecisionResult, ObligationResult, TraceEntry, ClauseOutcome } from './trace.ts';
import {
  AGENCY_KINDS,
  REQUEST_TYPES,
  dateNumber,
  type AgencyKind,
  type DecisionValue,
} from './vocabulary.ts';

const NOT = 0;
const APPLIED = 1;
const UNKNOWN_S = 2;
const EXCEPTED = 3;
const OVERRIDDEN = 4;
const PREEMPTED = 5;

const STATE_LAYER = 1;
const BELOW_STATE_MASK = 0b11100;
const NKINDS = AGENCY_KINDS.length;
const EMPTY: readonly string[] = Object.freeze([]);
const DECISION_BIT = { required: 1, permitted: 2, forbidden: 4, conflict: 8 } as const;
const EMPTY_OBLIGATIONS: readonly ObligationResult[] = Object.freeze([]);
/** trace entries kept per clause of a plan, one per outcome and wording seen */
const ENTRY_CACHE_LIMIT = 64;

export interface DecideOptions {
  /** false: decision, deciding clauses and obligations only (the fast path) */
  trace?: boolean;
}

export interface Engine {
  readonly library: Library;
  decide(request: DecisionRequest, options?: DecideOptions): DecisionResult;
  /** the instruments in force for a division on a date, outermost layer first */
  instrumentsInForce(division: string, date: string): readonly InstrumentRef[];
  /**
   * Every clause in force for an agency of this kind in the division on the date, whatever the
   * request type and condition: what binds the agency before any request is in hand (intake).
   */
  clausesInForce(division: string, agencyKind: AgencyKind, date: string): readonly CompiledClause[];
}

interface Plan {
  readonly clauses: readonly CompiledClause[];
  /** per clause, the plan indices of its `unless` targets */
  readonly unless: readonly (readonly number[])[];
  /** clause indices with every `unless` target before its dependents */
  readonly order: readonly number[];
  readonly preemptors: readonly number[];
  /** a floor-role state instrument is in force */
  readonly floor: boolean;
  readonly instruments: readonly InstrumentRef[];
  readonly appliedEntries: readonly TraceEntry[];
  readonly entryCache: Map<string, TraceEntry>[];
  /** per clause: not-applied entries by the reason's text, unknown ones by their one missing fact */
  readonly notApplied: Map<string, TraceEntry>[];
  readonly unknown: Map<string, TraceEntry>[];
  /** the lists of the plan's last answers (see `again`) */
  readonly last: Lists;
  readonly obligations: readonly (readonly ObligationResult[])[];
}

interface Lists {
  deciding?: readonly string[];
  obligations?: readonly ObligationResult[];
  trace?: readonly TraceEntry[];
  missingFacts?: readonly string[];
}

interface Stack {
  readonly instruments: readonly CompiledInstrument[];
  /** window start dates (YYYYMMDD); window k spans [bounds[k-1], bounds[k]) */
  readonly bounds: readonly number[];
  readonly windows: (Plan | undefined)[][];
}

export function createEngine(library: Library, lookup: DivisionLookup): Engine {
  const stacks = new Map<string, Stack>();
  let base = new Uint8Array(64);
  let eff = new Uint8Array(64);
  let alt = new Uint8Array(64);
  let by = new Int32Array(64);
  let missFrom = new Int32Array(64);
  let missTo = new Int32Array(64);
  const deciding: number[] = [];
  const ctx: EvalContext = { asOf: 0, missing: [] };

  function stackFor(division: string): Stack {
    let s = stacks.get(division);
    if (s) return s;
    const chain = lookup.ancestors(division);
    const ids = chain.length > 0 ? chain.map((d) => d.id) : prefixes(division);
    const instruments = ids
      .flatMap((id) => library.byDivision.get(id) ?? [])
      .sort((a, b) => a.layerIndex - b.layerIndex || cmp(a.id, b.id) || a.validFrom - b.validFrom);
    const edges = new Set<number>();
    for (const inst of instruments) {
      edges.add(inst.validFrom);
      if (inst.validTo !== OPEN_END) edges.add(nextDay(inst.validTo));
      for (const c of inst.clauses) {
        edges.add(c.validFrom);
        if (c.validTo !== OPEN_END) edges.add(nextDay(c.validTo));
      }
    }
    s = { instruments, bounds: [...edges].sort((a, b) => a - b), windows: [] };
    stacks.set(division, s);
    return s;
  }

  function windowOf(s: Stack, asOf: number): number {
    let lo = 0;
    let hi = s.bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.bounds[mid]! <= asOf) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function planFor(r: DecisionRequest, asOf: number): Plan {
    const s = stackFor(r.receiver.division);
    const w = windowOf(s, asOf);
    const t = REQUEST_TYPES.indexOf(r.type);
    const k = AGENCY_KINDS.indexOf(r.receiver.agencyKind);
    const row = (s.windows[w] ??= []);
    const key = t * NKINDS + k;
    return (row[key] ??= buildPlan(s, asOf, 1 << t, 1 << k));
  }

  function grow(n: number): void {
    if (base.length >= n) return;
    const m = Math.max(n, base.length * 2);
    base = new Uint8Array(m);
    eff = new Uint8Array(m);
    alt = new Uint8Array(m);
    by = new Int32Array(m);
    missFrom = new Int32Array(m);
    missTo = new Int32Array(m);
  }

  function decide(r: DecisionRequest, options?: DecideOptions): DecisionResult {
    const withTrace = options?.trace !== false;
    const asOf = dateNumber(r.date);
    const plan = planFor(r, asOf);
    const clauses = plan.clauses;
    const n = clauses.length;
    grow(n);
    ctx.asOf = asOf;
    const missing = ctx.missing;
    if (missing.length !== 0) missing.length = 0;
    let anyUnknown = false;

    for (let i = 0; i < n; i++) {
      const c = clauses[i]!;
      const mark = missing.length;
      let s = c.when === null ? TRUE : c.when.test(r, ctx);
      let st = s === TRUE ? APPLIED : s === FALSE ? NOT : UNKNOWN_S;
      if (s === TRUE && c.except !== null) {
        s = c.except.test(r, ctx);
        st = s === TRUE ? EXCEPTED : s === FALSE ? APPLIED : UNKNOWN_S;
      }
      if (st === UNKNOWN_S) anyUnknown = true;
      else if (missing.length !== mark) missing.length = mark;
      missFrom[i] = mark;
      missTo[i] = missing.length;
      base[i] = st;
    }

    settle(plan, base, eff, by, false);
    const decision = combine(plan, eff, false, deciding);
    let certain = true;
    if (anyUnknown) {
      settle(plan, base, alt, null, true);
      certain = combine(plan, alt, true, null) === decision;
    }

    const bit = DECISION_BIT[decision];
    let obligations = EMPTY_OBLIGATIONS;
    for (let i = 0; i < n; i++) {
      if (eff[i] !== APPLIED) continue;
      const os = plan.obligations[i]!;
      for (let j = 0; j < os.length; j++) {
        const mask = clauses[i]!.obligations[j]!.onDecisionMask;
        if (mask !== 0 && (mask & bit) === 0) continue;
        if (obligations === EMPTY_OBLIGATIONS) obligations = [];
        const o = os[j]!;
        const deadline = clauses[i]!.obligations[j]!.deadline;
        (obligations as ObligationResult[]).push(
          deadline && r.releaseEligibleAt
            ? {
                ...o,
                due: addHoursExcluding(r.releaseEligibleAt, deadline.hours, {
                  weekends: deadline.excluding.includes('weekends'),
                  holidays: deadline.excluding.includes('federal-holidays'),
                }),
              }
            : o,
        );
      }
    }

    const decidingRefs: string[] = new Array<string>(deciding.length);
    for (let i = 0; i < deciding.length; i++) decidingRefs[i] = clauses[deciding[i]!]!.ref;

    let trace: TraceEntry[] | undefined;
    if (withTrace) {
      trace = new Array<TraceEntry>(n);
      for (let i = 0; i < n; i++) trace[i] = entry(plan, i, r);
    }
    const missingFacts = missing.length === 0 ? EMPTY : [...new Set(missing)];
    const last = plan.last;
    // one fixed shape for every result keeps property access monomorphic; undefined fields are
    // left out by JSON.stringify
    const result: DecisionResult = {
      requestId: r.id,
      decision,
      certain,
      deciding: (last.deciding = again(last.deciding, decidingRefs)),
      obligations: (last.obligations = again(last.obligations, obligations)),
      trace: trace && (last.trace = again(last.trace, trace)),
      missingFacts: (last.missingFacts = again(last.missingFacts, missingFacts)),
      asOf: r.date,
      libraryRevision: library.revision,
      instruments: plan.instruments,
    };
    return result;
  }

  function entry(plan: Plan, i: number, r: DecisionRequest): TraceEntry {
    const c = plan.clauses[i]!;
    const st = eff[i]!;
    if (st === APPLIED) return plan.appliedEntries[i]!;
    let outcome: ClauseOutcome;
    let because: string;
    if (st === NOT) {
      const mark = ctx.missing.length;
      const why = c.when!.why(r, ctx);
      ctx.missing.length = mark;
      // the reason is one of the clause's own texts: it is the key, and the words are made once
      return kept(plan.notApplied[i]!, why, c, 'not-applied', () => `does not apply: ${why}`);
    } else if (st === EXCEPTED) {
      outcome = 'excepted';
      because = `exception holds: ${c.except!.text}`;
    } else if (st === OVERRIDDEN) {
      const o = plan.clauses[by[i]!]!;
      outcome = 'overridden';
      because = `overridden by ${o.ref} (${o.citation}), which applies`;
    } else if (st === PREEMPTED) {
      const o = plan.clauses[by[i]!]!;
      outcome = 'preempted';
      because = `pre-empted by ${o.ref} (${o.citation})`;
    } else if (missTo[i]! - missFrom[i]! === 1) {
      // one missing fact (the usual case): its name is the key
      const fact = ctx.missing[missFrom[i]!]!;
      return kept(plan.unknown[i]!, fact, c, 'unknown', () => notKnown([fact]));
    } else {
      const facts = [...new Set(ctx.missing.slice(missFrom[i], missTo[i]))];
      outcome = 'unknown';
      because = notKnown(facts);
    }
    return kept(plan.entryCache[i]!, `${outcome}\0${because}`, c, outcome, () => because);
  }

  function instrumentsInForce(division: string, date: string): readonly InstrumentRef[] {
    return inForce(stackFor(division), dateNumber(date)).map((i) => i.ref);
  }

  function clausesInForce(division: string, agencyKind: AgencyKind, date: string): readonly CompiledClause[] {
    const asOf = dateNumber(date);
    const kind = 1 << AGENCY_KINDS.indexOf(agencyKind);
    return inForce(stackFor(division), asOf).flatMap((i) =>
      i.clauses.filter((c) => (c.kindsMask & kind) !== 0 && inForceOn(c, asOf)),
    );
  }

  return { library, decide, instrumentsInForce, clausesInForce };
}

/**
 * `fresh`, or `prev` when it holds the same items. A list met twice in a row is frozen and handed
 * out again while answers keep repeating it (requests alike under one plan): the JSON writer
 * encodes a frozen list once and copies its bytes from then on.
 */
function again<T>(prev: readonly T[] | undefined, fresh: readonly T[]): readonly T[] {
  if (prev === undefined || prev === fresh || prev.length !== fresh.length) return fresh;
  for (let i = 0; i < fresh.length; i++) if (prev[i] !== fresh[i]) return fresh;
  return Object.isFrozen(prev) ? prev : Object.freeze(fresh);
}

/**
 * The same trace entry object for the same outcome and words, so the JSON writer encodes it once.
 * Missing facts name conviction and charge indices, so their words are many: a few are kept.
 */
function kept(
  cache: Map<string, TraceEntry>,
  key: string,
  c: CompiledClause,
  outcome: ClauseOutcome,
  because: () => string,
): TraceEntry {
  let e = cache.get(key);
  if (e === undefined) {
    e = make(c, outcome, because());
    if (cache.size < ENTRY_CACHE_LIMIT) cache.set(key, e);
  }
  return e;
}

function notKnown(facts: readonly string[]): string {
  return `not known: the request does not give ${facts.map((f) => `\`${f}\``).join(', ')}`;
}

function make(c: CompiledClause, outcome: ClauseOutcome, because: string): TraceEntry {
  return Object.freeze({
    layer: c.layer,
    instrument: c.instrument.id,
    version: c.instrument.version,
    clause: c.ref,
    citation: c.citation,
    summary: c.summary,
    effect: c.effect,
    applied: outcome === 'applied',
    outcome,
    because,
    confidence: c.confidence,
  });
}

/** an instrument or clause valid on the day `asOf` (YYYYMMDD) */
function inForceOn(x: { validFrom: number; validTo: number }, asOf: number): boolean {
  return x.validFrom <= asOf && asOf <= x.validTo;
}

/** the stack's instruments in force on `asOf`, outermost layer first */
function inForce(s: Stack, asOf: number): readonly CompiledInstrument[] {
  return s.instruments.filter((i) => inForceOn(i, asOf));
}

function buildPlan(s: Stack, asOf: number, typeBit: number, kindBit: number): Plan {
  const instruments = inForce(s, asOf);
  const clauses = instruments.flatMap((i) =>
    i.clauses.filter(
      (c) =>
        c.decides && (c.typesMask & typeBit) !== 0 && (c.kindsMask & kindBit) !== 0 && inForceOn(c, asOf),
    ),
  );
  const index = new Map(clauses.map((c, i) => [c.ref, i]));
  const unless = clauses.map((c) =>
    c.unless.map((u) => index.get(u)).filter((x): x is number => x !== undefined),
  );
  const order: number[] = [];
  const seen = new Uint8Array(clauses.length);
  const visit = (i: number): void => {
    if (seen[i]) return;
    seen[i] = 1;
    for (const t of unless[i]!) visit(t);
    order.push(i);
  };
  for (let i = 0; i < clauses.length; i++) visit(i);
  return {
    clauses,
    unless,
    order,
    preemptors: clauses.flatMap((c, i) => (c.preempts ? [i] : [])),
    floor: instruments.some((i) => i.layerIndex === STATE_LAYER && i.stateRole === 'floor'),
    instruments: Object.freeze(instruments.map((i) => i.ref)),
    appliedEntries: clauses.map((c) => make(c, 'applied', c.appliesText)),
    entryCache: clauses.map(() => new Map()),
    notApplied: clauses.map(() => new Map()),
    unknown: clauses.map(() => new Map()),
    last: {},
    obligations: clauses.map((c) =>
      c.obligations.map((o) =>
        Object.freeze({
          id: o.ref,
          citation: o.citation,
          text: o.text,
          clause: c.ref,
          confidence: o.confidence,
        }),
      ),
    ),
  };
}

/** Apply `unless` overrides, then pre-emption. With `unknownOn`, clauses of unknown outcome count as applying. */
function settle(
  plan: Plan,
  base: Uint8Array,
  out: Uint8Array,
  by: Int32Array | null,
  unknownOn: boolean,
): void {
  const n = plan.clauses.length;
  for (let i = 0; i < n; i++) {
    out[i] = base[i]!;
    if (by) by[i] = -1;
  }
  for (let k = 0; k < plan.order.length; k++) {
    const i = plan.order[k]!;
    if (!on(out[i]!, unknownOn)) continue;
    const targets = plan.unless[i]!;
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j]!;
      if (on(out[t]!, unknownOn)) {
        out[i] = OVERRIDDEN;
        if (by) by[i] = t;
        break;
      }
    }
  }
  for (let k = 0; k < plan.preemptors.length; k++) {
    const p = plan.preemptors[k]!;
    if (!on(out[p]!, unknownOn)) continue;
    const pre = plan.clauses[p]!.preempts!;
    for (let j = 0; j < n; j++) {
      const c = plan.clauses[j]!;
      if (j === p || !on(out[j]!, unknownOn) || c.effect !== pre.effect) continue;
      if ((pre.layersMask & (1 << c.layerIndex)) === 0) continue;
      out[j] = PREEMPTED;
      if (by) by[j] = p;
    }
  }
}

function on(s: number, unknownOn: boolean): boolean {
  return s === APPLIED || (unknownOn && s === UNKNOWN_S);
}

/**
 * The layering rule. Within one layer, a forbid and a permit/require that both apply are a
 * conflict (an exception must be written as an `unless` link). Across layers the most
 * restrictive rule wins, except that a forbid below a higher layer's require — or, in a floor
 * state, below the state's require or permit — is a conflict. Baseline clauses only fill the gap.
 */
function combine(plan: Plan, st: Uint8Array, unknownOn: boolean, deciding: number[] | null): DecisionValue {
  const cs = plan.clauses;
  const n = cs.length;
  let forbidMask = 0;
  let requireMask = 0;
  let permitMask = 0;
  let minRequire = 99;
  let maxForbid = -1;
  for (let i = 0; i < n; i++) {
    const c = cs[i]!;
    if (c.effect === null || c.baseline || !on(st[i]!, unknownOn)) continue;
    const bit = 1 << c.layerIndex;
    if (c.effect === 'forbid') {
      forbidMask |= bit;
      if (c.layerIndex > maxForbid) maxForbid = c.layerIndex;
    } else if (c.effect === 'require') {
      requireMask |= bit;
      if (c.layerIndex < minRequire) minRequire = c.layerIndex;
    } else permitMask |= bit;
  }
  if (deciding) deciding.length = 0;
  const sameLayer = forbidMask & (requireMask | permitMask);
  if (sameLayer !== 0) {
    if (deciding) pick(cs, st, unknownOn, deciding, PICK_SAME_LAYER, sameLayer, 0);
    return 'conflict';
  }
  if (requireMask !== 0 && minRequire < maxForbid) {
    if (deciding) pick(cs, st, unknownOn, deciding, PICK_REQUIRE_ABOVE_FORBID, maxForbid, minRequire);
    return 'conflict';
  }
  const stateAllows = ((requireMask | permitMask) & (1 << STATE_LAYER)) !== 0;
  if (plan.floor && stateAllows && (forbidMask & BELOW_STATE_MASK) !== 0) {
    if (deciding) pick(cs, st, unknownOn, deciding, PICK_FLOOR, 0, 0);
    return 'conflict';
  }
  if (forbidMask !== 0) {
    if (deciding) pick(cs, st, unknownOn, deciding, PICK_FORBID, 0, 0);
    return 'forbidden';
  }
  if (requireMask !== 0) {
    if (deciding) pick(cs, st, unknownOn, deciding, PICK_REQUIRE, 0, 0);
    return 'required';
  }
  if (deciding) pick(cs, st, unknownOn, deciding, permitMask !== 0 ? PICK_PERMIT : PICK_BASELINE, 0, 0);
  return 'permitted';
}

const PICK_SAME_LAYER = 0;
const PICK_REQUIRE_ABOVE_FORBID = 1;
const PICK_FLOOR = 2;
const PICK_FORBID = 3;
const PICK_REQUIRE = 4;
const PICK_PERMIT = 5;
const PICK_BASELINE = 6;

/** Collect the deciding clauses for the rule that decided (no closures: this runs per request). */
function pick(
  cs: readonly CompiledClause[],
  st: Uint8Array,
  unknownOn: boolean,
  out: number[],
  rule: number,
  a: number,
  b: number,
): void {
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c.effect === null || !on(st[i]!, unknownOn)) continue;
    let take: boolean;
    switch (rule) {
      case PICK_SAME_LAYER:
        take = !c.baseline && (a & (1 << c.layerIndex)) !== 0;
        break;
      case PICK_REQUIRE_ABOVE_FORBID:
        take = (c.effect === 'require' && c.layerIndex < a) || (c.effect === 'forbid' && c.layerIndex > b);
        break;
      case PICK_FLOOR:
        take =
          !c.baseline &&
          ((c.layerIndex === STATE_LAYER && c.effect !== 'forbid') ||
            (c.layerIndex > STATE_LAYER && c.effect === 'forbid'));
        break;
      case PICK_FORBID:
        take = c.effect === 'forbid';
        break;
      case PICK_REQUIRE:
        take = c.effect === 'require';
        break;
      case PICK_PERMIT:
        take = c.effect === 'permit' && !c.baseline;
        break;
      default:
        take = c.baseline;
    }
    if (take) out.push(i);
  }
}

function nextDay(yyyymmdd: number): number {
  const d = new Date(
    Date.UTC(Math.floor(yyyymmdd / 10000), (Math.floor(yyyymmdd / 100) % 100) - 1, (yyyymmdd % 100) + 1),
  );
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** Without a registry entry, the id's own prefixes are the best guess at its ancestors. */
function prefixes(id: string): string[] {
  const parts = id.split('/');
  const out: string[] = [];
  for (let i = parts.length; i >= 2; i--) out.push(parts.slice(0, i).join('/'));
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
