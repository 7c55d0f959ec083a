/**
 * A server over a small temporary ledger, for the server's tests, the browser test and the
 * benchmark, in a SQLite file or (given `fresh` from eachStore) a scratch PostgreSQL database:
 * two synthetic requests, and an agency, a facility and a 287(g) agreement in Harris
 * County, TX whose names carry markup (pages must show it as text).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registryFor } from '../ledger/registry.ts';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { importFile } from '../ingest/run.ts';
import { loadLibrary } from '../law/index.ts';
import type { FreshStore } from '../ledger/store-suite.ts';
import type { Store } from '../ledger/store.ts';
import { openSqliteStore } from '../ledger/sqlite-store.ts';
import { buildServer, type ServerOptions } from './server.ts';

export const HARRIS = 'ocd-division/country:us/state:tx/county:harris';
export const HOSTILE_AGENCY = `<script>alert("agency")</script> Constable's Office`;
export const HOSTILE_AGENCY_ID = `${HARRIS}/agency:hostile_constable`;
export const HOSTILE_FACILITY = `<img src=x onerror=alert(1)> Detention Annex`;
export const HOSTILE_287G = `<script>alert("287g")</script> Harris County Sheriff's Office`;

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  /** the ledger as `--db` takes it (file path or `postgres://` URL), for the CLI */
  db: string;
  close(): Promise<void>;
}

export async function testServer(
  options: {
    synthetic?: boolean;
    server?: Partial<ServerOptions>;
    /** the empty store to build on (eachStore gives one per store); a SQLite file by default */
    fresh?: () => Promise<FreshStore>;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'server-'));
  // the SQLite file is opened here rather than by test-stores.ts, which needs the test runner
  // (the HTTP benchmark builds this server outside it)
  const fresh: FreshStore = options.fresh
    ? await options.fresh()
    : await (async () => {
        const path = join(dir, 'ledger.db');
        const store = await openSqliteStore(path);
        return {
          store,
          location: path,
          reopen: () => Promise.reject(new Error('not needed')),
          dispose: () => store.close(),
        };
      })();
  const store = fresh.store;
  const requests = join(dir, 'requests.csv');
  const synthetic = options.synthetic ?? true;
  writeFileSync(
    requests,
    [
      'request_id,type,issued_date,state,facility_name,facility_city,synthetic',
      `s-1,hold,2019-03-04,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,${synthetic}`,
      `s-2,notify,2019-03-05,TX,HARRIS COUNTY JAIL,HOUSTON,${synthetic}`,
    ].join('\n') + '\n',
  );
  const s = await importFile({ store, registry: loadRegistry(), file: requests });
  if (s.status !== 'loaded') throw new Error(`test ledger did not load: ${JSON.stringify(s.errors)}`);
  const session = await store.beginImport();
  await session.addAgencies([
    {
      id: HOSTILE_AGENCY_ID,
      name: HOSTILE_AGENCY,
      kind: 'police',
      divisionId: HARRIS,
      state: 'tx',
      ori: null,
      source: 'test',
    },
  ]);
  await session.addFacilities([
    {
      id: `${HOSTILE_AGENCY_ID}/facility:annex`,
      name: HOSTILE_FACILITY,
      detloc: null,
      agencyId: HOSTILE_AGENCY_ID,
      divisionId: HARRIS,
      city: 'HOUSTON',
      state: 'tx',
      source: 'test',
    },
  ]);
  await session.addAgreements([
    {
      id: 'test-287g-1',
      agency_id: null,
      agency_name: HOSTILE_287G,
      agency_type: 'County',
      state: 'TX',
      county: 'Harris County',
      division_id: HARRIS,
      support_type: 'Jail Enforcement Model',
      signed_date: '2017-02-01',
      moa: null,
      status: 'participating',
      sheet_date: '2025-05-16',
      source: 'test',
      row: 2,
    },
  ]);
  await session.commit();
  const app = await buildServer({
    store,
    library: loadLibrary(),
    registry: await registryFor(store),
    ...options.server,
  });
  return {
    app,
    store,
    db: fresh.location,
    async close() {
      await app.close();
      await fresh.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
