/**
 * `detainer-ledger report` as a new user meets it (README "Reports"): the synthetic demo, a weekly
 * report in JSON, CSV and HTML, publish, list, show, dispute a row, correct it, and both editions
 * still readable. The real entry point, a real ledger file, real exit codes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/reports/types.ts';

const run = promisify(execFile);
let dir: string;
let db: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/detainer-ledger.js', ...args, '--db', db], {
      maxBuffer: 1 << 26,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const WEEK = '2026-11-18'; // a Wednesday: the week of Saturday 2026-11-14 to Friday 2026-11-20

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
  db = join(dir, 'ledger.db');
  const demo = await cli(
    'demo',
    '--weeks',
    '3',
    '--per-week',
    '800',
    '--end',
    '2026-11-20',
    '--out',
    join(dir, 'demo'),
  );
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detainer-ledger report', () => {
  let week: Report;

  it('writes the weekly report as JSON, labelled synthetic, with no personal fields', async () => {
    const out = join(dir, 'json');
    const r = await cli('report', '--week', WEEK, '--format', 'json', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SYNTHETIC/);
    const text = readFileSync(join(out, 'report.json'), 'utf8');
    week = JSON.parse(text) as Report;
    expect(week.period).toEqual({ from: '2026-11-14', to: '2026-11-20', basis: 'week' });
    expect(week.synthetic).toBe(true);
    expect(week.sections.IV.requestsIssued).toBeGreaterThan(500);
    expect(week.sections.II.length).toBe(week.sections.IV.declines);
    expect(week.sections.II.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/subject|demo-subject-|birth/i);
  });

  it('writes CSV files per section and a printable HTML page', async () => {
    const csv = await cli('report', '--week', WEEK, '--format', 'csv', '--out', join(dir, 'csv'));
    expect(csv.code, csv.stderr).toBe(0);
    expect(readdirSync(join(dir, 'csv')).filter((f) => f.endsWith('.csv')).length).toBeGreaterThanOrEqual(4);
    const html = await cli('report', '--week', WEEK, '--format', 'html', '--out', join(dir, 'html'));
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(dir, 'html', 'report.html'), 'utf8');
    expect(page).toMatch(/<svg/);
    expect(page).toMatch(/SYNTHETIC/i);
  });

  it('refuses bad input with exit code 2 and a reason', async () => {
    const bad = await cli('report', '--week', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--week.*2026-02-30/);
    expect((await cli('report', '--week', WEEK, '--format', 'pdf')).stderr).toMatch(/json, csv, html/);
    expect((await cli('report', '--week', WEEK, '--format', 'csv')).code).toBe(2); // no --out
    expect((await cli('report', '--from', '2026-11-20', '--to', '2026-11-01')).code).toBe(2);
    expect((await cli('report')).stderr).toMatch(/--week DATE, or --from DATE --to DATE/);
  });

  it('publishes, lists, shows, takes a dispute and a correction, and keeps both editions', async () => {
    const pub = await cli('report', 'publish', '--week', WEEK, '--by', 'analyst', '--json');
    expect(pub.code, pub.stderr).toBe(0);
    const { id } = JSON.parse(pub.stdout) as { id: string };
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);

    const shown = await cli('report', 'show', id.slice(7, 20));
    expect(shown.code, shown.stderr).toBe(0);
    const edition = JSON.parse(shown.stdout) as Report;
    expect(edition.edition?.id).toBe(id);
    expect(edition.sections.IV.declines).toBe(week.sections.IV.declines);

    const target = edition.sections.II[0]!.requestId;
    const noRow = await cli(
      'report',
      'dispute',
      id,
      '--row',
      'II:no-such-request',
      '--by',
      'Sheriff',
      '--reason',
      'x',
    );
    expect(noRow.code).toBe(2);
    const dispute = await cli(
      'report',
      'dispute',
      id,
      '--row',
      `II:${target}`,
      '--by',
      'County Sheriff',
      '--reason',
      'the person was never held here',
    );
    expect(dispute.code, dispute.stderr).toBe(0);
    expect(dispute.stdout).toContain(`II:${target}`);

    // nothing in the ledger changed yet: nothing to correct
    const early = await cli('report', 'correct', id, '--reason', 'r', '--by', 'analyst');
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/nothing/);

    // the ledger is corrected first: the request was issued to the wrong agency
    const fix = join(dir, 'fix.csv');
    writeFileSync(
      fix,
      `event_id,request_id,kind,date,reason\nfix-1,${target},issued-in-error,2026-11-25,held in another county\n`,
    );
    expect((await cli('import', fix)).code).toBe(0);

    const corrected = await cli(
      'report',
      'correct',
      id,
      '--reason',
      'issued to the wrong agency',
      '--by',
      'analyst',
      '--json',
    );
    expect(corrected.code, corrected.stderr).toBe(0);
    const { id: newId, notice } = JSON.parse(corrected.stdout) as {
      id: string;
      notice: { changes: { row: string; old: unknown; new: unknown }[]; text: string[] };
    };
    expect(newId).not.toBe(id);
    const rows = notice.changes.map((c) => c.row);
    expect(rows).toContain(`II:${target}`);
    expect(rows).toContain('IV:declines');
    expect(rows).toContain('IV:issuedInError');
    expect(
      rows.every((r) =>
        r.startsWith('II:') ? r === `II:${target}` : r.startsWith('IV:') || r.startsWith('I:'),
      ),
    ).toBe(true);
    expect(notice.changes.find((c) => c.row === 'IV:declines')).toMatchObject({
      old: { value: week.sections.IV.declines },
      new: { value: week.sections.IV.declines - 1 },
    });

    const list = await cli('report', 'list', '--json');
    const editions = JSON.parse(list.stdout) as {
      id: string;
      supersededBy: string | null;
      supersedes: string | null;
    }[];
    expect(editions.map((e) => e.id)).toEqual([id, newId]);
    expect(editions[0]!.supersededBy).toBe(newId);
    expect(editions[1]!.supersedes).toBe(id);

    // the first edition is unchanged; the second carries the notice, readable as HTML too
    const old = JSON.parse((await cli('report', 'show', id)).stdout) as Report;
    expect(old.sections.II.some((r) => r.requestId === target)).toBe(true);
    const out = join(dir, 'edition2');
    expect((await cli('report', 'show', newId, '--format', 'html', '--out', out)).code).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const second = JSON.parse((await cli('report', 'show', newId)).stdout) as Report;
    expect(second.sections.IV.corrections[0]?.supersedes).toBe(id);
    expect(second.sections.II.some((r) => r.requestId === target)).toBe(false);
  }, 120_000);
});
