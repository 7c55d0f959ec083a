/**
 * The writing half of a large SQLite import, on a thread of its own: the importer parses and
 * checks rows on the main thread while this thread hashes and inserts the previous batch, so a
 * million-row file uses both cores. Messages are answered in the order they arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from './sqlite-connection.ts';
import { beginSqliteImport, type RequestLines, type SqliteImportSession } from './sqlite-import-session.ts';
import { encodeOutcomes } from './worker-outcomes.ts';
import type { RowOutcome } from './store.ts';
import type { WorkerAnswer } from './worker-channel.ts';

export type WorkerOp =
  | 'addRequestLines'
  | 'addEvents'
  | 'addAgencies'
  | 'addFacilities'
  | 'addAgreements'
  | 'addAreas'
  | 'commit'
  | 'rollback';
export interface WorkerRequest {
  id: number;
  op: WorkerOp;
  /** addRequestLines: the batch; the other ops: their rows */
  rows?: unknown[] | RequestLines;
}

const port = parentPort!;
const { path, recordedAt } = workerData as { path: string; recordedAt: string };
// The ledger is migrated already (the importing thread opened it as a store): a bare connection
// will do, and the writer starts without loading the query builder.
const conn = openSqliteConnection(path);
// Half the usual page cache: a million-row import still finds most index pages in it, and the
// process's peak memory no longer grows with the file by a full 64 MB (measured: 1M rows, ~1 s
// more writer time, 30 MB less at the peak).
conn.pragma('cache_size = -32768');
let session: SqliteImportSession;
try {
  session = beginSqliteImport(conn, () => undefined, { recordedAt, deferIndexes: true });
  port.postMessage({ id: 0, result: 'ready' } satisfies WorkerAnswer);
} catch (err) {
  port.postMessage({ id: 0, error: (err as Error).message } satisfies WorkerAnswer);
  conn.close();
  process.exit(0);
}

port.on('message', (msg: WorkerRequest) => {
  void handle(msg);
});

let queue = Promise.resolve();
function handle(msg: WorkerRequest): Promise<void> {
  queue = queue.then(async () => {
    try {
      const fn = session[msg.op] as (rows?: unknown) => unknown;
      const result = await fn.call(session, msg.rows);
      // a batch's outcomes go back as two strings (see worker-outcomes.ts); a batch of requests
      // with where the chain now ends, for the next batch's links
      const reply = !Array.isArray(result)
        ? result
        : msg.op === 'addRequestLines'
          ? { ...encodeOutcomes(result as RowOutcome[]), end: session.chainEnd }
          : encodeOutcomes(result as RowOutcome[]);
      port.postMessage({ id: msg.id, result: reply } satisfies WorkerAnswer);
      if (msg.op === 'commit' || msg.op === 'rollback') {
        conn.close();
        port.close();
      }
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message } satisfies WorkerAnswer);
    }
  });
  return queue;
}
