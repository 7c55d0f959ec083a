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
import type { DecisionResult, Engine, Library } from '../../law/index.ts';
import type { DivisionLookup } from '../../jurisdictions/types.ts';
import { DecisionError, recordDecision } from '../../ledger/decisions.ts';
import { CliError } from '../errors.ts';
import { withDb } from '../options.ts';
import { registryFor } from '../registry-option.ts';
import { withStore } from '../store-option.ts';

/** `detainer-ledger decide [FILE|-]`: one JSON request in, the decision JSON out (DESIGN §4). */
export function registerDecide(program: Command): void {
  withDb(
    program
      .command('decide')
      .description('decide a request under the law in force on its date')
      .argument('[file]', 'JSON request file, or `-` for standard input', '-')
      .option('--explain', 'print the decision for a person, with every clause considered')
      .option('--batch', 'read JSON Lines, write one decision per line')
      .option('--no-trace', 'leave the clause trace out of the JSON')
      .option('--record <request-id>', 'store the decision as a `decided` event of this ledger request'),
  ).action(
    async (
      file: string,
      opts: { explain?: boolean; batch?: boolean; trace: boolean; record?: string; db: string },
    ) => {
      const render = (r: DecisionResult): string =>
        opts.explain ? `${explain(r)}\n` : `${JSON.stringify(r)}\n`;
      if (opts.record !== undefined) {
        if (opts.batch) throw new CliError('`--record` takes one request, not `--batch`', 2);
        const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
        const requestId = opts.record;
        await withStore(opts.db, async (store) => {
          const lookup = await registryFor(store);
          const library = policyLibrary();
          const engine = createEngine(library, lookup);
          const input = parseJson(text, '');
          const request = validated(input, lookup, '');
          const result = engine.decide(request, { trace: opts.trace });
          try {
            const ev = await recordDecision(
              store,
              requestId,
              request,
              result,
              { source: 'cli:decide', user: process.env.USER ?? null },
              library,
            );
            process.stderr.write(
              ev
                ? `recorded as event ${ev.seq} of request \`${requestId}\` (library ${library.revision.slice(0, 19)}…)\n`
                : `already recorded for request \`${requestId}\`; nothing changed\n`,
            );
          } catch (e) {
            if (e instanceof DecisionError) throw new CliError(`${e.message} [${e.code}]`, 2);
            throw e;
          }
          process.stdout.write(render(result));
        });
        return;
      }
      const { engine, lookup } = setup();
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
    },
  );
}

function setup(): { engine: Engine; lookup: DivisionLookup } {
  const lookup = loadRegistry();
  return { engine: createEngine(policyLibrary(), lookup), lookup };
}

function policyLibrary(): Library {
  try {
    return loadLibrary();
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
  return engine.decide(validated(parseJson(text, where), lookup, where), { trace });
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${where}not valid JSON: ${(e as Error).message.toLowerCase()} [request.json]`, 2);
  }
}

function validated(
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
