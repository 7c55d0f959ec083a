/**
 * `decide`, `policy` and `replay` as a user runs them: the real entry point, real files, real exit
 * codes. The batch test is large enough to be cut into several runs across worker threads, so it
 * proves the answers come back in input order.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/detainer-ledger.js', ...args], {
      maxBuffer: 1 << 28,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const EXAMPLES = 'docs/examples';
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as Record<string, unknown>);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-decide-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detainer-ledger decide', () => {
  it('decides one request: California 2019, a hold on an I-200 is forbidden, with its citation', async () => {
    const r = await cli('decide', join(EXAMPLES, 'ca-hold-lasd-2019.json'));
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.decision).toBe('forbidden');
    expect(d.asOf).toBe('2019-03-04');
    expect(d.libraryRevision).toMatch(/^sha256:/);
    expect(d.deciding).toEqual(['ca-values-act#a1b-no-hold']);
    expect(JSON.stringify(d.trace)).toMatch(/Cal\. Gov\. Code §7284\.6\(a\)\(1\)\(B\)/);
    const explained = await cli('decide', '--explain', join(EXAMPLES, 'ca-hold-lasd-2019.json'));
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/7284\.6/);
  });

  it.each([
    ['an unknown field', { ...examples[0], colour: 'blue' }, /colour/],
    ['an impossible date', { ...examples[0], date: '2019-02-30' }, /2019-02-30/],
    [
      'an unknown division',
      { ...examples[0], receiver: { division: 'ocd-division/country:us/state:ca/county:atlantis' } },
      /atlantis/,
    ],
    ['an unknown request type', { ...examples[0], type: 'deport' }, /deport/],
  ])('refuses %s with exit code 2, naming the value', async (_what, request, named) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(request));
    const r = await cli('decide', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(named);
  });

  it('--batch answers every line in order across several worker runs, and marks the bad line', async () => {
    const lines = Array.from({ length: 9000 }, (_, i) => JSON.stringify(examples[i % examples.length]));
    lines[4321] = JSON.stringify({ ...examples[0], date: '2019-02-30' });
    lines[6000] = '';
    const file = join(dir, 'batch.jsonl');
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    expect(readFileSync(file).length).toBeGreaterThan(3 << 20); // more than one run of input

    const one = await Promise.all(
      readdirSync(EXAMPLES)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map(async (f) => (await cli('decide', join(EXAMPLES, f))).stdout.trim()),
    );

    const r = await cli('decide', '--batch', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 4322: .*2019-02-30/);
    expect(r.stderr).toMatch(/1 of 9000 requests were invalid/);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(8999); // the blank line has no answer
    for (let i = 0, o = 0; i < lines.length; i++) {
      if (i === 6000) continue;
      if (i === 4321) expect(JSON.parse(out[o]!)).toMatchObject({ line: 4322 });
      else expect(out[o]).toBe(one[i % examples.length]);
      o++;
    }
  });
});

describe('detainer-ledger policy', () => {
  it('runs every instrument’s test cases', async () => {
    const r = await cli('policy', 'test');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/passed/);
  });

  it('says what changed for Los Angeles County across 1 January 2018', async () => {
    const r = await cli(
      'policy',
      'diff',
      '--division',
      'ocd-division/country:us/state:ca/county:los_angeles',
      '--from',
      '2017-12-31',
      '--to',
      '2018-01-01',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toMatch(/7284/);
  });
});

describe('detainer-ledger decide --record and replay', () => {
  it('stores the decision with the ledger request and replays it under the same revision', async () => {
    const db = join(dir, 'ledger.db');
    const csv = join(dir, 'requests.csv');
    writeFileSync(
      csv,
      'request_id,type,issued_date,state,facility_name,facility_city\n' +
        'r-lasd-1,hold,2019-03-04,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES\n',
    );
    expect((await cli('import', csv, '--db', db)).code).toBe(0);
    const rec = await cli(
      'decide',
      join(EXAMPLES, 'ca-hold-lasd-2019.json'),
      '--record',
      'r-lasd-1',
      '--db',
      db,
    );
    expect(rec.stderr).toMatch(/recorded as event/);
    expect(rec.code).toBe(0);
    const again = await cli(
      'decide',
      join(EXAMPLES, 'ca-hold-lasd-2019.json'),
      '--record',
      'r-lasd-1',
      '--db',
      db,
    );
    expect(again.stderr).toMatch(/already recorded/);
    const replay = await cli('replay', 'r-lasd-1', '--db', db, '--json');
    expect(replay.code).toBe(0);
    const j = JSON.parse(replay.stdout);
    expect(j.same).toBe(true);
    expect(j.stored.decision).toBe('forbidden');
    expect((await cli('verify', '--db', db)).code).toBe(0);
    const wrong = await cli(
      'decide',
      join(EXAMPLES, 'ca-hold-lasd-2019.json'),
      '--record',
      'nope',
      '--db',
      db,
    );
    expect(wrong.code).toBe(2);
  });
});
