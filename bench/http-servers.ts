/**
 * The servers `bench/http.ts` measures, in a process of their own so that the load generator's
 * work (reading thousands of decision responses a second) takes no time from them: the
 * application over a small test ledger, a bare Fastify instance with one JSON route that is
 * never part of the application, and the application over the demo ledger (about 78,000
 * requests) with its last week published as an edition, as `npm start` shows it: the edition page
 * and the home page are measured there. Sends their URLs to the parent, its CPU time on `cpu`,
 * closes on `stop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registryFor } from '../src/ledger/registry.ts';
import { importFile } from '../src/ingest/run.ts';
import { loadRegistry } from '../src/jurisdictions/registry.ts';
import { createEngine, loadLibrary } from '../src/law/index.ts';
import { writeDemo } from '../src/ledger/demo.ts';
import { openSqliteStore } from '../src/ledger/sqlite-store.ts';
import { buildReport } from '../src/reports/build.ts';
import { publishEdition } from '../src/reports/editions.ts';
import { buildServer } from '../src/server/server.ts';
import { testServer } from '../src/server/test-server.ts';

/** The demo ledger with its last week published: what a new user's `npm start` serves. */
async function demoServer(): Promise<{
  app: FastifyInstance;
  editionPath: string;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const files = await writeDemo({ dir: join(dir, 'demo'), seed: 2017, endDate: '2026-11-20' });
  const store = await openSqliteStore(join(dir, 'ledger.db'));
  for (const file of [files.requests, files.events!]) {
    const s = await importFile({ store, registry: loadRegistry(), file });
    if (s.status !== 'loaded') throw new Error(`demo ledger: ${file} was ${s.status}`);
  }
  const library = loadLibrary();
  const registry = await registryFor(store);
  const report = await buildReport(
    { store, registry, engine: createEngine(library, registry) },
    { week: files.to },
    { suppressBelow: 5 },
  );
  const { id } = await publishEdition(store, report, { by: 'benchmark' });
  const app = await buildServer({ store, library, registry, logger: false });
  return {
    app,
    editionPath: `/editions/${id}`,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return `http://127.0.0.1:${a.port}`;
}

const server = await testServer();
const bare = Fastify();
// the same JSON body in, a small JSON object out: what Fastify costs without the application
bare.post('/bare', async (request) => ({ ok: true, type: (request.body as { type: string }).type }));
const demo = await demoServer();
const home = await demo.app.inject('/');
const edition = await demo.app.inject(demo.editionPath);
if (home.statusCode !== 200 || edition.statusCode !== 200)
  throw new Error('demo server: home or edition failed');
process.send!({
  app: await listen(server.app),
  bare: await listen(bare),
  demo: await listen(demo.app),
  editionPath: demo.editionPath,
  homeBytes: Buffer.byteLength(home.body) + Object.entries(home.headers).join('\r\n').length,
  editionBytes: Buffer.byteLength(edition.body),
});
process.on('message', (m) => {
  // CPU time used so far: the parent takes differences around each load, a figure the other
  // work on a shared machine does not skew the way it skews requests per second
  if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (m === 'stop')
    void Promise.all([bare.close(), server.close(), demo.close()]).then(() => process.exit(0));
});
