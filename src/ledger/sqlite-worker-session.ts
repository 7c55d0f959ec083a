import { Worker } from 'node:worker_threads';
import { digestOfLine, requestLine } from './chain.ts';
import type { WorkerOp } from './sqlite-import-worker.ts';
import type { RequestLines } from './sqlite-store.ts';
import type { RowOutcome } from './store.ts';
import type { RequestRecord } from './types.ts';
import { WorkerChannel } from './worker-channel.ts';
import { WorkerImportSession } from './worker-import-session.ts';
import { decodeOutcomes, isEncodedOutcomes } from './worker-outcomes.ts';

/**
 * An import session whose writes happen on a worker thread (see sqlite-import-worker.ts). Calls
 * return at once with a promise; the caller may prepare the next batch while this one is written.
 */
export class SqliteWorkerSession extends WorkerImportSession {
  /** whether the last batch answered was mostly duplicates: their digests are then not made here */
  private expectDuplicates = true;

  private constructor(
    channel: WorkerChannel,
    /** one time for the whole import, fixed here because this thread prepares the request rows */
    private readonly recordedAt: string,
  ) {
    super(channel);
  }

  static async start(path: string): Promise<SqliteWorkerSession> {
    const recordedAt = new Date().toISOString();
    const worker = new Worker(new URL('../worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./sqlite-import-worker.ts', import.meta.url).href, path, recordedAt },
      // the writer holds one batch at a time: a small heap keeps the import's memory flat
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    const channel = new WorkerChannel(worker, (r) => (isEncodedOutcomes(r) ? decodeOutcomes(r) : r));
    await channel.ready;
    return new SqliteWorkerSession(channel, recordedAt);
  }

  protected call<T>(op: WorkerOp, rows?: unknown[] | RequestLines): Promise<T> {
    return this.channel.call<T>({ op, rows });
  }

  async addRequests(rows: RequestRecord[]): Promise<RowOutcome[]> {
    if (rows.length === 0) return [];
    // The values are made here, on the parsing thread, and cross as one string. So are the
    // digests of new rows, so the writer only links and inserts; a re-import's duplicates need
    // none, and the writer hashes the odd new row among them itself.
    const lines = new Array<string>(rows.length);
    const ids = new Array<string>(rows.length);
    const digests = this.expectDuplicates ? null : new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const line = requestLine(rows[i]!, this.recordedAt);
      lines[i] = line;
      ids[i] = rows[i]!.id;
      if (digests) digests[i] = digestOfLine(line);
    }
    const out = await this.call<RowOutcome[]>('addRequestLines', {
      ids: JSON.stringify(ids),
      lines: lines.join('\n'),
      digests: digests ? digests.join('') : '',
    });
    let duplicates = 0;
    for (const o of out) if (o.status !== 'inserted') duplicates++;
    this.expectDuplicates = duplicates > out.length / 10;
    return out;
  }
}
