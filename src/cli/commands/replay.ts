import type { Command } from 'commander';
import { loadLibrary, PolicyLoadError, type DecisionResult } from '../../law/index.ts';
import { DecisionError, replayDecision, type StoredDecision } from '../../ledger/decisions.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';

/**
 * `detainer-ledger replay REQUEST_ID`: decide a recorded request again under the library revision
 * its decision was made under, and under the current library, and say whether either differs.
 */
export function registerReplay(program: Command): void {
  withJson(
    withDb(
      program
        .command('replay')
        .description('replay a recorded decision under the law it was made under, and under the current law')
        .argument('<request-id>', 'a ledger request with a `decided` event')
        .option('--event <seq>', 'replay this `decided` event instead of the request’s latest'),
    ),
  ).action(async (requestId: string, opts: { db: string; json?: boolean; event?: string }) => {
    const seq = opts.event === undefined ? undefined : Number(opts.event);
    if (seq !== undefined && !Number.isInteger(seq)) {
      throw new CliError(`\`--event\`: expected an event seq number, got \`${opts.event}\``, 2);
    }
    let current;
    try {
      current = loadLibrary();
    } catch (e) {
      if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
      throw e;
    }
    const replay = await withStore(opts.db, async (store) => {
      try {
        const r = await replayDecision(store, seq ?? requestId, await registryFor(store), { current });
        if (r.event.requestId !== requestId) {
          throw new CliError(
            `event ${seq} is a decision of request \`${r.event.requestId}\`, not \`${requestId}\``,
            2,
          );
        }
        return r;
      } catch (e) {
        if (e instanceof DecisionError) throw new CliError(`${e.message} [${e.code}]`, 2);
        throw e;
      }
    });
    if (opts.json) printJson(replay);
    else {
      const out: string[] = [];
      out.push(
        `request \`${replay.event.requestId}\`: decided event ${replay.event.seq}, recorded ${replay.event.recordedAt}`,
      );
      out.push(`request date ${replay.stored.asOf}; decided under library ${replay.revision}`);
      out.push('');
      out.push(`stored:    ${line(replay.stored)}`);
      out.push(
        `replayed:  ${line(replay.replayed)}  — ${replay.same ? 'same as stored' : 'DIFFERS from the stored decision'}`,
      );
      out.push(
        `current:   ${line(replay.againstCurrent.result)}  — ${
          replay.againstCurrent.revision === replay.revision
            ? 'the library has not changed'
            : replay.againstCurrent.same
              ? `same under library ${replay.againstCurrent.revision.slice(0, 19)}…`
              : `the law changed the outcome (library ${replay.againstCurrent.revision.slice(0, 19)}…)`
        }`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
    }
    // the same library and request must give the same decision; anything else is a defect
    if (!replay.same) throw new CliError('the replayed decision differs from the stored one', 1);
  });
}

function line(d: StoredDecision | DecisionResult): string {
  const obligations = d.obligations.map((o) => (typeof o === 'string' ? o : o.id));
  return `${d.decision.toUpperCase()}${d.certain ? '' : ' (not certain)'} by ${d.deciding.join(', ') || 'nothing'}${
    obligations.length > 0 ? `; duties ${obligations.join(', ')}` : ''
  }`;
}
