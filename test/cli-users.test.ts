/**
 * `detainer-ledger users`: the first admin from the command line with the password on standard
 * input, never a default one; bad names, roles, agencies and weak passwords refused with exit
 * code 2 and nothing stored; API tokens shown once and kept as hashes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let db: string;
const LA_SHERIFF = 'ocd-division/country:us/state:ca/county:los_angeles/agency:sheriff';

function cli(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/detainer-ledger.js', ...args, '--db', db]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-users-'));
  db = join(dir, 'ledger.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detainer-ledger users', () => {
  it('adds the first admin with the password read from standard input', async () => {
    const r = await cli(['users', 'add', '--name', 'ada', '--role', 'admin'], 'a password long enough\n');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('added admin ada\n');
    const clerk = await cli(
      ['users', 'add', '--name', 'clara', '--role', 'clerk', '--agency', LA_SHERIFF],
      'another long password\n',
    );
    expect(clerk.code).toBe(0);
  }, 30_000);

  it('refuses a weak password, no password, a clerk without an agency, an unknown agency, a taken name, a bad role', async () => {
    const cases: [string[], string, RegExp][] = [
      [['--name', 'bob', '--role', 'admin'], 'short\n', /at least 12 characters/],
      [['--name', 'bob', '--role', 'admin'], '', /no password on standard input/],
      [['--name', 'bob', '--role', 'clerk'], 'a password long enough\n', /give --agency ID/],
      [
        ['--name', 'bob', '--role', 'clerk', '--agency', 'ocd-division/nowhere'],
        'a password long enough\n',
        /no agency/,
      ],
      [['--name', 'ada', '--role', 'admin'], 'a password long enough\n', /already exists/],
      [['--name', 'bob', '--role', 'root'], 'a password long enough\n', /clerk, supervisor, analyst, admin/],
    ];
    for (const [args, input, message] of cases) {
      const r = await cli(['users', 'add', ...args], input);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const conn = new Database(db, { readonly: true });
    const names = conn.prepare('select name from users order by name').all();
    conn.close();
    expect(names).toEqual([{ name: 'ada' }, { name: 'clara' }]);
  }, 60_000);

  it('lists the users and mints a token that is stored only as its hash', async () => {
    const list = await cli(['users', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'ada', role: 'admin', agencyId: null }),
      expect.objectContaining({ name: 'clara', role: 'clerk', agencyId: LA_SHERIFF }),
    ]);
    const t = await cli(['users', 'token', 'clara', '--label', 'jail system']);
    expect(t.code).toBe(0);
    const token = t.stdout.trim();
    expect(token).toMatch(/^dl_[A-Za-z0-9_-]{40,}$/);
    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('select token_hash, label from api_tokens').all() as {
      token_hash: string;
      label: string;
    }[];
    conn.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token.slice(3));
    expect(rows[0]!.label).toBe('jail system');
    expect((await cli(['users', 'token', 'nobody'])).code).toBe(2);
  }, 30_000);
  it('lists tokens by id, revokes one, disables and enables users; refusals exit 2 with a reason', async () => {
    const t = await cli(['users', 'token', 'clara', '--label', 'backup']);
    const id = /token id ([0-9a-f]{16})/.exec(t.stderr)?.[1];
    expect(id).toBeDefined();
    const list = await cli(['users', 'tokens', 'clara', '--json']);
    expect(list.code).toBe(0);
    const tokens = JSON.parse(list.stdout) as { id: string; label: string; revoked: boolean }[];
    expect(tokens.map((x) => x.label).sort()).toEqual(['backup', 'jail system']);
    expect(tokens.find((x) => x.id === id)).toMatchObject({ revoked: false });
    expect(list.stdout).not.toContain(t.stdout.trim());

    const r = await cli(['users', 'revoke', id!]);
    expect(r).toMatchObject({ code: 0, stdout: `revoked token ${id} (backup) of clara\n` });
    expect((await cli(['users', 'revoke', id!])).stdout).toMatch(/already revoked/);
    const text = await cli(['users', 'tokens', 'clara']);
    expect(text.stdout).toMatch(new RegExp(`^${id}\tbackup\t.*\trevoked `, 'm'));

    expect(await cli(['users', 'disable', 'clara'])).toMatchObject({ code: 0, stdout: 'disabled clara\n' });
    expect((await cli(['users', 'list'])).stdout).toContain(`clara\tclerk\t${LA_SHERIFF}\tdisabled`);
    expect(await cli(['users', 'enable', 'clara'])).toMatchObject({ code: 0, stdout: 'enabled clara\n' });

    const refusals: [string[], RegExp][] = [
      [['users', 'disable', 'ada'], /ada is the last active admin/],
      [['users', 'disable', 'nobody'], /no user `nobody`/],
      [['users', 'enable', 'nobody'], /no user `nobody`/],
      [['users', 'revoke', 'ffffffffffffffff'], /no API token `ffffffffffffffff`/],
      [['users', 'tokens', 'nobody'], /no user `nobody`/],
    ];
    for (const [args, message] of refusals) {
      const x = await cli(args);
      expect(x.code, args.join(' ')).toBe(2);
      expect(x.stderr).toMatch(message);
    }
    const conn = new Database(db, { readonly: true });
    const users = conn.prepare('select name, disabled from users order by name').all();
    const actions = conn.prepare('select action, target from audit_log order by at').all() as {
      action: string;
      target: string;
    }[];
    conn.close();
    expect(users).toEqual([
      { name: 'ada', disabled: 0 },
      { name: 'clara', disabled: 0 },
    ]);
    expect(actions.map((a) => `${a.action} ${a.target}`)).toEqual(
      expect.arrayContaining(['token.revoke clara', 'user.disable clara', 'user.enable clara']),
    );
    // revoking again is not audited twice
    expect(actions.filter((a) => a.action === 'token.revoke')).toHaveLength(1);
  }, 240_000);

  it('sets a password from standard input: it works once, to choose another', async () => {
    expect((await cli(['users', 'password', 'clara'], 'short\n')).code).toBe(2);
    const r = await cli(['users', 'password', 'clara'], 'a new one-time password\n');
    expect(r).toMatchObject({ code: 0, stdout: 'password of clara set; 0 sessions ended\n' });
    const conn = new Database(db, { readonly: true });
    const row = conn.prepare("select must_change_password from users where name = 'clara'").get();
    conn.close();
    expect(row).toEqual({ must_change_password: 1 });
  }, 60_000);
});
