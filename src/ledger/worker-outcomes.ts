import type { RowOutcome } from './store.ts';

/**
 * A batch's outcomes as they cross between threads: one letter per row and the reasons of its
 * conflicts. Copying two strings costs next to nothing; thousands of small objects cost a
 * structured clone on each side and as many objects for the collector.
 */
export interface EncodedOutcomes {
  /** `i` inserted, `d` duplicate, `c` conflict, one per row in order */
  codes: string;
  /** the conflicts' reasons, in row order */
  reasons: string[];
  /** after a batch of requests on SQLite: where the writer's chain ends (`seq:hash`) */
  end?: string;
}

const INSERTED: RowOutcome = { status: 'inserted' };
const DUPLICATE: RowOutcome = { status: 'duplicate' };

export function encodeOutcomes(out: RowOutcome[]): EncodedOutcomes {
  let codes = '';
  const reasons: string[] = [];
  for (const o of out) {
    if (o.status === 'inserted') codes += 'i';
    else if (o.status === 'duplicate') codes += 'd';
    else {
      codes += 'c';
      reasons.push(o.reason);
    }
  }
  return { codes, reasons };
}

export function isEncodedOutcomes(v: unknown): v is EncodedOutcomes {
  return typeof v === 'object' && v !== null && typeof (v as EncodedOutcomes).codes === 'string';
}

export function decodeOutcomes({ codes, reasons }: EncodedOutcomes): RowOutcome[] {
  const out: RowOutcome[] = new Array(codes.length);
  let r = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes.charCodeAt(i);
    out[i] =
      c === 105 /* i */
        ? INSERTED
        : c === 100 /* d */
          ? DUPLICATE
          : { status: 'conflict', reason: reasons[r++] as string };
  }
  return out;
}
