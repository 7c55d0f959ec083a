/** `detainer-ledger serve` through the real entry point: it listens, answers, and stops on SIGTERM. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'serve-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detainer-ledger serve', () => {
  it('serves the API and the pages on the port it is given, and stops cleanly', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/detainer-ledger.js',
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--db',
        join(dir, 'ledger.db'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
    });
    try {
      const health = await fetch(`${url}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', requests: 0 });
      const home = await fetch(`${url}/`);
      expect(home.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await home.text()).not.toContain('SYNTHETIC DEMO DATA');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not one', async () => {
    const run = promisify(execFile);
    const err = await run(process.execPath, [
      'bin/detainer-ledger.js',
      'serve',
      '--port',
      'eighty',
      '--db',
      join(dir, 'x.db'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain(
      '--port must be a whole number from 0 to 65535, not `eighty`',
    );
  });

  it('refuses an import limit that is not a size', async () => {
    const run = promisify(execFile);
    const err = await run(process.execPath, [
      'bin/detainer-ledger.js',
      'serve',
      '--import-limit',
      'lots',
      '--db',
      join(dir, 'x.db'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain(
      '--import-limit must be a number of megabytes above 0, not `lots`',
    );
  });
});
