/**
 * One writer process of the concurrency test: appends COUNT events, in small desk-sized
 * transactions, to requests every writer shares. Every 50th event is one all writers send
 * (same key, same content), which must be stored once.
 * Usage: tsx test/postgres/append-writer.ts URL WRITER COUNT REQUESTS  → prints one JSON line.
 */
import { openPostgresStore } from '../../src/ledger/postgres-store.ts';
import type { LedgerEvent } from '../../src/ledger/types.ts';

const [url, writerArg, countArg, requestsArg] = process.argv.slice(2);
if (!url || !writerArg || !countArg || !requestsArg)
  throw new Error('usage: append-writer URL WRITER COUNT REQUESTS');
const writer = Number(writerArg);
const count = Number(countArg);
const requests = Number(requestsArg);
const PER_TRANSACTION = 25;

const store = await openPostgresStore(url, { migrate: false });
let appended = 0;
for (let start = 0; start < count; start += PER_TRANSACTION) {
  const batch: LedgerEvent[] = [];
  for (let n = start; n < Math.min(count, start + PER_TRANSACTION); n++) {
    const shared = n % 50 === 0;
    batch.push({
      key: shared ? `shared-${n}` : `w${writer}-${n}`,
      // writers walk the requests from different starting points, so they meet on every one
      requestId: `req-${(shared ? n : n + writer * 7) % requests}`,
      kind: 'notified',
      date: '2024-01-02',
      facilityId: null,
      data: shared ? { n } : { writer, n },
      provenance: { source: 'concurrency-test', user: `writer-${writer}` },
    });
  }
  appended += (await store.appendEvents(batch)).length;
}
await store.close();
process.stdout.write(JSON.stringify({ writer, appended }) + '\n');
