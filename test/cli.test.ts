/**
 * The command line as a new user meets it: the real `detainer-ledger` entry point, a real ledger
 * file, real exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dir: string;
let db: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/detainer-ledger.js', ...args, '--db', db], {
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  db = join(dir, 'ledger.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detainer-ledger', () => {
  it('loads a synthetic demo, labelled so, and counts it', async () => {
    const demo = await cli(
      'demo',
      '--weeks',
      '2',
      '--per-week',
      '500',
      '--end',
      '2026-11-20',
      '--out',
      join(dir, 'demo'),
    );
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^SYNTHETIC DEMO DATA/);
    const stats = await cli('stats', '--json');
    const s = JSON.parse(stats.stdout);
    expect(s.requests).toBe(1000);
    expect(s.synthetic).toBe(1000);
    expect(s.issuedFrom >= '2026-11-07' && s.issuedTo <= '2026-11-20').toBe(true);
    const human = await cli('stats');
    expect(human.stdout.split('\n')[0]).toMatch(/SYNTHETIC/);
  });

  it('loads the demo once: run again, nothing changes', async () => {
    const before = JSON.parse((await cli('stats', '--json')).stdout);
    const again = await cli(
      'demo',
      '--weeks',
      '2',
      '--per-week',
      '500',
      '--end',
      '2026-11-20',
      '--out',
      join(dir, 'demo'),
      '--json',
      '--publish',
    );
    const out = JSON.parse(again.stdout) as {
      imports: { loaded: number; duplicates: number }[];
      edition: string;
    };
    expect(out.imports.every((i) => i.loaded === 0 && i.duplicates > 0)).toBe(true);
    expect(JSON.parse((await cli('stats', '--json')).stdout)).toEqual(before);
    // --publish: the last week is an edition, labelled synthetic, so a new site has one to show
    const editions = JSON.parse((await cli('report', 'list', '--json')).stdout) as {
      id: string;
      to: string;
      synthetic: boolean;
    }[];
    expect(editions).toEqual([
      expect.objectContaining({ id: out.edition, to: '2026-11-20', synthetic: true }),
    ]);
    const skipped = await cli('demo', '--if-empty');
    expect(skipped.stdout).toMatch(/already holds 1,000 requests/);
  });

  it('rejects a bad file whole, with exit code 4, and leaves the ledger unchanged', async () => {
    const before = JSON.parse((await cli('stats', '--json')).stdout);
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'request_id,type,issued_date,state,facility_name\n' +
        'x-1,hold,2019-03-04,CA,LOS ANGELES COUNTY JAIL\n' +
        'x-2,hold,2019-02-30,CA,LOS ANGELES COUNTY JAIL\n',
    );
    const r = await cli('import', bad);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/rejected: nothing was written/);
    expect(r.stdout).toMatch(/E_DATE_IMPOSSIBLE row 3, column issued_date/);
    expect(JSON.parse((await cli('stats', '--json')).stdout)).toEqual(before);

    const partial = await cli('import', bad, '--accept-partial', '--json');
    expect(partial.code).toBe(0);
    expect(JSON.parse(partial.stdout)).toMatchObject({ status: 'partial', loaded: 1, rejected: 1 });
  });

  it('verifies the chain, and finds an event changed behind its back', async () => {
    const ok = await cli('verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const raw = new Database(db);
    raw.prepare("update events set date = '2001-01-01' where seq = (select max(seq) from events)").run();
    raw.close();
    const bad = await cli('verify');
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/TAMPERED/);
    expect(bad.stdout).toMatch(/E_CHAIN_CONTENT/);
  });

  it('never resolves a bare county name without its state', async () => {
    const r = JSON.parse((await cli('jurisdictions', 'search', 'Franklin County', '--json')).stdout);
    expect(r.resolution.status).toBe('ambiguous');
    expect(r.resolution.divisionId).toBeNull();
    const pa = JSON.parse((await cli('jurisdictions', 'search', 'Franklin Co., PA', '--json')).stdout);
    expect(pa.resolution.divisionId).toBe('ocd-division/country:us/state:pa/county:franklin');
    const bad = await cli('jurisdictions', 'search', 'Franklin County', '--state', 'XX');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown state `XX`/);
  });

  it('adds an agency and a facility that names then resolve to, and refuses a bad kind', async () => {
    const division = 'ocd-division/country:us/state:nc/county:richmond';
    const added = await cli(
      'jurisdictions',
      'add-agency',
      '--name',
      'Richmond County Jail',
      '--kind',
      'jail',
      '--division',
      division,
    );
    expect(added.stdout).toMatch(/added ocd-division\/country:us\/state:nc\/county:richmond\/agency:jail/);
    const facility = await cli(
      'jurisdictions',
      'add-facility',
      '--name',
      'RICHMOND CO DETENTION CTR',
      '--detloc',
      'RICHMNC',
      '--agency',
      `${division}/agency:jail`,
    );
    expect(facility.stdout).toMatch(/added facility:RICHMNC/);
    const r = JSON.parse(
      (await cli('jurisdictions', 'search', 'RICHMOND CO DETENTION CTR', '--state', 'NC', '--json')).stdout,
    );
    expect(r.resolution).toMatchObject({
      status: 'resolved',
      facilityId: 'facility:RICHMNC',
      divisionId: division,
    });
    const bad = await cli(
      'jurisdictions',
      'add-agency',
      '--name',
      'x',
      '--kind',
      'cop',
      '--division',
      division,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown agency kind `cop`/);
  });
});
