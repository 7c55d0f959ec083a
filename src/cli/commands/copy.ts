import type { Command } from 'commander';
import { copyLedger, CopyError } from '../../ledger/copy.ts';
import { openStore, shownLocation } from '../../ledger/open.ts';
import type { Store } from '../../ledger/store.ts';
import { CliError } from '../errors.ts';
import { withJson } from '../options.ts';
import { printJson } from '../store-option.ts';

/** `sqlite:PATH`, a bare path, or a `postgres://` URL; DATABASE_URL plays no part here */
async function openLocation(location: string, side: string): Promise<Store> {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(location)) {
    throw new CliError(
      `--${side} \`${shownLocation(location)}\` names no store: give \`sqlite:PATH\` for a ledger file or a \`postgres://\` URL`,
    );
  }
  try {
    return await openStore(location, '');
  } catch (err) {
    throw new CliError(`cannot open --${side} \`${shownLocation(location)}\`: ${(err as Error).message}`);
  }
}

export function registerCopy(program: Command): void {
  withJson(
    program
      .command('copy')
      .description(
        'copy a whole ledger into an empty store (sqlite:PATH or postgres://…): every table, the hash chain unchanged, verified on the target',
      )
      .requiredOption('--from <store>', 'sqlite:PATH or postgres://user@host/db')
      .requiredOption('--to <store>', 'sqlite:PATH or postgres://user@host/db (must be empty)'),
  ).action(async (opts: { from: string; to: string; json?: boolean }) => {
    if (opts.from === opts.to) throw new CliError('--from and --to name the same store');
    const from = await openLocation(opts.from, 'from');
    try {
      const to = await openLocation(opts.to, 'to');
      try {
        const result = await copyLedger(from, to);
        if (opts.json) return printJson(result);
        process.stdout.write(`copied ${shownLocation(opts.from)} → ${shownLocation(opts.to)}\n`);
        for (const [t, n] of Object.entries(result.tables))
          process.stdout.write(`  ${t.padEnd(26)} ${n.toLocaleString('en-US').padStart(12)}\n`);
        process.stdout.write(`target verified: ${result.links} links, head ${result.head.slice(0, 16)}…\n`);
      } catch (err) {
        if (err instanceof CopyError) throw new CliError(err.message, 3);
        throw err;
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
  });
}
