/**
 * The same numbers in the HTML, the CSV and the JSON (ddor.md item 7), suppression applied the
 * same way in all three, and no personal data in any of them: over made-up reports of realistic
 * size and over reports built from a small ledger through the real importer and builder.
 */
import { parseHTML } from 'linkedom';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../build.ts';
import { ddorWeekFiles, testLedger, type TestLedger } from '../test-support.ts';
import { reportFigures, type Report, type ReportFigure } from '../types.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { sampleReport } from './sample-report.ts';

interface Rendered {
  html: string;
  csv: Record<string, string>;
  json: string;
}

function render(report: Report): Rendered {
  return { html: renderHtml(report), csv: renderCsv(report), json: renderJson(report) };
}

function rows(text: string): Record<string, string>[] {
  const r = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

/** figure key (`<section>:<key>`) → every text the HTML shows for it */
function htmlFigures(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const el of parseHTML(html).document.querySelectorAll('[data-figure]')) {
    const k = el.getAttribute('data-figure')!;
    out.set(k, [...(out.get(k) ?? []), el.textContent ?? '']);
  }
  return out;
}

/** figure key → the text the CSV files give it */
function csvFigures(csv: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows(csv['section-1.csv']!)) out.set(`I:${r.id}`, r.detainers_issued!);
  out.set('II:rows', String(rows(csv['section-2.csv']!).length));
  for (const r of rows(csv['section-4.csv']!)) out.set(`IV:${r.key}`, r.value!);
  for (const r of rows(csv['county-declines.csv']!)) out.set(`map:${r.county_fips}`, r.declines!);
  for (const r of rows(csv['weekly-trend.csv']!)) {
    out.set(`trend:${r.week_start}:declines`, r.declines!);
    out.set(`trend:${r.week_start}:requests`, r.requests!);
  }
  return out;
}

const key = (f: ReportFigure) => `${f.section}:${f.key}`;

/** The text a figure must have everywhere: `<N` for a count the model suppressed. */
function expectedText(report: Report, f: ReportFigure): string {
  const suppressed = f.section === 'I' && report.sections.I.find((r) => r.id === f.key)?.suppressed;
  if (suppressed) return `<${report.suppressBelow}`;
  return Number.isInteger(f.value) ? String(f.value) : String(Math.round(f.value * 10_000) / 10_000);
}

function checkSameFigures(report: Report, out: Rendered) {
  const figures = reportFigures(report);
  const html = htmlFigures(out.html);
  const csv = csvFigures(out.csv);
  for (const f of figures) {
    const want = expectedText(report, f);
    expect(html.get(key(f)), `HTML ${key(f)}`).toEqual([want]);
    expect(csv.get(key(f)), `CSV ${key(f)}`).toBe(want);
  }
  // nothing extra either: the HTML and CSV hold exactly the model's figures
  expect([...html.keys()].sort()).toEqual(figures.map(key).sort());
  expect([...csv.keys()].sort()).toEqual(figures.map(key).sort());
  // the JSON is the model: read back, it gives the very same figures
  expect(reportFigures(JSON.parse(out.json) as Report)).toEqual(figures);
}

const PERSONAL = /subject|birth|\bdob\b|alien|a-number|file.?number|first.?name|last.?name/i;

function allText(out: Rendered): [string, string][] {
  return [['report.html', out.html], ['report.json', out.json], ...Object.entries(out.csv)];
}

function jsonKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) jsonKeys(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      jsonKeys(v, out);
    }
  return out;
}

/** Every field name an output has: CSV headers, JSON keys, HTML table headings. */
function fieldNames(out: Rendered): string[] {
  const names = jsonKeys(JSON.parse(out.json));
  for (const text of Object.values(out.csv)) names.push(...text.split('\n')[0]!.split(','));
  for (const th of parseHTML(out.html).document.querySelectorAll('th')) names.push(th.textContent ?? '');
  return names;
}

function expectNoPersonalFields(out: Rendered) {
  const names = fieldNames(out);
  expect(names.length).toBeGreaterThan(50);
  expect(names.filter((n) => PERSONAL.test(n))).toEqual([]);
}

describe('the same figures in HTML, CSV and JSON', () => {
  it('for a realistic week: 600 counties, 2,000 declines, 26 weeks, corrections and disputes', () => {
    const report = sampleReport({ counties: 600, declines: 2000, corrections: true });
    expect(reportFigures(report).length).toBeGreaterThan(650);
    checkSameFigures(report, render(report));
  });

  it('for a week with suppression on', () => {
    const report = sampleReport({ counties: 300, declines: 900, suppressBelow: 5 });
    expect(report.sections.I.some((r) => r.suppressed)).toBe(true);
    checkSameFigures(report, render(report));
  });
});

