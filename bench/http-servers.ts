/**
 * The servers `bench/http.ts` measures, in a process of their own so that the load generator's
 * work (reading thousands of decision responses a second) takes no time from them: the
 * application over a small test ledger, and a bare Fastify instance with one JSON route that is
 * never part of the application. Sends their URLs to the parent, its CPU time on `cpu`, closes on
 * `stop`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { testServer } from '../src/server/test-server.ts';

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
const home = await server.app.inject('/');
process.send!({
  app: await listen(server.app),
  bare: await listen(bare),
  homeBytes: Buffer.byteLength(home.body) + Object.entries(home.headers).join('\r\n').length,
});
process.on('message', (m) => {
  // CPU time used so far: the parent takes differences around each load, a figure the other
  // work on a shared machine does not skew the way it skews requests per second
  if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (m === 'stop') void Promise.all([bare.close(), server.close()]).then(() => process.exit(0));
});
