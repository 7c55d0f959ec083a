/**
 * Users, sessions and API tokens in the ledger database (migration 5), through Kysely so both
 * stores share it. Session ids and API tokens are random 256-bit values given to the client once;
 * the database keeps only their sha256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../ledger/store.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { isRole, type Actor, type Role } from './roles.ts';

export class AccountError extends Error {}

export interface User {
  name: string;
  role: Role;
  agencyId: string | null;
  createdAt: string;
  disabled: boolean;
}

export const SESSION_HOURS = 12;
const NAME = /^[A-Za-z0-9._@-]{2,64}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

function toUser(row: {
  name: string;
  role: string;
  agency_id: string | null;
  created_at: string;
  disabled: number;
}): User {
  if (!isRole(row.role)) throw new AccountError(`user ${row.name} has an unknown role \`${row.role}\``);
  return {
    name: row.name,
    role: row.role,
    agencyId: row.agency_id,
    createdAt: row.created_at,
    disabled: Number(row.disabled) !== 0,
  };
}

export async function addUser(
  store: Store,
  u: { name: string; role: string; agencyId: string | null; password: string },
): Promise<User> {
  if (!NAME.test(u.name))
    throw new AccountError(
      `user name \`${u.name}\`: use 2 to 64 letters, digits, dots, dashes, underscores or @`,
    );
  if (!isRole(u.role))
    throw new AccountError(`role \`${u.role}\`: use one of clerk, supervisor, analyst, admin`);
  if ((u.role === 'clerk' || u.role === 'supervisor') && !u.agencyId)
    throw new AccountError(`a ${u.role} works for one agency: give --agency ID`);
  const weak = passwordProblem(u.password);
  if (weak) throw new AccountError(weak);
  const taken = await store.db
    .selectFrom('users')
    .select('name')
    .where('name', '=', u.name)
    .executeTakeFirst();
  if (taken) throw new AccountError(`user \`${u.name}\` already exists`);
  const row = {
    name: u.name,
    role: u.role,
    agency_id: u.agencyId,
    password_hash: await hashPassword(u.password),
    created_at: new Date().toISOString(),
    disabled: 0,
  };
  await store.db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await store.db
    .selectFrom('users')
    .select(['name', 'role', 'agency_id', 'created_at', 'disabled'])
    .orderBy('name')
    .execute();
  return rows.map(toUser);
}

export async function findUser(store: Store, name: string): Promise<User | undefined> {
  const row = await store.db
    .selectFrom('users')
    .select(['name', 'role', 'agency_id', 'created_at', 'disabled'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
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

/** A new session for `user`: the id goes in the cookie, its hash in the table. */
export async function createSession(store: Store, user: User, now = new Date()): Promise<string> {
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
  return id;
}

export async function endSession(store: Store, id: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('id_hash', '=', sha256(id)).execute();
}

async function actorOf(store: Store, name: string, via: Actor['via'], csrf?: string): Promise<Actor | null> {
  const user = await findUser(store, name);
  if (!user || user.disabled) return null;
  return { name: user.name, role: user.role, agencyId: user.agencyId, via, ...(csrf ? { csrf } : {}) };
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
  const user = await findUser(store, name);
  if (!user) throw new AccountError(`no user \`${name}\`: \`detainer-ledger users list\` shows them`);
  const token = `dl_${secret()}`;
  await store.db
    .insertInto('api_tokens')
    .values({
      token_hash: sha256(token),
      user_name: name,
      label,
      created_at: new Date().toISOString(),
      revoked: 0,
    })
    .execute();
  return token;
}

export async function tokenActor(store: Store, token: string): Promise<Actor | null> {
  const row = await store.db
    .selectFrom('api_tokens')
    .select(['user_name', 'revoked'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || Number(row.revoked) !== 0) return null;
  return actorOf(store, row.user_name, 'token');
}
