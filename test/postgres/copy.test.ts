/**
 * Moving a deployment from the embedded store to PostgreSQL and back (issue: PostgreSQL store):
 * `migrate`, then `copy` SQLite → PostgreSQL → SQLite; every side verifies with the same head and
 * reports the same counts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { copyLedger } from '../../src/ledger/copy.ts';
import { openPostgresStore } from '../../src/ledger/postgres-store.ts';
import { openSqliteStore } from '../../src/ledger/sqlite-store.ts';
import { requestWithEvents } from '../../src/ledger/queries.ts';
import { sampleEvent, sampleRequest } from '../../src/ledger/test-fixtures.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { MISSING_POSTGRES, pgBinDir, startCluster, type Cluster } from './cluster.ts';

const run = promisify(execFile);
const available = pgBinDir() !== null;
if (!available) console.warn(`\n!!! ${MISSING_POSTGRES}\n`);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // DATABASE_URL would override --db: each command here names its store itself
  const env = { ...process.env };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/detainer-ledger.js', ...args], {
      env,
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!available)('PostgreSQL: migrate and copy', () => {
  let cluster: Cluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster({ fsync: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'pg-copy-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrate brings a new database to the current schema, and then has nothing to do', async () => {
    const url = await cluster.createDatabase();
    const first = await cli('migrate', '--db', url, '--json');
    expect(first.code).toBe(0);
    const versions = JSON.parse(first.stdout) as { version: number; appliedNow: boolean }[];
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions.every((v) => v.appliedNow)).toBe(true);
    const again = await cli('migrate', '--db', url);
    expect(again.stdout).toContain('already current');
  });

  it('copies SQLite → PostgreSQL → SQLite with the chain, the counts and the outcomes unchanged', async () => {
    const original = join(dir, 'original.db');
    const back = join(dir, 'back.db');
    const url = await cluster.createDatabase();
    expect(
      (await cli('demo', '--weeks', '2', '--per-week', '400', '--seed', '5', '--db', original)).code,
    ).toBe(0);
    const areas = await cli('import', 'data/ice-reference/ice-areas-of-responsibility.csv', '--db', original);
    expect(areas.code).toBe(0);

    const there = await cli('copy', '--from', `sqlite:${original}`, '--to', url, '--json');
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    const copied = JSON.parse(there.stdout) as { tables: Record<string, number>; links: number };
    expect(copied.tables.requests).toBeGreaterThan(0);
    expect(copied.tables.events).toBeGreaterThan(0);
    expect(copied.tables.refs).toBeGreaterThan(0);
    expect(copied.tables.areas_of_responsibility).toBeGreaterThan(0);

    const home = await cli('copy', '--from', url, '--to', `sqlite:${back}`, '--json');
    expect(home.code).toBe(0);
    expect(JSON.parse(home.stdout)).toEqual(copied);

    const verify = await Promise.all([original, url, back].map((db) => cli('verify', '--db', db, '--json')));
    const results = verify.map((v) => JSON.parse(v.stdout) as { ok: boolean; links: number; head: string });
    expect(results[0]).toMatchObject({ ok: true, links: copied.links });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);

    const stats = await Promise.all([original, url, back].map((db) => cli('stats', '--db', db, '--json')));
    const parsed = stats.map((s) => JSON.parse(s.stdout) as { requests: number });
    expect(parsed[0]?.requests).toBeGreaterThan(0);
    expect(parsed[1]).toEqual(parsed[0]);
    expect(parsed[2]).toEqual(parsed[0]);

    // the copy is a ledger like any other: new rows (and new registry refs) chain on from its head
    const store = await openPostgresStore(url);
    try {
      const s = await store.beginImport();
      const out = await s.addRequests([sampleRequest({ id: 'after-copy', facilityId: 'facility:NEW-ONE' })]);
      await s.commit();
      expect(out).toEqual([{ status: 'inserted' }]);
      expect(await store.appendEvents([sampleEvent({ requestId: 'after-copy' })])).toHaveLength(1);
      const after = await verifyLedger(store);
      expect(after).toMatchObject({ ok: true, links: copied.links + 2 });
      const found = await requestWithEvents(store, 'after-copy');
      expect(found?.request.facility_id).toBe('facility:NEW-ONE');
    } finally {
      await store.close();
    }

    const more = await cli('copy', '--from', `sqlite:${original}`, '--to', url);
    expect(more.code).toBe(3);
    expect(more.stderr).toMatch(/not empty/);
  });

  it('leaves the target empty and unlocked when the server refuses part of the copy', async () => {
    const source = join(dir, 'refused.db');
    expect((await cli('demo', '--weeks', '1', '--per-week', '50', '--seed', '3', '--db', source)).code).toBe(
      0,
    );
    const url = await cluster.createDatabase();
    const target = await openPostgresStore(url);
    try {
      // a target that takes no requests: tables are copied by name, so the events and refs are
      // in when the requests' COPY fails
      await sql`alter table requests add constraint no_requests check (false)`.execute(target.db);
      const sqlite = await openSqliteStore(source);
      try {
        await expect(copyLedger(sqlite, target)).rejects.toThrow(/no_requests/);
      } finally {
        await sqlite.close();
      }
      const n = await sql<{
        events: number;
        refs: number;
      }>`select (select count(*) from events) as events, (select count(*) from refs) as refs`.execute(
        target.db,
      );
      expect(n.rows[0]).toEqual({ events: 0, refs: 0 });
      expect((await target.chainHead()).seq).toBe(0);
      // the chain lock went with the rolled-back transaction: a writer gets it at once
      const s = await target.beginImport();
      await s.rollback();
    } finally {
      await target.close();
    }
  });

  it('refuses a location that names no store', async () => {
    const r = await cli('copy', '--from', join(dir, 'x.db'), '--to', 'sqlite:/tmp/y.db');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('sqlite:PATH');
  });
});
