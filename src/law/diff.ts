/**
 * "What changed?": the probe requests of DESIGN §4 decided for one division on two dates, and
 * every probe whose answer differs, with the clauses that decided it on each side.
 */
import type { Engine } from './evaluate.ts';
import type { InstrumentRef } from './load.ts';
import type { Dimension, ProbeDivision } from './probes.ts';
import { answerProbes, type ClauseRef, type ProbeAnswer } from './profile.ts';
import type { DecisionValue } from './vocabulary.ts';

export interface ProbeSide {
  readonly decision: DecisionValue;
  readonly certain: boolean;
  readonly deciding: readonly ClauseRef[];
  readonly obligations: readonly string[];
}

export interface ProbeChange {
  readonly probe: string;
  readonly dimension: Dimension;
  readonly question: string;
  /** false when only the grounds (deciding clauses or duties) changed */
  readonly decisionChanged: boolean;
  readonly before: ProbeSide;
  readonly after: ProbeSide;
}

export interface PolicyDiff {
  readonly division: string;
  readonly from: string;
  readonly to: string;
  /** decision changes first, then changes of grounds only; each in probe order */
  readonly changes: readonly ProbeChange[];
  /** instrument versions in force on `to` and not on `from` */
  readonly instrumentsAdded: readonly InstrumentRef[];
  readonly instrumentsRemoved: readonly InstrumentRef[];
}

function side(a: ProbeAnswer): ProbeSide {
  return { decision: a.decision, certain: a.certain, deciding: a.deciding, obligations: a.obligations };
}

const key = (xs: readonly string[]): string => [...xs].sort().join('\n');
const refKey = (i: InstrumentRef): string => `${i.id}@${i.version}`;

/** The probes whose decision, deciding clauses or duties differ between `from` and `to`. */
export function diffPolicies(engine: Engine, division: ProbeDivision, from: string, to: string): PolicyDiff {
  const before = answerProbes(engine, division, from);
  const after = new Map(answerProbes(engine, division, to).map((a) => [a.probe, a]));
  const changes: ProbeChange[] = [];
  for (const b of before) {
    const a = after.get(b.probe)!;
    const decisionChanged = a.decision !== b.decision;
    const groundsChanged =
      key(a.deciding.map((c) => `${c.clause}@${c.version}`)) !==
        key(b.deciding.map((c) => `${c.clause}@${c.version}`)) || key(a.obligations) !== key(b.obligations);
    if (!decisionChanged && !groundsChanged) continue;
    changes.push({
      probe: b.probe,
      dimension: b.dimension,
      question: b.question,
      decisionChanged,
      before: side(b),
      after: side(a),
    });
  }
  changes.sort((x, y) => Number(y.decisionChanged) - Number(x.decisionChanged));
  const was = engine.instrumentsInForce(division.id, from);
  const is = engine.instrumentsInForce(division.id, to);
  const wasKeys = new Set(was.map(refKey));
  const isKeys = new Set(is.map(refKey));
  return {
    division: division.id,
    from,
    to,
    changes,
    instrumentsAdded: is.filter((i) => !wasKeys.has(refKey(i))),
    instrumentsRemoved: was.filter((i) => !isKeys.has(refKey(i))),
  };
}
