/**
 * `decide --batch` at the edges of how its input is read: a byte-order mark, a line longer than a
 * whole run of input, text that is not ASCII, no newline at the end, and standard input instead
 * of a file. Every answer must be the line `decide` prints for that request alone.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cli-decide-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/detainer-ledger.js', ...args], { maxBuffer: 1 << 28 });
  return stdout;
}

/** the CLI with `input` on standard input */
function cliWithInput(input: Buffer, ...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/detainer-ledger.js', ...args]);
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8') }));
    child.stdin.end(input);
  });
}

const EXAMPLES = 'docs/examples';
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as Record<string, unknown>);

describe('decide --batch input', () => {
  // longer than a run of input (1 MiB): it cannot be cut, the run must grow to hold it
  const long = { ...examples[1 % examples.length], id: 'x'.repeat(3 << 19) };
  // a run with any non-ASCII byte is read as UTF-8, the others as plain ASCII
  const named = { ...examples[2 % examples.length], id: 'Zoë ☃ 😀' };
  const requests = [examples[0]!, long, named, examples[0]!];
  const text = '\ufeff' + requests.map((r) => JSON.stringify(r)).join('\n'); // no newline at the end
  const file = join(dir, 'edges.jsonl');
  writeFileSync(file, text);

  it('answers each line as `decide` does alone, from a file and from standard input alike', async () => {
    const alone = await Promise.all(
      requests.map(async (r, i) => {
        const one = join(dir, `one-${i}.json`);
        writeFileSync(one, JSON.stringify(r));
        return (await cli('decide', one)).trimEnd();
      }),
    );
    expect(alone[1]).toContain(`"requestId":"${long.id}"`);
    const fromFile = await cli('decide', '--batch', file);
    expect(fromFile.trimEnd().split('\n')).toEqual(alone);
    const fromStdin = await cliWithInput(Buffer.from(text), 'decide', '--batch', '-');
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile);
  });

  it('says it cannot read a missing file, with exit code 2', async () => {
    const r = await run(process.execPath, [
      'bin/detainer-ledger.js',
      'decide',
      '--batch',
      join(dir, 'none.jsonl'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr).toMatch(/cannot read request file/);
  });
});
