/**
 * Decisions in the ledger (DESIGN §5): a `decided` event stores the validated request, the
 * decision and the library revision it was made under, and the revision's files are kept once in
 * `policy_revisions`, so any stored decision can be replayed under the law it was made under and
 * compared with what the current library says.
 */
import { createHash } from 'node:crypto';
import type { DivisionLookup } from '../jurisdictions/types.ts';
import {
  buildLibrary,
  createEngine,
  loadLibrary,
  type DecisionRequest,
  type DecisionResult,
  type InstrumentRef,
  type Library,
  type PolicyFile,
} from '../law/index.ts';
import type { Store } from './store.ts';
import type { Provenance, StoredEvent } from './types.ts';

/** What a `decided` event's `data` holds. The request contract carries no names. */
export interface StoredDecision {
  request: DecisionRequest;
  decision: DecisionResult['decision'];
  certain: boolean;
  /** deciding clause ids, `<instrument>#<clause id>` */
  deciding: string[];
  /** obligation ids, `<instrument>#<obligation id>` */
  obligations: string[];
  missingFacts: string[];
  asOf: string;
  libraryRevision: string;
  instruments: InstrumentRef[];
}

/** A stored decision could not be found, read or replayed; the message says which and why. */
export class DecisionError extends Error {
  constructor(
    readonly code:
      'decision.unknown-request' | 'decision.mismatch' | 'decision.not-found' | 'decision.revision',
    message: string,
  ) {
    super(message);
  }
}

export function storedDecision(request: DecisionRequest, result: DecisionResult): StoredDecision {
  return {
    request,
    decision: result.decision,
    certain: result.certain,
    deciding: [...result.deciding],
    obligations: result.obligations.map((o) => o.id),
    missingFacts: [...result.missingFacts],
    asOf: result.asOf,
    libraryRevision: result.libraryRevision,
    instruments: result.instruments.map((i) => ({ ...i })),
  };
}

/**
 * Append a `decided` event for ledger request `requestId`, and keep `library`'s files under its
 * revision if this ledger does not have them yet. `library` must be the one `result` was made
 * under. The same decision recorded twice is stored once.
 */
export async function recordDecision(
  store: Store,
  requestId: string,
  request: DecisionRequest,
  result: DecisionResult,
  provenance: Provenance,
  library: Library,
  options: { date?: string } = {},
): Promise<StoredEvent | null> {
  if (result.libraryRevision !== library.revision) {
    throw new DecisionError(
      'decision.revision',
      `the decision was made under library ${result.libraryRevision}, not the one given (${library.revision})`,
    );
  }
  const known = await store.db
    .selectFrom('requests')
    .select(['id', 'type'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!known) {
    throw new DecisionError('decision.unknown-request', `no request \`${requestId}\` in the ledger`);
  }
  if (known.type !== request.type) {
    throw new DecisionError(
      'decision.mismatch',
      `request \`${requestId}\` is a \`${known.type}\` request in the ledger, not \`${request.type}\``,
    );
  }
  await keepRevision(store, library);
  const data = storedDecision(request, result);
  const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 32);
  const [stored] = await store.appendEvents([
    {
      key: `decided:${requestId}:${digest}`,
      requestId,
      kind: 'decided',
      date: options.date ?? new Date().toISOString().slice(0, 10),
      facilityId: null,
      data: data as unknown as Record<string, unknown>,
      provenance,
    },
  ]);
  return stored ?? null;
}

/** Store the library's files under its revision, once. */
export async function keepRevision(store: Store, library: Library): Promise<void> {
  const files = library.files.map((f) => ({ path: f.path, content: f.text }));
  await store.db
    .insertInto('policy_revisions')
    .values({
      revision: library.revision,
      files: JSON.stringify(files),
      recorded_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('revision').doNothing())
    .execute();
}

/** The library of a stored revision, rebuilt from its files and checked against its hash. */
export async function libraryAt(store: Store, revision: string): Promise<Library> {
  const row = await store.db
    .selectFrom('policy_revisions')
    .select('files')
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (!row) {
    throw new DecisionError(
      'decision.revision',
      `library revision \`${revision}\` is not kept in this ledger`,
    );
  }
  const files = (JSON.parse(row.files) as { path: string; content: string }[]).map((f): PolicyFile => ({
    path: f.path,
    text: f.content,
  }));
  const library = buildLibrary(files);
  if (library.revision !== revision) {
    throw new DecisionError(
      'decision.revision',
      `the files kept for library revision \`${revision}\` hash to ${library.revision}: they were altered`,
    );
  }
  return library;
}

export interface DecidedEvent {
  seq: number;
  requestId: string;
  date: string;
  recordedAt: string;
  data: StoredDecision;
}

/** A `decided` event by its seq, or the latest one of a request id. */
export async function findDecision(
  store: Store,
  eventSeqOrRequestId: number | string,
): Promise<DecidedEvent> {
  let q = store.db
    .selectFrom('events')
    .select(['seq', 'request_id', 'date', 'recorded_at', 'data'])
    .where('kind', '=', 'decided');
  q =
    typeof eventSeqOrRequestId === 'number'
      ? q.where('seq', '=', eventSeqOrRequestId)
      : q.where('request_id', '=', eventSeqOrRequestId);
  const row = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!row) {
    throw new DecisionError(
      'decision.not-found',
      typeof eventSeqOrRequestId === 'number'
        ? `no \`decided\` event with seq ${eventSeqOrRequestId}`
        : `no decision recorded for request \`${eventSeqOrRequestId}\``,
    );
  }
  return {
    seq: row.seq,
    requestId: row.request_id,
    date: row.date,
    recordedAt: row.recorded_at,
    data: JSON.parse(row.data) as StoredDecision,
  };
}

export interface Replay {
  event: { seq: number; requestId: string; date: string; recordedAt: string };
  /** the stored decision equals the replayed one (decision, certainty, deciding clauses, duties) */
  same: boolean;
  stored: StoredDecision;
  /** the decision remade under the stored revision */
  replayed: DecisionResult;
  revision: string;
  /** the current library's answer to the same request */
  againstCurrent: { revision: string; same: boolean; result: DecisionResult };
}

function sameDecision(a: StoredDecision, b: DecisionResult): boolean {
  const key = (xs: readonly string[]) => [...xs].sort().join('\n');
  return (
    a.decision === b.decision &&
    a.certain === b.certain &&
    key(a.deciding) === key(b.deciding) &&
    key(a.obligations) === key(b.obligations.map((o) => o.id))
  );
}

/**
 * Replay a stored decision: rebuild the library of its revision, decide the stored request again,
 * and compare; then ask the current library (default: the package's `policies/`) the same.
 */
export async function replayDecision(
  store: Store,
  eventSeqOrRequestId: number | string,
  lookup: DivisionLookup,
  options: { current?: Library } = {},
): Promise<Replay> {
  const ev = await findDecision(store, eventSeqOrRequestId);
  const stored = ev.data;
  const replayed = createEngine(await libraryAt(store, stored.libraryRevision), lookup).decide(
    stored.request,
  );
  const current = options.current ?? loadLibrary();
  const now = createEngine(current, lookup).decide(stored.request);
  return {
    event: { seq: ev.seq, requestId: ev.requestId, date: ev.date, recordedAt: ev.recordedAt },
    same: sameDecision(stored, replayed),
    stored,
    replayed,
    revision: stored.libraryRevision,
    againstCurrent: { revision: current.revision, same: sameDecision(stored, now), result: now },
  };
}
