/**
 * `/account`: a logged-in user's own account. Choose a new password (required after an
 * administrator set one; other sessions end), and sign out everywhere (every session of the
 * user ends, this one too). Both audited.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  AccountError,
  changeOwnPassword,
  countSessions,
  endUserSessions,
  findUser,
} from '../../auth/accounts.ts';
import { audit } from '../../auth/audit.ts';
import { SESSION_COOKIE, actorOf, guard } from '../../auth/plugin.ts';
import type { Actor } from '../../auth/roles.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import { page } from '../../layout.ts';
import { csrfField, problemNote } from './forms.ts';

const HTML = 'text/html; charset=utf-8';
// open to a session whose password an administrator set: choosing a new one is what it must do
const OPEN = { preHandler: guard(), config: { passwordChange: true } };

export function accountRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const accountPage = async (actor: Actor, message: Html | '' = '') => {
      const u = await findUser(ctx.store, actor.name);
      const sessions = await countSessions(ctx.store, actor.name);
      const agency = actor.agencyId ? (ctx.registry.agency(actor.agencyId)?.name ?? actor.agencyId) : null;
      return page(
        { title: 'Your account', nav: 'desk', actor },
        html`<h1>Your account</h1>
          ${
            actor.mustChangePassword
              ? html`<p class="problem" role="alert">
                  An administrator set your password: choose your own before you go on.
                </p>`
              : ''
          }
          ${message}
          <p>${actor.name}, ${actor.role}${agency ? html` at ${agency}` : ''}.</p>
          <p class="muted">
            Last log-in ${u?.lastLoginAt ?? '—'}; ${sessions} live session${sessions === 1 ? '' : 's'}.
          </p>
          <h2>Choose a new password</h2>
          <form method="post" action="/account/password" id="password">
            ${csrfField(actor)}
            <label
              >Current password
              <input type="password" name="current" autocomplete="current-password" required
            /></label>
            <label
              >New password (at least 12 characters)
              <input type="password" name="password" autocomplete="new-password" minlength="12" required
            /></label>
            <label
              >New password again
              <input type="password" name="again" autocomplete="new-password" minlength="12" required
            /></label>
            <button type="submit">Change the password</button>
          </form>
          <h2>Sign out everywhere</h2>
          <form method="post" action="/account/sign-out-everywhere" id="sign-out-everywhere">
            ${csrfField(actor)}
            <p class="muted">Ends every session of yours, on every device, this one too.</p>
            <button type="submit">Sign out everywhere</button>
          </form>`,
      );
    };

    app.get('/account', OPEN, async (request, reply) =>
      reply.type(HTML).send(await accountPage(actorOf(request))),
    );

    app.post<{ Body: Record<string, string | undefined> }>(
      '/account/password',
      OPEN,
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body ?? {};
        const next = String(b.password ?? '');
        // the current password is guessed no faster here than at the log-in form
        const wait = ctx.loginLimiter.retryAfter(request.ip, actor.name);
        if (wait > 0) {
          await audit(ctx.store, { user: actor.name, action: 'password-change-limited', ip: request.ip });
          return reply
            .code(429)
            .header('retry-after', String(wait))
            .type(HTML)
            .send(
              await accountPage(
                actor,
                html`<section class="problem" role="alert">
                  <p>Too many wrong passwords: try again in ${Math.ceil(wait / 60)} minutes.</p>
                </section>`,
              ),
            );
        }
        try {
          if (next !== String(b.again ?? ''))
            throw new AccountError('the two new passwords differ: nothing was changed');
          await changeOwnPassword(
            ctx.store,
            actor.name,
            String(b.current ?? ''),
            next,
            request.cookies[SESSION_COOKIE],
          );
        } catch (e) {
          if (!(e instanceof AccountError)) throw e;
          if (e.wrongPassword) ctx.loginLimiter.fail(request.ip, actor.name);
          return reply
            .code(400)
            .type(HTML)
            .send(await accountPage(actor, problemNote(e.message)));
        }
        await audit(ctx.store, {
          user: actor.name,
          action: 'user.password-change',
          target: actor.name,
          ip: request.ip,
        });
        return reply.redirect(actor.mustChangePassword ? '/desk' : '/account', 303);
      },
    );

    app.post('/account/sign-out-everywhere', OPEN, async (request, reply) => {
      const actor = actorOf(request);
      const ended = await endUserSessions(ctx.store, actor.name);
      await audit(ctx.store, {
        user: actor.name,
        action: 'session.end-all',
        target: actor.name,
        ip: request.ip,
        detail: { sessionsEnded: ended },
      });
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/', 303);
    });
  };
}
