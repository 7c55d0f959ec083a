import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createEngine, explain, type DecisionResult } from '../../law/index.ts';
import { decisionJson } from '../../law/json.ts';
import { DecisionError, recordDecision } from '../../ledger/decisions.ts';
import { decideBatch } from '../decide-batch.ts';
import { decideText, decisionEngine, parseJson, policyLibrary, validated } from '../decide-lines.ts';
import { CliError } from '../errors.ts';
import { withDb } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
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
        opts.explain ? `${explain(r)}\n` : `${decisionJson(r)}\n`;
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
      if (opts.batch) {
        await decideBatch(file, { trace: opts.trace, explain: opts.explain === true });
        return;
      }
      const { engine, lookup } = decisionEngine();
      const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
      process.stdout.write(render(decideText(engine, lookup, text, '', opts.trace)));
    },
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read request file \`${file}\``, 2);
  }
}
