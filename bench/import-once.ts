/**
 * One import in its own process, so that peak memory (maxRSS) is the import's alone.
 * Usage: tsx bench/import-once.ts FILE DB  → prints one JSON line. DB: a file or a postgres:// URL.
 */
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { importFile } from '../src/ingest/run.ts';
import { openStore } from '../src/ledger/open.ts';

const [file, db] = process.argv.slice(2);
if (!file || !db) throw new Error('usage: import-once FILE DB');
// DATABASE_URL plays no part: the benchmark names its store
const store = await openStore(db, '');
const registry = loadRegistry();
const start = performance.now();
const summary = await importFile({ store, registry, file });
const ms = performance.now() - start;
await store.close();
process.stdout.write(
  JSON.stringify({
    rows: summary.read,
    loaded: summary.loaded,
    duplicates: summary.duplicates,
    status: summary.status,
    ms,
    rowsPerSecond: summary.read / (ms / 1000),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
