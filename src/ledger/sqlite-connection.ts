import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A connection to an embedded ledger file (created if needed), with the settings every one uses. */
export function openSqliteConnection(path: string): BetterSqlite3.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const conn = new BetterSqlite3(path);
  // Larger pages suit the wide, append-mostly ledger tables (only takes effect on a new file).
  conn.pragma('page_size = 16384');
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('busy_timeout = 10000');
  // Big imports are one transaction; a larger page cache keeps the id index in memory.
  conn.pragma('cache_size = -65536');
  return conn;
}
