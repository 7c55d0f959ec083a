/**
 * Report benchmark (report issue): ledgers of 500,000 and 5,000,000 generated requests (the demo
 * generator's national shape, about 3,000 a week, so 5M is some 32 years) with their outcome
 * events, loaded once through the real importer into a temporary SQLite file and reused for every
 * run; then a weekly report (all sections, JSON and HTML) and a one-year report are timed. Set
 * BENCH_REPORT_DIR to a folder to build the ledgers there once and keep them for later runs.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { importFile } from '../src/ingest/run.ts';
import { createEngine, loadLibrary } from '../src/law/index.ts';
import { writeDemo } from '../src/ledger/demo.ts';
import { openSqliteStore, type SqliteStore } from '../src/ledger/sqlite-store.ts';
import { buildReport } from '../src/reports/build.ts';
import { addDays } from '../src/reports/period.ts';
import { renderHtml } from '../src/reports/render/html.ts';
import { renderJson } from '../src/reports/render/json.ts';
import type { Report } from '../src/reports/types.ts';
import { figure, type Figure } from './stats.ts';

export const END = '2026-11-20'; // a Friday: the last day of the generated ledger
const SIZES = (process.env.BENCH_REPORT_SIZES ?? '500000,5000000').split(',').map(Number);

/** the generated ledger of `total` requests in `dir`, built once (also used by report-postgres) */
export async function ledger(dir: string, total: number): Promise<SqliteStore> {
  const db = join(dir, `ledger-${total}.db`);
  const ready = join(dir, `ledger-${total}.ready`);
  if (existsSync(db) && existsSync(ready)) return openSqliteStore(db);
  rmSync(db, { force: true });
  const started = performance.now();
  const files = await writeDemo({ dir: join(dir, `demo-${total}`), total, seed: 7, endDate: END });
  const store = await openSqliteStore(db);
  const registry = loadRegistry();
  for (const file of [files.requests, files.events!]) {
    const s = await importFile({ store, registry, file });
    if (s.status !== 'loaded') throw new Error(`benchmark ledger: ${file} was ${s.status}`);
  }
  rmSync(join(dir, `demo-${total}`), { recursive: true, force: true });
  writeFileSync(ready, '');
  process.stderr.write(
    `built a ${total.toLocaleString('en-US')}-request ledger (${files.eventCount.toLocaleString('en-US')} events) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return store;
}

export async function benchReport(runs: number): Promise<Figure[]> {
  // a folder of this invocation's own (another benchmark may run at the same time), unless
  // BENCH_REPORT_DIR names one to build the ledgers in once and keep for later invocations
  const keep = process.env.BENCH_REPORT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-report-'));
  mkdirSync(dir, { recursive: true });
  const library = loadLibrary();
  const figures: Figure[] = [];
  const medians = new Map<string, number>();
  try {
    for (const total of SIZES) {
      const store = await ledger(dir, total);
      const registry = loadRegistry();
      const label = total.toLocaleString('en-US');
      const time = async (
        period: { week: string } | { from: string; to: string },
        render: (r: Report) => string = renderJson,
      ) => {
        const out: number[] = [];
        for (let i = 0; i < runs; i++) {
          // a fresh engine each run: the profile cache starts cold, as in a new process
          const ctx = { store, registry, engine: createEngine(library, registry) };
          const t0 = performance.now();
          const text = render(await buildReport(ctx, period));
          out.push(performance.now() - t0);
          if (text.length < 100) throw new Error('empty report');
        }
        return out;
      };
      const week = await time({ week: END });
      const html = await time({ week: END }, renderHtml);
      const year = await time({ from: addDays(END, -364), to: END });
      await store.close();
      figures.push(
        figure(
          `weekly report, JSON, ${label} requests`,
          'ms',
          week,
          total === 5_000_000 ? '<= 1,000' : undefined,
        ),
      );
      figures.push(
        figure(
          `weekly report, HTML with map and chart, ${label} requests`,
          'ms',
          html,
          total === 5_000_000 ? '<= 2,000' : undefined,
        ),
      );
      figures.push(
        figure(
          `one-year report, JSON, ${label} requests`,
          'ms',
          year,
          total === 5_000_000 ? '<= 3,000' : undefined,
        ),
      );
      medians.set(`week ${total}`, figures.at(-3)!.median);
      medians.set(`year ${total}`, figures.at(-1)!.median);
    }
    for (const k of ['week', 'year'])
      if (medians.has(`${k} 500000`) && medians.has(`${k} 5000000`))
        figures.push(
          figure(`${k === 'week' ? 'weekly' : 'one-year'} report growth, 500k → 5M requests`, '×', [
            medians.get(`${k} 5000000`)! / medians.get(`${k} 500000`)!,
          ]),
        );
    return figures;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
