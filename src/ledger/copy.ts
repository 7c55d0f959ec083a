/**
 * Move a whole ledger between stores (embedded → PostgreSQL and back): every table row for row,
 * the hash chain with its stored hashes and head unchanged, so `verify` on the target proves
 * the copy. The target must be empty; the copy is one transaction on it.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlValue } from './chain.ts';
import { CHAIN_LOCK, copyField, quoted } from './postgres-import-session.ts';
import type { PostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';
import { verifyLedger } from './verify.ts';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** the migration bookkeeping is the target's own: both stores are migrated before copying */
const NOT_COPIED = new Set(['schema_migrations']);
const BATCH = 500;
/** rows per write into a COPY stream */
const COPY_BATCH = 2000;

export interface CopyResult {
  /** rows copied, by table */
  tables: Record<string, number>;
  links: number;
  head: string;
}

export class CopyError extends Error {}

export async function copyLedger(from: Store, to: Store): Promise<CopyResult> {
  const source = await verifyLedger(from);
  if (!source.ok) {
    throw new CopyError(
      `the source ledger fails \`verify\` (${source.problems[0]?.code} at link ${source.problems[0]?.seq}): copying it would carry the damage over; run \`detainer-ledger verify\` on it`,
    );
  }
  const src = from.db as unknown as AnyDb;
  const dst = to.db as unknown as AnyDb;
  const tables = (await src.introspection.getTables())
    .filter((t) => !t.isView && !NOT_COPIED.has(t.name))
    .map((t) => t.name)
    .sort();
  const targetTables = new Set((await dst.introspection.getTables()).map((t) => t.name));
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length) {
    throw new CopyError(
      `the target has no table ${missing.map((t) => `\`${t}\``).join(', ')}: update detainer-ledger where the target was migrated, then run \`detainer-ledger migrate\` on it`,
    );
  }
  for (const t of tables) {
    if (t === 'ledger_meta') continue;
    const { n } = await dst
      .selectFrom(t)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) > 0) {
      throw new CopyError(
        `the target is not empty (table \`${t}\` has ${Number(n)} rows): copy into a new, empty database`,
      );
    }
  }

  const counts: Record<string, number> =
    to.dialect === 'postgres' ? await copyIntoPostgres(src, tables, to as PostgresStore) : {};
  // into SQLite: one transaction, so a failure leaves the target empty
  if (to.dialect === 'sqlite')
    await dst.transaction().execute(async (trx) => {
      // the target's fresh head (link 0) gives way to the source's
      await trx.deleteFrom('ledger_meta').execute();
      for (const t of tables) {
        let batch: Record<string, unknown>[] = [];
        let n = 0;
        const flush = async () => {
          if (batch.length) await trx.insertInto(t).values(batch).execute();
          n += batch.length;
          batch = [];
        };
        for await (const row of src.selectFrom(t).selectAll().stream(2000)) {
          batch.push(row);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        counts[t] = n;
      }
    });

  const target = await verifyLedger(to);
  if (!target.ok || target.head !== source.head || target.links !== source.links) {
    throw new CopyError(
      `the copy does not verify (${target.problems[0]?.message ?? `head ${target.head} after ${target.links} links, source ${source.head} after ${source.links}`}): the target is left as it is for inspection; remove it before trying again`,
    );
  }
  return { tables: counts, links: target.links, head: target.head };
}

/**
 * Fill an empty PostgreSQL ledger with COPY, several times faster than batched INSERTs for
 * millions of links: one transaction holding the chain lock, so no other writer may extend the
 * chain while it is filled, and a failure leaves the target empty.
 */
async function copyIntoPostgres(
  src: AnyDb,
  tables: string[],
  to: PostgresStore,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const client = await to.pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    // the target's fresh head (link 0) gives way to the source's
    await client.query('delete from ledger_meta');
    for (const t of tables) {
      let columns: string[] | null = null;
      let stream: ReturnType<typeof copyFrom> | null = null;
      let done: Promise<void> = Promise.resolve();
      let lines: string[] = [];
      let n = 0;
      const flush = async (last: boolean) => {
        const text = lines.length ? lines.join('\n') + '\n' : '';
        lines = [];
        if (last) stream!.end(text);
        // a COPY the server refused ends `done` with its error; waiting on drain alone would hang
        else if (!stream!.write(text)) await Promise.race([once(stream!, 'drain'), done]);
      };
      for await (const row of src.selectFrom(t).selectAll().stream(2000)) {
        if (!columns) {
          columns = Object.keys(row);
          stream = client.query(copyFrom(`copy "${t}" (${quoted(columns)}) from stdin`));
          done = finished(stream);
        }
        lines.push(columns.map((c) => copyField(row[c] as SqlValue)).join('\t'));
        n++;
        if (lines.length >= COPY_BATCH) await flush(false);
      }
      if (stream) {
        await flush(true);
        await done;
      }
      counts[t] = n;
    }
    await client.query('commit');
    return counts;
  } catch (err) {
    broken = true;
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release(broken);
  }
}
