/**
 * The account functions on both stores: disabling, role changes and the last-admin rule, password
 * resets ending sessions, tokens listed by id, revoked and stamped when used, expired sessions
 * purged.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadRegistry } from '../../jurisdictions/registry.ts';
import type { FreshStore } from '../../ledger/store-suite.ts';
import { eachStore } from '../../ledger/test-stores.ts';
import type { Store } from '../../ledger/store.ts';
import {
  AccountError,
  SESSION_HOURS,
  addUser,
  changeOwnPassword,
  changeRole,
  checkPassword,
  countSessions,
  createSession,
  findUser,
  listTokens,
  listUsersWithTokens,
  mintToken,
  purgeExpiredSessions,
  resetPassword,
  revokeToken,
  sessionActor,
  setDisabled,
  tokenActor,
  tokenId,
} from './accounts.ts';

const LA = 'ocd-division/country:us/state:ca/county:los_angeles/agency:sheriff';
const PW = 'a long test password';
const registry = loadRegistry();

eachStore((fresh) => {
  let f: FreshStore;
  let store: Store;
  beforeEach(async () => {
    f = await fresh();
    store = f.store;
    await addUser(store, { name: 'ada', role: 'admin', agencyId: null, password: PW });
    await addUser(store, { name: 'clara', role: 'clerk', agencyId: LA, password: PW });
  });
  afterEach(async () => {
    await f.dispose();
  });

  const refused = async (p: Promise<unknown>, kind: AccountError['kind'], message: RegExp) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AccountError);
    expect((e as AccountError).kind).toBe(kind);
    expect((e as AccountError).message).toMatch(message);
  };

  it('keeps one active admin: the last cannot be disabled or demoted, a second one can', async () => {
    await refused(setDisabled(store, 'ada', true), 'conflict', /last active admin/);
    await refused(changeRole(store, 'ada', { role: 'analyst', agencyId: null }), 'conflict', /last/);
    expect((await findUser(store, 'ada'))!).toMatchObject({ role: 'admin', disabled: false });
    await changeRole(store, 'clara', { role: 'admin', agencyId: LA, registry });
    const u = await setDisabled(store, 'ada', true);
    expect(u.disabled).toBe(true);
    expect(u.disabledAt).toMatch(/^\d{4}-/);
    // a disabled admin is not an active one: clara is now the last
    await refused(setDisabled(store, 'clara', true), 'conflict', /clara is the last active admin/);
  });

  it('checks a role and agency against the registry', async () => {
    await refused(changeRole(store, 'clara', { role: 'clerk', agencyId: null }), 'invalid', /one agency/);
    await refused(
      changeRole(store, 'clara', { role: 'clerk', agencyId: 'ocd-division/nowhere', registry }),
      'invalid',
      /no agency `ocd-division\/nowhere`/,
    );
    await refused(
      changeRole(store, 'clara', { role: 'root', agencyId: null }),
      'invalid',
      /clerk, supervisor/,
    );
    await refused(changeRole(store, 'nobody', { role: 'analyst', agencyId: null }), 'not-found', /no user/);
    await refused(
      addUser(store, { name: 'bob', role: 'clerk', agencyId: 'x', password: PW, registry }),
      'invalid',
      /no agency/,
    );
    expect((await findUser(store, 'clara'))!.role).toBe('clerk');
  });

  it('a disabled user cannot log in, and their sessions and tokens stop working', async () => {
    const clara = (await findUser(store, 'clara'))!;
    const session = await createSession(store, clara);
    const token = await mintToken(store, 'clara', 'jail system');
    expect((await sessionActor(store, session))?.name).toBe('clara');
    await setDisabled(store, 'clara', true);
    expect(await checkPassword(store, 'clara', PW)).toBeNull();
    expect(await sessionActor(store, session)).toBeNull();
    expect(await tokenActor(store, token)).toBeNull();
    await refused(mintToken(store, 'clara', 'another'), 'conflict', /disabled/);
    await setDisabled(store, 'clara', false);
    expect((await checkPassword(store, 'clara', PW))?.name).toBe('clara');
    // the session ended for good; the token, not revoked, works again
    expect(await sessionActor(store, session)).toBeNull();
    expect((await tokenActor(store, token))?.name).toBe('clara');
  });

  it('a reset ends every session and asks for a new password; changing it clears that', async () => {
    const clara = (await findUser(store, 'clara'))!;
    await createSession(store, clara);
    await createSession(store, clara);
    expect(await countSessions(store, 'clara')).toBe(2);
    expect(await resetPassword(store, 'clara', 'one-time password 1')).toBe(2);
    expect(await countSessions(store, 'clara')).toBe(0);
    expect(await checkPassword(store, 'clara', PW)).toBeNull();
    const again = (await checkPassword(store, 'clara', 'one-time password 1'))!;
    expect(again.mustChangePassword).toBe(true);
    const keep = await createSession(store, again);
    const other = await createSession(store, again);
    expect((await sessionActor(store, keep))?.mustChangePassword).toBe(true);
    await refused(changeOwnPassword(store, 'clara', 'wrong password!', 'x'.repeat(20)), 'invalid', /current/);
    await refused(changeOwnPassword(store, 'clara', 'one-time password 1', 'short'), 'invalid', /12/);
    await changeOwnPassword(store, 'clara', 'one-time password 1', 'my own new password', keep);
    expect((await sessionActor(store, keep))?.mustChangePassword).toBeUndefined();
    expect(await sessionActor(store, other)).toBeNull();
    expect(await (await findUser(store, 'clara'))!.mustChangePassword).toBe(false);
    expect((await findUser(store, 'clara'))!.lastLoginAt).toMatch(/^\d{4}-/);
  });

  it('lists tokens by an id that is not the secret, revokes them, and stamps their last use', async () => {
    const token = await mintToken(store, 'clara', 'jail system');
    const second = await mintToken(store, 'clara', 'backup');
    let list = await listTokens(store, 'clara');
    expect(list.map((t) => t.label).sort()).toEqual(['backup', 'jail system']);
    const id = tokenId(token);
    expect(list.find((t) => t.label === 'jail system')).toMatchObject({
      id,
      revoked: false,
      lastUsedAt: null,
    });
    expect(token).not.toContain(id);
    expect((await listUsersWithTokens(store)).find((u) => u.name === 'clara')!.tokens).toBe(2);

    expect((await tokenActor(store, token))?.name).toBe('clara');
    list = await listTokens(store, 'clara');
    expect(list.find((t) => t.id === id)!.lastUsedAt).toMatch(/^\d{4}-/);

    const r = await revokeToken(store, id);
    expect(r).toMatchObject({ id, user: 'clara', revoked: true });
    expect(await tokenActor(store, token)).toBeNull();
    expect((await tokenActor(store, second))?.name).toBe('clara');
    // again: nothing changes, the first revocation time stays
    expect((await revokeToken(store, id)).revokedAt).toBe(r.revokedAt);
    await refused(revokeToken(store, 'ffffffffffffffff'), 'not-found', /no API token/);
    expect((await listUsersWithTokens(store)).find((u) => u.name === 'clara')!.tokens).toBe(1);
  });

  it('deletes expired sessions on log-in and when asked', async () => {
    const clara = (await findUser(store, 'clara'))!;
    const long_ago = new Date(Date.now() - 2 * SESSION_HOURS * 3600_000);
    await createSession(store, clara, long_ago);
    await createSession(store, clara, long_ago);
    const n = async () => (await store.db.selectFrom('sessions').select('id_hash').execute()).length;
    expect(await n()).toBe(2);
    await createSession(store, clara);
    expect(await n()).toBe(1);
    await createSession(store, clara, long_ago);
    expect(await purgeExpiredSessions(store)).toBe(1);
    expect(await n()).toBe(1);
  });
});
