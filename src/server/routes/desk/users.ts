/**
 * `/admin/users`: user administration for admins. List users; add one (the admin types a one-time
 * password or the page makes one, shown once); change role and agency; disable and re-enable;
 * reset a password (ending the user's sessions); list, issue (shown once) and revoke API tokens.
 * The rules live in `auth/accounts.ts`, shared with the CLI; every action here is audited.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  AccountError,
  addUser,
  changeRole,
  countSessions,
  findUser,
  generatePassword,
  listTokens,
  listUsersWithTokens,
  mintToken,
  resetPassword,
  revokeToken,
  setDisabled,
  tokenId,
  type User,
} from '../../auth/accounts.ts';
import { audit } from '../../auth/audit.ts';
import { actorOf, guard } from '../../auth/plugin.ts';
import { ROLES, type Actor } from '../../auth/roles.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import { page } from '../../layout.ts';
import { HttpProblem } from '../../problem.ts';
import { options } from '../pages/parts.ts';
import { csrfField, problemNote } from './forms.ts';

const HTML = 'text/html; charset=utf-8';
type Body = Record<string, string | undefined>;
const userHref = (name: string) => `/admin/users/${encodeURIComponent(name)}`;
const field = (b: Body | undefined, k: string) => String(b?.[k] ?? '').trim();

export function userAdminRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    // the agency choice: every registry agency, grouped by state (built once; the registry is fixed)
    let agencyGroups: [string, { id: string; name: string }[]][] | undefined;
    const agencySelect = (current: string | null): Html => {
      if (!agencyGroups) {
        const byState = new Map<string, { id: string; name: string }[]>();
        for (const a of ctx.registry.agencies()) {
          const list = byState.get(a.state.toUpperCase()) ?? [];
          list.push({ id: a.id, name: a.name });
          byState.set(a.state.toUpperCase(), list);
        }
        agencyGroups = [...byState.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([s, list]) => [s, list.sort((a, b) => a.name.localeCompare(b.name))]);
      }
      return html`<select name="agency">
        <option value="" ${current ? '' : html` selected`}>— none (analysts and admins) —</option>
        ${agencyGroups.map(
          ([state, list]) =>
            html`<optgroup label="${state}">
              ${list.map((a) => html`<option value="${a.id}" ${a.id === current ? html` selected` : ''}>${a.name}</option>`)}
            </optgroup>`,
        )}
      </select>`;
    };
    const agencyName = (id: string | null) => (id ? (ctx.registry.agency(id)?.name ?? id) : '—');
    const send = (reply: FastifyReply, actor: Actor, title: string, body: Html, status = 200) =>
      reply
        .code(status)
        .type(HTML)
        // pages here may show a secret once: never kept by a browser or proxy cache
        .header('cache-control', 'no-store')
        .send(page({ title, nav: 'desk', actor }, body));
    const log = (
      request: FastifyRequest,
      action: string,
      target: string,
      detail: Record<string, unknown> = {},
    ) => audit(ctx.store, { user: actorOf(request).name, action, target, ip: request.ip, detail });
    /** an account rule's refusal as a page status; anything else is not ours to answer */
    const statusOf = (e: unknown): number => {
      if (!(e instanceof AccountError)) throw e;
      return e.kind === 'not-found' ? 404 : e.kind === 'conflict' ? 409 : 400;
    };

    const listPage = async (actor: Actor, values: Body = {}, message: Html | '' = '') => {
      const users = await listUsersWithTokens(ctx.store);
      return html`<h1>Users</h1>
        ${message}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Agency</th>
              <th>Created (UTC)</th>
              <th>Last log-in (UTC)</th>
              <th>Status</th>
              <th>API tokens</th>
            </tr>
          </thead>
          <tbody>
            ${users.map(
              (u) =>
                html`<tr>
                  <td><a href="${userHref(u.name)}">${u.name}</a></td>
                  <td>${u.role}</td>
                  <td>${agencyName(u.agencyId)}</td>
                  <td>${u.createdAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>${u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : '—'}</td>
                  <td>${u.disabled ? html`<strong>disabled</strong>` : 'active'}</td>
                  <td>${u.tokens}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h2>Add a user</h2>
        <form method="post" action="/admin/users" id="add-user">
          ${csrfField(actor)}
          <label
            >Name
            <input
              type="text"
              name="name"
              value="${values.name ?? ''}"
              pattern="[A-Za-z0-9._@\\-]{2,64}"
              required
          /></label>
          <label
            >Role
            <select name="role">
              ${options(ROLES, values.role ?? 'clerk')}
            </select></label
          >
          <label>Agency (clerks and supervisors) ${agencySelect(values.agency || null)}</label>
          <label
            >One-time password
            <input type="password" name="password" autocomplete="new-password" minlength="12"
          /></label>
          <p class="muted">
            Leave the password empty and one is made for you, shown once. Either way the user chooses their
            own at the first log-in.
          </p>
          <button type="submit">Add</button>
        </form>
        <p><a href="/admin/audit">Audit log</a></p>`;
    };

    const userPage = async (actor: Actor, u: User, message: Html | '' = '') => {
      const tokens = await listTokens(ctx.store, u.name);
      const sessions = await countSessions(ctx.store, u.name);
      const action = (what: string) => `${userHref(u.name)}/${what}`;
      return html`<h1>User <code>${u.name}</code></h1>
        ${message}
        <dl>
          <dt>Role</dt>
          <dd>${u.role}</dd>
          <dt>Agency</dt>
          <dd>${agencyName(u.agencyId)}${u.agencyId ? html` <code>${u.agencyId}</code>` : ''}</dd>
          <dt>Created</dt>
          <dd>${u.createdAt}</dd>
          <dt>Last log-in</dt>
          <dd>${u.lastLoginAt ?? '—'}</dd>
          <dt>Status</dt>
          <dd>
            ${u.disabled ? html`<strong>disabled</strong> since ${u.disabledAt ?? '?'}` : 'active'}${u.mustChangePassword ? html`; must choose a new password` : ''};
            ${sessions} live session${sessions === 1 ? '' : 's'}
          </dd>
        </dl>
        <h2>Role and agency</h2>
        <form method="post" action="${action('role')}" id="role">
          ${csrfField(actor)}
          <label
            >Role
            <select name="role">
              ${options(ROLES, u.role)}
            </select></label
          >
          <label>Agency ${agencySelect(u.agencyId)}</label>
          <button type="submit">Change</button>
        </form>
        <h2>${u.disabled ? 'Enable' : 'Disable'}</h2>
        <form method="post" action="${action(u.disabled ? 'enable' : 'disable')}" id="standing">
          ${csrfField(actor)}
          <p class="muted">
            ${
              u.disabled
                ? 'The user may log in again; API tokens not revoked work again.'
                : 'The user can no longer log in; their sessions end and their API tokens stop working at once.'
            }
          </p>
          <button type="submit">${u.disabled ? 'Enable' : 'Disable'} ${u.name}</button>
        </form>
        <h2>Reset the password</h2>
        <form method="post" action="${action('password')}" id="reset">
          ${csrfField(actor)}
          <label
            >One-time password
            <input type="password" name="password" autocomplete="new-password" minlength="12"
          /></label>
          <p class="muted">
            Empty: one is made and shown once. Every session of the user ends; they choose their own password
            at the next log-in.
          </p>
          <button type="submit">Reset</button>
        </form>
        <h2>API tokens</h2>
        ${
          tokens.length
            ? html`<table>
                <thead>
                  <tr>
                    <th>Id</th>
                    <th>For</th>
                    <th>Issued (UTC)</th>
                    <th>Last used (UTC)</th>
                    <th>Status</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${tokens.map(
                    (t) =>
                      html`<tr>
                        <td><code>${t.id}</code></td>
                        <td>${t.label}</td>
                        <td>${t.createdAt.slice(0, 16).replace('T', ' ')}</td>
                        <td>${t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : '—'}</td>
                        <td>${t.revoked ? html`revoked ${t.revokedAt?.slice(0, 10) ?? ''}` : 'works'}</td>
                        <td>
                          ${
                            t.revoked
                              ? ''
                              : html`<form
                                  method="post"
                                  action="${action(`tokens/${encodeURIComponent(t.id)}/revoke`)}"
                                >
                                  ${csrfField(actor)}
                                  <button type="submit">Revoke</button>
                                </form>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p class="muted">None.</p>`
        }
        <form method="post" action="${action('tokens')}" id="issue-token">
          ${csrfField(actor)}
          <label>What it is for <input type="text" name="label" maxlength="100" required /></label>
          <button type="submit">Issue a token</button>
        </form>
        <p>
          <a href="/admin/users">All users</a> ·
          <a href="/admin/audit?user=${encodeURIComponent(u.name)}">Their actions in the audit log</a>
        </p>`;
    };

    /** A secret shown once, on its own page (no redirect could carry it). */
    const secretPage = (actor: Actor, u: string, what: string, value: string, note: string) =>
      html`<h1>${what} for <code>${u}</code></h1>
        <p>Copy it now: it is shown only this once and kept only as a hash.</p>
        <p>
          <output class="secret"><code>${value}</code></output>
        </p>
        <p class="muted">${note}</p>
        <p><a href="${userHref(u)}">Back to ${u}</a></p>`;

    const userOr404 = async (name: string) => {
      const u = await findUser(ctx.store, name);
      if (!u) throw new HttpProblem(404, `there is no user ${name}`);
      return u;
    };

    app.get('/admin/users', { preHandler: guard('users') }, async (request, reply) => {
      const actor = actorOf(request);
      return send(reply, actor, 'Users', await listPage(actor));
    });

    app.post<{ Body: Body }>('/admin/users', { preHandler: guard('users') }, async (request, reply) => {
      const actor = actorOf(request);
      const values = {
        name: field(request.body, 'name'),
        role: field(request.body, 'role'),
        agency: field(request.body, 'agency'),
      };
      const typed = String(request.body?.password ?? '');
      const password = typed || generatePassword();
      try {
        const u = await addUser(ctx.store, {
          name: values.name,
          role: values.role,
          agencyId: values.agency || null,
          password,
          mustChangePassword: true,
          registry: ctx.registry,
        });
        await log(request, 'user.add', u.name, {
          role: u.role,
          agency: u.agencyId,
          password: typed ? 'set by admin' : 'generated',
        });
        if (!typed)
          return send(
            reply,
            actor,
            `User ${u.name} added`,
            secretPage(
              actor,
              u.name,
              'Password',
              password,
              'Give it to the user by a safe route; they choose their own at the first log-in.',
            ),
          );
        return reply.redirect(userHref(u.name), 303);
      } catch (e) {
        const status = statusOf(e);
        return send(
          reply,
          actor,
          'Users',
          await listPage(actor, values, problemNote((e as Error).message)),
          status,
        );
      }
    });

    app.get<{ Params: { name: string } }>(
      '/admin/users/:name',
      { preHandler: guard('users') },
      async (request, reply) => {
        const actor = actorOf(request);
        const u = await userOr404(request.params.name);
        return send(reply, actor, `User ${u.name}`, await userPage(actor, u));
      },
    );

    /** run `change`; on a refusal, the user's page again with the reason */
    const act = async (
      request: FastifyRequest<{ Params: { name: string } }>,
      reply: FastifyReply,
      change: (u: User) => Promise<FastifyReply | void>,
    ) => {
      const actor = actorOf(request);
      const u = await userOr404(request.params.name);
      try {
        return (await change(u)) ?? reply.redirect(userHref(u.name), 303);
      } catch (e) {
        const status = statusOf(e);
        const now = (await findUser(ctx.store, u.name)) ?? u;
        return send(
          reply,
          actor,
          `User ${u.name}`,
          await userPage(actor, now, problemNote((e as Error).message)),
          status,
        );
      }
    };

    app.post<{ Params: { name: string }; Body: Body }>(
      '/admin/users/:name/role',
      { preHandler: guard('users') },
      (request, reply) =>
        act(request, reply, async (u) => {
          const role = field(request.body, 'role');
          const agency = field(request.body, 'agency') || null;
          const { before, after } = await changeRole(ctx.store, u.name, {
            role,
            agencyId: agency,
            registry: ctx.registry,
          });
          await log(request, 'user.role', u.name, {
            from: { role: before.role, agency: before.agencyId },
            to: { role: after.role, agency: after.agencyId },
          });
          // an admin who gave up the role may no longer see this page
          if (u.name === actorOf(request).name && after.role !== 'admin') return reply.redirect('/desk', 303);
        }),
    );

    for (const [path, disabled] of [
      ['disable', true],
      ['enable', false],
    ] as const)
      app.post<{ Params: { name: string } }>(
        `/admin/users/:name/${path}`,
        { preHandler: guard('users') },
        (request, reply) =>
          act(request, reply, async (u) => {
            await setDisabled(ctx.store, u.name, disabled);
            await log(request, `user.${path}`, u.name);
            // an admin who disabled themselves has no session left
            if (disabled && u.name === actorOf(request).name) return reply.redirect('/login', 303);
          }),
      );

    app.post<{ Params: { name: string }; Body: Body }>(
      '/admin/users/:name/password',
      { preHandler: guard('users') },
      (request, reply) =>
        act(request, reply, async (u) => {
          const typed = String(request.body?.password ?? '');
          const password = typed || generatePassword();
          const ended = await resetPassword(ctx.store, u.name, password);
          await log(request, 'user.password-reset', u.name, {
            password: typed ? 'set by admin' : 'generated',
            sessionsEnded: ended,
          });
          if (u.name === actorOf(request).name) return reply.redirect('/login', 303);
          if (typed) return;
          return send(
            reply,
            actorOf(request),
            `Password of ${u.name} reset`,
            secretPage(
              actorOf(request),
              u.name,
              'New password',
              password,
              `${ended} session${ended === 1 ? '' : 's'} ended. The user chooses their own password at the next log-in.`,
            ),
          );
        }),
    );

    app.post<{ Params: { name: string }; Body: Body }>(
      '/admin/users/:name/tokens',
      { preHandler: guard('users') },
      (request, reply) =>
        act(request, reply, async (u) => {
          const label = field(request.body, 'label');
          const token = await mintToken(ctx.store, u.name, label);
          await log(request, 'token.mint', u.name, { id: tokenId(token), label });
          return send(
            reply,
            actorOf(request),
            `Token for ${u.name}`,
            secretPage(
              actorOf(request),
              u.name,
              'API token',
              token,
              `Send it as \`Authorization: Bearer TOKEN\`. It acts as ${u.name}, with their role, until revoked.`,
            ),
          );
        }),
    );

    app.post<{ Params: { name: string; id: string } }>(
      '/admin/users/:name/tokens/:id/revoke',
      { preHandler: guard('users') },
      (request, reply) =>
        act(request, reply, async (u) => {
          const owned = (await listTokens(ctx.store, u.name)).some((t) => t.id === request.params.id);
          if (!owned) throw new HttpProblem(404, `${u.name} has no API token ${request.params.id}`);
          const t = await revokeToken(ctx.store, request.params.id);
          // a second click on a stale page changes nothing and records nothing
          if (!t.already) await log(request, 'token.revoke', u.name, { id: t.id, label: t.label });
        }),
    );
  };
}
