import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildReport } from '../../reports/build.ts';
import {
  correctEdition,
  disputeRow,
  EditionError,
  listEditions,
  publishEdition,
  readEdition,
} from '../../reports/editions.ts';
import { isIsoDate, type PeriodInput } from '../../reports/period.ts';
import { renderCsv } from '../../reports/render/csv.ts';
import { renderHtml } from '../../reports/render/html.ts';
import { renderJson } from '../../reports/render/json.ts';
import type { Report } from '../../reports/types.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { withContext } from '../report-context.ts';
import { printJson, withStore } from '../store-option.ts';

const FORMATS = ['json', 'csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface PeriodOpts {
  week?: string;
  from?: string;
  to?: string;
}

/**
 * `detainer-ledger report`: the weekly declined-detainer report (DESIGN §7) for any period, and
 * its published editions: `publish`, `list`, `show`, `dispute`, `correct`.
 */
export function registerReport(program: Command): void {
  const report = withJson(
    withDb(
      program
        .command('report')
        // `report publish --week D`: the subcommand's options belong to it, not to `report`
        .enablePositionalOptions()
        .description('the declined-detainer report for a week (Saturday to Friday) or any period; editions')
        .option('--week <date>', 'the Saturday-to-Friday week holding this date')
        .option('--from <date>', 'first day of a period')
        .option('--to <date>', 'last day of a period')
        .option('--format <format>', `json, csv or html`, 'json')
        .option('--out <dir>', 'folder to write report.json, the CSV files or report.html into')
        .option('--suppress <n>', 'show counts below N as "<N" in public output', '0'),
    ),
  ).action(
    async (
      opts: PeriodOpts & { db: string; json?: boolean; format: string; out?: string; suppress: string },
    ) => {
      const format = formatOption(opts.format);
      const period = periodOption(opts);
      const suppressBelow = suppressOption(opts.suppress);
      const r = await withContext(opts.db, (ctx) => buildReport(ctx, period, { suppressBelow }));
      emit(r, format, opts.out, opts.json);
    },
  );

  withJson(
    withDb(
      report
        .command('publish')
        .description('build the report and store it as an immutable, content-addressed edition')
        .option('--week <date>', 'the Saturday-to-Friday week holding this date')
        .option('--from <date>', 'first day of a period')
        .option('--to <date>', 'last day of a period')
        .option('--by <name>', 'who publishes it', process.env.USER ?? 'analyst')
        .option('--suppress <n>', 'show counts below N as "<N" in public output', '0'),
    ),
  ).action(async (opts: PeriodOpts & { db: string; json?: boolean; by: string; suppress: string }) => {
    const period = periodOption(opts);
    const suppressBelow = suppressOption(opts.suppress);
    const out = await withContext(opts.db, async (ctx) => {
      const r = await buildReport(ctx, period, { suppressBelow });
      return editions(() => publishEdition(ctx.store, r, { by: opts.by }));
    });
    const r = out.report;
    if (opts.json)
      return printJson({ id: out.id, created: out.created, period: r.period, synthetic: r.synthetic });
    process.stdout.write(
      `${out.created ? 'published' : 'already published'} ${out.id}\n` +
        `  period ${r.period.from} – ${r.period.to}: ${r.sections.IV.declines} declines, ${r.sections.IV.requestsIssued} requests issued` +
        `${r.synthetic ? '  (SYNTHETIC demo data)' : ''}\n`,
    );
  });

  withJson(withDb(report.command('list').description('the published editions, oldest period first'))).action(
    async (opts: { db: string; json?: boolean }) => {
      const list = await withStore(opts.db, (store) => listEditions(store));
      if (opts.json) return printJson(list);
      if (list.length === 0)
        process.stdout.write('no editions published yet: `detainer-ledger report publish --week DATE`\n');
      for (const e of list)
        process.stdout.write(
          `${e.id}  ${e.from} – ${e.to}  ${String(e.declines).padStart(5)} declines  published ${e.publishedAt} by ${e.publishedBy}` +
            `${e.supersedes ? `  corrects ${e.supersedes.slice(0, 19)}…` : ''}` +
            `${e.supersededBy ? `  SUPERSEDED by ${e.supersededBy.slice(0, 19)}…` : ''}` +
            `${e.synthetic ? '  SYNTHETIC' : ''}\n`,
        );
    },
  );

  withJson(
    withDb(
      report
        .command('show')
        .description('an edition exactly as published')
        .argument('<edition>', 'edition id (sha256:…, or its first hex digits)')
        .option('--format <format>', 'json, csv or html', 'json')
        .option('--out <dir>', 'folder to write it into (default: JSON on standard output)'),
    ),
  ).action(async (id: string, opts: { db: string; json?: boolean; format: string; out?: string }) => {
    const format = formatOption(opts.format);
    const r = await withStore(opts.db, (store) => editions(() => readEdition(store, id)));
    emit(r, format, opts.out, opts.json);
  });

  withJson(
    withDb(
      report
        .command('dispute')
        .description('dispute one row of an edition: who, which row, why')
        .argument('<edition>', 'edition id (sha256:…, or its first hex digits)')
        .requiredOption(
          '--row <row>',
          'II:<request id> (or just the request id), I:<id>, III:<division id>, IV:<figure>',
        )
        .requiredOption('--by <name>', 'who disputes it')
        .requiredOption('--reason <text>', 'why'),
    ),
  ).action(
    async (id: string, opts: { db: string; json?: boolean; row: string; by: string; reason: string }) => {
      const d = await withStore(opts.db, (store) =>
        editions(() => disputeRow(store, id, { row: opts.row, by: opts.by, reason: opts.reason })),
      );
      if (opts.json) return printJson(d);
      process.stdout.write(
        `dispute ${d.id} recorded on ${d.editionId}\n  row ${d.row}, by ${d.by}: ${d.reason}\n`,
      );
    },
  );

  withJson(
    withDb(
      report
        .command('correct')
        .description(
          'publish a corrected edition from the ledger as it now stands (append the correcting events first), with a notice of every changed row',
        )
        .argument('<edition>', 'the edition to correct (the latest of its line)')
        .requiredOption('--reason <text>', 'why it is corrected')
        .requiredOption('--by <name>', 'who corrects it'),
    ),
  ).action(async (id: string, opts: { db: string; json?: boolean; reason: string; by: string }) => {
    const out = await withContext(opts.db, (ctx) =>
      editions(() => correctEdition(ctx, id, { reason: opts.reason, by: opts.by })),
    );
    if (opts.json) return printJson({ id: out.id, notice: out.notice });
    process.stdout.write(
      `published ${out.id}\n  corrects ${out.notice.supersedes}\n  ${out.notice.changes.length} changed rows:\n` +
        out.notice.text.map((s) => `    ${s}\n`).join(''),
    );
  });
}

