/**
 * The connection half of a large PostgreSQL import, on a thread of its own (see
 * postgres-bulk-session.ts): one PostgresImportSession, called by method name in the order the
 * calls arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BulkCall } from './postgres-bulk-session.ts';
import { PostgresImportSession } from './postgres-import-session.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { WorkerAnswer } from './worker-channel.ts';

const port = parentPort!;
const { url, recordedAt } = workerData as { url: string; recordedAt: string };
// the importing thread's store has migrated the database already
const store = await openPostgresStore(url, { migrate: false });
let session: PostgresImportSession;
try {
  session = await PostgresImportSession.begin(store.pool, recordedAt);
  port.postMessage({ id: 0, result: 'ready' } satisfies WorkerAnswer);
} catch (err) {
  port.postMessage({ id: 0, error: (err as Error).message } satisfies WorkerAnswer);
  await store.close();
  process.exit(0);
}

const CALLS = new Set([
  'addRequestLines',
  'refsOf',
  'addEvents',
  'addAgencies',
  'addFacilities',
  'addAgreements',
  'addAreas',
  'commit',
  'rollback',
]);
let queue = Promise.resolve();
port.on('message', (msg: BulkCall) => {
  queue = queue.then(async () => {
    try {
      if (!CALLS.has(msg.method)) throw new Error(`no such import call: ${msg.method}`);
      const fn = (session as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[msg.method]!;
      const result = await fn.apply(session, msg.args);
      port.postMessage({ id: msg.id, result } satisfies WorkerAnswer);
      if (msg.method === 'commit' || msg.method === 'rollback') {
        await store.close();
        port.close();
      }
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message } satisfies WorkerAnswer);
    }
  });
});
