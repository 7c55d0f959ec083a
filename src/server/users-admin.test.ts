/**
 * `/admin/users` and `/account` driven with `inject`: an admin adds a user who then logs in and
 * must choose a password; disabling refuses the log-in and stops sessions and tokens at once;
 * revoking a token, resetting a password and signing out everywhere end what they should; the
 * last active admin stays; only admins, only with the form's CSRF token; markup shown as text;
 * every action in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { auditEntries } from './auth/audit.ts';
import { countSessions, findUser, listTokens, mintToken } from './auth/accounts.ts';
import type { Role } from './auth/roles.ts';
import {
  FORM,
  LA_SHERIFF,
  USERS,
  addTestUsers,
  form,
  login,
  session,
  type Session,
} from './test-accounts.ts';
import { HOSTILE_AGENCY, HOSTILE_AGENCY_ID, testServer, type TestServer } from './test-server.ts';

let t: TestServer;
let tokens: Record<Role, string>;
let admin: Session;

eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    tokens = await addTestUsers(t.store);
    admin = await session(t.app, USERS.admin.name);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, values: Record<string, string>, s: Session | null = admin) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: FORM,
      cookies: s ? { dl_session: s.cookie } : {},
      payload: form({ ...values, ...(s && !('_csrf' in values) ? { _csrf: s.csrf } : {}) }),
    });
  const get = (url: string, s: Session = admin) => t.app.inject({ url, cookies: { dl_session: s.cookie } });
  /** log in and take the CSRF token from the account page (a new user lands there) */
  const logIn = async (name: string, password: string): Promise<Session | null> => {
    const r = await login(t.app, name, password);
    const cookie = r.cookies.find((c) => c.name === 'dl_session')?.value;
    if (!cookie) return null;
    const page = await t.app.inject({ url: '/account', cookies: { dl_session: cookie } });
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
  };
  const bearer = (token: string) =>
    t.app.inject({ url: '/api/v1/requests/none', headers: { authorization: `Bearer ${token}` } });
  const audited = async (action: string, target: string) =>
    (await auditEntries(t.store, { action })).filter((e) => e.target === target);

  describe('adding a user', () => {
    it('lists users with role, agency, status and token count; agencies shown as text', async () => {
      const r = await get('/admin/users');
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).toContain('href="/admin/users/clara"');
      expect(r.body).toContain('Los Angeles County Sheriff');
      // the agency choice holds a registry agency whose name carries markup: escaped
      expect(r.body).not.toContain(HOSTILE_AGENCY);
      expect(r.body).toContain('&lt;script&gt;alert(&quot;agency&quot;)&lt;/script&gt;');
    });

    it('adds a clerk with a typed one-time password, who logs in and must choose their own', async () => {
      const r = await post('/admin/users', {
        name: 'nora',
        role: 'clerk',
        agency: LA_SHERIFF,
        password: 'one-time password 1',
      });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/admin/users/nora');
      expect(await findUser(t.store, 'nora')).toMatchObject({
        role: 'clerk',
        agencyId: LA_SHERIFF,
        mustChangePassword: true,
      });
      const l = await login(t.app, 'nora', 'one-time password 1');
      expect(l.headers.location).toBe('/account');
      const nora = (await logIn('nora', 'one-time password 1'))!;
      // until the password is changed, the desk sends her to /account
      expect((await get('/desk', nora)).headers.location).toBe('/account');
      const bad = await post(
        '/account/password',
        { current: 'one-time password 1', password: 'nora own password', again: 'nora typo password' },
        nora,
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('differ');
      const ok = await post(
        '/account/password',
        { current: 'one-time password 1', password: 'nora own password', again: 'nora own password' },
        nora,
      );
      expect(ok.statusCode).toBe(303);
      expect((await get('/desk', nora)).statusCode).toBe(200);
      expect(await audited('user.add', 'nora')).toEqual([
        expect.objectContaining({ user: USERS.admin.name, ip: expect.any(String) as string }),
      ]);
      expect(await audited('user.password-change', 'nora')).toHaveLength(1);
    });

    it('makes a strong password when none is typed and shows it once', async () => {
      const r = await post('/admin/users', { name: 'otto', role: 'analyst', agency: '', password: '' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      const password = /<code>([A-Za-z0-9_-]{24})<\/code>/.exec(r.body)?.[1];
      expect(password).toBeDefined();
      expect(await logIn('otto', password!)).not.toBeNull();
      // the list never shows it again
      expect((await get('/admin/users')).body).not.toContain(password!);
      expect((await audited('user.add', 'otto'))[0]!.detail).toMatchObject({ password: 'generated' });
    });

    it('refuses what the CLI refuses, saying why, and stores nothing', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ name: 'pat', role: 'clerk', agency: '' }, /works for one agency/],
        [{ name: 'pat', role: 'clerk', agency: 'ocd-division/nowhere' }, /no agency `ocd-division\/nowhere`/],
        [{ name: 'pat', role: 'root', agency: '' }, /clerk, supervisor, analyst, admin/],
        [{ name: 'pat', role: 'analyst', agency: '', password: 'short' }, /at least 12 characters/],
      ];
      for (const [values, message] of cases) {
        const r = await post('/admin/users', { password: 'a long enough password', ...values });
        expect(r.statusCode, JSON.stringify(values)).toBe(400);
        expect(r.body).toMatch(message);
      }
      expect(
        (await post('/admin/users', { name: 'clara', role: 'analyst', agency: '', password: 'x'.repeat(12) }))
          .statusCode,
      ).toBe(409);
      expect(await findUser(t.store, 'pat')).toBeUndefined();
    });

    it('shows markup in a user name as text: the refusal and a stored name alike', async () => {
      const r = await post('/admin/users', {
        name: '<script>alert(1)</script>',
        role: 'analyst',
        agency: '',
        password: 'a long enough password',
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).not.toContain('<script>alert(1)</script>');
      expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // a name stored by an older version or by hand, not through addUser
      await t.store.db
        .insertInto('users')
        .values({
          name: '<img src=x onerror=alert(2)>',
          role: 'analyst',
          agency_id: null,
          password_hash: 'none',
          created_at: new Date().toISOString(),
          disabled: 0,
          disabled_at: null,
          last_login_at: null,
          must_change_password: 0,
        })
        .execute();
      const list = await get('/admin/users');
      expect(list.body).not.toContain('<img src=x');
      expect(list.body).toContain('&lt;img src=x onerror=alert(2)&gt;');
      expect(list.body).toContain(
        `href="/admin/users/${encodeURIComponent('<img src=x onerror=alert(2)>')}"`,
      );
      const detail = await get(`/admin/users/${encodeURIComponent('<img src=x onerror=alert(2)>')}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).not.toContain('<img src=x');
    });
  });

  describe('disabling, tokens, passwords', () => {
    it('a disabled user cannot log in; their session and token get 401 at once; enabling lets them in', async () => {
      const clerk = await session(t.app, USERS.clerk.name);
      expect((await bearer(tokens.clerk)).statusCode).toBe(404);
      const r = await post(`/admin/users/${USERS.clerk.name}/disable`, {});
      expect(r.statusCode).toBe(303);
      expect((await login(t.app, USERS.clerk.name)).statusCode).toBe(401);
      // the session is gone: a page sends to the log-in, the API answers 401
      expect((await get('/desk', clerk)).headers.location).toMatch(/^\/login/);
      const api = await t.app.inject({ url: '/api/v1/requests/none', cookies: { dl_session: clerk.cookie } });
      expect(api.statusCode).toBe(401);
      expect((await bearer(tokens.clerk)).statusCode).toBe(401);
      expect((await get('/admin/users')).body).toMatch(/clara<\/a>[\s\S]*?<strong>disabled<\/strong>/);
      expect((await post(`/admin/users/${USERS.clerk.name}/enable`, {})).statusCode).toBe(303);
      expect((await login(t.app, USERS.clerk.name)).statusCode).toBe(303);
      expect((await bearer(tokens.clerk)).statusCode).toBe(404);
      expect(await audited('user.disable', USERS.clerk.name)).toHaveLength(1);
      expect(await audited('user.enable', USERS.clerk.name)).toHaveLength(1);
    });

    it('issues a token shown once, lists it by id, revokes it: 401 from then on', async () => {
      const r = await post(`/admin/users/${USERS.analyst.name}/tokens`, { label: 'nightly <export>' });
      expect(r.statusCode).toBe(200);
      const token = /<code>(dl_[A-Za-z0-9_-]+)<\/code>/.exec(r.body)?.[1];
      expect(token).toBeDefined();
      expect((await bearer(token!)).statusCode).toBe(404);
      const t1 = (await listTokens(t.store, USERS.analyst.name)).find((x) => x.label === 'nightly <export>')!;
      const page = await get(`/admin/users/${USERS.analyst.name}`);
      expect(page.body).toContain(`<code>${t1.id}</code>`);
      expect(page.body).toContain('nightly &lt;export&gt;');
      expect(page.body).not.toContain(token!);
      const rv = await post(`/admin/users/${USERS.analyst.name}/tokens/${t1.id}/revoke`, {});
      expect(rv.statusCode).toBe(303);
      expect((await bearer(token!)).statusCode).toBe(401);
      // the analyst's other token still works
      expect((await bearer(tokens.analyst)).statusCode).toBe(404);
      // a token of someone else, named under this user, is not found
      const other = (await listTokens(t.store, USERS.clerk.name))[0]!;
      expect(
        (await post(`/admin/users/${USERS.analyst.name}/tokens/${other.id}/revoke`, {})).statusCode,
      ).toBe(404);
      expect((await bearer(tokens.clerk)).statusCode).toBe(404);
      expect((await audited('token.mint', USERS.analyst.name))[0]!.detail).toMatchObject({ id: t1.id });
      expect((await audited('token.revoke', USERS.analyst.name))[0]!.detail).toMatchObject({ id: t1.id });
    });

    it('a password reset ends every session of the user; the new password works once to choose another', async () => {
      const a = await session(t.app, USERS.supervisor.name);
      const b = await session(t.app, USERS.supervisor.name);
      const r = await post(`/admin/users/${USERS.supervisor.name}/password`, { password: '' });
      expect(r.statusCode).toBe(200);
      const password = /<code>([A-Za-z0-9_-]{24})<\/code>/.exec(r.body)![1]!;
      expect(r.body).toContain('2 sessions ended');
      for (const s of [a, b]) expect((await get('/desk', s)).headers.location).toMatch(/^\/login/);
      expect((await login(t.app, USERS.supervisor.name)).statusCode).toBe(401);
      const s = (await logIn(USERS.supervisor.name, password))!;
      expect((await get('/desk', s)).headers.location).toBe('/account');
      expect((await audited('user.password-reset', USERS.supervisor.name))[0]!.detail).toMatchObject({
        sessionsEnded: 2,
      });
    });

    it('changes a role and agency; the change applies to a live session at once', async () => {
      await addTestUserNamed('ivy', 'clerk');
      const ivy = await session(t.app, 'ivy');
      expect((await get('/admin/users', ivy)).statusCode).toBe(403);
      const r = await post('/admin/users/ivy/role', { role: 'supervisor', agency: HOSTILE_AGENCY_ID });
      expect(r.statusCode).toBe(303);
      expect(await findUser(t.store, 'ivy')).toMatchObject({
        role: 'supervisor',
        agencyId: HOSTILE_AGENCY_ID,
      });
      const desk = await get('/desk', ivy);
      expect(desk.body).toContain('ivy, supervisor');
      const bad = await post('/admin/users/ivy/role', { role: 'clerk', agency: '' });
      expect(bad.statusCode).toBe(400);
      expect((await audited('user.role', 'ivy'))[0]!.detail).toMatchObject({
        from: { role: 'clerk', agency: LA_SHERIFF },
        to: { role: 'supervisor', agency: HOSTILE_AGENCY_ID },
      });
    });
  });

  async function addTestUserNamed(name: string, role: Role) {
    const r = await post('/admin/users', {
      name,
      role,
      agency: LA_SHERIFF,
      password: 'a long test password',
    });
    expect(r.statusCode).toBe(303);
    // as if the user had already chosen it
    await t.store.db.updateTable('users').set({ must_change_password: 0 }).where('name', '=', name).execute();
  }

  describe('the rules', () => {
    it('keeps the last active admin: no self-disable, no self-demotion', async () => {
      const r = await post(`/admin/users/${USERS.admin.name}/disable`, {});
      expect(r.statusCode).toBe(409);
      expect(r.body).toContain('last active admin');
      const d = await post(`/admin/users/${USERS.admin.name}/role`, { role: 'analyst', agency: '' });
      expect(d.statusCode).toBe(409);
      expect(await findUser(t.store, USERS.admin.name)).toMatchObject({ role: 'admin', disabled: false });
      expect((await get('/admin/users')).statusCode).toBe(200);
    });

    it('is for admins only: other roles get 403, anonymous the log-in page, a token 403', async () => {
      for (const role of ['clerk', 'analyst'] as Role[]) {
        const s = await session(t.app, USERS[role].name);
        expect((await get('/admin/users', s)).statusCode).toBe(403);
        expect((await post('/admin/users/ivy/disable', {}, s)).statusCode).toBe(403);
      }
      expect((await t.app.inject({ url: '/admin/users' })).headers.location).toMatch(/^\/login/);
      const viaToken = await t.app.inject({
        method: 'POST',
        url: '/admin/users/ivy/disable',
        headers: { authorization: `Bearer ${tokens.clerk}` },
      });
      expect(viaToken.statusCode).toBe(403);
      expect((await findUser(t.store, 'ivy'))!.disabled).toBe(false);
    });

    it('refuses a form without the CSRF token, or with a wrong one, and changes nothing', async () => {
      for (const csrf of ['', 'forged']) {
        const r = await post('/admin/users/ivy/disable', { _csrf: csrf });
        expect(r.statusCode).toBe(403);
      }
      const add = await post('/admin/users', {
        _csrf: '',
        name: 'eve',
        role: 'analyst',
        agency: '',
        password: 'a long test password',
      });
      expect(add.statusCode).toBe(403);
      expect((await findUser(t.store, 'ivy'))!.disabled).toBe(false);
      expect(await findUser(t.store, 'eve')).toBeUndefined();
    });

    it('counts wrong current passwords like failed log-ins: the sixth try waits', async () => {
      await addTestUserNamed('gus', 'clerk');
      const gus = await session(t.app, 'gus');
      const change = (current: string) =>
        post('/account/password', { current, password: 'gus new password', again: 'gus new password' }, gus);
      for (let i = 0; i < 5; i++) expect((await change(`wrong guess ${i}`)).statusCode).toBe(400);
      const r = await change('a long test password');
      expect(r.statusCode).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(await auditEntries(t.store, { action: 'password-change-limited', user: 'gus' })).toHaveLength(1);
    });

    it('an admin who hands the role on is sent to the desk; the other admin stays', async () => {
      await addTestUserNamed('hal', 'admin');
      const hal = await session(t.app, 'hal');
      const r = await post('/admin/users/hal/role', { role: 'analyst', agency: '' }, hal);
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/desk');
      expect((await get('/admin/users', hal)).statusCode).toBe(403);
    });

    it('signs a user out everywhere, this session too', async () => {
      const a = await session(t.app, 'ivy');
      const b = await session(t.app, 'ivy');
      const token = await mintToken(t.store, 'ivy', 'kept');
      // the two above and the one of the role test
      expect(await countSessions(t.store, 'ivy')).toBe(3);
      const r = await post('/account/sign-out-everywhere', {}, a);
      expect(r.statusCode).toBe(303);
      expect(r.cookies.find((c) => c.name === 'dl_session')?.value).toBe('');
      for (const s of [a, b]) expect((await get('/desk', s)).headers.location).toMatch(/^\/login/);
      // tokens are not sessions: they stay until revoked
      expect((await bearer(token)).statusCode).toBe(404);
      expect((await audited('session.end-all', 'ivy'))[0]!.detail).toMatchObject({ sessionsEnded: 3 });
      expect(await countSessions(t.store, 'ivy')).toBe(0);
    });
  });
});
