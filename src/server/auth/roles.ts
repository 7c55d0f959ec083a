/**
 * Staff roles and what each may do. A clerk works for one agency; a supervisor too, and may also
 * dispute and correct report editions; an analyst reads every agency's requests and publishes
 * editions and imports files (a file may hold every agency's rows, so a clerk or supervisor may
 * not); an admin may do everything, including reading the audit log.
 */
export const ROLES = ['clerk', 'supervisor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'desk' // open the desk
  | 'record' // record requests and their events
  | 'read-all' // read every agency's requests, not only the user's own
  | 'publish' // publish a report edition
  | 'correct' // dispute and correct report editions
  | 'import' // import files (any agency's rows: a file is not one agency's)
  | 'audit' // read the audit log
  | 'users'; // add users, change their roles, disable them, reset passwords, issue and revoke tokens

const GRANTS: Record<Role, readonly Permission[]> = {
  clerk: ['desk', 'record'],
  supervisor: ['desk', 'record', 'correct'],
  analyst: ['desk', 'read-all', 'publish', 'import'],
  admin: ['desk', 'record', 'read-all', 'publish', 'correct', 'import', 'audit', 'users'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The user a request acts as: from a session cookie or an API token. */
export interface Actor {
  name: string;
  role: Role;
  agencyId: string | null;
  /** how the request proved who it is */
  via: 'session' | 'token';
  /** the session's CSRF token (sessions only) */
  csrf?: string;
  /** an administrator set the password: a session may only choose a new one until then */
  mustChangePassword?: boolean;
}

/** May `actor` act on requests of `agencyId`? Their own agency, or any with `read-all`/admin. */
export function mayActFor(actor: Actor, agencyId: string | null, what: 'read' | 'write'): boolean {
  if (actor.role === 'admin') return true;
  if (what === 'read' && can(actor.role, 'read-all')) return true;
  if (what === 'write' && !can(actor.role, 'record')) return false;
  return actor.agencyId !== null && actor.agencyId === agencyId;
}
