/**
 * What an agency may not collect at intake: the fields named by `forbidsCollecting` in the clauses
 * in force for the agency's division and kind on a date, each with the clause that forbids it. The
 * engine knows no field is sensitive of its own accord; only the policy files say so.
 */
import type { Engine } from './evaluate.ts';
import { COLLECTED_FIELDS, type AgencyKind, type CollectedField, type Confidence } from './vocabulary.ts';

export interface CollectionLimit {
  field: CollectedField;
  /** `<instrument>#<clause id>` */
  clause: string;
  instrument: string;
  version: string;
  citation: string;
  summary: string;
  confidence: Confidence;
  note: string | null;
}

export interface CollectionQuery {
  division: string;
  agencyKind: AgencyKind;
  /** the day the agency collects, `YYYY-MM-DD` */
  date: string;
}

/**
 * One entry per (field, clause), fields in the order of `COLLECTED_FIELDS`, clauses outermost
 * layer first. Empty when nothing in force forbids collecting anything. A clause's request types
 * and condition govern its decisions, not intake: at intake there is no request to test yet.
 */
export function collectionLimits(engine: Engine, q: CollectionQuery): CollectionLimit[] {
  const out: CollectionLimit[] = [];
  const clauses = engine.clausesInForce(q.division, q.agencyKind, q.date);
  for (const field of COLLECTED_FIELDS) {
    for (const c of clauses) {
      if (!c.forbidsCollecting.includes(field)) continue;
      out.push({
        field,
        clause: c.ref,
        instrument: c.instrument.id,
        version: c.instrument.version,
        citation: c.citation,
        summary: c.summary,
        confidence: c.collectingConfidence,
        note: c.collectingNote,
      });
    }
  }
  return out;
}

/** The fields forbidden, each with the clauses forbidding it (as `policy test` cases state them). */
export function forbiddenFields(limits: readonly CollectionLimit[]): Map<CollectedField, string[]> {
  const out = new Map<CollectedField, string[]>();
  for (const l of limits) out.set(l.field, [...(out.get(l.field) ?? []), l.clause]);
  return out;
}
