import { loadRegistry } from '../jurisdictions/registry.ts';
import type { DivisionLookup } from '../jurisdictions/types.ts';
import { DecisionJsonWriter } from '../law/json.ts';
import {
  createEngine,
  explain,
  loadLibrary,
  PolicyLoadError,
  RequestError,
  validateRequest,
  type DecisionResult,
  type Engine,
  type Library,
} from '../law/index.ts';
import { CliError } from './errors.ts';

/** The law library, with a load error turned into a message for the terminal. */
export function policyLibrary(): Library {
  try {
    return loadLibrary();
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
    throw e;
  }
}

export function decisionEngine(): { engine: Engine; lookup: DivisionLookup } {
  const lookup = loadRegistry();
  return { engine: createEngine(policyLibrary(), lookup), lookup };
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${where}not valid JSON: ${(e as Error).message.toLowerCase()} [request.json]`, 2);
  }
}

export function validated(
  input: unknown,
  lookup: DivisionLookup,
  where: string,
): ReturnType<typeof validateRequest> {
  try {
    return validateRequest(input, lookup);
  } catch (e) {
    if (e instanceof RequestError) throw new CliError(`${where}${e.message} [${e.code}]`, 2);
    throw e;
  }
}

export function decideText(
  engine: Engine,
  lookup: DivisionLookup,
  text: string,
  where: string,
  trace: boolean,
): DecisionResult {
  return engine.decide(validated(parseJson(text, where), lookup, where), { trace });
}

export interface LinesOptions {
  trace: boolean;
  explain: boolean;
}

export interface LinesResult {
  /** one line of output per input line that was not blank */
  out: Buffer;
  /** error messages for the invalid lines, in order */
  errors: string[];
}

/** one per thread, reused: its buffer grows to the size of a run once, not on every run */
const writer = new DecisionJsonWriter();

/**
 * Decide a run of JSON Lines. An invalid line gives `{"line":N,"error":…}` in its place, so the
 * output stays aligned with the input.
 */
export function decideLines(
  engine: Engine,
  lookup: DivisionLookup,
  lines: string[],
  firstLine: number,
  opts: LinesOptions,
): LinesResult {
  const out = writer;
  const errors: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const n = firstLine + i;
    try {
      const result = decideText(engine, lookup, line, `line ${n}: `, opts.trace);
      if (opts.explain) out.text(`${explain(result)}\n`);
      else out.decision(result);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      errors.push(e.message);
      out.text(`${JSON.stringify({ line: n, error: e.message })}\n`);
    }
  }
  return { out: out.take(), errors };
}

/** A run of whole input lines, as bytes, sent to a worker (or decided in place). */
export interface BatchJob {
  seq: number;
  run: Buffer;
  firstLine: number;
  opts: LinesOptions;
}
export interface BatchAnswer {
  seq: number;
  out?: Buffer;
  errors?: string[];
  /** input lines in the run, blank ones included */
  lines?: number;
  failure?: string;
}

export function decideRun(engine: Engine, lookup: DivisionLookup, job: BatchJob): BatchAnswer {
  const text = Buffer.from(job.run.buffer, job.run.byteOffset, job.run.byteLength).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const { out, errors } = decideLines(engine, lookup, lines, job.firstLine, job.opts);
  return { seq: job.seq, out, errors, lines: lines.length };
}
