import type { Store } from '../ledger/store.ts';
import { isPostgresUrl, openStore, shownLocation } from '../ledger/open.ts';
import { CliError } from './errors.ts';

/** The ledger `--db` opens, as messages show it: DATABASE_URL, when it names PostgreSQL, wins. */
export function ledgerLocation(db: string): string {
  const url = process.env.DATABASE_URL;
  return shownLocation(url && isPostgresUrl(url) ? url : db);
}

/** Open the store named by `--db`, with a clear message when it cannot be opened. */
export async function openCliStore(db: string): Promise<Store> {
  try {
    return await openStore(db);
  } catch (err) {
    throw new CliError(`cannot open the ledger \`${ledgerLocation(db)}\`: ${(err as Error).message}`);
  }
}

/** Run `fn` with the store open, closing it whatever happens. */
export async function withStore<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openCliStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
