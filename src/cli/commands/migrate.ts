import type { Command } from 'commander';
import { withDb, withJson } from '../options.ts';
import { printJson, withStore } from '../store-option.ts';

export function registerMigrate(program: Command): void {
  withJson(
    withDb(
      program
        .command('migrate')
        .description(
          'bring the ledger (--db PATH or a postgres:// URL; DATABASE_URL wins) to the current schema and list its versions',
        ),
    ),
  ).action(async (opts: { db: string; json?: boolean }) => {
    const started = new Date().toISOString();
    // opening a store applies the migrations it lacks
    const versions = await withStore(opts.db, async (store) =>
      (await store.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute()).map((m) => ({
        version: Number(m.version),
        name: m.name,
        appliedAt: m.applied_at,
        appliedNow: m.applied_at >= started,
      })),
    );
    if (opts.json) return printJson(versions);
    const now = versions.filter((v) => v.appliedNow).length;
    process.stdout.write(
      `schema at version ${versions.at(-1)?.version ?? 0}: ${now ? `${now} migration(s) applied now` : 'already current'}\n`,
    );
    for (const v of versions)
      process.stdout.write(
        `  ${String(v.version).padStart(3)}  ${v.appliedNow ? 'applied now' : v.appliedAt}  ${v.name}\n`,
      );
  });
}
