import type { Command } from 'commander';
import { basename } from 'node:path';
import { formatSummary, importFile, type ImportSummary } from '../../ingest/run.ts';
import type { Store } from '../../ledger/store.ts';
import { withDb, withJson } from '../options.ts';
import { progressBar } from '../progress.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';

export interface ImportCliOptions {
  acceptPartial?: boolean;
  dryRun?: boolean;
  rejects?: string;
  layout?: string;
  sheetDate?: string;
}

/** Import files one after another, each in its own transaction; a rejected file leaves the store as it was. */
export async function importFiles(
  store: Store,
  files: string[],
  opts: ImportCliOptions,
): Promise<ImportSummary[]> {
  const registry = await registryFor(store);
  const summaries: ImportSummary[] = [];
  for (const file of files) {
    const bar = progressBar(basename(file));
    try {
      summaries.push(
        await importFile({
          store,
          registry,
          file,
          acceptPartial: opts.acceptPartial,
          dryRun: opts.dryRun,
          rejectsFile: opts.rejects,
          layout: opts.layout,
          sheetDate: opts.sheetDate,
          onProgress: bar.update,
        }),
      );
    } finally {
      bar.stop();
    }
  }
  return summaries;
}

export function registerImport(program: Command): void {
  withJson(
    withDb(
      program
        .command('import')
        .description(
          'import files: canonical requests/events (CSV, JSON Lines), ICE detainer releases (R1–R5), the NPR extract, ICE 287(g) sheets, ICE areas of responsibility',
        )
        .argument('<files...>', 'CSV, TSV, XLSX or JSON Lines files; the layout is detected from the header')
        .option('--accept-partial', 'load the good rows and write the bad ones to a rejects file')
        .option('--rejects <path>', 'where --accept-partial writes the bad rows (default FILE.rejects.csv)')
        .option('--dry-run', 'validate only: report what would load, change nothing')
        .option('--layout <id>', 'force a layout instead of detecting it from the header')
        .option('--sheet-date <date>', 'the date of a 287(g) sheet when its file name does not carry it'),
    ),
  ).action(async (files: string[], opts: ImportCliOptions & { db: string; json?: boolean }) => {
    const summaries = await withStore(opts.db, (store) => importFiles(store, files, opts));
    if (opts.json) printJson(summaries.length === 1 ? summaries[0] : summaries);
    else process.stdout.write(summaries.map(formatSummary).join('\n\n') + '\n');
    if (summaries.some((s) => s.status === 'rejected')) process.exitCode = 4;
  });
}
