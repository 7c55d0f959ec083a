import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** Whether a `--db` value or DATABASE_URL names a PostgreSQL database rather than a file. */
export function isPostgresUrl(value: string | undefined): boolean {
  return value !== undefined && POSTGRES_URL.test(value);
}

/** A store's location as printed: a URL's password never reaches the terminal or a log. */
export function shownLocation(location: string): string {
  return location.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * Open the store a deployment names: a file path (embedded SQLite, the default) or a
 * `postgres://` URL, given as the path itself or through DATABASE_URL (which wins, so a
 * deployment's environment decides for every command).
 */
export async function openStore(dbPath: string, databaseUrl = process.env.DATABASE_URL): Promise<Store> {
  if (databaseUrl && isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl);
  if (isPostgresUrl(dbPath)) return openPostgresStore(dbPath);
  return openSqliteStore(dbPath.replace(/^sqlite:/, ''));
}
