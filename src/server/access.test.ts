/**
 * The route × role access matrix: every route the server has, asked by anonymous and by each
 * role, answers with the expected status. Pages are asked with a session (and its CSRF token),
 * `/api/v1` with an API token. A route added without a row here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { readEdition, reportRows } from '../reports/editions.ts';
import { addUser, mintToken, tokenId } from './auth/accounts.ts';
import type { Role } from './auth/roles.ts';
import { FORM, USERS, addTestUsers, form, session, type Session } from './test-accounts.ts';
import { HARRIS, testServer, type TestServer } from './test-server.ts';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'clerk', 'supervisor', 'analyst', 'admin'];
/** a status, or `login`: sent to the log-in page (303 to /login?next=…) */
type Expect = number | 'login';

let t: TestServer;
let tokens: Record<Role, string>;
const sessions = {} as Record<Role, Session>;
let edition = '';
let row = '';
/** a user the user-administration rows act on, and one of their tokens */
const MO = 'mo';
let moToken = '';

interface Case {
  method: 'GET' | 'POST';
  /** the route as Fastify lists it */
  route: string;
  url: () => string;
  body?: (who: Who) => Record<string, unknown>;
  /** log each user in anew first (an earlier row ended their sessions) */
  fresh?: true;
  /** a body that is not a form or JSON (an upload): its content type and bytes */
  raw?: (who: Who, s: Session | undefined) => { type: string; payload: string };
  expect: Record<Who, Expect>;
}
const all = (status: number): Record<Who, Expect> => ({
  anonymous: status,
  clerk: status,
  supervisor: status,
  analyst: status,
  admin: status,
});
const staff = (e: Omit<Record<Who, Expect>, 'anonymous'>, anonymous: Expect = 'login') => ({
  anonymous,
  ...e,
});
const e = () => encodeURIComponent(edition);
const HOLD = { type: 'hold', date: '2019-03-06', authority: 'i-200' };
let n = 0;
/** the admin's import, started by the matrix's `POST /api/v1/imports` */
let importJob = '/api/v1/imports/none';
const IMPORT_CSV =
  'request_id,type,issued_date,state,facility_name,facility_city,synthetic\nm-imp-1,hold,2019-03-06,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true\n';
