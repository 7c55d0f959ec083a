import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  AccountError,
  addUser,
  listTokens,
  listUsers,
  mintToken,
  resetPassword,
  revokeToken,
  setDisabled,
  tokenId,
} from '../../server/auth/accounts.ts';
import { audit } from '../../server/auth/audit.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';

/**
 * The password: the first line of standard input when it is not a terminal (scripts), else asked
 * twice without echo. There is never a default password.
 */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new CliError('no password on standard input: pipe one line, or run this at a terminal', 2);
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            return resolve(value);
          }
          if (ch === '\u0003') process.exit(130);
          if (ch === '\u007f') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const again = await ask('Password again: ');
  if (first !== again) throw new CliError('the two passwords differ: nothing was changed', 2);
  return first;
}

const asCliError = (e: unknown) => (e instanceof AccountError ? new CliError(e.message, 2) : e);

/**
 * `detainer-ledger users add | list | token | tokens | revoke | disable | enable | password`: staff
 * accounts and API tokens, by the same rules as the desk's /admin/users, audited as done from here.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('staff accounts of the desk and API tokens');
  withDb(
    users
      .command('add')
      .description('add a user; the password is read from standard input or asked for')
      .requiredOption('--name <name>', 'log-in name')
      .requiredOption('--role <role>', 'clerk, supervisor, analyst or admin')
      .option('--agency <id>', 'the agency a clerk or supervisor works for (registry id)'),
  ).action(async (opts: { db: string; name: string; role: string; agency?: string }) => {
    const password = await readPassword();
    await withStore(opts.db, async (store) => {
      if (opts.agency && !(await registryFor(store)).agency(opts.agency))
        throw new CliError(
          `no agency \`${opts.agency}\` in the registry: \`detainer-ledger jurisdictions search NAME --state XX\` finds its id`,
          2,
        );
      try {
        const u = await addUser(store, {
          name: opts.name,
          role: opts.role,
          agencyId: opts.agency ?? null,
          password,
        });
        await audit(store, {
          user: null,
          action: 'user.add',
          target: u.name,
          detail: { role: u.role, agency: u.agencyId, via: 'cli' },
        });
        process.stdout.write(`added ${u.role} ${u.name}${u.agencyId ? ` of ${u.agencyId}` : ''}\n`);
      } catch (e) {
        throw asCliError(e);
      }
    });
  });
  withJson(withDb(users.command('list').description('list the users'))).action(
    async (opts: { db: string; json?: boolean }) => {
      const list = await withStore(opts.db, listUsers);
      if (opts.json) return printJson(list);
      for (const u of list)
        process.stdout.write(
          `${u.name}\t${u.role}\t${u.agencyId ?? '-'}\t${u.disabled ? 'disabled' : 'active'}\n`,
        );
    },
  );
  withDb(
    users
      .command('token <name>')
      .description('mint an API token for a user (shown once; send it as `Authorization: Bearer TOKEN`)')
      .option('--label <text>', 'what the token is for', 'api'),
  ).action(async (name: string, opts: { db: string; label: string }) => {
    await withStore(opts.db, async (store) => {
      try {
        const token = await mintToken(store, name, opts.label);
        await audit(store, {
          user: null,
          action: 'token.mint',
          target: name,
          detail: { label: opts.label, via: 'cli' },
        });
        process.stdout.write(`${token}\n`);
        process.stderr.write(`token id ${tokenId(token)} (to revoke it: detainer-ledger users revoke ID)\n`);
      } catch (e) {
        throw asCliError(e);
      }
    });
  });
  withJson(
    withDb(
      users
        .command('tokens <name>')
        .description("list a user's API tokens (ids and labels, never the tokens)"),
    ),
  ).action(async (name: string, opts: { db: string; json?: boolean }) => {
    const list = await withStore(opts.db, async (store) => {
      try {
        return await listTokens(store, name);
      } catch (e) {
        throw asCliError(e);
      }
    });
    if (opts.json) return printJson(list);
    if (!list.length) process.stderr.write(`${name} has no API tokens\n`);
    for (const t of list)
      process.stdout.write(
        `${t.id}\t${t.label}\t${t.createdAt}\t${t.lastUsedAt ?? 'never used'}\t${t.revoked ? `revoked ${t.revokedAt ?? ''}` : 'works'}\n`,
      );
  });
  withDb(
    users.command('revoke <token-id>').description('revoke an API token: it stops working at once'),
  ).action(async (id: string, opts: { db: string }) => {
    await withStore(opts.db, async (store) => {
      try {
        const t = await revokeToken(store, id);
        if (t.already) {
          process.stdout.write(`token ${id} of ${t.user} was already revoked (${t.revokedAt ?? ''})\n`);
          return;
        }
        await audit(store, {
          user: null,
          action: 'token.revoke',
          target: t.user,
          detail: { id, label: t.label, via: 'cli' },
        });
        process.stdout.write(`revoked token ${id} (${t.label}) of ${t.user}\n`);
      } catch (e) {
        throw asCliError(e);
      }
    });
  });
  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    withDb(
      users
        .command(`${command} <name>`)
        .description(
          disabled
            ? 'disable a user: no log-in; sessions end and API tokens stop working at once'
            : 'enable a disabled user again',
        ),
    ).action(async (name: string, opts: { db: string }) => {
      await withStore(opts.db, async (store) => {
        try {
          await setDisabled(store, name, disabled);
          await audit(store, { user: null, action: `user.${command}`, target: name, detail: { via: 'cli' } });
          process.stdout.write(`${command}d ${name}\n`);
        } catch (e) {
          throw asCliError(e);
        }
      });
    });
  withDb(
    users
      .command('password <name>')
      .description(
        "set a user's password (read like `add` does); their sessions end and they choose a new one at the next log-in",
      ),
  ).action(async (name: string, opts: { db: string }) => {
    const password = await readPassword();
    await withStore(opts.db, async (store) => {
      try {
        const ended = await resetPassword(store, name, password);
        await audit(store, {
          user: null,
          action: 'user.password-reset',
          target: name,
          detail: { sessionsEnded: ended, via: 'cli' },
        });
        process.stdout.write(`password of ${name} set; ${ended} session${ended === 1 ? '' : 's'} ended\n`);
      } catch (e) {
        throw asCliError(e);
      }
    });
  });
}
