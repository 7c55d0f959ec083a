/**
 * Import benchmark on PostgreSQL (issue: PostgreSQL store): 1,000,000 generated canonical request
 * rows (bench/import.ts's generator and import process) into a fresh database of a scratch
 * cluster, then the same file again (all duplicates). The cluster has the settings the README
 * advises for a deployment that takes bulk loads: more shared buffers and WAL room, so a
 * million-row transaction is not cut by checkpoints; durability settings stay at their defaults.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { compiledCli } from '../src/compiled-start.mjs';
import { writeDemo } from '../src/ledger/demo.ts';
import { startCluster } from '../test/postgres/cluster.ts';
import { figure, type Figure } from './stats.ts';

const TOTAL = 1_000_000;
const BULK_LOAD_SETTINGS = { shared_buffers: '256MB', max_wal_size: '4GB', checkpoint_timeout: '15min' };

interface Once {
  rows: number;
  loaded: number;
  duplicates: number;
  status: string;
  rowsPerSecond: number;
  maxRssMB: number;
}

/**
 * Each measured import starts from a checkpoint, so one run's WAL does not set off a checkpoint
 * (and its full-page writes) inside the next: every run then measures the import alone.
 */
async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

function importOnce(file: string, url: string): Once {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-once.ts', file, url], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Once;
  if (r.status !== 'loaded') throw new Error(`benchmark import was ${r.status}`);
  return r;
}

export async function benchImportPostgres(runs: number): Promise<Figure[]> {
  // as the CLI does on its first start after an edit: the writer thread starts from its bundle
  await compiledCli();
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-pg-'));
  const cluster = await startCluster(BULK_LOAD_SETTINGS);
  try {
    const files = await writeDemo({ dir, total: TOTAL, requestsOnly: true, seed: 7, endDate: '2026-11-20' });
    // the same rows under other ids: new requests for a ledger that is no longer empty
    const more = join(dir, 'more.csv');
    writeFileSync(more, readFileSync(files.requests, 'utf8').replace(/^demo-/gm, 'more-'));
    const first: Once[] = [];
    const again: Once[] = [];
    const onTop: Once[] = [];
    for (let i = 0; i < runs; i++) {
      const url = await cluster.createDatabase(`bench_${i}`);
      await checkpoint(url);
      first.push(importOnce(files.requests, url));
      if (first.at(-1)!.loaded !== TOTAL) throw new Error(`loaded ${first.at(-1)!.loaded} of ${TOTAL} rows`);
      await checkpoint(url);
      again.push(importOnce(files.requests, url));
      if (again.at(-1)!.duplicates !== TOTAL) throw new Error('re-import did not find every row a duplicate');
      await checkpoint(url);
      onTop.push(importOnce(more, url));
      if (onTop.at(-1)!.loaded !== TOTAL)
        throw new Error(`loaded ${onTop.at(-1)!.loaded} of ${TOTAL} new rows`);
    }
    return [
      figure(
        'import 1,000,000 canonical rows into PostgreSQL',
        'rows/s',
        first.map((r) => r.rowsPerSecond),
        '>= 100,000',
      ),
      figure(
        'import 1,000,000 rows into PostgreSQL: peak memory',
        'MB',
        first.map((r) => r.maxRssMB),
      ),
      figure(
        're-import the same 1,000,000 rows into PostgreSQL (all duplicates)',
        'rows/s',
        again.map((r) => r.rowsPerSecond),
      ),
      // the first figure is a first load (nothing stored to look up); this one looks up every row
      figure(
        'import 1,000,000 new rows into a PostgreSQL ledger already holding 1,000,000',
        'rows/s',
        onTop.map((r) => r.rowsPerSecond),
      ),
    ];
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
