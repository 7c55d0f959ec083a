/**
 * Import benchmark (ledger-core issue): 100k and 1M generated canonical request rows into a fresh
 * SQLite ledger, then the same 1M file again (all duplicates). Each run is a separate process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledCli } from '../src/compiled-start.mjs';
import { writeDemo } from '../src/ledger/demo.ts';
import { figure, type Figure } from './stats.ts';

interface Once {
  rows: number;
  loaded: number;
  duplicates: number;
  status: string;
  ms: number;
  rowsPerSecond: number;
  maxRssMB: number;
}

function importOnce(file: string, db: string): Once {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-once.ts', file, db], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Once;
  if (r.status !== 'loaded') throw new Error(`benchmark import was ${r.status}`);
  return r;
}

export async function benchImport(runs: number): Promise<Figure[]> {
  // as the CLI does on its first start after an edit: the writer thread starts from its bundle
  await compiledCli();
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const figures: Figure[] = [];
    for (const total of [100_000, 1_000_000]) {
      const files = await writeDemo({
        dir: join(dir, String(total)),
        total,
        requestsOnly: true,
        seed: 7,
        endDate: '2026-11-20',
      });
      const first: Once[] = [];
      const again: Once[] = [];
      for (let i = 0; i < runs; i++) {
        const db = join(dir, `ledger-${total}-${i}.db`);
        first.push(importOnce(files.requests, db));
        if (total === 1_000_000) again.push(importOnce(files.requests, db));
        rmSync(db, { force: true });
        rmSync(db + '-wal', { force: true });
        rmSync(db + '-shm', { force: true });
      }
      const label = total.toLocaleString('en-US');
      figures.push(
        figure(
          `import ${label} canonical rows into SQLite`,
          'rows/s',
          first.map((r) => r.rowsPerSecond),
          // the target is the million's; at 100k the thread start and the commit weigh more
          total === 1_000_000 ? '>= 150,000' : undefined,
        ),
      );
      figures.push(
        figure(
          `import ${label} canonical rows: peak memory`,
          'MB',
          first.map((r) => r.maxRssMB),
          '<= 400',
        ),
      );
      if (again.length) {
        if (again.some((r) => r.duplicates !== total))
          throw new Error('re-import did not find every row a duplicate');
        figures.push(
          figure(
            `re-import the same ${label} rows (all duplicates)`,
            'rows/s',
            again.map((r) => r.rowsPerSecond),
            '>= 300,000',
          ),
        );
      }
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
