/**
 * Users, sessions and API tokens in the ledger database (migrations 5 and 6), through Kysely so
 * both stores share it. Session ids and API tokens are random 256-bit values given to the client
 * once; the database keeps only their sha256. A user's role, agency and standing are read from the
 * table on every request, so a change made by an administrator takes effect at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Registry } from '../../jurisdictions/registry.ts';
import type { Store } from '../../ledger/store.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { isRole, type Actor, type Role } from './roles.ts';

/** `invalid`: bad input; `not-found`: no such user or token; `conflict`: refused by a rule (last admin) */
export class AccountError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not-found' | 'conflict' = 'invalid',
    /** the refusal was a wrong current password (counted like a failed log-in) */
    readonly wrongPassword = false,
  ) {
    super(message);
  }
}

export interface User {
  name: string;
  role: Role;
  agencyId: string | null;
  createdAt: string;
  disabled: boolean;
  disabledAt: string | null;
  lastLoginAt: string | null;
  /** an administrator set the password; its owner must choose a new one before working */
  mustChangePassword: boolean;
}

export interface TokenInfo {
  /** not secret: the first 16 hex digits of the token's hash */
  id: string;
  user: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
}

export const SESSION_HOURS = 12;
const NAME = /^[A-Za-z0-9._@-]{2,64}$/;
// a token's last use is written at most this often, so a busy client does not write on every call
const LAST_USE_RESOLUTION_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

/** The id a token is listed and revoked by. */
export const tokenId = (token: string) => sha256(token).slice(0, 16);

/** A strong password for an administrator to hand over once: 144 random bits. */
export const generatePassword = () => randomBytes(18).toString('base64url');

const USER_COLUMNS = [
  'name',
  'role',
  'agency_id',
  'created_at',
  'disabled',
  'disabled_at',
  'last_login_at',
  'must_change_password',
] as const;

function toUser(row: {
  name: string;
  role: string;
  agency_id: string | null;
  created_at: string;
  disabled: number;
  disabled_at: string | null;
  last_login_at: string | null;
  must_change_password: number;
}): User {
  if (!isRole(row.role)) throw new AccountError(`user ${row.name} has an unknown role \`${row.role}\``);
  return {
    name: row.name,
    role: row.role,
    agencyId: row.agency_id,
    createdAt: row.created_at,
    disabled: Number(row.disabled) !== 0,
    disabledAt: row.disabled_at,
    lastLoginAt: row.last_login_at,
    mustChangePassword: Number(row.must_change_password) !== 0,
  };
}

/** The role and agency of a user, checked: a clerk or supervisor works for one registry agency. */
function checkRoleAgency(role: string, agencyId: string | null, registry?: Registry): Role {
  if (!isRole(role)) throw new AccountError(`role \`${role}\`: use one of clerk, supervisor, analyst, admin`);
  if ((role === 'clerk' || role === 'supervisor') && !agencyId)
    throw new AccountError(`a ${role} works for one agency: give --agency ID`);
  if (agencyId && registry && !registry.agency(agencyId))
    throw new AccountError(
      `no agency \`${agencyId}\` in the registry: \`detainer-ledger jurisdictions search NAME --state XX\` finds its id`,
    );
  return role;
}

export async function addUser(
  store: Store,
  u: {
    name: string;
    role: string;
    agencyId: string | null;
    password: string;
    /** the password was set by an administrator: its owner must replace it at first log-in */
    mustChangePassword?: boolean;
    /** when given, the agency must be one of its agencies */
    registry?: Registry;
  },
): Promise<User> {
  if (!NAME.test(u.name))
    throw new AccountError(
      `user name \`${u.name}\`: use 2 to 64 letters, digits, dots, dashes, underscores or @`,
    );
  const role = checkRoleAgency(u.role, u.agencyId, u.registry);
  const weak = passwordProblem(u.password);
  if (weak) throw new AccountError(weak);
  const taken = await store.db
    .selectFrom('users')
    .select('name')
    .where('name', '=', u.name)
    .executeTakeFirst();
  if (taken) throw new AccountError(`user \`${u.name}\` already exists`, 'conflict');
  const row = {
    name: u.name,
    role,
    agency_id: u.agencyId,
    password_hash: await hashPassword(u.password),
    created_at: new Date().toISOString(),
    disabled: 0,
    disabled_at: null,
    last_login_at: null,
    must_change_password: u.mustChangePassword ? 1 : 0,
  };
  await store.db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await store.db.selectFrom('users').select(USER_COLUMNS).orderBy('name').execute();
  return rows.map(toUser);
}

