/**
 * Report benchmark on PostgreSQL (issue: PostgreSQL store): the report benchmark's generated
 * ledgers of 500,000 and 5,000,000 requests (built once in SQLite, BENCH_REPORT_DIR keeps them),
 * moved into a fresh database of a scratch cluster with `copy` (the command a deployment uses),
 * analysed, and a weekly JSON report timed there. The PostgreSQL report must equal the SQLite one
 * (the same ledger gives the same report on either store), or the figure means nothing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { createEngine, loadLibrary } from '../src/law/index.ts';
import { copyLedger } from '../src/ledger/copy.ts';
import { openPostgresStore } from '../src/ledger/postgres-store.ts';
import type { Store } from '../src/ledger/store.ts';
import { buildReport } from '../src/reports/build.ts';
import { renderJson } from '../src/reports/render/json.ts';
import { startCluster } from '../test/postgres/cluster.ts';
import { END, ledger } from './report.ts';
import { figure, formatFigure, type Figure } from './stats.ts';

const SIZES = (process.env.BENCH_REPORT_SIZES ?? '500000,5000000').split(',').map(Number);
/** a deployment's settings for a ledger of millions of rows (see the README), not the defaults */
const SETTINGS = {
  shared_buffers: '1GB',
  work_mem: '64MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '15min',
};
/** the same instant in both reports, so their JSON can be compared whole */
const NOW = new Date('2026-11-27T00:00:00Z');

export async function benchReportPostgres(runs: number): Promise<Figure[]> {
  const keep = process.env.BENCH_REPORT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-report-pg-'));
  mkdirSync(dir, { recursive: true });
  const library = loadLibrary();
  const registry = loadRegistry();
  const report = async (store: Store) =>
    renderJson(
      await buildReport(
        { store, registry, engine: createEngine(library, registry) },
        { week: END },
        { now: NOW },
      ),
    );
  const cluster = await startCluster(SETTINGS);
  const figures: Figure[] = [];
  const medians = new Map<number, number>();
  try {
    for (const total of SIZES) {
      const label = total.toLocaleString('en-US');
      const source = await ledger(dir, total);
      const expected = await report(source);
      const store = await openPostgresStore(await cluster.createDatabase(`report_${total}`));
      try {
        let t0 = performance.now();
        const copied = await copyLedger(source, store);
        const copySeconds = (performance.now() - t0) / 1000;
        t0 = performance.now();
        // a freshly filled database has no statistics until autovacuum gets to it: a deployment
        // that was just copied into runs ANALYZE (or waits), so the benchmark does too
        await sql`analyze`.execute(store.db);
        process.stderr.write(
          `copied ${label} requests (${copied.links.toLocaleString('en-US')} links) into PostgreSQL in ${copySeconds.toFixed(0)} s; analyze ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
        );
        figures.push(
          figure(`copy a ${label}-request ledger into PostgreSQL`, 'links/s', [copied.links / copySeconds]),
        );
        const got = await report(store);
        if (got !== expected)
          throw new Error(`the PostgreSQL weekly report differs from the SQLite one (${label})`);
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          t0 = performance.now();
          const text = await report(store);
          times.push(performance.now() - t0);
          if (text.length < 100) throw new Error('empty report');
        }
        figures.push(
          figure(
            `weekly report, JSON, ${label} requests, PostgreSQL`,
            'ms',
            times,
            total === 5_000_000 ? '<= 1,500' : undefined,
          ),
        );
        medians.set(total, figures.at(-1)!.median);
        // said at once: the larger ledger takes several minutes more
        process.stderr.write(formatFigure(figures.at(-1)!) + '\n');
      } finally {
        await store.close();
        await source.close();
      }
    }
    if (medians.has(500_000) && medians.has(5_000_000))
      figures.push(
        figure('weekly report growth on PostgreSQL, 500k → 5M requests', '×', [
          medians.get(5_000_000)! / medians.get(500_000)!,
        ]),
      );
    return figures;
  } finally {
    await cluster.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
