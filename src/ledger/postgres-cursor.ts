/**
 * Streaming reads on PostgreSQL through server-side cursors (DECLARE … FETCH), so a report or
 * `verify` over millions of rows keeps memory flat. Kysely's own PostgreSQL streaming needs the
 * `pg-cursor` package, which this project does not carry; a cursor is plain SQL.
 */
import { CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely';
import type pg from 'pg';

let cursors = 0;
const nextName = () => `ledger_cursor_${++cursors}`;

/**
 * Give one Kysely connection a `streamQuery` built on DECLARE/FETCH. A cursor lives in a
 * transaction: inside Kysely's own transaction it uses that one, otherwise it opens and ends its own.
 */
export function streamWithCursors(connection: DatabaseConnection): void {
  const execute = connection.executeQuery.bind(connection) as <R>(
    q: CompiledQuery,
  ) => Promise<QueryResult<R>>;
  let inTransaction = false;
  connection.executeQuery = async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
    const result = await execute<R>(q);
    const verb = /^\s*(\w+)(\s+to\b)?/i.exec(q.sql);
    const word = verb?.[1]?.toLowerCase();
    if (word === 'begin' || (word === 'start' && /^\s*start\s+transaction/i.test(q.sql)))
      inTransaction = true;
    else if ((word === 'commit' || word === 'rollback') && !verb?.[2]) inTransaction = false;
    return result;
  };
  connection.streamQuery = async function* <R>(q: CompiledQuery, chunkSize = 1000) {
    const name = nextName();
    const own = !inTransaction;
    if (own) await execute(CompiledQuery.raw('begin'));
    let ok = false;
    try {
      await execute(CompiledQuery.raw(`declare ${name} no scroll cursor for ${q.sql}`, [...q.parameters]));
      for (;;) {
        const { rows } = await execute<R>(CompiledQuery.raw(`fetch ${chunkSize} from ${name}`));
        if (rows.length === 0) break;
        yield { rows };
      }
      await execute(CompiledQuery.raw(`close ${name}`));
      ok = true;
    } finally {
      // the reader may stop early: ending our own transaction closes the cursor with it
      if (own) await execute(CompiledQuery.raw(ok ? 'commit' : 'rollback'));
      else if (!ok) await execute(CompiledQuery.raw(`close ${name}`)).catch(() => undefined);
    }
  };
}

/**
 * Rows of `text` as arrays, fetched `chunk` at a time through a cursor on `client`, which must
 * be inside a transaction (several cursors in one transaction read one snapshot).
 */
export async function* cursorArrays(
  client: pg.ClientBase,
  text: string,
  chunk = 5000,
): AsyncGenerator<unknown[], void, undefined> {
  const name = nextName();
  await client.query(`declare ${name} no scroll cursor for ${text}`);
  for (;;) {
    const { rows } = await client.query<unknown[]>({ text: `fetch ${chunk} from ${name}`, rowMode: 'array' });
    if (rows.length === 0) break;
    yield* rows;
  }
}
