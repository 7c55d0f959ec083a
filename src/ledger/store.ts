import type { Kysely } from 'kysely';
import type { Agency, Facility } from '../jurisdictions/types.ts';
import type { LedgerEvent, RequestRecord, StoredEvent } from './types.ts';
import type { SqlValue } from './chain.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable, Database } from './schema.ts';

/** What happened to one row offered to an import session. */
export type RowOutcome =
  { status: 'inserted' } | { status: 'duplicate' } | { status: 'conflict'; reason: string };

/**
 * One import: everything added joins a single transaction, so a rejected file leaves the
 * store as it was. Batches keep the per-call overhead small on both adapters.
 */
export interface ImportSession {
  /** rows per call that suit this session, if not the importer's own */
  readonly batchRows?: number;
  /** a request row; its `received` event is appended with it, in the same transaction */
  addRequests(rows: RequestRecord[]): Promise<RowOutcome[]>;
  addEvents(rows: LedgerEvent[]): Promise<RowOutcome[]>;
  addAgencies(rows: Agency[]): Promise<RowOutcome[]>;
  addFacilities(rows: Facility[]): Promise<RowOutcome[]>;
  addAgreements(rows: Agreements287gTable[]): Promise<RowOutcome[]>;
  addAreas(rows: AreasOfResponsibilityTable[]): Promise<RowOutcome[]>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface ImportOptions {
  /** a file of many rows: the adapter may split its work over threads */
  large?: boolean;
}

/**
 * One link of the hash chain as stored: the row's hashed values and its hash, which covers the
 * hash of the link before it (so the previous hash need not be stored twice).
 */
export interface ChainRow {
  seq: number;
  table: 'request' | 'event';
  values: SqlValue[];
  hash: string;
}

/** The stored head of the chain (seq and hash of the last link). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface LedgerCounts {
  requests: number;
  events: number;
  agencies: number;
  facilities: number;
  synthetic: number;
}

/**
 * The one storage interface (DESIGN §3). Adapters: SQLite (embedded default) and PostgreSQL.
 * Ad-hoc reads go through `db` (Kysely) so they are written once for both.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  migrate(): Promise<void>;
  beginImport(options?: ImportOptions): Promise<ImportSession>;
  /** append events outside an import (desk, API): chained and committed at once */
  appendEvents(rows: LedgerEvent[]): Promise<StoredEvent[]>;
  /** every link of the hash chain (requests and events) in seq order, streamed, for `verify` */
  chain(): AsyncIterable<ChainRow>;
  chainHead(): Promise<ChainHead>;
  close(): Promise<void>;
}
