#!/usr/bin/env node
// `npm test`: the whole suite — type check, lint, then Vitest with a JSON report for CI.
// Suites that need a system package (Chromium, PostgreSQL) say loudly when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

// Each system package is needed only once a suite that uses it exists.
const missing = [];
if (existsSync('test/e2e') && !existsSync('/usr/bin/chromium'))
  missing.push('chromium (browser tests in test/e2e)');
if (existsSync('test/postgres') && !findPgBin())
  missing.push('postgresql (the PostgreSQL half of the store, ingest, report and server tests)');
if (missing.length) {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!! SKIPPING SUITES: missing system packages: ${missing.join(', ')}`);
  console.error(`!! install them with: apt-get install -y chromium postgresql   (CI does)\n${bar}\n`);
  if (process.env.CI) {
    console.error('CI must run every suite: failing.');
    process.exit(1);
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
}

let status = run('npx', ['tsc', '--noEmit']);
if (status !== 0) console.error('type check failed');
const lint = run('npx', ['eslint', '.']);
if (lint !== 0) console.error('lint failed');
mkdirSync('test-results', { recursive: true });
const tests = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
  ...process.argv.slice(2),
]);
process.exit(status || lint || tests);

function findPgBin() {
  // as test/postgres/cluster.ts looks for them
  const own = process.env.LEDGER_PG_BIN;
  if (own) return existsSync(`${own}/initdb`) ? own : null;
  for (const v of ['18', '17', '16', '15', '14', '13']) {
    if (existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) return `/usr/lib/postgresql/${v}/bin`;
  }
  return null;
}
