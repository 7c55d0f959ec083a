/**
 * Accounts, sessions, CSRF, rate limiting, API tokens and the audit log, driven through the
 * server with `inject`; and the desk's path from intake to a published edition's decline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { hashPassword, verifyPassword } from './auth/password.ts';
import { auditEntries } from './auth/audit.ts';
import {
  FORM,
  LA_SHERIFF,
  PASSWORD,
  USERS,
  addTestUsers,
  form,
  formPoster,
  login,
  session,
} from './test-accounts.ts';
import { HOSTILE_AGENCY_ID, testServer, type TestServer } from './test-server.ts';
import type { Role } from './auth/roles.ts';

let t: TestServer;
let tokens: Record<Role, string>;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({
      fresh,
      server: { loginLimits: { perUser: 3, perAddress: 50 }, secureCookies: true },
    });
    tokens = await addTestUsers(t.store);
  });
  afterAll(async () => {
    await t.close();
  });

  const bearer = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });
  const HOLD = { type: 'hold', date: '2019-03-06', authority: ['i-200'] };

  describe('passwords', () => {
    it('are salted scrypt hashes checked against the right password only', async () => {
      const a = await hashPassword('the same password');
      const b = await hashPassword('the same password');
      expect(a).toMatch(/^scrypt\$/);
      expect(a).not.toBe(b);
      await expect(verifyPassword('the same password', a)).resolves.toBe(true);
      await expect(verifyPassword('the same passworD', a)).resolves.toBe(false);
    });

    it('are never stored in the clear, nor are sessions or tokens', async () => {
      const users = await t.store.db.selectFrom('users').select('password_hash').execute();
      expect(users.every((u) => !u.password_hash.includes(PASSWORD))).toBe(true);
      const stored = await t.store.db.selectFrom('api_tokens').select('token_hash').execute();
      expect(stored.map((s) => s.token_hash)).not.toContain(tokens.clerk);
    });
  });

  describe('log-in and sessions', () => {
    it('sets an httpOnly, SameSite, Secure session cookie and sends the user to the desk', async () => {
      const r = await login(t.app, USERS.clerk.name);
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/desk');
      const c = r.cookies.find((x) => x.name === 'dl_session')!;
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Lax');
      expect(c.secure).toBe(true);
    });

    it('issues a new session id at log-in: a planted id is never promoted (no fixation)', async () => {
      const planted = 'planted-by-an-attacker';
      const r = await login(t.app, USERS.clerk.name, PASSWORD, { dl_session: planted });
      const issued = r.cookies.find((x) => x.name === 'dl_session')!.value;
      expect(issued).not.toBe(planted);
      expect((await t.app.inject({ url: '/desk', cookies: { dl_session: planted } })).statusCode).toBe(303);
      expect((await t.app.inject({ url: '/desk', cookies: { dl_session: issued } })).statusCode).toBe(200);
      // logging in again from a live session ends that session
      const again = await login(t.app, USERS.clerk.name, PASSWORD, { dl_session: issued });
      const next = again.cookies.find((x) => x.name === 'dl_session')!.value;
      expect(next).not.toBe(issued);
      expect((await t.app.inject({ url: '/desk', cookies: { dl_session: issued } })).statusCode).toBe(303);
    });

    it('refuses a wrong password and an unknown user alike, and a log-in form from elsewhere', async () => {
      expect((await login(t.app, USERS.analyst.name, 'not the password at all')).statusCode).toBe(401);
      expect((await login(t.app, 'nobody-here', PASSWORD)).statusCode).toBe(401);
      const r = await t.app.inject({
        method: 'POST',
        url: '/login',
        headers: FORM,
        payload: form({ name: USERS.analyst.name, password: PASSWORD }),
      });
      expect(r.statusCode).toBe(403);
    });

    it('never redirects elsewhere after log-in', async () => {
      const page = await t.app.inject({ url: '/login?next=//evil.example/x' });
      expect(page.body).toContain('name="next" value="/desk"');
    });

    it('logs out: the session no longer opens the desk', async () => {
      const s = await session(t.app, USERS.analyst.name);
      const r = await t.app.inject({
        method: 'POST',
        url: '/logout',
        headers: FORM,
        cookies: { dl_session: s.cookie },
        payload: form({ _csrf: s.csrf }),
      });
      expect(r.statusCode).toBe(303);
      expect((await t.app.inject({ url: '/desk', cookies: { dl_session: s.cookie } })).statusCode).toBe(303);
    });
  });

  describe('login rate limiting', () => {
    it('refuses a name after repeated failures from one address, even with the right password', async () => {
      const name = USERS.supervisor.name;
      for (let i = 0; i < 3; i++)
        expect((await login(t.app, name, `wrong password ${i}`)).statusCode).toBe(401);
      const limited = await login(t.app, name);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.cookies.find((c) => c.name === 'dl_session')).toBeUndefined();
      // another user from the same address is not locked out by it
      expect((await login(t.app, USERS.admin.name)).statusCode).toBe(303);
      const audit = await auditEntries(t.store, { user: name });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['login-failed', 'login-limited']));
    });
  });

  describe('CSRF', () => {
    const intake = (s: { cookie: string }, extra: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/desk/requests',
        headers: FORM,
        cookies: { dl_session: s.cookie },
        payload: form({ ...HOLD, ...extra }),
      });

    it('refuses a form without the token or with a wrong one, and stores nothing', async () => {
      const s = await session(t.app, USERS.clerk.name);
      const before = await t.store.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect((await intake(s, { id: 'csrf-none' })).statusCode).toBe(403);
      expect((await intake(s, { id: 'csrf-wrong', _csrf: 'x'.repeat(s.csrf.length) })).statusCode).toBe(403);
      const after = await t.store.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect(Number(after!.n)).toBe(Number(before!.n));
      const ok = await intake(s, { id: 'csrf-right', _csrf: s.csrf });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe('/desk/requests/csrf-right');
    });

    it('asks a JSON call made with a session cookie for the token in a header', async () => {
      const s = await session(t.app, USERS.clerk.name);
      const call = (headers: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/requests',
          cookies: { dl_session: s.cookie },
          headers,
          payload: { request: HOLD },
        });
      expect((await call({})).statusCode).toBe(403);
      expect((await call({ 'x-csrf-token': s.csrf })).statusCode).toBe(201);
    });
  });

  describe('API with tokens', () => {
    it('records a request for the clerk’s agency, decides it, appends events, reads it back', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: bearer('clerk'),
        payload: { id: 'api-1', request: HOLD },
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        id: 'api-1',
        agency: LA_SHERIFF,
        decision: { decision: 'forbidden' },
      });
      const e = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/api-1/events',
        headers: bearer('clerk'),
        payload: { kind: 'declined', date: '2019-03-06', key: 'api-1-declined' },
      });
      expect(e.statusCode).toBe(201);
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/api-1/events',
        headers: bearer('clerk'),
        payload: { kind: 'declined', date: '2019-03-06', key: 'api-1-declined' },
      });
      expect(again.json()).toMatchObject({ created: false });
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/api-1/events',
        headers: bearer('clerk'),
        payload: { kind: 'released', date: '2019-03-07' },
      });
      const got = (await t.app.inject({ url: '/api/v1/requests/api-1', headers: bearer('clerk') })).json();
      expect(got.outcome).toBe('declined-released-without-notice');
      expect(got.events.map((x: { kind: string }) => x.kind)).toEqual(['decided', 'declined', 'released']);
    });

    it('answers problems naming the field: bad kind, unknown field, bad request, duplicate id', async () => {
      const kind = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/api-1/events',
        headers: bearer('clerk'),
        payload: { kind: 'vanished' },
      });
      expect(kind.statusCode).toBe(400);
      expect(kind.headers['content-type']).toContain('application/problem+json');
      expect(kind.json().field).toBe('kind');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: bearer('clerk'),
        payload: { request: { ...HOLD, date: '2019-02-30' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('date');
      const dup = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: bearer('clerk'),
        payload: { id: 'api-1', request: HOLD },
      });
      expect(dup.statusCode).toBe(409);
      const transfer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/api-1/events',
        headers: bearer('clerk'),
        payload: { kind: 'transferred', facility: '<script>x</script>' },
      });
      expect(transfer.statusCode).toBe(400);
      expect(transfer.json().field).toBe('facility');
    });

    it('keeps a clerk to their own agency and refuses a wrong token', async () => {
      const other = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: bearer('clerk'),
        payload: { agency: HOSTILE_AGENCY_ID, request: HOLD },
      });
      expect(other.statusCode).toBe(403);
      const read = await t.app.inject({ url: '/api/v1/requests/api-1', headers: bearer('supervisor') });
      expect(read.statusCode).toBe(404);
      const wrong = await t.app.inject({
        url: '/api/v1/requests/api-1',
        headers: { authorization: 'Bearer dl_nope' },
      });
      expect(wrong.statusCode).toBe(401);
      expect((await t.app.inject({ url: '/api/v1/requests/api-1' })).statusCode).toBe(401);
    });
  });

  describe('the desk and the audit log', () => {
    it('takes a request, decides it, offers the notice, records the decline, and the edition shows it', async () => {
      const s = await session(t.app, USERS.admin.name);
      const cookies = { dl_session: s.cookie };
      const post = formPoster(t.app, s);
      const r = await post('/desk/requests', { ...HOLD, type: 'notify', id: 'desk-1', agency: LA_SHERIFF });
      expect(r.statusCode).toBe(303);
      const page = await t.app.inject({ url: '/desk/requests/desk-1', cookies });
      expect(page.body).toContain('Cal. Gov. Code §7283.1(b)');
      expect(page.body).toContain('/desk/requests/desk-1/notice');
      const notice = await t.app.inject({ url: '/desk/requests/desk-1/notice', cookies });
      expect(notice.statusCode).toBe(200);
      expect(notice.body).toContain('Give the person a copy of the request.');
      expect(
        (await post('/desk/requests/desk-1/events', { kind: 'declined', date: '2019-03-07' })).statusCode,
      ).toBe(303);
      const pub = await post('/desk/publish', { week: '2019-03-07' });
      expect(pub.statusCode).toBe(303);
      const edition = await t.app.inject({ url: pub.headers.location as string });
      expect(edition.statusCode).toBe(200);
      expect(edition.body).toContain('desk-1');
      const id = decodeURIComponent(String(pub.headers.location).split('/').pop()!);
      const csv = await t.app.inject({ url: `/api/v1/editions/${id}/sections/section-2.csv` });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toContain('desk-1');
      const report = await t.app.inject({ url: `/editions/${encodeURIComponent(id)}/report.html` });
      expect(report.headers['content-security-policy']).toContain("script-src 'none'");
      // the home page shows the latest edition's figures and trend; the county map is an image of its own
      const home = await t.app.inject({ url: '/' });
      expect(home.body).toContain('Declines counted');
      expect(home.body).toContain(encodeURIComponent(id));
      expect(home.rawPayload.length).toBeLessThan(150 * 1024);
      const map = await t.app.inject({ url: `/editions/${encodeURIComponent(id)}/map.svg` });
      expect(map.headers['content-type']).toContain('image/svg+xml');
      expect(map.body).toMatch(/^<svg/);
      const list = (await t.app.inject({ url: '/api/v1/editions' })).json();
      expect(list.map((e: { id: string }) => e.id)).toContain(id);
    });

    it('an edition page already shown shows a later dispute, and the correction that supersedes it', async () => {
      const s = await session(t.app, USERS.admin.name);
      const post = formPoster(t.app, s);
      const id = (await t.app.inject({ url: '/api/v1/editions' }))
        .json()
        .find((e: { from: string; to: string }) => e.from <= '2019-03-07' && e.to >= '2019-03-07')
        .id as string;
      const url = `/editions/${encodeURIComponent(id)}`;
      const before = await t.app.inject({ url });
      expect(before.body).toContain('desk-1');
      expect(before.body).not.toContain('This edition was corrected by');
      expect(
        (
          await post(`/desk/editions/${encodeURIComponent(id)}/dispute`, {
            row: 'II:desk-1',
            reason: 'never held here',
          })
        ).statusCode,
      ).toBe(303);
      expect((await t.app.inject({ url })).body).toContain('never held here');
      // the agency records that ICE took custody after all: the row's outcome changes
      const fix = await post('/desk/requests/desk-1/events', { kind: 'ice-custody', date: '2019-03-08' });
      expect(fix.statusCode, fix.body).toBe(303);
      const c = await post(`/desk/editions/${encodeURIComponent(id)}/correct`, {
        reason: 'ICE took custody after all',
      });
      expect(c.statusCode).toBe(303);
      const after = await t.app.inject({ url });
      expect(after.body).toContain('This edition was corrected by');
      expect(after.body).toContain(String(c.headers.location));
      // the correction's own page carries the notice; the old page does not
      const corrected = await t.app.inject({ url: String(c.headers.location) });
      expect(corrected.body).toContain('<h2>Correction</h2>');
      expect(corrected.body).toContain(
        'II:desk-1: outcome declined-outcome-unknown → declined-ice-notified-took-custody',
      );
      expect(corrected.body).toContain(`corrects <a href="/editions/${encodeURIComponent(id)}">`);
      expect(after.body).not.toContain('<h2>Correction</h2>');
    });

    it('audits every staff action with who, what, when and where, and shows it to admins only', async () => {
      const entries = await auditEntries(t.store, { limit: 1000 });
      const actions = new Set(entries.map((e) => e.action));
      for (const a of [
        'login',
        'logout',
        'login-failed',
        'request.record',
        'event.record',
        'notice.print',
        'edition.publish',
      ])
        expect(actions).toContain(a);
      const rec = entries.find((e) => e.action === 'request.record' && e.target === 'desk-1')!;
      expect(rec).toMatchObject({ user: USERS.admin.name, ip: '127.0.0.1' });
      expect(rec.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const admin = await session(t.app, USERS.admin.name);
      const page = await t.app.inject({ url: '/admin/audit', cookies: { dl_session: admin.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('request.record');
      const clerk = await session(t.app, USERS.clerk.name);
      expect(
        (await t.app.inject({ url: '/admin/audit', cookies: { dl_session: clerk.cookie } })).statusCode,
      ).toBe(403);
    });

    it('shows whatever staff type as text: markup in a reason or a facility name is escaped, a hostile id refused', async () => {
      const s = await session(t.app, USERS.admin.name);
      const cookies = { dl_session: s.cookie };
      const post = formPoster(t.app, s);
      const bad = await post('/desk/requests', {
        ...HOLD,
        id: '<img src=x onerror=alert(1)>',
        agency: LA_SHERIFF,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).not.toContain('<img src=x');
      expect(bad.body).toContain('&lt;img src=x');
      await post('/desk/requests', { ...HOLD, id: 'inject-1', agency: LA_SHERIFF });
      const facility = `${HOSTILE_AGENCY_ID}/facility:annex`;
      const ev = await post('/desk/requests/inject-1/events', {
        kind: 'transferred',
        facility,
        reason: '<script>alert("reason")</script>',
      });
      expect(ev.statusCode).toBe(303);
      const page = await t.app.inject({ url: '/desk/requests/inject-1', cookies });
      expect(page.body).not.toMatch(/<script>alert/);
      expect(page.body).toContain('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt;');
      expect(page.body).toContain(facility);
    });

    it('lets the agency that received custody in a transfer read the request and record what happened next', async () => {
      // inject-1 was transferred to a facility of the supervisor's agency in the test before
      const read = await t.app.inject({ url: '/api/v1/requests/inject-1', headers: bearer('supervisor') });
      expect(read.statusCode).toBe(200);
      expect(read.json().owners).toEqual([LA_SHERIFF, HOSTILE_AGENCY_ID]);
      const released = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests/inject-1/events',
        headers: bearer('supervisor'),
        payload: { kind: 'released', date: '2019-03-09' },
      });
      expect(released.statusCode).toBe(201);
      const after = (
        await t.app.inject({ url: '/api/v1/requests/inject-1', headers: bearer('clerk') })
      ).json();
      // the receiving facility owns the outcome: released there, after the transfer
      expect(after.outcome).toBe('released-without-decline');
      expect(after.custodyChain.at(-1)).toBe(`${HOSTILE_AGENCY_ID}/facility:annex`);
      expect(after.events.at(-1)).toMatchObject({ kind: 'released', user: USERS.supervisor.name });
    });
  });
});
