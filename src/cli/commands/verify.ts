import type { Command } from 'commander';
import { verifyLedger } from '../../ledger/verify.ts';
import { withDb, withJson } from '../options.ts';
import { printJson, withStore } from '../store-option.ts';

export function registerVerify(program: Command): void {
  withJson(
    withDb(
      program
        .command('verify')
        .description('check the hash chain: detects a changed, removed or reordered request or event'),
    ),
  ).action(async (opts: { db: string; json?: boolean }) => {
    const result = await withStore(opts.db, (store) => verifyLedger(store));
    if (opts.json) printJson(result);
    else if (result.ok) {
      process.stdout.write(`ledger intact: ${result.links} links, head ${result.head.slice(0, 16)}…\n`);
    } else {
      process.stdout.write(
        `ledger TAMPERED: ${result.problems.length} problem(s) in ${result.links} links\n`,
      );
      for (const p of result.problems) process.stdout.write(`  link ${p.seq}: ${p.code} ${p.message}\n`);
    }
    if (!result.ok) process.exitCode = 3;
  });
}
