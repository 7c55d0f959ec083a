/**
 * A worker of `decide --batch`: decides the runs of lines it is sent, answering each in turn.
 * Runs and answers live in shared memory (slots), so only slot numbers pass between threads: no
 * buffer is copied, and none is handed over (a handed-over buffer counts against the receiving
 * thread's heap until its collector runs, and the main thread would collect every few runs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DecisionJsonWriter } from '../law/json.ts';
import { decideRun, decisionEngine, type LinesOptions } from './decide-lines.ts';

/** main → worker: decide the run of `length` bytes in input slot `input` */
export interface RunMessage {
  kind: 'run';
  seq: number;
  input: number;
  length: number;
  firstLine: number;
  /** the slot's memory, the first time the slot is used or after it grew */
  memory?: SharedArrayBuffer;
}
/** main → worker: output slot `output` is written out and may be written into again */
export interface FreeMessage {
  kind: 'free';
  output: number;
}
/** worker → main */
export interface RunAnswer {
  seq: number;
  /** -1: the worker is ready */
  output?: number;
  length?: number;
  /** the output slot's memory, the first time the slot is used or after it grew */
  memory?: SharedArrayBuffer;
  errors?: string[];
  /** input lines in the run, blank ones included */
  lines?: number;
  failure?: string;
}
export interface WorkerOptions {
  entry: string;
  opts: LinesOptions;
}

const shared = (n: number): Buffer => Buffer.from(new SharedArrayBuffer(n));

const port = parentPort!;
const { opts } = workerData as WorkerOptions;
const { engine, lookup } = decisionEngine();
const writer = new DecisionJsonWriter(shared);
const inputs: Buffer[] = [];
const outputs: Buffer[] = [];
const free: number[] = [];
/** a new output slot starts as large as the largest so far, so it grows at most once */
let slotSize = 1 << 20;

port.on('message', (m: RunMessage | FreeMessage) => {
  if (m.kind === 'free') {
    free.push(m.output);
    return;
  }
  try {
    if (m.memory) inputs[m.input] = Buffer.from(m.memory);
    let output = free.pop();
    let fresh = false;
    if (output === undefined) {
      output = outputs.push(shared(slotSize)) - 1;
      fresh = true;
    }
    writer.start(outputs[output]!);
    const run = inputs[m.input]!.subarray(0, m.length);
    const { errors, lines } = decideRun(engine, lookup, run, m.firstLine, opts, writer);
    const out = writer.written();
    if (out.buffer !== outputs[output]!.buffer) {
      outputs[output] = Buffer.from(out.buffer);
      slotSize = Math.max(slotSize, out.buffer.byteLength);
      fresh = true;
    }
    const answer: RunAnswer = { seq: m.seq, output, length: out.length, errors, lines };
    if (fresh) answer.memory = out.buffer as SharedArrayBuffer;
    port.postMessage(answer);
  } catch (e) {
    port.postMessage({ seq: m.seq, failure: (e as Error).message } satisfies RunAnswer);
  }
});
port.postMessage({ seq: -1 } satisfies RunAnswer);
