/**
 * HTTP benchmark (web-app issue): autocannon, 50 connections, 10 s each, in the same run:
 * `POST /api/v1/decide` against a bare Fastify JSON route (a second instance built by the
 * benchmark, never part of the application); a public edition page's latency after warm-up; and
 * the bytes of the home page. The servers run in a child process, the load generator here.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
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

interface Servers {
  app: string;
  bare: string;
  /** the application over the demo ledger with a published edition */
  demo: string;
  editionPath: string;
  homeBytes: number;
  editionBytes: number;
}

/** GET load on one page; every answer must be a 200 */
async function loadPage(url: string, path: string, seconds = SECONDS): Promise<autocannon.Result> {
  const result = await autocannon({ url: url + path, connections: CONNECTIONS, duration: seconds });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${path}: ${bad} failed requests of ${result.requests.total}`);
  return result;
}

/** The servers in a child process (see http-servers.ts), with the TypeScript loader. */
interface ServerProcess {
  urls: Servers;
  /** CPU microseconds (user + system) the server process has used so far */
  cpu: () => Promise<number>;
  stop: () => Promise<void>;
}

function startServers(): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL('./http-servers.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark servers exited with code ${code}`)));
    child.once('message', (urls) =>
      resolve({
        urls: urls as Servers,
        cpu: () =>
          new Promise((answer) => {
            child.once('message', (m) => {
              const { user, system } = (m as { cpu: NodeJS.CpuUsage }).cpu;
              answer(user + system);
            });
            child.send('cpu');
          }),
        stop: async () => {
          child.send('stop');
          await exited;
        },
      }),
    );
  });
}

export async function benchHttp(runs: number): Promise<Figure[]> {
  const { urls, cpu, stop } = await startServers();
  /** the load, and the server's CPU microseconds per answered request */
  const measured = async (url: string, path: string) => {
    const before = await cpu();
    const result = await load(url, path);
    return { result, cpuPerRequest: ((await cpu()) - before) / result.requests.total };
  };
  try {
    await load(urls.app, '/api/v1/decide', 2); // warm-up: plans compiled, JIT settled
    await load(urls.bare, '/bare', 2);
    await loadPage(urls.demo, urls.editionPath, 2);
    const decide: number[] = [];
    const bareRps: number[] = [];
    const ratio: number[] = [];
    const p99: number[] = [];
    const cpuDecide: number[] = [];
    const cpuBare: number[] = [];
    const editionP99: number[] = [];
    const editionRps: number[] = [];
    for (let run = 0; run < runs; run++) {
      const { result: d, cpuPerRequest: dc } = await measured(urls.app, '/api/v1/decide');
      const { result: b, cpuPerRequest: bc } = await measured(urls.bare, '/bare');
      decide.push(d.requests.average);
      bareRps.push(b.requests.average);
      ratio.push(d.requests.average / b.requests.average);
      p99.push(d.latency.p99);
      cpuDecide.push(dc);
      cpuBare.push(bc);
      const e = await loadPage(urls.demo, urls.editionPath);
      editionP99.push(e.latency.p99);
      editionRps.push(e.requests.average);
    }
    return [
      figure('POST /api/v1/decide (50 connections, 10 s)', 'requests/s', decide),
      figure('bare Fastify JSON route, same run', 'requests/s', bareRps),
      figure('decide ÷ bare', 'ratio', ratio, '>= 0.5'),
      figure('POST /api/v1/decide p99 latency', 'ms', p99),
      figure('server CPU per decide request', 'µs', cpuDecide),
      figure('server CPU per bare request', 'µs', cpuBare),
      figure('edition page p99 latency (demo ledger, 50 connections)', 'ms', editionP99, '<= 50'),
      figure('edition page throughput', 'requests/s', editionRps),
      figure('edition page size', 'KB', [urls.editionBytes / 1024]),
      figure('home page transferred, demo ledger with an edition', 'KB', [urls.homeBytes / 1024], '<= 150'),
    ];
  } finally {
    await stop();
  }
}
