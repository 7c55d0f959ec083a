import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DecisionJsonWriter } from '../law/json.ts';
import type { FreeMessage, RunAnswer, RunMessage, WorkerOptions } from './decide-batch-worker.ts';
import { decideRun, decisionEngine, type LinesOptions } from './decide-lines.ts';
import { CliError } from './errors.ts';

/** bytes of input per run: a few thousand lines, enough to keep a worker busy for a while */
const RUN_BYTES = 1 << 20;
/** runs in flight per worker: enough to keep it busy, few enough to keep memory flat */
const AHEAD = 3;
const NEWLINE = 0x0a;

/** The answer to one run: its output bytes, and a call to make once they are written out. */
interface Answer {
  out: Uint8Array;
  written(): void;
  errors: string[];
  lines: number;
}

/**
 * `decide --batch`: JSON Lines in, one decision per line out, in input order. The input is read
 * in runs of whole lines, as bytes, and each run is decided on a worker thread, one per core, so
 * a large file uses the whole machine; the main thread only reads, counts lines and writes the
 * answers in order.
 */
export async function decideBatch(
  file: string,
  opts: LinesOptions,
  workers = availableParallelism(),
): Promise<void> {
  const source = await openSource(file);
  const pool = workers > 1 ? await startPool(Math.min(workers, 8), opts) : null;
  const inline = pool ? null : { ...decisionEngine(), writer: new DecisionJsonWriter() };

  let bad = 0;
  let total = 0;
  const pending = new Map<number, Promise<Answer>>();
  let nextSeq = 0;
  let nextOut = 0;
  const drainOne = async () => {
    const p = pending.get(nextOut)!;
    pending.delete(nextOut++);
    const a = await p;
    for (const m of a.errors) process.stderr.write(`error: ${m}\n`);
    bad += a.errors.length;
    total += a.lines;
    if (a.out.length === 0) a.written();
    else if (!process.stdout.write(a.out, a.written)) await once(process.stdout, 'drain');
  };

  try {
    /** the start of a line that did not fit in the last run */
    let carry = Buffer.alloc(0);
    let firstLine = 1;
    let first = true;
    let end = false;
    while (!end) {
      const seq = nextSeq;
      let run = pool ? pool.input(seq) : Buffer.allocUnsafeSlow(RUN_BYTES);
      while (run.length <= carry.length) run = pool ? pool.grow(seq, run, 0) : grown(run, 0);
      let length = carry.copy(run);
      let cut = 0;
      for (;;) {
        while (length < run.length) {
          const n = await source.read(run, length);
          if (n === 0) {
            end = true;
            break;
          }
          length += n;
        }
        if (first) {
          first = false;
          if (length >= 3 && run[0] === 0xef && run[1] === 0xbb && run[2] === 0xbf) {
            run.copyWithin(0, 3, length); // a byte-order mark is not part of the first request
            length -= 3;
            if (!end) continue;
          }
        }
        cut = end ? length : length > 0 ? run.lastIndexOf(NEWLINE, length - 1) + 1 : 0;
        if (cut > 0 || end) break;
        // no whole line yet: a line longer than the run so far
        run = pool ? pool.grow(seq, run, length) : grown(run, length);
      }
      carry = Buffer.from(run.subarray(cut, length));
      if (cut === 0) continue;
      const bytes = run.subarray(0, cut);
      const lines = countLines(bytes);
      nextSeq++;
      if (pool) pending.set(seq, pool.run(seq, cut, firstLine));
      else {
        const { engine, lookup, writer } = inline!;
        const r = decideRun(engine, lookup, bytes, firstLine, opts, writer);
        pending.set(seq, Promise.resolve({ out: writer.take(), written: () => undefined, ...r }));
      }
      firstLine += lines;
      while (pending.size > (pool ? pool.size * AHEAD : 0)) await drainOne();
    }
    while (pending.size) await drainOne();
  } finally {
    await source.close();
    await pool?.stop();
  }
  if (bad > 0) throw new CliError(`${bad} of ${total} requests were invalid`, 2);
}

/** the lines a run starts, so the next run knows its first line number */
function countLines(run: Uint8Array): number {
  const b = Buffer.from(run.buffer, run.byteOffset, run.byteLength);
  let n = 0;
  for (let i = b.indexOf(NEWLINE); i >= 0; i = b.indexOf(NEWLINE, i + 1)) n++;
  return b.length && b[b.length - 1] !== NEWLINE ? n + 1 : n;
}

function grown(run: Buffer, length: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(run.length * 2);
  run.copy(bigger, 0, 0, length);
  return bigger;
}

interface Source {
  /** read into `into` from `at`, as much as is there up to its end; 0 at the end of the input */
  read(into: Buffer, at: number): Promise<number>;
  close(): Promise<void>;
}