const BOUNDARY = 'matrix-boundary';
const upload = (s: Session | undefined) => ({
  type: `multipart/form-data; boundary=${BOUNDARY}`,
  payload: [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s?.csrf ?? ''}\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="matrix.csv"\r\nContent-Type: text/csv\r\n\r\n${IMPORT_CSV}\r\n`,
    `--${BOUNDARY}--\r\n`,
  ].join(''),
});

const CASES: Case[] = [
  { method: 'GET', route: '/', url: () => '/', expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/jurisdictions',
    url: () => '/api/v1/jurisdictions?name=Harris%20County&state=TX',
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/api/v1/jurisdictions/:id/profile',
    url: () => `/api/v1/jurisdictions/${encodeURIComponent(HARRIS)}/profile?date=2019-03-04`,
    expect: all(200),
  },
  { method: 'GET', route: '/api/v1/law/instruments', url: () => '/api/v1/law/instruments', expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/law/instruments/:id',
    url: () => '/api/v1/law/instruments/ca-values-act',
    expect: all(200),
  },
  { method: 'GET', route: '/api/v1/health', url: () => '/api/v1/health', expect: all(200) },
  { method: 'GET', route: '/api/v1/openapi.json', url: () => '/api/v1/openapi.json', expect: all(200) },
  { method: 'GET', route: '/api/v1/editions', url: () => '/api/v1/editions', expect: all(200) },
  { method: 'GET', route: '/api/v1/editions/:id', url: () => `/api/v1/editions/${e()}`, expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/editions/:id/sections/:file',
    url: () => `/api/v1/editions/${e()}/sections/section-4.csv`,
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/v1/decide',
    url: () => '/api/v1/decide',
    body: () => ({ type: 'hold', date: '2019-03-04', receiver: { division: HARRIS, agencyKind: 'sheriff' } }),
    expect: all(200),
  },
  { method: 'GET', route: '/api/docs', url: () => '/api/docs', expect: all(200) },
  { method: 'GET', route: '/ask', url: () => '/ask', expect: all(200) },
  {
    method: 'POST',
    route: '/ask',
    url: () => '/ask',
    body: () => ({ ...HOLD, division: HARRIS }),
    expect: all(200),
  },
  { method: 'GET', route: '/law', url: () => '/law', expect: all(200) },
  { method: 'GET', route: '/law/:id', url: () => '/law/ca-values-act', expect: all(200) },
  {
    method: 'GET',
    route: '/jurisdictions/:id',
    url: () => `/jurisdictions/${encodeURIComponent(HARRIS)}`,
    expect: all(200),
  },
  { method: 'GET', route: '/editions', url: () => '/editions', expect: all(200) },
  { method: 'GET', route: '/map', url: () => '/map?show=policy&date=2019-03-04', expect: all(200) },
  { method: 'GET', route: '/downloads', url: () => '/downloads', expect: all(200) },
  { method: 'GET', route: '/editions/:id', url: () => `/editions/${e()}`, expect: all(200) },
  { method: 'GET', route: '/editions/:id/map.svg', url: () => `/editions/${e()}/map.svg`, expect: all(200) },
  {
    method: 'GET',
    route: '/editions/:id/report.html',
    url: () => `/editions/${e()}/report.html`,
    expect: all(200),
  },
  { method: 'GET', route: '/login', url: () => '/login', expect: all(200) },
  // the log-in form without its own token is refused, whoever sends it
  {
    method: 'POST',
    route: '/login',
    url: () => '/login',
    body: () => ({ name: 'x', password: 'y' }),
    expect: all(403),
  },
  {
    method: 'GET',
    route: '/desk',
    url: () => '/desk',
    expect: staff({ clerk: 200, supervisor: 200, analyst: 200, admin: 200 }),
  },
  {
    method: 'GET',
    route: '/admin/audit',
    url: () => '/admin/audit',
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/desk/requests',
    url: () => '/desk/requests',
    body: () => ({ ...HOLD, id: `m-desk-${++n}` }),
    expect: staff({ clerk: 303, supervisor: 303, analyst: 403, admin: 303 }),
  },
  {
    method: 'GET',
    route: '/desk/requests/:id',
    url: () => '/desk/requests/m-la',
    expect: staff({ clerk: 200, supervisor: 404, analyst: 200, admin: 200 }),
  },
  {
    method: 'GET',
    route: '/desk/requests/:id/notice',
    url: () => '/desk/requests/m-la/notice',
    expect: staff({ clerk: 200, supervisor: 404, analyst: 200, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/desk/requests/:id/events',
    url: () => '/desk/requests/m-la/events',
    body: () => ({ kind: 'notified', date: '2019-03-07' }),
    expect: staff({ clerk: 303, supervisor: 404, analyst: 403, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/desk/publish',
    url: () => '/desk/publish',
    body: () => ({ week: '2019-01-10' }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 303, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/desk/editions/:id/dispute',
    url: () => `/desk/editions/${e()}/dispute`,
    body: (who) => ({ row, reason: `disputed by ${who}` }),
    expect: staff({ clerk: 403, supervisor: 303, analyst: 403, admin: 303 }),
  },
  {
    // nothing in the ledger changed that edition: a correction is refused as such (400)
    method: 'POST',
    route: '/desk/editions/:id/correct',
    url: () => `/desk/editions/${e()}/correct`,
    body: () => ({ reason: 'a test' }),
    expect: staff({ clerk: 403, supervisor: 400, analyst: 403, admin: 400 }),
  },
  {
    method: 'POST',
    route: '/api/v1/requests',
    url: () => '/api/v1/requests',
    body: () => ({ request: { type: 'hold', date: '2019-03-06', authority: ['i-200'] } }),
    expect: staff({ clerk: 201, supervisor: 201, analyst: 403, admin: 201 }, 401),
  },
  {
    method: 'GET',
    route: '/api/v1/requests/:id',
    url: () => '/api/v1/requests/m-la',
    expect: staff({ clerk: 200, supervisor: 404, analyst: 200, admin: 200 }, 401),
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/events',
    url: () => '/api/v1/requests/m-la/events',
    body: () => ({ kind: 'released', date: '2019-03-08' }),
    expect: staff({ clerk: 201, supervisor: 404, analyst: 403, admin: 201 }, 401),
  },
  {
    method: 'GET',
    route: '/desk/imports',
    url: () => '/desk/imports',
    expect: staff({ clerk: 403, supervisor: 403, analyst: 200, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/desk/imports',
    url: () => '/desk/imports',
    raw: (_who, s) => upload(s),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 303, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/api/v1/imports',
    url: () => '/api/v1/imports?name=matrix.csv',
    raw: () => ({ type: 'text/csv', payload: IMPORT_CSV }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 202, admin: 202 }, 401),
  },
  {
    // the admin's job: an analyst may not read it, an admin may read any
    method: 'GET',
    route: '/api/v1/imports/:id',
    url: () => importJob,
    expect: staff({ clerk: 403, supervisor: 403, analyst: 404, admin: 200 }, 401),
  },
  {
    method: 'GET',
    route: '/desk/imports/:id',
    url: () => importJob.replace('/api/v1/', '/desk/'),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 404, admin: 200 }),
  },
  {
    method: 'GET',
    route: '/admin/users',
    url: () => '/admin/users',
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/admin/users',
    url: () => '/admin/users',
    body: () => ({ name: `m-user-${++n}`, role: 'analyst', agency: '', password: 'a long test password' }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    method: 'GET',
    route: '/admin/users/:name',
    url: () => `/admin/users/${MO}`,
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/admin/users/:name/role',
    url: () => `/admin/users/${MO}/role`,
    body: () => ({ role: 'analyst', agency: '' }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/admin/users/:name/disable',
    url: () => `/admin/users/${MO}/disable`,
    body: () => ({}),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/admin/users/:name/enable',
    url: () => `/admin/users/${MO}/enable`,
    body: () => ({}),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    method: 'POST',
    route: '/admin/users/:name/password',
    url: () => `/admin/users/${MO}/password`,
    body: () => ({ password: 'another long password' }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    // the token is shown once, on the answer itself
    method: 'POST',
    route: '/admin/users/:name/tokens',
    url: () => `/admin/users/${MO}/tokens`,
    body: () => ({ label: 'matrix' }),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/admin/users/:name/tokens/:id/revoke',
    url: () => `/admin/users/${MO}/tokens/${moToken}/revoke`,
    body: () => ({}),
    expect: staff({ clerk: 403, supervisor: 403, analyst: 403, admin: 303 }),
  },
  {
    method: 'GET',
    route: '/account',
    url: () => '/account',
    expect: staff({ clerk: 200, supervisor: 200, analyst: 200, admin: 200 }),
  },
  {
    // a wrong current password: refused as such, nothing changed
    method: 'POST',
    route: '/account/password',
    url: () => '/account/password',
    body: () => ({
      current: 'not the password',
      password: 'a new long password',
      again: 'a new long password',
    }),
    expect: staff({ clerk: 400, supervisor: 400, analyst: 400, admin: 400 }),
  },
  // these end each session (the second logs in anew)
  {
    method: 'POST',
    route: '/account/sign-out-everywhere',
    url: () => '/account/sign-out-everywhere',
    body: () => ({}),
    expect: staff({ clerk: 303, supervisor: 303, analyst: 303, admin: 303 }),
  },
  {
    fresh: true,
    method: 'POST',
    route: '/logout',
    url: () => '/logout',
    body: () => ({}),
    expect: staff({ clerk: 303, supervisor: 303, analyst: 303, admin: 303 }),
  },
];

/** Wait until the matrix's import has ended (its job says `done` or `failed`). */
async function importEnded(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const r = await t.app.inject({ url: importJob, headers: { authorization: `Bearer ${tokens.admin}` } });
    const state = r.statusCode === 200 ? (r.json() as { state?: string }).state : 'none';
    if (state !== 'queued' && state !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every method and route Fastify has, read from its route tree (HEAD and static files aside). */
function registeredRoutes(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const seg = m[2]!;
    stack.length = depth;
    const path = depth === 0 ? seg : stack[depth - 1]! + seg;
    stack[depth] = path;
    if (seg === '*') continue;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    tokens = await addTestUsers(t.store);
    for (const r of ['clerk', 'supervisor', 'analyst', 'admin'] as Role[])
      sessions[r] = await session(t.app, USERS[r].name);
    await addUser(t.store, { name: MO, role: 'analyst', agencyId: null, password: 'a long test password' });
    moToken = tokenId(await mintToken(t.store, MO, 'matrix'));
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { id: 'm-la', request: { type: 'hold', date: '2019-03-06', authority: ['i-200'] } },
    });
    if (made.statusCode !== 201) throw new Error(made.body);
    // an edition of a week none of the matrix's requests fall in: correcting it has nothing to do
    const pub = await t.app.inject({
      method: 'POST',
      url: '/desk/publish',
      headers: FORM,
      cookies: { dl_session: sessions.analyst.cookie },
      payload: form({ week: '2019-01-10', _csrf: sessions.analyst.csrf }),
    });
    edition = decodeURIComponent(String(pub.headers.location).split('/').pop() ?? '');
    row = [...reportRows(await readEdition(t.store, edition)).keys()].find((k) => k.startsWith('IV:'))!;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('route × role access', () => {
    it('covers every route the server has', () => {
      expect(CASES.map((c) => `${c.method} ${c.route}`).sort()).toEqual(registeredRoutes());
    });

    for (const c of CASES)
      it(`${c.method} ${c.route}`, async () => {
        const got: Record<string, Expect> = {};
        // on SQLite the admin's background import holds the one writer while it runs, and a log-in
        // writes: let it end first
        if (c.fresh) await importEnded();
        for (const who of WHO) {
          if (c.fresh && who !== 'anonymous') sessions[who] = await session(t.app, USERS[who].name);
          const api = c.route.startsWith('/api/');
          const s = who === 'anonymous' ? undefined : sessions[who];
          const headers: Record<string, string> = {};
          if (who !== 'anonymous' && api) headers.authorization = `Bearer ${tokens[who]}`;
          let payload: string | Record<string, unknown> | undefined;
          if (c.raw) {
            const raw = c.raw(who, s);
            headers['content-type'] = raw.type;
            payload = raw.payload;
          } else if (c.body) {
            const body = c.body(who);
            if (api) payload = body;
            else {
              headers['content-type'] = FORM['content-type'];
              payload = form({
                ...(body as Record<string, string>),
                ...(s && c.route !== '/login' ? { _csrf: s.csrf } : {}),
              });
            }
          }
          const r = await t.app.inject({
            method: c.method,
            url: c.url(),
            headers,
            cookies: s && !api ? { dl_session: s.cookie } : {},
            ...(payload !== undefined ? { payload } : {}),
          });
          if (c.route === '/api/v1/imports' && who === 'admin') importJob = String(r.headers.location);
          got[who] =
            r.statusCode === 303 && String(r.headers.location).startsWith('/login') ? 'login' : r.statusCode;
        }
        expect(got).toEqual(c.expect);
      });
  });
});
