import { GENESIS_HASH, type SqlValue } from './chain.ts';
import type { ChainHead, ChainRow } from './store.ts';

/** `seq:hash` as kept in ledger_meta */
export function headText(seq: number, hash: string): string {
  return `${seq}:${hash}`;
}

/** the head kept in ledger_meta (see headText) */
export function parseHead(value: string): ChainHead {
  const [seq, hash] = value.split(':');
  return { seq: Number(seq), hash: hash ?? GENESIS_HASH };
}

/**
 * Requests and events share one sequence but live in two tables; each cursor yields
 * `[seq, …hashed values, hash]` in seq order, and this interleaves them.
 */
export function* mergeBySeq(
  requests: Iterator<SqlValue[]>,
  events: Iterator<SqlValue[]>,
): Generator<ChainRow> {
  let r = requests.next();
  let e = events.next();
  while (!r.done || !e.done) {
    const takeRequest = e.done || (!r.done && Number(r.value[0]) < Number(e.value[0]));
    const row = takeRequest ? r.value : e.value;
    yield {
      seq: Number(row[0]),
      table: takeRequest ? 'request' : 'event',
      values: row.slice(1, -1),
      hash: row[row.length - 1] as string,
    };
    if (takeRequest) r = requests.next();
    else e = events.next();
  }
}

/** mergeBySeq for cursors that are read asynchronously (the PostgreSQL store). */
export async function* mergeBySeqAsync(
  requests: AsyncIterator<SqlValue[]>,
  events: AsyncIterator<SqlValue[]>,
): AsyncGenerator<ChainRow> {
  let r = await requests.next();
  let e = await events.next();
  while (!r.done || !e.done) {
    const takeRequest = e.done || (!r.done && Number(r.value[0]) < Number(e.value[0]));
    const row = takeRequest ? r.value : e.value;
    yield {
      seq: Number(row[0]),
      table: takeRequest ? 'request' : 'event',
      values: row.slice(1, -1),
      hash: row[row.length - 1] as string,
    };
    if (takeRequest) r = await requests.next();
    else e = await events.next();
  }
}