/** A file is read straight into the runs; standard input, a stream, is copied into them. */
async function openSource(file: string): Promise<Source> {
  const cannot = () => new CliError(`cannot read request file \`${file}\``, 2);
  if (file === '-') return streamSource(process.stdin);
  const fh = await open(file, 'r').catch(() => {
    throw cannot();
  });
  return {
    async read(into, at) {
      try {
        return (await fh.read(into, at, into.length - at, null)).bytesRead;
      } catch {
        throw cannot();
      }
    },
    close: () => fh.close(),
  };
}

function streamSource(input: Readable): Source {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let rest: Buffer = Buffer.alloc(0);
  return {
    async read(into, at) {
      if (rest.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        rest = next.value;
      }
      const n = rest.copy(into, at);
      rest = rest.subarray(n);
      return n;
    },
    close: async () => undefined,
  };
}

interface Pool {
  size: number;
  /** a free input slot of the worker that will decide run `seq`, to read the run into (the same one until the run is sent) */
  input(seq: number): Buffer;
  /** a larger input slot for run `seq`, with the `length` bytes read so far */
  grow(seq: number, slot: Buffer, length: number): Buffer;
  /** decide the first `length` bytes of run `seq`'s input slot */
  run(seq: number, length: number, firstLine: number): Promise<Answer>;
  stop(): Promise<void>;
}

/** The worker threads and their slots of shared memory: input slots are the main thread's, output slots the worker's. */
interface Slots {
  worker: Worker;
  inputs: Buffer[];
  freeInputs: number[];
  /** input slots the worker has not seen yet (new, or grown) */
  unseen: Set<number>;
  outputs: Buffer[];
}

async function startPool(size: number, opts: LinesOptions): Promise<Pool> {
  const entry = new URL('./decide-batch-worker.ts', import.meta.url).href;
  const slots: Slots[] = Array.from({ length: size }, () => ({
    worker: new Worker(new URL('../worker-boot.mjs', import.meta.url), {
      workerData: { entry, opts } satisfies WorkerOptions,
    }),
    inputs: [],
    freeInputs: [],
    unseen: new Set(),
    outputs: [],
  }));
  const waiting = new Map<
    number,
    { input: number; resolve: (a: Answer) => void; reject: (e: Error) => void }
  >();
  /** the input slot each run of a worker was read into, until the run is sent */
  const reading = new Map<number, number>();
  let failure: Error | null = null;
  let stopped = false;
  const fail = (e: Error) => {
    failure = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  for (const s of slots) {
    s.worker.on('message', (a: RunAnswer) => {
      const w = waiting.get(a.seq);
      if (!w) return;
      waiting.delete(a.seq);
      s.freeInputs.push(w.input);
      if (a.failure !== undefined) return fail(new Error(a.failure));
      const output = a.output!;
      if (a.memory) s.outputs[output] = Buffer.from(a.memory);
      w.resolve({
        out: s.outputs[output]!.subarray(0, a.length),
        written: () => {
          if (!stopped) s.worker.postMessage({ kind: 'free', output } satisfies FreeMessage);
        },
        errors: a.errors ?? [],
        lines: a.lines ?? 0,
      });
    });
    s.worker.on('error', fail);
  }
  // each worker says it is ready (seq -1) once its registry and library are loaded
  await Promise.all(
    slots.map(
      ({ worker }) =>
        new Promise<void>((resolve, reject) => {
          const ready = (a: RunAnswer) => {
            if (a.seq === -1) {
              worker.off('message', ready);
              resolve();
            }
          };
          worker.on('message', ready);
          worker.once('error', reject);
        }),
    ),
  );
  const slotsOf = (seq: number) => slots[seq % size]!;
  return {
    size,
    input(seq) {
      const s = slotsOf(seq);
      let i = reading.get(seq) ?? s.freeInputs.pop();
      if (i === undefined) {
        i = s.inputs.push(Buffer.from(new SharedArrayBuffer(RUN_BYTES))) - 1;
        s.unseen.add(i);
      }
      reading.set(seq, i);
      return s.inputs[i]!;
    },
    grow(seq, slot, length) {
      const s = slotsOf(seq);
      const i = reading.get(seq)!;
      const bigger = Buffer.from(new SharedArrayBuffer(slot.length * 2));
      slot.copy(bigger, 0, 0, length);
      s.inputs[i] = bigger;
      s.unseen.add(i);
      return bigger;
    },
    run(seq, length, firstLine) {
      const s = slotsOf(seq);
      const input = reading.get(seq)!;
      reading.delete(seq);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.set(seq, { input, resolve, reject });
        const m: RunMessage = { kind: 'run', seq, input, length, firstLine };
        if (s.unseen.delete(input)) m.memory = s.inputs[input]!.buffer as SharedArrayBuffer;
        s.worker.postMessage(m);
      });
    },
    async stop() {
      stopped = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