describe('small-count suppression', () => {
  const open = sampleReport({ counties: 300, declines: 900, seed: 11 });
  const report = sampleReport({ counties: 300, declines: 900, seed: 11, suppressBelow: 5 });
  const out = render(report);
  const small = Object.entries(open.countyDeclines).filter(([, n]) => n < 5);
  const json = JSON.parse(out.json) as Report;

  it('hides section I counts below the threshold in all three', () => {
    const hidden = open.sections.I.filter((r) => r.count < 5);
    expect(hidden.length).toBeGreaterThan(0);
    const html = htmlFigures(out.html);
    const csv = csvFigures(out.csv);
    for (const r of hidden) {
      expect(html.get(`I:${r.id}`)).toEqual(['<5']);
      expect(csv.get(`I:${r.id}`)).toBe('<5');
      expect(json.sections.I.find((x) => x.id === r.id)).toMatchObject({ count: 0, suppressed: true });
    }
    // counts at or above it are shown
    const shown = open.sections.I.find((r) => r.count >= 5)!;
    expect(html.get(`I:${shown.id}`)).toEqual([String(shown.count)]);
  });

  it('leaves small counties off the map, the county table, the CSV and the JSON', () => {
    expect(small.length).toBeGreaterThan(10);
    const doc = parseHTML(out.html).document;
    const csv = csvFigures(out.csv);
    for (const [fips] of small) {
      const path = doc.querySelector(`path[data-fips="${fips}"]`)!;
      expect(path.getAttribute('fill')).toBe('#eeeeee');
      expect(path.querySelector('title')?.textContent).toMatch(/none recorded, or fewer than 5$/);
      expect(doc.querySelector(`[data-figure="map:${fips}"]`)).toBeNull();
      expect(csv.has(`map:${fips}`)).toBe(false);
      expect(json.countyDeclines[fips]).toBeUndefined();
    }
    expect(out.html).toContain('Small counts are suppressed');
    expect(rows(out.csv['about.csv']!).find((r) => r.field === 'suppress_below')?.value).toBe('5');
  });

  it('shows section II rows of a small group without citizenship or offense in all three', () => {
    const withheld = report.sections.II.filter((r) => r.detailWithheld);
    expect(withheld.length).toBeGreaterThan(10);
    expect(report.sections.II.some((r) => !r.detailWithheld && r.citizenship)).toBe(true);
    const doc = parseHTML(out.html).document;
    const csvRows = rows(out.csv['section-2.csv']!);
    for (const r of withheld) {
      const tr = doc.querySelector(`tr[data-row="II:${r.requestId}"]`)!;
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent);
      expect(cells[3]).toBe('withheld (small count)');
      expect(cells[6]).toBe('withheld (small count)');
      const c = csvRows.find((x) => x.request_id === r.requestId)!;
      expect(c).toMatchObject({ citizenship: '', most_serious_offense: '', detail_withheld: 'true' });
      expect(json.sections.II.find((x) => x.requestId === r.requestId)).toMatchObject({
        citizenship: null,
        mostSeriousOffense: null,
        detailWithheld: true,
      });
    }
  });
});

describe('reports built from a ledger', () => {
  let t: TestLedger;
  let week1: Report;
  let week2: Report;
  beforeAll(async () => {
    t = await testLedger(ddorWeekFiles());
    const now = new Date('2017-03-20T12:00:00Z');
    week1 = await buildReport(t, { week: '2017-02-01' }, { now });
    week2 = await buildReport(t, { week: '2017-02-10' }, { now, suppressBelow: 2 });
  });
  afterAll(async () => t.close());

  it('carry the same figures in all three, suppression included', () => {
    expect(week1.sections.II.length).toBeGreaterThan(0);
    checkSameFigures(week1, render(week1));
    checkSameFigures(week2, render(week2));
  });

  it('colour the counties of the declines and flag the one-day spike', () => {
    const doc = parseHTML(renderHtml(week2)).document;
    // twelve Cook County requests recorded as declined on one day (ddor.md item 5)
    expect(week2.countyDeclines['17031']).toBe(12);
    const cook = doc.querySelector('path[data-fips="17031"]')!;
    expect(cook.getAttribute('class')).toContain('has-data');
    expect(cook.querySelector('title')?.textContent).toBe('Cook, Illinois: 12 declines');
    expect(doc.querySelector('p.notice.flag')?.textContent).toMatch(
      /^Flagged: .* on 2017-02-07 accounts for 12 /,
    );
  });

  it('say the data are synthetic, and hold no subject key or other personal field', () => {
    for (const report of [week1, week2]) {
      const out = render(report);
      expect(out.html).toContain('class="synthetic-banner"');
      expectNoPersonalFields(out);
      // the ledger holds subject keys subj-t1, subj-e1, …: none reaches any output
      for (const [name, text] of allText(out)) expect(text, name).not.toMatch(/subj-/);
    }
  });
});

describe('personal data', () => {
  it('has no field in any output of a made-up report either', () => {
    expectNoPersonalFields(render(sampleReport({ counties: 100, corrections: true })));
  });
});
