import { Worker } from 'node:worker_threads';
import type { Agency, Facility } from '../jurisdictions/types.ts';
import { contentDigest, requestValues } from './chain.ts';
import { requestLine, requestRefIds } from './postgres-import-session.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable } from './schema.ts';
import type { ImportSession, RowOutcome } from './store.ts';
import type { LedgerEvent, RequestRecord } from './types.ts';

/** A call of the worker's PostgresImportSession, by method name, answered in the order asked. */
export interface BulkCall {
  id: number;
  method: string;
  args: unknown[];
}
export interface BulkReply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * A large PostgreSQL import split over two threads. This one parses rows and turns each request
 * into its COPY line and content digest; the worker (postgres-import-worker.ts) holds the
 * connection, links the rows into the chain and sends them. A COPY waits on this side between
 * its messages, and a thread busy parsing answers late: the worker, never busy for long, keeps
 * the server writing while the next batch is parsed here. Each batch crosses as a few strings,
 * not as row objects, so neither thread's collector has to copy them.
 */
export class PostgresBulkSession implements ImportSession {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  /** registry id → ref, as the worker's session gave them */
  private readonly refs = new Map<string, number>();
  private readonly refOf = (id: string) => this.refs.get(id)!;

  private constructor(
    private readonly worker: Worker,
    private readonly recordedAt: string,
  ) {
    worker.on('message', (m: BulkReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.waiting.size) fail(new Error(`the import writer stopped (exit code ${code})`));
    });
  }

  static async start(url: string): Promise<PostgresBulkSession> {
    const recordedAt = new Date().toISOString();
    const worker = new Worker(new URL('../worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./postgres-import-worker.ts', import.meta.url).href, url, recordedAt },
    });
    const session = new PostgresBulkSession(worker, recordedAt);
    // id 0 is the worker's "transaction open" answer
    await new Promise((resolve, reject) => session.waiting.set(0, { resolve, reject }));
    return session;
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies BulkCall);
    });
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
  addEvents(rows: LedgerEvent[]): Promise<RowOutcome[]> {
    return this.call('addEvents', rows);
  }
  addAgencies(rows: Agency[]): Promise<RowOutcome[]> {
    return this.call('addAgencies', rows);
  }
  addFacilities(rows: Facility[]): Promise<RowOutcome[]> {
    return this.call('addFacilities', rows);
  }
  addAgreements(rows: Agreements287gTable[]): Promise<RowOutcome[]> {
    return this.call('addAgreements', rows);
  }
  addAreas(rows: AreasOfResponsibilityTable[]): Promise<RowOutcome[]> {
    return this.call('addAreas', rows);
  }
  async commit(): Promise<void> {
    await this.call('commit');
    await this.worker.terminate();
  }
  async rollback(): Promise<void> {
    if (!this.failure) await this.call('rollback');
    // without an answer the worker is gone, and the server ended its transaction with the connection
    await this.worker.terminate();
  }
}
