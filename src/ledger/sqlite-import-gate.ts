import type BetterSqlite3 from 'better-sqlite3';
import {
  RawNode,
  SelectQueryNode,
  SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** How long a write waits for an import of this process, as SQLite's busy timeout would. */
const WAIT_MS = 10_000;

/**
 * Imports into a ledger file write on a worker thread, which holds the ledger's one write lock
 * from the first batch to the commit and is fed each batch by this thread. A write on this
 * thread's connection meanwhile would wait for the lock in SQLite's busy handler, which blocks
 * this thread, so no batch could reach the writer: both wait out the busy timeout, and the write
 * fails. So while an import of this process is open, a write here first waits for it without
 * blocking (writes inside a transaction already open do not: theirs is the lock or the error).
 */
export class ImportGate {
  private open = 0;
  private ended: Promise<void> = Promise.resolve();
  private end: () => void = () => undefined;

  constructor(private readonly conn: BetterSqlite3.Database) {}

  /** an import begins; the function returned ends it (once) */
  enter(): () => void {
    if (this.open++ === 0) this.ended = new Promise((resolve) => (this.end = resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.open === 0) this.end();
    };
  }

  /** resolves when no import of this process is open (at once when none is, or in a transaction) */
  async writable(): Promise<void> {
    if (this.open === 0 || this.conn.inTransaction) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), WAIT_MS)));
    try {
      if ((await Promise.race([this.ended, late])) === 'late')
        throw new Error('the ledger is busy with an import: try again when it has finished');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** SQLite through Kysely, with each write outside a transaction waiting at the gate first. */
export class GatedSqliteDialect extends SqliteDialect {
  constructor(
    private readonly conn: BetterSqlite3.Database,
    private readonly gate: ImportGate,
  ) {
    super({ database: conn });
  }

  override createDriver(): Driver {
    return new GatedDriver(super.createDriver(), this.gate);
  }
}

class GatedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly gate: ImportGate,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GatedConnection(await this.inner.acquireConnection(), this.gate);
  }
  // the inner driver begins, commits and rolls back through the connection given: this one's
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(c, settings);
  }
  commitTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(c);
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(c);
  }
  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((c as GatedConnection).inner);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class GatedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly gate: ImportGate,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (writes(query)) await this.gate.writable();
    return this.inner.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** whether a statement may write (a transaction's `begin` counts: its writes follow) */
function writes(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return false;
  if (RawNode.is(query.query))
    return !/^\s*(select|explain|pragma|commit|rollback|release)\b/i.test(query.sql);
  return true;
}
