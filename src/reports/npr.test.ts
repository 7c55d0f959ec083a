/**
 * A report over the real NPR extract (data/npr), imported with the real importer: the extract
 * holds only lifted detainers (no declines), some at ICE's placeholder `OTHER-OTHER FACILITY`
 * with no state. The figures are checked against the CSV rows themselves.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/run.ts';
import { buildReport } from './build.ts';
import { addDays } from './period.ts';
import { testLedger, type TestLedger } from './test-support.ts';
import type { Report } from './types.ts';

const FILES = ['data/npr/residents.csv', 'data/npr/americans.csv'];
let t: TestLedger;
let rows: { date: string; det_facility: string; state: string }[];
let fy2015: Report;

const between = (from: string, to: string) => rows.filter((r) => r.date >= from && r.date <= to);

beforeAll(async () => {
  t = await testLedger();
  for (const file of FILES) {
    const s = await importFile({ store: t.store, registry: t.registry, file });
    expect(s.status).toBe('loaded');
  }
  rows = FILES.flatMap(
    (f) =>
      Papa.parse<{ date: string; det_facility: string; state: string }>(readFileSync(f, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data,
  ).map((r) => ({ ...r, date: r.date.slice(0, 10) }));
  fy2015 = await buildReport(t, { from: '2014-10-01', to: '2015-09-30' });
}, 60_000);
afterAll(async () => t.close());

describe('report over the NPR extract', () => {
  it('counts every row issued in the period, each lifted by ICE, and no declines', () => {
    const expected = between('2014-10-01', '2015-09-30').length;
    expect(expected).toBeGreaterThan(100);
    expect(fy2015.period.basis).toBe('range');
    expect(fy2015.sections.IV.requestsIssued).toBe(expected);
    const by = Object.fromEntries(fy2015.sections.IV.byOutcome.map((c) => [c.key, c.count]));
    expect(by['lifted-by-ice']).toBe(expected);
    expect(fy2015.sections.II).toEqual([]);
    expect(fy2015.sections.IV.declines).toBe(0);
    expect(fy2015.countyDeclines).toEqual({});
    expect(fy2015.synthetic).toBe(false);
  });

  it('lists the placeholder facility with no state as unresolved, never placed', () => {
    const placeholders = between('2014-10-01', '2015-09-30').filter(
      (r) => r.det_facility === 'OTHER-OTHER FACILITY',
    );
    const listed = fy2015.sections.IV.unresolvedNames.filter(
      (u) => u.facilityName === 'OTHER-OTHER FACILITY',
    );
    expect(listed.reduce((n, u) => n + u.count, 0)).toBe(placeholders.length);
    expect(listed.every((u) => u.state === '')).toBe(true);
  });

  it('ranks in section I only agencies under a limiting law, within the requests issued', () => {
    const total = fy2015.sections.I.reduce((n, r) => n + r.count, 0);
    expect(total).toBeLessThanOrEqual(fy2015.sections.IV.requestsIssued);
    for (const r of fy2015.sections.I) expect(['ca', 'il', 'ny', 'or']).toContain(r.state);
    expect(fy2015.sections.I.map((r) => r.count)).toEqual(
      [...fy2015.sections.I.map((r) => r.count)].sort((a, b) => b - a),
    );
  });

  it('gives a weekly trend whose requests match the extract week by week', async () => {
    const week = await buildReport(t, { week: '2015-06-10' });
    for (const w of week.weeklyTrend)
      expect(w.requests).toBe(between(w.weekStart, addDays(w.weekStart, 6)).length);
    expect(week.weeklyTrend.reduce((n, w) => n + w.requests, 0)).toBeGreaterThan(0);
  });
});
