import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { renderCsv } from './csv.ts';
import { sampleReport } from './sample-report.ts';

function parse(text: string): Record<string, string>[] {
  const r = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

describe('CSV per section', () => {
  const report = sampleReport({ counties: 60, declines: 150, corrections: true });
  const files = renderCsv(report);

  it('writes one file per section, the map and trend data, and about.csv', () => {
    expect(Object.keys(files).sort()).toEqual([
      'about.csv',
      'county-declines.csv',
      'section-1.csv',
      'section-2.csv',
      'section-3-287g.csv',
      'section-3.csv',
      'section-4-corrections.csv',
      'section-4-disputes.csv',
      'section-4-unresolved-names.csv',
      'section-4.csv',
      'weekly-trend.csv',
    ]);
  });

  it('starts every file with its header row, with no comment lines and no blank lines', () => {
    for (const [name, text] of Object.entries(files)) {
      const first = text.split('\n')[0]!;
      expect(first, name).toMatch(/^[a-z_]+(,[a-z_0-9]+)*$/);
      expect(text, name).not.toMatch(/^#/m);
      expect(text, name).not.toMatch(/\n\n/);
      expect(text.endsWith('\n'), name).toBe(true);
    }
    // a section with no rows is its header alone
    const empty = renderCsv(sampleReport({ counties: 5 }))['section-4-corrections.csv'];
    expect(empty).toBe('supersedes,row,field,old_value,new_value,reason,by,at\n');
  });

  it('puts the period, edition, revision and the synthetic marker in about.csv', () => {
    const about = Object.fromEntries(parse(files['about.csv']!).map((r) => [r.field, r.value]));
    expect(about).toMatchObject({
      data: 'SYNTHETIC DEMO DATA',
      synthetic: 'true',
      period_from: '2026-01-03',
      period_to: '2026-01-09',
      edition_id: 'sha256:bbbb',
      supersedes: 'sha256:aaaa',
      library_revision: 'sha256:5f1c0de',
    });
    const real = renderCsv(sampleReport({ synthetic: false }))['about.csv']!;
    expect(real).not.toContain('SYNTHETIC DEMO DATA');
  });

  it('parses back to the same section II rows', () => {
    const rows = parse(files['section-2.csv']!);
    expect(rows).toHaveLength(report.sections.II.length);
    report.sections.II.forEach((r, i) => {
      expect(rows[i]).toMatchObject({
        request_id: r.requestId,
        facility_name: r.facilityName ?? '',
        county_fips: r.countyFips ?? '',
        issued_date: r.issuedDate,
        declined_date: r.declinedDate ?? '',
        decline_date_basis: r.declineDateBasis,
        outcome: r.outcome,
        confirmed_by_agency: String(r.confirmedByAgency),
        synthetic: 'true',
      });
    });
  });

  it('parses back to the same numbers in sections I and IV, the map and the trend', () => {
    expect(parse(files['section-1.csv']!).map((r) => [r.id, Number(r.detainers_issued)])).toEqual(
      report.sections.I.map((r) => [r.id, r.count]),
    );
    const iv = Object.fromEntries(parse(files['section-4.csv']!).map((r) => [r.key, r.value]));
    expect(Number(iv.requestsIssued)).toBe(report.sections.IV.requestsIssued);
    expect(Number(iv.declines)).toBe(report.sections.II.length);
    for (const c of report.sections.IV.byOutcome) expect(Number(iv[`outcome:${c.key}`])).toBe(c.count);
    expect(Number(iv.confirmedShare)).toBeCloseTo(report.sections.IV.confirmedShare, 4);
    expect(
      Object.fromEntries(
        parse(files['county-declines.csv']!).map((r) => [r.county_fips, Number(r.declines)]),
      ),
    ).toEqual(report.countyDeclines);
    expect(
      parse(files['weekly-trend.csv']!).map((r) => ({
        weekStart: r.week_start,
        declines: Number(r.declines),
        requests: Number(r.requests),
      })),
    ).toEqual(report.weeklyTrend);
  });

  it('names counties from the atlas and flattens section III to one row per dimension with citations', () => {
    const counties = parse(files['county-declines.csv']!);
    expect(counties.every((c) => c.county_name!.includes(', '))).toBe(true);
    const iii = parse(files['section-3.csv']!);
    expect(iii).toHaveLength(report.sections.III.length * 5);
    expect(iii[0]).toMatchObject({ dimension: 'holds', confidence: 'high', limits_cooperation: 'true' });
    expect(iii[0]!.citations).toMatch(/^Board Policy /);
  });

  it('writes the corrections notice one row per change, and the open disputes', () => {
    expect(parse(files['section-4-corrections.csv']!)).toEqual([
      expect.objectContaining({ supersedes: 'sha256:aaaa', row: 'II:r-000099', field: '(row removed)' }),
    ]);
    expect(parse(files['section-4-disputes.csv']!)).toEqual([
      expect.objectContaining({ dispute_id: 'd-1', row: report.sections.IV.openDisputes[0]!.row }),
    ]);
  });

  it('keeps a formula in a facility name from running in a spreadsheet', () => {
    const text = renderCsv(sampleReport({ hostileFacilityName: '=HYPERLINK("http://x.example","jail")' }))[
      'section-2.csv'
    ]!;
    const names = parse(text).map((r) => r.facility_name);
    expect(names).toContain(`'=HYPERLINK("http://x.example","jail")`);
    expect(names.some((n) => n!.startsWith('='))).toBe(false);
  });
});