async function editions<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EditionError) throw new CliError(e.message, 2);
    throw e;
  }
}

function emit(r: Report, format: Format, out: string | undefined, json: boolean | undefined): void {
  if (!out) {
    if (format !== 'json') throw new CliError(`--format ${format} writes files: give --out DIR`, 2);
    process.stdout.write(renderJson(r));
    return;
  }
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> =
    format === 'json'
      ? { 'report.json': renderJson(r) }
      : format === 'csv'
        ? renderCsv(r)
        : { 'report.html': renderHtml(r) };
  const written = Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
  if (json)
    return printJson({
      period: r.period,
      edition: r.edition?.id ?? null,
      synthetic: r.synthetic,
      files: written,
    });
  if (r.synthetic) process.stdout.write('NOTE: this report counts SYNTHETIC demo data, not real records\n');
  process.stdout.write(
    `${r.period.from} – ${r.period.to}: ${r.sections.IV.declines} declines, ${r.sections.IV.requestsIssued} requests issued\n` +
      written.map((p) => `  wrote ${p}\n`).join(''),
  );
}

function formatOption(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not \`${value}\``, 2);
  return value as Format;
}

function suppressOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`--suppress must be a whole number ≥ 0, not \`${value}\``, 2);
  return n;
}

function periodOption(opts: PeriodOpts): PeriodInput {
  const date = (flag: string, v: string) => {
    if (!isIsoDate(v))
      throw new CliError(`${flag}: impossible or malformed date \`${v}\`; expected YYYY-MM-DD`, 2);
    return v;
  };
  if (opts.week !== undefined) {
    if (opts.from !== undefined || opts.to !== undefined)
      throw new CliError('give either --week DATE or --from DATE --to DATE, not both', 2);
    return { week: date('--week', opts.week) };
  }
  if (opts.from === undefined || opts.to === undefined)
    throw new CliError('give the period: --week DATE, or --from DATE --to DATE', 2);
  const from = date('--from', opts.from);
  const to = date('--to', opts.to);
  if (from > to) throw new CliError(`--from ${from} is after --to ${to}`, 2);
  return { from, to };
}
