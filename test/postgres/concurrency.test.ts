/**
 * Many processes writing at once (issue: PostgreSQL store). Eight writer processes append events
 * to the same requests; the chain must come out one line, every event once. Then two processes
 * import the same file at the same moment: it loads once.
 *
 * Events per writer: the 10,000 (about half a minute on two cores);
 * LEDGER_CONCURRENCY_EVENTS sets another count for a quicker or a heavier run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerStats } from '../../src/ledger/queries.ts';
import { openPostgresStore, type PostgresStore } from '../../src/ledger/postgres-store.ts';
import { sampleRequest } from '../../src/ledger/test-fixtures.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { MISSING_POSTGRES, pgBinDir, startCluster, type Cluster } from './cluster.ts';

const run = promisify(execFile);
const available = pgBinDir() !== null;
if (!available) console.warn(`\n!!! ${MISSING_POSTGRES}\n`);

const WRITERS = 8;
const EVENTS = Number(process.env.LEDGER_CONCURRENCY_EVENTS ?? 10_000);
const REQUESTS = 200;

describe.skipIf(!available)('PostgreSQL: concurrent writers', () => {
  let cluster: Cluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster({ fsync: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'pg-concurrency-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // the whole suite runs beside this on two cores: the limit is generous, the check is behaviour
  it(
    `${WRITERS} writer processes × ${EVENTS} events leave one valid chain, nothing lost or doubled`,
    { timeout: 600_000 },
    async () => {
      const url = await cluster.createDatabase();
      let store: PostgresStore = await openPostgresStore(url);
      const s = await store.beginImport();
      await s.addRequests(Array.from({ length: REQUESTS }, (_, i) => sampleRequest({ id: `req-${i}` })));
      await s.commit();
      await store.close();

      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          run(
            process.execPath,
            [
              '--import',
              'tsx',
              'test/postgres/append-writer.ts',
              url,
              String(w),
              String(EVENTS),
              String(REQUESTS),
            ],
            { maxBuffer: 1 << 20 },
          ),
        ),
      );
      const appended = results.map((r) => (JSON.parse(r.stdout.trim()) as { appended: number }).appended);

      const shared = Math.ceil(EVENTS / 50);
      const own = EVENTS - shared;
      const expected = WRITERS * own + shared;
      // each shared event went in through exactly one writer; the others found it a duplicate
      expect(appended.reduce((a, b) => a + b, 0)).toBe(expected);

      store = await openPostgresStore(url);
      try {
        const result = await verifyLedger(store);
        expect(result.problems).toEqual([]);
        expect(result.links).toBe(REQUESTS + expected);
        expect((await store.chainHead()).seq).toBe(REQUESTS + expected);
        const keys = await store.db
          .selectFrom('events')
          .select((eb) => [
            eb.fn.count<string>('key').as('n'),
            eb.fn.count<string>('key').distinct().as('distinct'),
          ])
          .executeTakeFirstOrThrow();
        expect(Number(keys.n)).toBe(expected);
        expect(Number(keys.distinct)).toBe(expected);
        // every writer's own events are all there
        const perWriter = await store.db
          .selectFrom('events')
          .select(['user', (eb) => eb.fn.countAll<string>().as('n')])
          .where('key', 'not like', 'shared-%')
          .groupBy('user')
          .orderBy('user')
          .execute();
        expect(perWriter.map((r) => [r.user, Number(r.n)])).toEqual(
          Array.from({ length: WRITERS }, (_, w) => [`writer-${w}`, own]),
        );
      } finally {
        await store.close();
      }
    },
  );

  it('two imports of the same file at the same moment load it once', async () => {
    const url = await cluster.createDatabase();
    const file = join(dir, 'requests.csv');
    const rows = ['request_id,type,issued_date,state,division_id,synthetic'];
    for (let i = 0; i < 5000; i++)
      rows.push(
        `r-${i},hold,2024-02-${String((i % 28) + 1).padStart(2, '0')},mn,ocd-division/country:us/state:mn/county:hennepin,true`,
      );
    writeFileSync(file, rows.join('\n') + '\n');

    const importOnce = () =>
      run(process.execPath, ['bin/detainer-ledger.js', 'import', file, '--json'], {
        env: { ...process.env, DATABASE_URL: url },
        maxBuffer: 1 << 22,
      }).then((r) => JSON.parse(r.stdout) as { loaded: number; duplicates: number; status: string });
    const both = await Promise.all([importOnce(), importOnce()]);
    expect(both.map((b) => b.loaded).sort((a, b) => a - b)).toEqual([0, 5000]);
    expect(both.map((b) => b.duplicates).sort((a, b) => a - b)).toEqual([0, 5000]);

    const store = await openPostgresStore(url);
    try {
      expect((await ledgerStats(store)).requests).toBe(5000);
      const result = await verifyLedger(store);
      expect(result).toMatchObject({ ok: true, links: 5000 });
    } finally {
      await store.close();
    }
  });
});
