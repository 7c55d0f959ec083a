import type { Command } from 'commander';

export const DEFAULT_DB = './var/ledger.db';

/** `--db PATH` on every command; falls back to DETAINER_LEDGER_DB, then ./var/ledger.db. */
export function withDb(cmd: Command): Command {
  return cmd.option(
    '--db <path>',
    'ledger database file (env DETAINER_LEDGER_DB)',
    process.env.DETAINER_LEDGER_DB ?? DEFAULT_DB,
  );
}

/** `--json` on every command that prints results. */
export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print machine-readable JSON');
}
