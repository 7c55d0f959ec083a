import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * Open the store a deployment names: a file path (embedded SQLite, the default) or, through
 * DATABASE_URL, a `postgres://` URL.
 */
export async function openStore(dbPath: string, databaseUrl = process.env.DATABASE_URL): Promise<Store> {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      'the PostgreSQL store is not available in this version: unset `DATABASE_URL` to use the embedded store',
    );
  }
  return openSqliteStore(dbPath);
}
