/**
 * Imports from the desk (a multipart form) and the API (the file as the body): a good file loads,
 * a file with bad rows is rejected whole with every bad row named and the store unchanged, the
 * same file again adds nothing; only analysts and admins may import, a session needs its CSRF
 * token, a file over the limit is refused with 413; every import is audited.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerStats } from '../ledger/queries.ts';
import { eachStore } from '../ledger/test-stores.ts';
import { auditEntries } from './auth/audit.ts';
import type { Role } from './auth/roles.ts';
import { USERS, addTestUsers, session, type Session } from './test-accounts.ts';
import { testServer, type TestServer } from './test-server.ts';

let t: TestServer;
let tokens: Record<Role, string>;
const sessions = {} as Record<Role, Session>;

const HEADER = 'request_id,type,issued_date,state,facility_name,facility_city,synthetic';
const GOOD = [
  HEADER,
  'up-1,hold,2019-04-01,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true',
  'up-2,notify,2019-04-02,TX,HARRIS COUNTY JAIL,HOUSTON,true',
].join('\n');
// row 3: a date that does not exist; row 4: an unknown request type
const BAD = [
  HEADER,
  'bad-1,hold,2019-04-03,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true',
  'bad-2,hold,2019-02-30,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true',
  'bad-3,kidnap,2019-04-04,TX,HARRIS COUNTY JAIL,HOUSTON,true',
].join('\n');

/** A multipart/form-data body as a browser sends it: the fields in order, then the file. */
function multipart(
  fields: [string, string][],
  file?: { name: string; content: string | Buffer },
  after = false,
) {
  const boundary = '----dl-test-boundary-7f3a';
  const chunks: Buffer[] = [];
  const field = ([k, v]: [string, string]) =>
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (!after) fields.forEach(field);
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  if (after) fields.forEach(field);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(
  who: Role,
  file: { name: string; content: string | Buffer },
  opts: { csrf?: string | null; fields?: [string, string][]; after?: boolean; app?: TestServer } = {},
) {
  const s = sessions[who];
  const csrf = opts.csrf === undefined ? s.csrf : opts.csrf;
  const body = multipart(
    [...(csrf !== null ? [['_csrf', csrf] as [string, string]] : []), ...(opts.fields ?? [])],
    file,
    opts.after,
  );
  return (opts.app ?? t).app.inject({
    method: 'POST',
    url: '/desk/imports',
    headers: { 'content-type': body.contentType },
    cookies: { dl_session: s.cookie },
    payload: body.payload,
  });
}

/** The job's page, once the import has ended (the page stops reloading itself). */
async function finishedPage(who: Role, location: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const r = await t.app.inject({ url: location, cookies: { dl_session: sessions[who].cookie } });
    expect(r.statusCode).toBe(200);
    if (!r.body.includes('http-equiv="refresh"')) return r.body;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  throw new Error(`the import at ${location} did not end`);
}

async function finishedJob(location: string, token = tokens.admin) {
  for (let i = 0; i < 400; i++) {
    const r = await t.app.inject({ url: location, headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    const job = r.json();
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  throw new Error(`the import at ${location} did not end`);
}

const requestIds = async (prefix: string) =>
  (
    await t.store.db
      .selectFrom('requests_v')
      .select('id')
      .where('id', 'like', `${prefix}%`)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);

eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    tokens = await addTestUsers(t.store);
    for (const r of ['clerk', 'supervisor', 'analyst', 'admin'] as Role[])
      sessions[r] = await session(t.app, USERS[r].name);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('desk imports', () => {
    it('shows the form to analysts and admins, with its CSRF token before the file', async () => {
      for (const who of ['analyst', 'admin'] as Role[]) {
        const r = await t.app.inject({ url: '/desk/imports', cookies: { dl_session: sessions[who].cookie } });
        expect(r.statusCode).toBe(200);
        expect(r.body).toContain('enctype="multipart/form-data"');
        expect(r.body.indexOf('name="_csrf"')).toBeLessThan(r.body.indexOf('type="file"'));
      }
      const desk = await t.app.inject({ url: '/desk', cookies: { dl_session: sessions.analyst.cookie } });
      expect(desk.body).toContain('href="/desk/imports"');
    });

    it('imports a canonical CSV in the background, shows its summary, and audits it', async () => {
      const r = await upload('analyst', { name: 'good<b>.csv', content: GOOD });
      expect(r.statusCode).toBe(303);
      const location = String(r.headers.location);
      expect(location).toMatch(/^\/desk\/imports\/[0-9a-f-]{36}$/);
      const body = await finishedPage('analyst', location);
      expect(body).toContain('Imported');
      expect(body).toMatch(/id="loaded">2</);
      expect(body).toMatch(/id="duplicates">0</);
      // the file name is text, never markup
      expect(body).toContain('good&lt;b&gt;.csv');
      expect(body).not.toContain('good<b>');
      expect(await requestIds('up-')).toEqual(['up-1', 'up-2']);
      // provenance names the file as uploaded, not the temporary copy
      const source = await t.store.db
        .selectFrom('requests_v')
        .selectAll()
        .where('id', '=', 'up-1')
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(source)).toContain('good<b>.csv');
      expect(JSON.stringify(source)).not.toContain('dl-import-');
      const entry = (await auditEntries(t.store, { action: 'import', user: 'ana' }))[0];
      expect(entry?.detail).toMatchObject({ file: 'good<b>.csv', outcome: 'loaded', loaded: 2 });
      expect(entry?.target).toBe(location.split('/').pop());
      // the list of recent imports links to it
      const list = await t.app.inject({
        url: '/desk/imports',
        cookies: { dl_session: sessions.analyst.cookie },
      });
      expect(list.body).toContain(`href="${location}"`);
    });

    it('adds nothing when the same file comes again', async () => {
      const before = await ledgerStats(t.store);
      const r = await upload('admin', { name: 'good.csv', content: GOOD });
      const body = await finishedPage('admin', String(r.headers.location));
      expect(body).toMatch(/id="loaded">0</);
      expect(body).toMatch(/id="duplicates">2</);
      expect(await ledgerStats(t.store)).toEqual(before);
    });

    it('rejects a file with bad rows whole, names each bad row and column, and leaves the store as it was', async () => {
      const before = await ledgerStats(t.store);
      const r = await upload('analyst', { name: 'bad.csv', content: BAD });
      const body = await finishedPage('analyst', String(r.headers.location));
      expect(body).toContain('Rejected: nothing was written');
      const rows = [
        ...body.matchAll(/<tr>\s*<td>bad\.csv<\/td>\s*<td><\/td>\s*<td>(\d+)<\/td>\s*<td>([^<]*)<\/td>/g),
      ].map((m) => [m[1], m[2]]);
      expect(rows).toEqual([
        ['3', 'issued_date'],
        ['4', 'type'],
      ]);
      expect(await requestIds('bad-')).toEqual([]);
      expect(await ledgerStats(t.store)).toEqual(before);
      const entry = (await auditEntries(t.store, { action: 'import', user: 'ana' }))[0];
      expect(entry?.detail).toMatchObject({ file: 'bad.csv', outcome: 'rejected', loaded: 0, errors: 2 });
    });

    it('checks only, writing nothing, when asked for a dry run', async () => {
      const before = await ledgerStats(t.store);
      const content = GOOD.replace(/up-/g, 'dry-');
      const r = await upload('analyst', { name: 'dry.csv', content }, { fields: [['dryRun', '1']] });
      const body = await finishedPage('analyst', String(r.headers.location));
      expect(body).toContain('Checked (dry run)');
      expect(await requestIds('dry-')).toEqual([]);
      expect(await ledgerStats(t.store)).toEqual(before);
    });

    it('is refused to clerks and supervisors (403), and sends anonymous users to the log-in', async () => {
      for (const who of ['clerk', 'supervisor'] as Role[]) {
        const r = await upload(who, { name: 'clerk.csv', content: GOOD.replace(/up-/g, 'clerk-') });
        expect(r.statusCode).toBe(403);
        const page = await t.app.inject({
          url: '/desk/imports',
          cookies: { dl_session: sessions[who].cookie },
        });
        expect(page.statusCode).toBe(403);
      }
      const anon = await t.app.inject({ url: '/desk/imports' });
      expect(anon.statusCode).toBe(303);
      expect(String(anon.headers.location)).toMatch(/^\/login/);
      expect(await requestIds('clerk-')).toEqual([]);
    });

    it('refuses a form without its CSRF token, a wrong one, or one after the file (403), and starts nothing', async () => {
      const list = async () =>
        (
          await t.app.inject({ url: '/desk/imports', cookies: { dl_session: sessions.admin.cookie } })
        ).body.match(/<tr>/g)?.length ?? 0;
      const jobs = await list();
      const content = GOOD.replace(/up-/g, 'csrf-');
      for (const r of [
        await upload('admin', { name: 'csrf.csv', content }, { csrf: null }),
        await upload('admin', { name: 'csrf.csv', content }, { csrf: sessions.analyst.csrf }),
        await upload('admin', { name: 'csrf.csv', content }, { after: true }),
      ]) {
        expect(r.statusCode).toBe(403);
        expect(r.body).toContain('reload the page');
      }
      expect(await list()).toBe(jobs);
      expect(await requestIds('csrf-')).toEqual([]);
    });

    it('asks for a file when none was chosen', async () => {
      const r = await upload('admin', { name: '', content: '' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('Choose a file');
    });

    it('shows no one else’s import to an analyst, and no import that is not there', async () => {
      const r = await upload('admin', { name: 'admins.csv', content: GOOD });
      const location = String(r.headers.location);
      await finishedPage('admin', location);
      const other = await t.app.inject({ url: location, cookies: { dl_session: sessions.analyst.cookie } });
      expect(other.statusCode).toBe(404);
      const none = await t.app.inject({
        url: '/desk/imports/no-such-job',
        cookies: { dl_session: sessions.admin.cookie },
      });
      expect(none.statusCode).toBe(404);
      expect(none.body).toContain('lost when it restarts');
    });
  });

  describe('API imports', () => {
    const post = (
      body: string | Buffer,
      opts: {
        type?: string;
        name?: string;
        token?: string;
        headers?: Record<string, string>;
        cookie?: string;
      } = {},
    ) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/imports${opts.name !== undefined ? `?name=${encodeURIComponent(opts.name)}` : ''}`,
        headers: {
          'content-type': opts.type ?? 'text/csv',
          ...(opts.cookie ? {} : { authorization: `Bearer ${opts.token ?? tokens.analyst}` }),
          ...(opts.headers ?? {}),
        },
        ...(opts.cookie ? { cookies: { dl_session: opts.cookie } } : {}),
        payload: body,
      });

    it('takes the file as the body: 202 with the job’s address, which ends in the summary', async () => {
      const r = await post(GOOD.replace(/up-/g, 'api-'), { name: 'api.csv' });
      expect(r.statusCode).toBe(202);
      const { id, state, file } = r.json();
      expect(r.headers.location).toBe(`/api/v1/imports/${id}`);
      expect(state).toBe('queued');
      expect(file).toBe('api.csv');
      const job = await finishedJob(String(r.headers.location), tokens.analyst);
      expect(job).toMatchObject({ state: 'done', file: 'api.csv', user: 'ana' });
      expect(job.summary).toMatchObject({
        file: 'api.csv',
        status: 'loaded',
        loaded: 2,
        duplicates: 0,
        rejected: 0,
      });
      expect(await requestIds('api-')).toEqual(['api-1', 'api-2']);
    });

    it('reports a rejected file’s bad rows with row and column, and writes nothing', async () => {
      const before = await ledgerStats(t.store);
      const r = await post(BAD.replace(/bad-/g, 'apibad-'), { name: 'apibad.csv' });
      const job = await finishedJob(String(r.headers.location));
      expect(job.summary.status).toBe('rejected');
      expect(
        job.summary.errors.map((e: { file: string; row: number; column: string }) => [
          e.file,
          e.row,
          e.column,
        ]),
      ).toEqual([
        ['apibad.csv', 3, 'issued_date'],
        ['apibad.csv', 4, 'type'],
      ]);
      expect(await ledgerStats(t.store)).toEqual(before);
    });

    it('imports JSON Lines by their content type', async () => {
      const lines = [
        '{"request_id":"jl-1","type":"hold","issued_date":"2019-05-01","state":"CA","facility_name":"LOS ANGELES COUNTY JAIL","facility_city":"LOS ANGELES","synthetic":"true"}',
      ];
      const r = await post(lines.join('\n') + '\n', { type: 'application/x-ndjson' });
      expect(r.json().file).toBe('upload.jsonl');
      const job = await finishedJob(String(r.headers.location));
      expect(job.summary).toMatchObject({ status: 'loaded', loaded: 1 });
      expect(await requestIds('jl-')).toEqual(['jl-1']);
    });

    it('imports an ICE 287(g) sheet sent as XLSX, its date read from the name it is given', async () => {
      const r = await post(readFileSync('data/ice-287g/pendingAgencies07182025pm.xlsx'), {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        name: 'pendingAgencies07182025pm.xlsx',
      });
      expect(r.statusCode).toBe(202);
      const job = await finishedJob(String(r.headers.location));
      expect(job.summary).toMatchObject({ layout: 'ice-287g', status: 'loaded', rejected: 0 });
      expect(job.summary.loaded).toBeGreaterThan(0);
      const rows = await t.store.db
        .selectFrom('agreements_287g')
        .select('sheet_date')
        .where('sheet_date', '=', '2025-07-18')
        .execute();
      expect(rows.length).toBe(job.summary.loaded);
    });

    it('refuses clerks and supervisors (403) and anonymous callers (401), as problem documents', async () => {
      for (const who of ['clerk', 'supervisor'] as Role[]) {
        const r = await post(GOOD, { token: tokens[who] });
        expect(r.statusCode).toBe(403);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
      const anon = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: { 'content-type': 'text/csv' },
        payload: GOOD,
      });
      expect(anon.statusCode).toBe(401);
    });

    it('needs x-csrf-token with a session', async () => {
      const content = GOOD.replace(/up-/g, 'sess-');
      const without = await post(content, { cookie: sessions.analyst.cookie });
      expect(without.statusCode).toBe(403);
      expect(without.json().code).toBe('auth.csrf');
      expect(await requestIds('sess-')).toEqual([]);
      const withToken = await post(content, {
        cookie: sessions.analyst.cookie,
        headers: { 'x-csrf-token': sessions.analyst.csrf },
      });
      expect(withToken.statusCode).toBe(202);
      await finishedJob(String(withToken.headers.location));
      expect(await requestIds('sess-')).toEqual(['sess-1', 'sess-2']);
    });

    it('refuses other content types (415) and a name that contradicts the content type (400)', async () => {
      const json = await post('{}', { type: 'application/json' });
      expect(json.statusCode).toBe(415);
      expect(json.json().code).toBe('import.media-type');
      const mismatch = await post(GOOD, { name: 'requests.xlsx' });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json()).toMatchObject({ field: 'name', value: 'requests.xlsx' });
    });

    it('answers 404 for an import it does not have', async () => {
      const r = await t.app.inject({
        url: '/api/v1/imports/nope',
        headers: { authorization: `Bearer ${tokens.admin}` },
      });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('import.unknown');
    });

    it('documents both routes in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
      expect(Object.keys(doc.paths['/api/v1/imports'].post.requestBody.content)).toContain('text/csv');
      expect(doc.paths['/api/v1/imports/{id}'].get.responses['200']).toBeDefined();
    });
  });

  describe('the upload limit', () => {
    let small: TestServer;
    let s: Session;
    let token: string;
    beforeAll(async () => {
      small = await testServer({ fresh, server: { importLimit: 200 } });
      token = (await addTestUsers(small.store)).admin;
      s = await session(small.app, USERS.admin.name);
    });
    afterAll(async () => {
      await small?.close();
    });
    const big = [
      HEADER,
      ...Array.from(
        { length: 10 },
        (_, i) => `big-${i},hold,2019-04-01,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true`,
      ),
    ].join('\n');

    it('refuses a larger API body with a 413 problem, before reading it', async () => {
      const before = await ledgerStats(small.store);
      const r = await small.app.inject({
        method: 'POST',
        url: '/api/v1/imports?name=big.csv',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        payload: big,
      });
      expect(r.statusCode).toBe(413);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ status: 413, code: 'import.too-large' });
      expect(await ledgerStats(small.store)).toEqual(before);
      const entry = (await auditEntries(small.store, { action: 'import' }))[0];
      expect(entry).toMatchObject({
        user: 'ada',
        detail: { file: 'big.csv', outcome: 'refused', limit: 200 },
      });
    });

    it('refuses a larger upload from the desk with 413', async () => {
      const before = await ledgerStats(small.store);
      const body = multipart([['_csrf', s.csrf]], { name: 'big.csv', content: big });
      const r = await small.app.inject({
        method: 'POST',
        url: '/desk/imports',
        headers: { 'content-type': body.contentType },
        cookies: { dl_session: s.cookie },
        payload: body.payload,
      });
      expect(r.statusCode).toBe(413);
      expect(r.body).toContain('larger than this server takes');
      expect(await ledgerStats(small.store)).toEqual(before);
      const refused = await auditEntries(small.store, { action: 'import' });
      expect(refused.map((e) => e.detail.outcome)).toEqual(['refused', 'refused']);
    });

    it('takes a file within the limit', async () => {
      const r = await small.app.inject({
        method: 'POST',
        url: '/api/v1/imports?name=small.csv',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        payload: GOOD.split('\n').slice(0, 2).join('\n'),
      });
      expect(r.statusCode).toBe(202);
    });
  });
});
