import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadRegistry } from '../../jurisdictions/registry.ts';
import {
  createEngine,
  explain,
  loadLibrary,
  validateRequest,
  RequestError,
  PolicyLoadError,
} from '../../law/index.ts';
import type { DecisionResult, Engine } from '../../law/index.ts';
import type { DivisionLookup } from '../../jurisdictions/types.ts';
import { CliError } from '../errors.ts';

/** `detainer-ledger decide [FILE|-]`: one JSON request in, the decision JSON out (DESIGN §4). */
export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide a request under the law in force on its date')
    .argument('[file]', 'JSON request file, or `-` for standard input', '-')
    .option('--explain', 'print the decision for a person, with every clause considered')
    .option('--batch', 'read JSON Lines, write one decision per line')
    .option('--no-trace', 'leave the clause trace out of the JSON')
    .action(async (file: string, opts: { explain?: boolean; batch?: boolean; trace: boolean }) => {
      const { engine, lookup } = setup();
      const render = (r: DecisionResult): string =>
        opts.explain ? `${explain(r)}\n` : `${JSON.stringify(r)}\n`;
      if (!opts.batch) {
        const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
        process.stdout.write(render(decideText(engine, lookup, text, '', opts.trace)));
        return;
      }
      const input = file === '-' ? process.stdin : (await import('node:fs')).createReadStream(file);
      const lines = createInterface({ input, crlfDelay: Infinity });
      let n = 0;
      let bad = 0;
      for await (const line of lines) {
        n++;
        if (line.trim() === '') continue;
        try {
          process.stdout.write(render(decideText(engine, lookup, line, `line ${n}: `, opts.trace)));
        } catch (e) {
          if (!(e instanceof CliError)) throw e;
          bad++;
          process.stderr.write(`error: ${e.message}\n`);
          // keep the output aligned with the input so callers can join them line by line
          process.stdout.write(`${JSON.stringify({ line: n, error: e.message })}\n`);
        }
      }
      if (bad > 0) throw new CliError(`${bad} of ${n} requests were invalid`, 2);
    });
}

function setup(): { engine: Engine; lookup: DivisionLookup } {
  try {
    const lookup = loadRegistry();
    return { engine: createEngine(loadLibrary(), lookup), lookup };
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
    throw e;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read request file \`${file}\``, 2);
  }
}

function decideText(
  engine: Engine,
  lookup: DivisionLookup,
  text: string,
  where: string,
  trace: boolean,
): DecisionResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${where}not valid JSON: ${(e as Error).message.toLowerCase()} [request.json]`, 2);
  }
  try {
    return engine.decide(validateRequest(input, lookup), { trace });
  } catch (e) {
    if (e instanceof RequestError) throw new CliError(`${where}${e.message} [${e.code}]`, 2);
    throw e;
  }
}