/** Every user with the number of their tokens that still work (not revoked). */
export async function listUsersWithTokens(store: Store): Promise<(User & { tokens: number })[]> {
  const counts = await store.db
    .selectFrom('api_tokens')
    .select(['user_name', sql<number>`count(*)`.as('n')])
    .where('revoked', '=', 0)
    .groupBy('user_name')
    .execute();
  const byUser = new Map(counts.map((c) => [c.user_name, Number(c.n)]));
  return (await listUsers(store)).map((u) => ({ ...u, tokens: byUser.get(u.name) ?? 0 }));
}

export async function findUser(store: Store, name: string): Promise<User | undefined> {
  const row = await store.db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

async function requireUser(store: Store, name: string): Promise<User> {
  const user = await findUser(store, name);
  if (!user)
    throw new AccountError(`no user \`${name}\`: \`detainer-ledger users list\` shows them`, 'not-found');
  return user;
}

/**
 * Refuse a change that would leave no active admin: nobody could then manage users from the
 * desk. `user` is an active admin about to stop being one.
 */
async function keepAnAdmin(store: Store, user: User, what: string): Promise<void> {
  if (user.role !== 'admin' || user.disabled) return;
  const others = await store.db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('name', '<>', user.name)
    .executeTakeFirstOrThrow();
  if (Number(others.n) === 0)
    throw new AccountError(
      `${user.name} is the last active admin and cannot be ${what}: make another user admin first`,
      'conflict',
    );
}

/** Change a user's role and agency; the last active admin keeps the admin role. */
export async function changeRole(
  store: Store,
  name: string,
  change: { role: string; agencyId: string | null; registry?: Registry },
): Promise<{ before: User; after: User }> {
  const before = await requireUser(store, name);
  const role = checkRoleAgency(change.role, change.agencyId, change.registry);
  if (role !== 'admin') await keepAnAdmin(store, before, 'demoted');
  await store.db
    .updateTable('users')
    .set({ role, agency_id: change.agencyId })
    .where('name', '=', name)
    .execute();
  return { before, after: { ...before, role, agencyId: change.agencyId } };
}

/**
 * Disable or re-enable a user. Disabling ends their sessions; their tokens stop working because
 * every request reads the user's standing (they work again after re-enabling unless revoked).
 */
export async function setDisabled(store: Store, name: string, disabled: boolean): Promise<User> {
  const user = await requireUser(store, name);
  if (disabled) await keepAnAdmin(store, user, 'disabled');
  if (user.disabled === disabled) return user;
  const at = disabled ? new Date().toISOString() : null;
  await store.db
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0, disabled_at: at })
    .where('name', '=', name)
    .execute();
  if (disabled) await endUserSessions(store, name);
  return { ...user, disabled, disabledAt: at };
}

/**
 * An administrator sets a user's password: every session of that user ends, and the user must
 * choose a new password at the next log-in.
 */
export async function resetPassword(store: Store, name: string, password: string): Promise<number> {
  await requireUser(store, name);
  const weak = passwordProblem(password);
  if (weak) throw new AccountError(weak);
  await store.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), must_change_password: 1 })
    .where('name', '=', name)
    .execute();
  return endUserSessions(store, name);
}

/** A user replaces their own password; their other sessions end (`keepSession` stays). */
export async function changeOwnPassword(
  store: Store,
  name: string,
  current: string,
  next: string,
  keepSession?: string,
): Promise<void> {
  if (!(await checkPassword(store, name, current)))
    throw new AccountError('the current password is not right: nothing was changed', 'invalid', true);
  const weak = passwordProblem(next);
  if (weak) throw new AccountError(weak);
  if (next === current) throw new AccountError('choose a password different from the current one');
  await store.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(next), must_change_password: 0 })
    .where('name', '=', name)
    .execute();
  await endUserSessions(store, name, keepSession);
}

// a fixed hash to compare against when the user does not exist, so a login takes as long for an
// unknown name as for a wrong password
let dummyHash: Promise<string> | undefined;

/** The user whose name and password these are, or null. */
export async function checkPassword(store: Store, name: string, password: string): Promise<User | null> {
  const row = await store.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) {
    dummyHash ??= hashPassword('not a password of anyone');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  const ok = await verifyPassword(password, row.password_hash);
  const user = toUser(row);
  return ok && !user.disabled ? user : null;
}

/** Delete every session past its expiry; returns how many. */
export async function purgeExpiredSessions(store: Store, now = new Date()): Promise<number> {
  const r = await store.db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  return Number(r.reduce((n, x) => n + x.numDeletedRows, 0n));
}

/**
 * A new session for `user` (a log-in): the id goes in the cookie, its hash in the table. Expired
 * sessions of anyone are swept out here, so the table holds only live ones.
 */
