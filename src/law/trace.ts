/**
 * What a decision says about itself: the trace of every clause considered, the duties that
 * follow, and a rendering for a person (`decide --explain`) that shows how sure each rule is.
 */
import type { InstrumentRef } from './load.ts';
import type { Confidence, DecisionValue, Effect, Layer } from './vocabulary.ts';

/**
 * How a considered clause came out: it applied; its condition failed; a fact it needs is missing;
 * its exception held; a more specific clause named in its `unless` applied; a higher layer
 * pre-empted it.
 */
export type ClauseOutcome = 'applied' | 'not-applied' | 'unknown' | 'excepted' | 'overridden' | 'preempted';

export interface TraceEntry {
  readonly layer: Layer;
  readonly instrument: string;
  readonly version: string;
  /** `<instrument>#<clause id>` */
  readonly clause: string;
  readonly citation: string;
  readonly summary: string;
  readonly effect: Effect | null;
  readonly applied: boolean;
  readonly outcome: ClauseOutcome;
  /** plain words: the condition that held, or the one that failed ("why not") */
  readonly because: string;
  readonly confidence: Confidence;
}

export interface ObligationResult {
  /** `<instrument>#<obligation id>` */
  readonly id: string;
  readonly citation: string;
  readonly text: string;
  /** the clause that imposes it */
  readonly clause: string;
  readonly confidence: Confidence;
  /** when the request gives `releaseEligibleAt` and the duty has a deadline */
  readonly due?: string;
}

export interface DecisionResult {
  /** the caller's `id`, echoed */
  readonly requestId?: string;
  readonly decision: DecisionValue;
  /** false when a missing fact could change the decision */
  readonly certain: boolean;
  /** the clauses that decided, `<instrument>#<clause id>` */
  readonly deciding: readonly string[];
  readonly obligations: readonly ObligationResult[];
  /** absent when evaluated with `{ trace: false }` */
  readonly trace?: readonly TraceEntry[];
  readonly missingFacts: readonly string[];
  readonly asOf: string;
  readonly libraryRevision: string;
  readonly instruments: readonly InstrumentRef[];
}

const MARK: Record<string, string> = {
  applied: '✔',
  'not-applied': '·',
  unknown: '?',
  excepted: '·',
  overridden: '↷',
  preempted: '⤓',
};

/** The decision as a person reads it: decision, deciding clauses, duties, then every clause considered. */
export function explain(r: DecisionResult): string {
  const out: string[] = [];
  const decided = r.deciding.length > 0 ? ` (by ${r.deciding.join(', ')})` : '';
  out.push(`decision: ${r.decision.toUpperCase()}${decided}`);
  out.push(`as of ${r.asOf}; library ${r.libraryRevision.slice(0, 19)}…`);
  if (!r.certain) out.push('not certain: a missing fact could change this decision');
  if (r.missingFacts.length > 0) out.push(`missing facts: ${r.missingFacts.join(', ')}`);
  const byRef = new Map((r.trace ?? []).map((t) => [t.clause, t]));
  const lowConfidence = r.deciding.map((d) => byRef.get(d)).filter((t) => t && t.confidence !== 'high');
  for (const t of lowConfidence) {
    out.push(`caution: ${t!.clause} is of ${t!.confidence} confidence; check it against the source`);
  }
  out.push('');
  out.push(r.obligations.length > 0 ? 'obligations:' : 'obligations: none');
  for (const o of r.obligations) {
    out.push(`  - ${o.text}`);
    out.push(`    ${o.citation} [${o.confidence} confidence]${o.due ? `; due by ${o.due}` : ''}`);
  }
  if (r.trace) {
    out.push('');
    out.push('clauses considered:');
    for (const t of r.trace) {
      const effect = t.effect ? t.effect.toUpperCase() : 'DUTIES';
      out.push(
        `  ${MARK[t.outcome] ?? ' '} [${t.layer}] ${t.clause} (${t.instrument} v${t.version}) ${effect} — ${t.outcome}`,
      );
      out.push(`      ${t.citation} [${t.confidence} confidence]`);
      out.push(`      ${t.summary}`);
      out.push(`      ${t.because}`);
    }
  }
  out.push('');
  out.push(`instruments in force: ${r.instruments.map((i) => `${i.id}@${i.version}`).join(', ') || 'none'}`);
  return out.join('\n');
}
