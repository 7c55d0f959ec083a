/**
 * A scratch PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, a free
 * port, started with pg_ctl and removed after. PostgreSQL refuses to run as root, so when this
 * process is root the cluster belongs to the `postgres` user (made by the Debian package), or
 * `nobody` when there is none.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The folder of the newest installed PostgreSQL server binaries (Debian's layout, or
 * LEDGER_PG_BIN for another), or null when there is none.
 */
export function pgBinDir(): string | null {
  const own = process.env.LEDGER_PG_BIN;
  if (own) return existsSync(join(own, 'initdb')) ? own : null;
  for (const v of ['18', '17', '16', '15', '14', '13']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

/** Said loudly by every PostgreSQL suite that cannot run here. */
export const MISSING_POSTGRES =
  'PostgreSQL server binaries not found (in LEDGER_PG_BIN, or /usr/lib/postgresql/*/bin): SKIPPING the PostgreSQL store suites (install with `apt-get install -y postgresql`; CI does)';

export interface Cluster {
  /** superuser URL of the `postgres` database */
  url: string;
  /** a new, empty database; its URL */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startCluster(settings: Record<string, string> = {}): Promise<Cluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error(MISSING_POSTGRES);
  const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? ownerAccount() : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]) =>
    execFileSync(
      owner ? 'runuser' : join(bin, cmd),
      owner ? ['-u', owner.name, '--', join(bin, cmd), ...args] : args,
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  const stopCluster = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // already stopped (or never started): removing the folder is what matters
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const options = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      port: String(port),
      max_connections: '100',
      ...settings,
    };
    const o = Object.entries(options)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', o, '-w', '-t', '60', 'start']);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      async createDatabase(name = `ledger_${process.pid}_${++counter}`) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`create database ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      },
      async stop() {
        stopCluster();
      },
    };
  } catch (err) {
    stopCluster();
    throw err;
  }
}

function ownerAccount(): { name: string; uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such account: try the next
    }
  }
  throw new Error(
    'running as root, but neither a `postgres` nor a `nobody` account exists to own the cluster',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