export async function createSession(store: Store, user: User, now = new Date()): Promise<string> {
  await purgeExpiredSessions(store, now);
  const id = secret();
  await store.db
    .insertInto('sessions')
    .values({
      id_hash: sha256(id),
      user_name: user.name,
      csrf_token: secret(),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    })
    .execute();
  await store.db
    .updateTable('users')
    .set({ last_login_at: now.toISOString() })
    .where('name', '=', user.name)
    .execute();
  return id;
}

export async function endSession(store: Store, id: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('id_hash', '=', sha256(id)).execute();
}

/** End every session of `name` but `exceptId` (a session id, not its hash); returns how many. */
export async function endUserSessions(store: Store, name: string, exceptId?: string): Promise<number> {
  let q = store.db.deleteFrom('sessions').where('user_name', '=', name);
  if (exceptId) q = q.where('id_hash', '<>', sha256(exceptId));
  const r = await q.execute();
  return Number(r.reduce((n, x) => n + x.numDeletedRows, 0n));
}

/** Live sessions of `name`. */
export async function countSessions(store: Store, name: string, now = new Date()): Promise<number> {
  const r = await store.db
    .selectFrom('sessions')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_name', '=', name)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function actorOf(store: Store, name: string, via: Actor['via'], csrf?: string): Promise<Actor | null> {
  const user = await findUser(store, name);
  if (!user || user.disabled) return null;
  return {
    name: user.name,
    role: user.role,
    agencyId: user.agencyId,
    via,
    ...(csrf ? { csrf } : {}),
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

export async function sessionActor(store: Store, id: string, now = new Date()): Promise<Actor | null> {
  const row = await store.db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', sha256(id))
    .executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= now.toISOString()) {
    await store.db.deleteFrom('sessions').where('id_hash', '=', row.id_hash).execute();
    return null;
  }
  return actorOf(store, row.user_name, 'session', row.csrf_token);
}

/** Mint an API token for `name`; the token is shown once and kept only as its hash. */
export async function mintToken(store: Store, name: string, label: string): Promise<string> {
  const user = await requireUser(store, name);
  if (user.disabled) throw new AccountError(`${name} is disabled: enable the user first`, 'conflict');
  const cleanLabel = label.trim();
  if (!cleanLabel || cleanLabel.length > 100)
    throw new AccountError('the token label: say in 1 to 100 characters what the token is for');
  const token = `dl_${secret()}`;
  const hash = sha256(token);
  await store.db
    .insertInto('api_tokens')
    .values({
      token_hash: hash,
      id: hash.slice(0, 16),
      user_name: name,
      label: cleanLabel,
      created_at: new Date().toISOString(),
      revoked: 0,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

/** The tokens of `name`, newest first (revoked ones too, marked). */
export async function listTokens(store: Store, name: string): Promise<TokenInfo[]> {
  await requireUser(store, name);
  const rows = await store.db
    .selectFrom('api_tokens')
    .select(['id', 'user_name', 'label', 'created_at', 'last_used_at', 'revoked', 'revoked_at', 'token_hash'])
    .where('user_name', '=', name)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id ?? r.token_hash.slice(0, 16),
    user: r.user_name,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revoked: Number(r.revoked) !== 0,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revoke the token with this id: it stops working at once. Revoking it again changes nothing
 * (`already` says so).
 */
export async function revokeToken(store: Store, id: string): Promise<TokenInfo & { already: boolean }> {
  const row = await store.db
    .selectFrom('api_tokens')
    .select(['id', 'user_name', 'label', 'created_at', 'last_used_at', 'revoked', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new AccountError(
      `no API token \`${id}\`: \`detainer-ledger users tokens NAME\` lists a user's tokens`,
      'not-found',
    );
  const info: TokenInfo = {
    id,
    user: row.user_name,
    label: row.label,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: Number(row.revoked) !== 0,
    revokedAt: row.revoked_at,
  };
  if (info.revoked) return { ...info, already: true };
  const at = new Date().toISOString();
  await store.db.updateTable('api_tokens').set({ revoked: 1, revoked_at: at }).where('id', '=', id).execute();
  return { ...info, revoked: true, revokedAt: at, already: false };
}

export async function tokenActor(store: Store, token: string, now = new Date()): Promise<Actor | null> {
  const hash = sha256(token);
  const row = await store.db
    .selectFrom('api_tokens')
    .select(['user_name', 'revoked', 'last_used_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || Number(row.revoked) !== 0) return null;
  const actor = await actorOf(store, row.user_name, 'token');
  if (actor && (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USE_RESOLUTION_MS))
    await store.db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('token_hash', '=', hash)
      .execute();
  return actor;
}
