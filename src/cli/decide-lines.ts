import { isAscii } from 'node:buffer';
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

/**
 * Decide a run of JSON Lines into `out`. An invalid line gives `{"line":N,"error":…}` in its
 * place, so the output stays aligned with the input. Returns the error messages, in order.
 */
export function decideLines(
  engine: Engine,
  lookup: DivisionLookup,
  lines: string[],
  firstLine: number,
  opts: LinesOptions,
  out: DecisionJsonWriter,
): string[] {
  const errors: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // a request starts with `{`; anything else may be a blank line
    if (line.length === 0 || (line.charCodeAt(0) !== 0x7b && line.trim() === '')) continue;
    try {
      const result = decideText(engine, lookup, line, '', opts.trace);
      if (opts.explain) out.text(`${explain(result)}\n`);
      else out.decision(result);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      // the line number is put in front only for a bad line, not made for every line
      const n = firstLine + i;
      const message = `line ${n}: ${e.message}`;
      errors.push(message);
      out.text(`${JSON.stringify({ line: n, error: message })}\n`);
    }
  }
  return errors;
}

/**
 * Decide a run of whole input lines (bytes) into `out`: the error messages, and how many input
 * lines the run had, blank ones included.
 */
export function decideRun(
  engine: Engine,
  lookup: DivisionLookup,
  run: Uint8Array,
  firstLine: number,
  opts: LinesOptions,
  out: DecisionJsonWriter,
): { errors: string[]; lines: number } {
  const bytes = Buffer.from(run.buffer, run.byteOffset, run.byteLength);
  // plain ASCII (the usual batch) is the same text read as Latin-1, which is a straight copy
  const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { errors: decideLines(engine, lookup, lines, firstLine, opts, out), lines: lines.length };
}
