import { Worker } from 'node:worker_threads';
import { headText, parseHead } from './chain-rows.ts';
import { holdPretenuringOff } from './pretenuring.ts';
import { DIGEST_LENGTH, digestOfLine, linkHash, requestLine } from './chain.ts';
import type { WorkerOp } from './sqlite-import-worker.ts';
import type { RequestLines } from './sqlite-import-session.ts';
import type { ChainHead, RowOutcome } from './store.ts';
import type { RequestRecord } from './types.ts';
import { WorkerChannel } from './worker-channel.ts';
import { WorkerImportSession } from './worker-import-session.ts';
import { decodeOutcomes, isEncodedOutcomes, type EncodedOutcomes } from './worker-outcomes.ts';

/** A batch of requests sent to the writer and not yet answered. */
interface SentBatch {
  /** the rows' digests side by side, or '' when the writer makes them */
  digests: string;
  /** where this thread expects the writer's chain to end after the batch, if it linked the rows */
  end: string | null;
}

/**
 * An import session whose writes happen on a worker thread (see sqlite-import-worker.ts). Calls
 * return at once with a promise; the caller may prepare the next batch while this one is written.
 */
export class SqliteWorkerSession extends WorkerImportSession {
  /** whether the last batch answered was mostly duplicates: their digests are then not made here */
  private expectDuplicates = true;
  /**
   * Where the writer's chain will end once every batch sent is written, if each row in them is
   * new; null when not known. The writer is the one thread that inserts, so it alone knows what
   * was new; but linking (a hash per row, in order) is work this thread can do ahead on that
   * guess, and on new data the guess holds. The writer takes the links only while it does.
   */
  private expectedEnd: ChainHead | null = null;
  private readonly sent: SentBatch[] = [];
  /** for as long as the import runs (see pretenuring.ts) */
  private readonly releasePretenuring = holdPretenuringOff();

  private constructor(
    channel: WorkerChannel,
    /** one time for the whole import, fixed here because this thread prepares the request rows */
    private readonly recordedAt: string,
    /** told once the import has ended, committed or not */
    private readonly onEnd: () => void,
  ) {
    super(channel);
  }

  static async start(path: string, onEnd: () => void): Promise<SqliteWorkerSession> {
    const recordedAt = new Date().toISOString();
    const worker = new Worker(new URL('../worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./sqlite-import-worker.ts', import.meta.url).href, path, recordedAt },
      // the writer holds one batch at a time: a small heap keeps the import's memory flat
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      // not the parent's flags: under tsx they would load its loader in the writer too, which
      // worker-boot.mjs does only when there is no bundle to start from (boot 120 ms → 35 ms)
      execArgv: [],
    });
    const channel = new WorkerChannel(worker);
    await channel.ready;
    return new SqliteWorkerSession(channel, recordedAt, onEnd);
  }

  override async commit(): Promise<void> {
    try {
      await super.commit();
    } finally {
      this.ended();
    }
  }

  override async rollback(): Promise<void> {
    try {
      await super.rollback();
    } finally {
      this.ended();
    }
  }

  private ended(): void {
    this.releasePretenuring();
    this.onEnd();
  }

  protected async call<T>(op: WorkerOp, rows?: unknown[] | RequestLines): Promise<T> {
    const r = await this.channel.call<unknown>({ op, rows });
    return (isEncodedOutcomes(r) ? decodeOutcomes(r) : r) as T;
  }

  async addRequests(rows: RequestRecord[]): Promise<RowOutcome[]> {
    if (rows.length === 0) return [];
    // The values are made here, on the parsing thread, and cross as lines of text. So are the
    // digests of new rows and their links, so the writer only inserts; a re-import's duplicates
    // need neither, and the writer hashes the odd new row among them itself.
    const lines = new Array<string>(rows.length);
    const ids = new Array<string>(rows.length);
    const digests = this.expectDuplicates ? null : new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const line = requestLine(rows[i]!, this.recordedAt);
      lines[i] = line;
      ids[i] = rows[i]!.id;
      if (digests) digests[i] = digestOfLine(line);
    }
    const batch: SentBatch = { digests: digests ? digests.join('') : '', end: null };
    let start = '';
    let hashes = '';
    if (digests && this.expectedEnd) {
      start = headText(this.expectedEnd.seq, this.expectedEnd.hash);
      const links = new Array<string>(rows.length);
      this.expectedEnd = link(this.expectedEnd, digests, links);
      hashes = links.join('');
      batch.end = headText(this.expectedEnd.seq, this.expectedEnd.hash);
    } else if (!digests) this.expectedEnd = null;
    this.sent.push(batch);
    const reply = await this.channel.call<EncodedOutcomes>({
      op: 'addRequestLines' satisfies WorkerOp,
      rows: { ids: JSON.stringify(ids), lines, digests: batch.digests, hashes, start },
    });
    // the writer answers in the order asked: this batch is the oldest still waiting
    this.sent.shift();
    if (reply.end !== batch.end) this.relink(reply.end as string);
    const out = decodeOutcomes(reply);
    let duplicates = 0;
    for (const o of out) if (o.status !== 'inserted') duplicates++;
    this.expectDuplicates = duplicates > out.length / 10;
    return out;
  }

  /**
   * The writer's chain ended elsewhere than guessed (a row was not new, or nothing was guessed):
   * guess again from where it did end, through the batches sent since, as far as they bring their
   * digests. Those batches are linked by the writer, which finds they start elsewhere.
   */
  private relink(end: string): void {
    let head: ChainHead | null = parseHead(end);
    for (const b of this.sent) {
      if (!b.digests) {
        head = null;
        break;
      }
      const digests = new Array<string>(b.digests.length / DIGEST_LENGTH);
      for (let i = 0; i < digests.length; i++)
        digests[i] = b.digests.slice(i * DIGEST_LENGTH, (i + 1) * DIGEST_LENGTH);
      head = link(head, digests, new Array<string>(digests.length));
    }
    this.expectedEnd = head;
  }
}

/** link each digest into the chain after `from`, into `links`; returns the new end */
function link(from: ChainHead, digests: string[], links: string[]): ChainHead {
  let { seq, hash } = from;
  for (let i = 0; i < digests.length; i++) {
    hash = linkHash(hash, ++seq, 'request', digests[i]!);
    links[i] = hash;
  }
  return { seq, hash };
}
