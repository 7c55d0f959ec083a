/**
 * Who is asking: a session cookie (browsers) or `Authorization: Bearer` (machine clients) becomes
 * `request.actor`. Guards turn a missing login into a redirect to /login (pages) or 401 (API),
 * and a missing role into 403. Every form POST made with a session carries the session's CSRF
 * token (hidden field `_csrf`, or header `x-csrf-token` for JSON), checked in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Store } from '../../ledger/store.ts';
import { HttpProblem } from '../problem.ts';
import { purgeExpiredSessions, sessionActor, tokenActor } from './accounts.ts';
import { can, type Actor, type Permission } from './roles.ts';

export const SESSION_COOKIE = 'dl_session';
/** expired sessions are swept out at start, at each log-in, and this often in between */
const PURGE_EVERY_MS = 3600_000;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** false: the route is exempt from the session CSRF check (see below) */
    csrf?: boolean;
    /** true: open to a session whose password an administrator set (choosing a new one, logging out) */
    passwordChange?: boolean;
  }
}

export interface AuthOptions {
  store: Store;
  /** mark cookies Secure even when the request did not arrive over TLS (behind a TLS proxy) */
  secureCookies?: boolean;
}

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieOptions(request: FastifyRequest, secure: boolean | undefined) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secure === true || request.protocol === 'https',
  };
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Install on the root instance (not as an encapsulated plugin): every route sees `request.actor`. */
export async function installAuth(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', null);
  await purgeExpiredSessions(opts.store);
  const purge = setInterval(() => {
    purgeExpiredSessions(opts.store).catch((err: unknown) => app.log.error(err));
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = m ? await tokenActor(opts.store, m[1]!) : null;
      // a wrong token is an error, never a quiet fall back to anonymous
      if (!actor)
        throw new HttpProblem(
          401,
          'the API token is not valid: mint one with `detainer-ledger users token NAME`',
          {
            code: 'auth.bad-token',
          },
        );
      request.actor = actor;
      return;
    }
    const id = request.cookies[SESSION_COOKIE];
    if (id) request.actor = await sessionActor(opts.store, id);
  });
  // CSRF: a state-changing request made with a session cookie must carry the session's token
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const actor = request.actor;
    if (!actor || actor.via !== 'session') return;
    // routes that change nothing (the public decision form) or carry a token of their own (the
    // log-in form, when there may be no session yet) say so with `config: { csrf: false }`
    if (request.routeOptions.config.csrf === false) return;
    const body = request.body as Record<string, unknown> | undefined;
    const given =
      (typeof body?._csrf === 'string' ? body._csrf : undefined) ??
      (typeof request.headers['x-csrf-token'] === 'string' ? request.headers['x-csrf-token'] : undefined);
    if (!sameSecret(given, actor.csrf))
      throw new HttpProblem(
        403,
        'the form is out of date or did not come from this site: reload the page and try again',
        {
          code: 'auth.csrf',
        },
      );
  });
}

/** A guard: the request must come from a user with `permission` (any user when not given). */
export function guard(permission?: Permission): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, reply: FastifyReply) {
    const actor = request.actor;
    if (!actor) {
      if (isApi(request))
        throw new HttpProblem(401, 'log in or send `Authorization: Bearer TOKEN`', { code: 'auth.required' });
      const next = encodeURIComponent(request.url);
      return reply.redirect(`/login?next=${next}`, 303);
    }
    // a password an administrator set is for one log-in: its owner chooses their own first
    if (actor.mustChangePassword && actor.via === 'session' && !request.routeOptions.config.passwordChange) {
      if (isApi(request))
        throw new HttpProblem(403, 'choose a new password at /account first', {
          code: 'auth.password-change',
        });
      return reply.redirect('/account', 303);
    }
    if (permission && !can(actor.role, permission))
      throw new HttpProblem(
        403,
        `a ${actor.role} may not do this (it needs the \`${permission}\` permission)`,
        {
          code: 'auth.forbidden',
        },
      );
  };
}

/** The actor of a guarded route (the guard made sure there is one). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new HttpProblem(401, 'log in first', { code: 'auth.required' });
  return request.actor;
}
