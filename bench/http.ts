/**
 * HTTP benchmark (web-app issue): autocannon, 50 connections, 10 s each, in the same run:
 * `POST /api/v1/decide` against a bare Fastify JSON route (a second instance built here, never
 * part of the application), and the bytes of the home page.
 */
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { testServer } from '../src/server/test-server.ts';
import { figure, type Figure } from './stats.ts';

const CONNECTIONS = 50;
const SECONDS = 10;

/** A few requests from the states the library covers, cycled so no single plan stays hot alone. */
const REQUESTS = [
  {
    type: 'notify',
    date: '2019-03-04',
    receiver: { division: 'ocd-division/country:us/state:ca/county:los_angeles', agencyKind: 'sheriff' },
    authority: ['i-200'],
    subject: { convictions: [{ code: 'CA PC 245(a)(1)', level: 'felony', date: '2015-05-01' }] },
  },
  {
    type: 'hold',
    date: '2019-03-04',
    receiver: { division: 'ocd-division/country:us/state:tx/county:harris', agencyKind: 'sheriff' },
    authority: ['i-200'],
  },
  {
    type: 'hold',
    date: '2019-03-04',
    receiver: { division: 'ocd-division/country:us/state:ny/place:new_york', agencyKind: 'jail' },
    authority: ['judicial-warrant'],
    subject: { convictions: [{ code: 'NY PL 160.15', level: 'felony', date: '2016-01-01' }] },
  },
  {
    type: 'info',
    infoKind: 'release-date',
    date: '2019-03-04',
    receiver: { division: 'ocd-division/country:us/state:il/county:cook', agencyKind: 'sheriff' },
  },
].map((r) => JSON.stringify(r));

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return `http://127.0.0.1:${a.port}`;
}

async function load(url: string, path: string, seconds = SECONDS): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: REQUESTS.map((body) => ({
      method: 'POST' as const,
      path,
      headers: { 'content-type': 'application/json' },
      body,
    })),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${path}: ${bad} failed requests of ${result.requests.total}`);
  return result;
}

export async function benchHttp(runs: number): Promise<Figure[]> {
  const server = await testServer();
  const bare = Fastify();
  // the same JSON body in, a small JSON object out: what Fastify costs without the application
  bare.post('/bare', async (request) => ({ ok: true, type: (request.body as { type: string }).type }));
  try {
    const appUrl = await listen(server.app);
    const bareUrl = await listen(bare);
    const home = await server.app.inject('/');
    const homeBytes = Buffer.byteLength(home.body) + Object.entries(home.headers).join('\r\n').length;

    await load(appUrl, '/api/v1/decide', 2); // warm-up: plans compiled, JIT settled
    await load(bareUrl, '/bare', 2);
    const decide: number[] = [];
    const bareRps: number[] = [];
    const ratio: number[] = [];
    const p99: number[] = [];
    for (let run = 0; run < runs; run++) {
      const d = await load(appUrl, '/api/v1/decide');
      const b = await load(bareUrl, '/bare');
      decide.push(d.requests.average);
      bareRps.push(b.requests.average);
      ratio.push(d.requests.average / b.requests.average);
      p99.push(d.latency.p99);
    }
    return [
      figure('POST /api/v1/decide (50 connections, 10 s)', 'requests/s', decide),
      figure('bare Fastify JSON route, same run', 'requests/s', bareRps),
      figure('decide ÷ bare', 'ratio', ratio, '>= 0.5'),
      figure('POST /api/v1/decide p99 latency', 'ms', p99),
      figure('home page transferred (headers + body)', 'KB', [homeBytes / 1024], '<= 150'),
    ];
  } finally {
    await bare.close();
    await server.close();
  }
}
