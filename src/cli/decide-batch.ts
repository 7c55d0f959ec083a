import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import {
  decideRun,
  decisionEngine,
  type BatchAnswer,
  type BatchJob,
  type LinesOptions,
} from './decide-lines.ts';
import { CliError } from './errors.ts';

/** bytes of input per run: a few thousand lines, enough to keep a worker busy for a while */
const RUN_BYTES = 1 << 20;
/** runs in flight per worker: enough to keep it busy, few enough to keep memory flat */
const AHEAD = 3;
const NEWLINE = 0x0a;

/**
 * `decide --batch`: JSON Lines in, one decision per line out, in input order. The input is cut
 * into runs of whole lines, as bytes, and each run is decided on a worker thread, one per core,
 * so a large file uses the whole machine; the main thread only cuts, counts lines and writes
 * the answers in order.
 */
export async function decideBatch(
  file: string,
  opts: LinesOptions,
  workers = availableParallelism(),
): Promise<void> {
  const input: Readable = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: RUN_BYTES });
  input.on('error', () => undefined);
  const opened = await readable(input, file);
  const pool = workers > 1 ? await startPool(Math.min(workers, 8)) : null;
  const inline = pool ? null : decisionEngine();

  let bad = 0;
  let total = 0;
  const pending = new Map<number, Promise<BatchAnswer>>();
  let nextSeq = 0;
  let nextOut = 0;
  const emit = async (a: BatchAnswer) => {
    if (a.failure) throw new Error(a.failure);
    for (const m of a.errors ?? []) process.stderr.write(`error: ${m}\n`);
    bad += a.errors?.length ?? 0;
    total += a.lines ?? 0;
    if (a.out && a.out.length && !process.stdout.write(a.out)) await once(process.stdout, 'drain');
  };
  const drainOne = async () => {
    const p = pending.get(nextOut)!;
    pending.delete(nextOut++);
    await emit(await p);
  };
  let firstLine = 1;
  const send = async (run: Buffer) => {
    const seq = nextSeq++;
    const job: BatchJob = { seq, run, firstLine, opts };
    firstLine += countLines(run);
    if (pool) pending.set(seq, pool.run(job));
    else pending.set(seq, Promise.resolve(decideRun(inline!.engine, inline!.lookup, job)));
    while (pending.size > (pool ? pool.size * AHEAD : 0)) await drainOne();
  };

  try {
    let carry: Buffer | null = null;
    let first = true;
    for await (const chunk of opened) {
      let data: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      if (first && data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3); // a byte-order mark is not part of the first request
      }
      first = false;
      const cut = data.lastIndexOf(NEWLINE) + 1;
      if (cut === 0 || cut < RUN_BYTES / 4) {
        carry = data;
        continue;
      }
      // the tail is copied out, so the run (at least RUN_BYTES / 4: never from Node's small-buffer
      // pool) can hand its whole memory to the worker
      carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
      await send(data.subarray(0, cut));
    }
    if (carry?.length) await send(ownCopy(carry));
    while (pending.size) await drainOne();
  } finally {
    await pool?.stop();
  }
  if (bad > 0) throw new CliError(`${bad} of ${total} requests were invalid`, 2);
}

/** the lines a run starts, so the next run knows its first line number */
function countLines(run: Buffer): number {
  let n = 0;
  for (let i = run.indexOf(NEWLINE); i >= 0; i = run.indexOf(NEWLINE, i + 1)) n++;
  return run.length && run[run.length - 1] !== NEWLINE ? n + 1 : n;
}

/** a buffer with an ArrayBuffer of its own, so it can be handed to a worker without a copy */
function ownCopy(b: Buffer): Buffer {
  const own = Buffer.allocUnsafeSlow(b.length);
  b.copy(own);
  return own;
}

async function readable(input: Readable, file: string): Promise<Readable> {
  if (file === '-') return input;
  try {
    await once(input, 'readable');
  } catch {
    throw new CliError(`cannot read request file \`${file}\``, 2);
  }
  return input;
}

interface Pool {
  size: number;
  run(job: BatchJob): Promise<BatchAnswer>;
  stop(): Promise<void>;
}

async function startPool(size: number): Promise<Pool> {
  const workers = Array.from(
    { length: size },
    () =>
      new Worker(new URL('../worker-boot.mjs', import.meta.url), {
        workerData: { entry: new URL('./decide-batch-worker.ts', import.meta.url).href },
      }),
  );
  const waiting = new Map<number, (a: BatchAnswer) => void>();
  let failure: Error | null = null;
  for (const w of workers) {
    w.on('message', (a: BatchAnswer) => {
      const resolve = waiting.get(a.seq);
      waiting.delete(a.seq);
      resolve?.(a);
    });
    w.on('error', (e) => {
      failure = e;
      for (const [seq, resolve] of waiting) resolve({ seq, failure: e.message });
      waiting.clear();
    });
  }
  // each worker says it is ready (seq -1) once its registry and library are loaded
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const ready = (a: BatchAnswer) => {
            if (a.seq === -1) {
              w.off('message', ready);
              resolve();
            }
          };
          w.on('message', ready);
          w.once('error', reject);
        }),
    ),
  );
  return {
    size,
    run(job) {
      if (failure) return Promise.resolve({ seq: job.seq, failure: failure.message });
      return new Promise((resolve) => {
        waiting.set(job.seq, resolve);
        // a run's memory is its own (bigger than Node's shared small-buffer pool): hand it over
        const mine = job.run.buffer.byteLength > Buffer.poolSize;
        workers[job.seq % size]!.postMessage(job, mine ? [job.run.buffer as ArrayBuffer] : []);
      });
    },
    async stop() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
