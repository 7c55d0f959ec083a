/** The audit log: every staff action, who did it, when and from where. Append-only. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../ledger/store.ts';

export interface AuditEntry {
  at: string;
  user: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export async function audit(
  store: Store,
  e: { user: string | null; action: string; target?: string | null; ip?: string | null; detail?: object },
): Promise<void> {
  await store.db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: new Date().toISOString(),
      user_name: e.user,
      action: e.action,
      target: e.target ?? null,
      ip: e.ip ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute();
}

export async function auditEntries(
  store: Store,
  opts: { limit?: number; user?: string; action?: string } = {},
): Promise<AuditEntry[]> {
  let q = store.db.selectFrom('audit_log').selectAll();
  if (opts.user) q = q.where('user_name', '=', opts.user);
  if (opts.action) q = q.where('action', '=', opts.action);
  const rows = await q
    .orderBy('at', 'desc')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    user: r.user_name,
    action: r.action,
    target: r.target,
    ip: r.ip,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
