/**
 * Accounts for the server's tests: one user of each role (clerk and admin at the Los Angeles
 * County Sheriff, the supervisor at another agency), and helpers that log in through the form and
 * read the CSRF token a page carries.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../ledger/store.ts';
import { addUser, mintToken } from './auth/accounts.ts';
import type { Role } from './auth/roles.ts';
import { HOSTILE_AGENCY_ID } from './test-server.ts';

export const LA_SHERIFF = 'ocd-division/country:us/state:ca/county:los_angeles/agency:sheriff';
export const PASSWORD = 'a long test password';
export const USERS: Record<Role, { name: string; agency: string | null }> = {
  clerk: { name: 'clara', agency: LA_SHERIFF },
  supervisor: { name: 'sam', agency: HOSTILE_AGENCY_ID },
  analyst: { name: 'ana', agency: null },
  admin: { name: 'ada', agency: LA_SHERIFF },
};

export async function addTestUsers(store: Store): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const [role, u] of Object.entries(USERS) as [Role, { name: string; agency: string | null }][]) {
    await addUser(store, { name: u.name, role, agencyId: u.agency, password: PASSWORD });
    tokens[role] = await mintToken(store, u.name, 'test');
  }
  return tokens;
}

export const form = (values: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) body.append(k, x);
  return body.toString();
};
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface Session {
  cookie: string;
  csrf: string;
}

/** Log in through the form (with its log-in token), as a browser would. */
export async function login(
  app: FastifyInstance,
  name: string,
  password = PASSWORD,
  extraCookies: Record<string, string> = {},
) {
  const page = await app.inject({ url: '/login' });
  const token = /name="_login" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const loginCookie = page.cookies.find((c) => c.name === 'dl_login')?.value ?? '';
  return app.inject({
    method: 'POST',
    url: '/login',
    headers: FORM,
    cookies: { dl_login: loginCookie, ...extraCookies },
    payload: form({ name, password, _login: token, next: '/desk' }),
  });
}

/** A logged-in session: its cookie and the CSRF token its pages carry. */
export async function session(app: FastifyInstance, name: string): Promise<Session> {
  const r = await login(app, name);
  const cookie = r.cookies.find((c) => c.name === 'dl_session')?.value;
  if (!cookie) throw new Error(`log-in of ${name} failed: ${r.statusCode}`);
  const desk = await app.inject({ url: '/desk', cookies: { dl_session: cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(desk.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the desk of ${name}`);
  return { cookie, csrf };
}

/** Post a form as the logged-in `s`, with its session cookie and CSRF token. */
export function formPoster(app: FastifyInstance, s: Session) {
  return (url: string, values: Record<string, string | string[]>) =>
    app.inject({
      method: 'POST',
      url,
      headers: FORM,
      cookies: { dl_session: s.cookie },
      payload: form({ ...values, _csrf: s.csrf }),
    });
}
