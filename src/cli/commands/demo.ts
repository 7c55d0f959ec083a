import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { formatSummary } from '../../ingest/run.ts';
import { writeDemo } from '../../ledger/demo.ts';
import { ledgerStats } from '../../ledger/queries.ts';
import { buildReport } from '../../reports/build.ts';
import { publishEdition } from '../../reports/editions.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { withContext } from '../report-context.ts';
import { ledgerLocation, printJson, withStore } from '../store-option.ts';
import { importFiles } from './import.ts';

export function registerDemo(program: Command): void {
  withJson(
    withDb(
      program
        .command('demo')
        .description(
          'load a SYNTHETIC demo data set (clearly labelled) so a new ledger shows a working system',
        )
        .option('--weeks <n>', 'how many weeks of requests', '26')
        .option('--per-week <n>', 'requests per week nationally', '3000')
        .option('--end <date>', 'last day (a Friday) of the last week; default the last full week')
        .option('--seed <n>', 'random seed (the same seed gives the same data)', '2017')
        .option('--out <dir>', 'where to write the generated CSV files (default beside the database)')
        .option('--if-empty', 'do nothing when the ledger already holds requests')
        .option(
          '--publish',
          "publish the last week's report as an edition (labelled synthetic), so the site has one",
        ),
    ),
  ).action(
    async (opts: {
      db: string;
      json?: boolean;
      weeks: string;
      perWeek: string;
      end?: string;
      seed: string;
      out?: string;
      ifEmpty?: boolean;
      publish?: boolean;
    }) => {
      if (opts.ifEmpty) {
        const held = await withStore(opts.db, async (store) => (await ledgerStats(store)).requests);
        if (held > 0) {
          if (opts.json) return printJson({ skipped: true, requests: held });
          process.stdout.write(
            `the ledger \`${ledgerLocation(opts.db)}\` already holds ${held.toLocaleString('en-US')} requests: demo not loaded\n`,
          );
          return;
        }
      }
      const weeks = Number(opts.weeks);
      const perWeek = Number(opts.perWeek);
      if (!Number.isInteger(weeks) || weeks < 1)
        throw new CliError(`--weeks must be a whole number ≥ 1, not \`${opts.weeks}\``, 2);
      if (!Number.isInteger(perWeek) || perWeek < 1) {
        throw new CliError(`--per-week must be a whole number ≥ 1, not \`${opts.perWeek}\``, 2);
      }
      if (opts.end && !/^\d{4}-\d{2}-\d{2}$/.test(opts.end))
        throw new CliError(`--end must be a date YYYY-MM-DD, not \`${opts.end}\``, 2);
      const files = await writeDemo({
        dir: opts.out ?? join(dirname(opts.db), 'demo'),
        weeks,
        perWeek,
        endDate: opts.end,
        seed: Number(opts.seed),
      });
      const summaries = await withStore(opts.db, (store) =>
        importFiles(store, [files.requests, files.events!], {}),
      );
      const loaded = !summaries.some((s) => s.status === 'rejected');
      // the demo's last week is a Saturday-to-Friday week ending on `files.to`
      const edition =
        opts.publish && loaded
          ? await withContext(opts.db, async (ctx) =>
              publishEdition(ctx.store, await buildReport(ctx, { week: files.to }), { by: 'demo' }),
            )
          : null;
      if (opts.json)
        return printJson({ synthetic: true, ...files, imports: summaries, edition: edition?.id ?? null });
      process.stdout.write(
        [
          `SYNTHETIC DEMO DATA — generated, not real records: ${files.requestCount.toLocaleString('en-US')} requests and ` +
            `${files.eventCount.toLocaleString('en-US')} events, issued ${files.from} to ${files.to}`,
          ...summaries.map(formatSummary),
          ...(edition ? [`published the week to ${files.to} as edition ${edition.id} (SYNTHETIC)`] : []),
          '',
          'next: `detainer-ledger stats` to see counts, `detainer-ledger verify` to check the hash chain',
        ].join('\n') + '\n',
      );
      if (!loaded) process.exitCode = 4;
    },
  );
}
