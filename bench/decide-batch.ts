/**
 * `decide --batch` end to end (law issue): 1,000,000 JSON lines through the real command, output to
 * /dev/null, each run a process of its own; with the full trace (the default) and without.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { rawBenchRequests } from './law.ts';
import { figure, type Figure } from './stats.ts';

const LINES = 1_000_000;

async function writeLines(file: string): Promise<void> {
  const lines = rawBenchRequests(4096).map((r) => JSON.stringify(r) + '\n');
  const out = createWriteStream(file);
  for (let i = 0; i < LINES; i++) if (!out.write(lines[i % lines.length]!)) await once(out, 'drain');
  await finished(out.end());
}

function timeBatch(file: string, extra: string[]): number {
  const devNull = openSync('/dev/null', 'w');
  const start = performance.now();
  const r = spawnSync(process.execPath, ['bin/detainer-ledger.js', 'decide', '--batch', file, ...extra], {
    stdio: ['ignore', devNull, 'pipe'],
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`decide --batch failed: ${r.stderr.toString().slice(0, 500)}`);
  return LINES / (ms / 1000);
}

export async function benchDecideBatch(runs: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-decide-'));
  try {
    const file = join(dir, 'requests.jsonl');
    await writeLines(file);
    const traced: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      traced.push(timeBatch(file, []));
      bare.push(timeBatch(file, ['--no-trace']));
    }
    return [
      figure('decide --batch, 1M JSON lines, full trace, end to end', 'decisions/s', traced, '>= 150,000'),
      figure('decide --batch, 1M JSON lines, --no-trace, end to end', 'decisions/s', bare),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
