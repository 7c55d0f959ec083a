import { Worker } from 'node:worker_threads';
import { contentDigest, requestValues } from './chain.ts';
import { requestLine, requestRefIds } from './postgres-import-session.ts';
import type { RowOutcome } from './store.ts';
import type { RequestRecord } from './types.ts';
import { WorkerChannel } from './worker-channel.ts';
import { WorkerImportSession } from './worker-import-session.ts';

/** A call of the worker's PostgresImportSession, by method name, answered in the order asked. */
export interface BulkCall {
  id: number;
  method: string;
  args: unknown[];
}

/**
 * A large PostgreSQL import split over two threads. This one parses rows and turns each request
 * into its COPY line and content digest; the worker (postgres-import-worker.ts) holds the
 * connection, links the rows into the chain and sends them. A COPY waits on this side between
 * its messages, and a thread busy parsing answers late: the worker, never busy for long, keeps
 * the server writing while the next batch is parsed here. Each batch crosses as two strings
 * (its lines, their digests), not as row objects, so neither thread's collector copies rows.
 */
export class PostgresBulkSession extends WorkerImportSession {
  /**
   * Larger batches than the importer's: each is one message and one COPY, whose round trips cost
   * more here than rows held a little longer (a batch is about 0.8 MB of text).
   */
  readonly batchRows = 2500;
  /** registry id → ref, as the worker's session gave them */
  private readonly refs = new Map<string, number>();
  private readonly refOf = (id: string) => this.refs.get(id)!;

  private constructor(
    channel: WorkerChannel,
    private readonly recordedAt: string,
  ) {
    super(channel);
  }

  /**
   * Not waiting for the worker to start (a few hundred ms) or its transaction to begin: the
   * importer parses its first batches meanwhile, and calls made before then wait in the
   * worker's queue (and fail with the reason if it cannot begin).
   */
  static start(url: string): PostgresBulkSession {
    const recordedAt = new Date().toISOString();
    const worker = new Worker(new URL('../worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./postgres-import-worker.ts', import.meta.url).href, url, recordedAt },
      // not the parent's flags (see SqliteWorkerSession.start)
      execArgv: [],
    });
    return new PostgresBulkSession(new WorkerChannel(worker), recordedAt);
  }

  protected call<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.channel.call<T>({ method, args });
  }

  async addRequests(rows: RequestRecord[]): Promise<RowOutcome[]> {
    if (rows.length === 0) return [];
    const values = rows.map((r) => requestValues(r, this.recordedAt));
    const missing = [...requestRefIds(values)].filter((id) => !this.refs.has(id));
    // new registry ids are few after the first batches: most batches need no answer to go on
    if (missing.length > 0)
      for (const [id, ref] of await this.call<[string, number][]>('refsOf', missing)) this.refs.set(id, ref);
    let batch = '';
    let digests = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      batch += (i > 0 ? '\n' : '') + requestLine(v, this.refOf);
      digests += contentDigest(v);
    }
    return this.call('addRequestLines', batch, digests);
  }
}
