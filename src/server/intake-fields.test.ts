/**
 * Intake collects only what the law in force for the user's agency allows: the desk offers
 * citizenship and proof of lawful status where no clause forbids collecting them, says why where
 * one does, and the API refuses a forbidden field naming the field and the clause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { addUser, mintToken } from './auth/accounts.ts';
import { FORM, PASSWORD, form, session, type Session } from './test-accounts.ts';
import { testServer, type TestServer } from './test-server.ts';

const OR_SHERIFF = 'ocd-division/country:us/state:or/county:multnomah/agency:sheriff';
const TX_SHERIFF = 'ocd-division/country:us/state:tx/county:harris/agency:sheriff';
const OR_CLAUSE = 'or-ors-181a.823#1b-no-status-inquiry';

let t: TestServer;
const tokens: Record<string, string> = {};
const sessions: Record<string, Session> = {};

eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    for (const [name, agencyId] of [
      ['olga', OR_SHERIFF],
      ['tex', TX_SHERIFF],
    ] as const) {
      await addUser(t.store, { name, role: 'clerk', agencyId, password: PASSWORD });
      tokens[name] = await mintToken(t.store, name, 'test');
      sessions[name] = await session(t.app, name);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const desk = (name: string) =>
    t.app.inject({ url: '/desk', cookies: { dl_session: sessions[name]!.cookie } });
  const postDesk = (name: string, values: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/desk/requests',
      headers: FORM,
      cookies: { dl_session: sessions[name]!.cookie },
      payload: form({ _csrf: sessions[name]!.csrf, type: 'hold', date: '2024-05-01', ...values }),
    });
  const api = (name: string, body: object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: { authorization: `Bearer ${tokens[name]}` },
      payload: body,
    });
  const hold = { type: 'hold', date: '2024-05-01', authority: ['i-200'] };

  describe('the desk intake form', () => {
    it('for an Oregon sheriff does not ask citizenship or proof of status, and says why with the citation', async () => {
      const r = await desk('olga');
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain('name="citizenship"');
      expect(r.body).not.toContain('name="proofOfLawfulStatus"');
      expect(r.body).toContain(`data-clause="${OR_CLAUSE}"`);
      expect(r.body).toMatch(
        /Not asked \(country of citizenship, proof of lawful status\): A public body may not ask/,
      );
      expect(r.body).toContain('(ORS 181A.823(1)(b); medium confidence)');
      // the facts the decision needs are still asked
      expect(r.body).toContain('name="priorRemoval"');
      expect(r.body).toContain('name="conviction1Code"');
    });

    it('for a Texas sheriff offers both, with no note', async () => {
      const r = await desk('tex');
      expect(r.body).toContain('name="citizenship"');
      expect(r.body).toContain('name="proofOfLawfulStatus"');
      expect(r.body).not.toContain('Not asked');
    });

    it('stores the citizenship a Texas clerk gives, as ICE writes it, and shows it on the request', async () => {
      const r = await postDesk('tex', {
        id: 'tx-desk-1',
        citizenship: '  Guatemala ',
        proofOfLawfulStatus: '1',
      });
      expect(r.statusCode).toBe(303);
      const row = await t.store.db
        .selectFrom('requests_v')
        .select(['citizenship', 'agency_id'])
        .where('id', '=', 'tx-desk-1')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ citizenship: 'GUATEMALA', agency_id: TX_SHERIFF });
      const page = await t.app.inject({
        url: '/desk/requests/tx-desk-1',
        cookies: { dl_session: sessions.tex!.cookie },
      });
      expect(page.body).toContain('<span id="citizenship">GUATEMALA</span>');
      // the proof was stored with the decision request, for the Texas exception to turn on
      const decided = await t.store.db
        .selectFrom('events_v')
        .select('data')
        .where('request_id', '=', 'tx-desk-1')
        .where('kind', '=', 'decided')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(decided.data).request.subject).toEqual({ proofOfLawfulStatus: true });
    });

    it('refuses a citizenship posted for an Oregon sheriff anyway, naming the clause, and stores nothing', async () => {
      const r = await postDesk('olga', { id: 'or-desk-1', citizenship: 'Mexico' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain(OR_CLAUSE);
      const row = await t.store.db
        .selectFrom('requests_v')
        .select('id')
        .where('id', '=', 'or-desk-1')
        .executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('records an Oregon request without the status fields', async () => {
      const r = await postDesk('olga', { id: 'or-desk-2', authority: 'i-200' });
      expect(r.statusCode).toBe(303);
      const row = await t.store.db
        .selectFrom('requests_v')
        .select('citizenship')
        .where('id', '=', 'or-desk-2')
        .executeTakeFirstOrThrow();
      expect(row.citizenship).toBeNull();
    });
  });

  describe('the law library page', () => {
    it('shows what a clause forbids intake to collect, with the reading’s confidence and note', async () => {
      const r = await t.app.inject({ url: '/law/or-ors-181a.823' });
      expect(r.statusCode).toBe(200);
      const row = r.body.slice(r.body.indexOf('id="2021-07-19-1b-no-status-inquiry"'));
      expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
        /intake may not collect:\s+citizenship, subject\.proofOfLawfulStatus \(<span class="confidence-medium">medium confidence<\/span>\)/,
      );
      const ca = await t.app.inject({ url: '/law/ca-values-act' });
      const a1a = ca.body.slice(ca.body.indexOf('id="2018-01-01-a1a-no-status-inquiry"'));
      expect(a1a.slice(0, a1a.indexOf('</tr>'))).toContain('intake only');
    });
  });

  describe('POST /api/v1/requests', () => {
    it('refuses citizenship for an Oregon sheriff with a 400 problem naming the field and the clause', async () => {
      const r = await api('olga', { id: 'or-api-1', citizenship: 'MEXICO', request: hold });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      const p = r.json();
      expect(p).toMatchObject({
        code: 'request.forbidden-field',
        field: 'citizenship',
        value: 'MEXICO',
        clause: OR_CLAUSE,
      });
      expect(p.detail).toContain('ORS 181A.823(1)(b)');
      expect(p.detail).toContain(OR_CLAUSE);
      const row = await t.store.db
        .selectFrom('requests_v')
        .select('id')
        .where('id', '=', 'or-api-1')
        .executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('refuses a forbidden subject fact the same way, even when false', async () => {
      const r = await api('olga', { request: { ...hold, subject: { proofOfLawfulStatus: false } } });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ field: 'subject.proofOfLawfulStatus', clause: OR_CLAUSE });
    });

    it('stores the citizenship a Texas sheriff gives and returns it with the request', async () => {
      const r = await api('tex', { id: 'tx-api-1', citizenship: 'Honduras', request: hold });
      expect(r.statusCode).toBe(201);
      const back = await t.app.inject({
        url: '/api/v1/requests/tx-api-1',
        headers: { authorization: `Bearer ${tokens.tex}` },
      });
      expect(back.json()).toMatchObject({ id: 'tx-api-1', citizenship: 'HONDURAS' });
    });

    it('checks the citizenship it stores', async () => {
      const r = await api('tex', { citizenship: '<b>', request: hold });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'request.bad-value', field: 'citizenship' });
    });

    it('a machine client reads the limits with the profile of its agency', async () => {
      const profile = (id: string, date: string) =>
        t.app.inject({ url: `/api/v1/jurisdictions/${encodeURIComponent(id)}/profile?date=${date}` });
      const or = (await profile(OR_SHERIFF, '2024-05-01')).json();
      expect(
        or.collectionLimits.map((l: { field: string; clause: string }) => `${l.field} ${l.clause}`),
      ).toEqual([`citizenship ${OR_CLAUSE}`, `subject.proofOfLawfulStatus ${OR_CLAUSE}`]);
      expect(or.collectionLimits[0]).toMatchObject({ citation: 'ORS 181A.823(1)(b)', confidence: 'medium' });
      expect((await profile(OR_SHERIFF, '2021-07-18')).json().collectionLimits).toEqual([]);
      expect((await profile(TX_SHERIFF, '2024-05-01')).json().collectionLimits).toEqual([]);
    });

    it('documents the field in the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/v1/openapi.json')).json();
      const body = doc.paths['/api/v1/requests'].post.requestBody.content['application/json'].schema;
      expect(body.properties.citizenship.description).toContain('request.forbidden-field');
    });
  });
});
