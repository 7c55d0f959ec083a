import type { Worker } from 'node:worker_threads';

/** A worker's answer to the call numbered `id`. */
export interface WorkerAnswer {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * Calls to an import worker thread and their answers, matched by number (the worker answers in
 * the order asked). Number 0 is the worker's "transaction open" answer, sent unasked. Once the
 * worker fails — an error answer to 0, an uncaught error, an exit with calls unanswered — every
 * waiting and later call fails with that first reason.
 */
export class WorkerChannel {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  /** settles with the worker's answer 0 */
  readonly ready: Promise<void>;

  constructor(readonly worker: Worker) {
    this.ready = new Promise<void>((resolve, reject) =>
      this.waiting.set(0, {
        resolve: () => resolve(),
        reject: (err) => {
          reject(err);
          this.fail(err);
        },
      }),
    );
    // a caller that does not wait for readiness learns of the failure from its next call
    this.ready.catch(() => undefined);
    worker.on('message', (m: WorkerAnswer) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (this.waiting.size) this.fail(new Error(`the import writer stopped (exit code ${code})`));
    });
  }

  /** whether the worker has failed (it is gone, and its transaction with it) */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** post `{ id, ...message }` and wait for its answer */
  call<T>(message: object): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(this.failure);
  }
}
