/** What every route module gets: the store, the law library and its engine, the registry. */
import { sql } from 'kysely';
import type { Registry } from '../jurisdictions/registry.ts';
import type { Engine, Library } from '../law/index.ts';
import type { Store } from '../ledger/store.ts';
import type { LoginLimiter } from './auth/limiter.ts';
import type { ImportJobs } from './imports.ts';

export interface LedgerSummary {
  requests: number;
  synthetic: number;
  issuedFrom: string | null;
  issuedTo: string | null;
  /** every request in the store is synthetic (and there is at least one) */
  allSynthetic: boolean;
  /** some request is synthetic: pages showing ledger data say so */
  anySynthetic: boolean;
}

export interface ServerContext {
  readonly store: Store;
  readonly library: Library;
  readonly registry: Registry;
  readonly engine: Engine;
  /** counts read from the store, cached for a few seconds so every page can show the label */
  ledgerSummary(): Promise<LedgerSummary>;
  /** failed log-ins per address and name */
  readonly loginLimiter: LoginLimiter;
  /** cookies marked Secure even without TLS seen by this process (behind a TLS proxy) */
  readonly secureCookies: boolean;
  /** imports started from the desk or the API, and the upload limit */
  readonly imports: ImportJobs;
}

/**
 * The summary pages need on every view. One aggregate query (the same one `ledgerStats` starts
 * with, without its walk over every request's events), cached for `ttlMs`.
 */
export function ledgerSummaryReader(store: Store, ttlMs = 5_000): () => Promise<LedgerSummary> {
  let cached: { at: number; value: Promise<LedgerSummary> } | undefined;
  const read = async (): Promise<LedgerSummary> => {
    const r = await store.db
      .selectFrom('requests_v')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number | null>`sum(case when synthetic = 1 then 1 else 0 end)`.as('synthetic'),
        sql<string | null>`min(issued_date)`.as('from'),
        sql<string | null>`max(issued_date)`.as('to'),
      ])
      .executeTakeFirstOrThrow();
    const requests = Number(r.n);
    const synthetic = Number(r.synthetic ?? 0);
    return {
      requests,
      synthetic,
      issuedFrom: r.from,
      issuedTo: r.to,
      allSynthetic: requests > 0 && synthetic === requests,
      anySynthetic: synthetic > 0,
    };
  };
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ttlMs) {
      const value = read();
      cached = { at: now, value };
      // a failed read is not kept: the next page asks again
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}
