/**
 * `/login` and `/logout`. A log-in always starts a new session with a new id (an id planted
 * before the log-in is never promoted), failed attempts are counted per address and name, and
 * both are audited. The log-in form has its own CSRF token (a cookie and a hidden field that
 * must match), since there is no session yet to hold one.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { checkPassword, createSession, endSession } from '../../auth/accounts.ts';
import { audit } from '../../auth/audit.ts';
import { SESSION_COOKIE, cookieOptions, guard, sameSecret } from '../../auth/plugin.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import { page } from '../../layout.ts';
import { HttpProblem } from '../../problem.ts';

const LOGIN_CSRF_COOKIE = 'dl_login';

/** Only a path on this site: `next` never sends anyone elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/desk';
}

export function loginRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const form = (request: FastifyRequest, next: string, name: string, message: Html | '', status = 200) => {
      const token = randomBytes(24).toString('base64url');
      return {
        status,
        token,
        body: page(
          { title: 'Log in', actor: request.actor },
          html`<h1>Log in</h1>
            ${message}
            <form method="post" action="/login">
              <input type="hidden" name="_login" value="${token}" />
              <input type="hidden" name="next" value="${next}" />
              <label
                >User name <input type="text" name="name" value="${name}" autocomplete="username" required
              /></label>
              <label
                >Password <input type="password" name="password" autocomplete="current-password" required
              /></label>
              <button type="submit">Log in</button>
            </form>
            <p class="muted">
              Accounts are made by an administrator (<code>detainer-ledger users add</code>).
            </p>`,
        ),
      };
    };
    const send = (
      request: FastifyRequest,
      reply: import('fastify').FastifyReply,
      f: ReturnType<typeof form>,
    ) =>
      reply
        .code(f.status)
        .setCookie(LOGIN_CSRF_COOKIE, f.token, {
          ...cookieOptions(request, ctx.secureCookies),
          sameSite: 'strict',
          path: '/login',
        })
        .type('text/html; charset=utf-8')
        .send(f.body);

    app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) =>
      send(request, reply, form(request, safeNext(request.query.next), '', '')),
    );

    app.post<{ Body: Record<string, string | undefined> }>(
      '/login',
      { config: { csrf: false } },
      async (request, reply) => {
        const body = request.body ?? {};
        const name = String(body.name ?? '').trim();
        const password = String(body.password ?? '');
        const next = safeNext(body.next);
        if (!sameSecret(body._login, request.cookies[LOGIN_CSRF_COOKIE]))
          throw new HttpProblem(
            403,
            'the log-in form is out of date or did not come from this site: reload it and try again',
            {
              code: 'auth.csrf',
            },
          );
        const wait = ctx.loginLimiter.retryAfter(request.ip, name);
        if (wait > 0) {
          await audit(ctx.store, { user: name || null, action: 'login-limited', ip: request.ip });
          reply.header('retry-after', String(wait));
          return send(
            request,
            reply,
            form(
              request,
              next,
              name,
              html`<p class="problem" role="alert">
                Too many failed attempts: try again in ${Math.ceil(wait / 60)} minutes.
              </p>`,
              429,
            ),
          );
        }
        const user = name && password ? await checkPassword(ctx.store, name, password) : null;
        if (!user) {
          ctx.loginLimiter.fail(request.ip, name);
          await audit(ctx.store, { user: name || null, action: 'login-failed', ip: request.ip });
          return send(
            request,
            reply,
            form(
              request,
              next,
              name,
              html`<p class="problem" role="alert">That user name and password do not match an account.</p>`,
              401,
            ),
          );
        }
        ctx.loginLimiter.succeed(request.ip, name);
        // no fixation: whatever session cookie came in is ended, and a fresh id is issued
        const old = request.cookies[SESSION_COOKIE];
        if (old) await endSession(ctx.store, old);
        const id = await createSession(ctx.store, user);
        await audit(ctx.store, { user: user.name, action: 'login', ip: request.ip });
        return (
          reply
            .setCookie(SESSION_COOKIE, id, cookieOptions(request, ctx.secureCookies))
            .clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' })
            // a password an administrator set is replaced before anything else
            .redirect(user.mustChangePassword ? '/account' : next, 303)
        );
      },
    );

    app.post('/logout', { preHandler: guard(), config: { passwordChange: true } }, async (request, reply) => {
      const id = request.cookies[SESSION_COOKIE];
      if (id) await endSession(ctx.store, id);
      await audit(ctx.store, { user: request.actor?.name ?? null, action: 'logout', ip: request.ip });
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/', 303);
    });
  };
}
