import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { sampleReport } from './sample-report.ts';

const HOSTILE = 'JAIL <script>alert("x")</script> & <img src=x onerror=alert(1)>';

function page(html: string) {
  return parseHTML(html).document;
}

describe('HTML report', () => {
  const report = sampleReport({
    counties: 50,
    declines: 120,
    hostileFacilityName: HOSTILE,
    corrections: true,
  });
  const html = renderHtml(report);
  const doc = page(html);

  it('escapes a facility name holding markup, so the page has no script and no injected element', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(
      'JAIL &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    // the escaped text reads back as the name itself
    const cells = [...doc.querySelectorAll('table.section-2 td')].map((td) => td.textContent);
    expect(cells).toContain(HOSTILE);
    // a dispute reason with markup is escaped too
    expect(html).toContain('not us&lt;/b&gt;');
  });

  it('is a complete page with the period in its title and heading', () => {
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(doc.querySelector('title')?.textContent).toBe(
      'Declined Detainer Outcome Report, 2026-01-03 to 2026-01-09 (SYNTHETIC DEMO DATA)',
    );
    expect(doc.querySelector('.period')?.textContent).toBe(
      'Week of Saturday 2026-01-03 to Friday 2026-01-09',
    );
  });

  it('shows a synthetic-data banner for demo data, and none for real data', () => {
    expect(doc.querySelector('.synthetic-banner')?.textContent).toMatch(/^SYNTHETIC DEMO DATA/);
    // and on every printed page, in the margin
    expect(doc.querySelector('style')?.textContent).toContain(
      '@bottom-center { content: "SYNTHETIC DEMO DATA"',
    );
    const real = renderHtml(sampleReport({ counties: 10, synthetic: false }));
    expect(real).not.toContain('SYNTHETIC DEMO DATA');
    expect(page(real).querySelector('.synthetic-banner')).toBeNull();
  });

  it('holds the map, the chart and sections I–IV as captioned tables, and prints a section per page', () => {
    expect(doc.querySelectorAll('figure.map svg.county-map')).toHaveLength(1);
    expect(doc.querySelectorAll('figure.chart svg.trend-chart')).toHaveLength(1);
    for (const id of ['section-1', 'section-2', 'section-3', 'section-4'])
      expect(doc.getElementById(id)?.tagName.toLowerCase()).toBe('h2');
    for (const table of doc.querySelectorAll('table'))
      expect(
        table.querySelector('caption')?.textContent?.length,
        table.outerHTML.slice(0, 80),
      ).toBeGreaterThan(3);
    expect(html).toContain('@media print');
    expect(html).toMatch(/h2\.section \{ break-before: page; \}/);
    expect(doc.querySelectorAll('table.section-2 tbody tr')).toHaveLength(report.sections.II.length);
  });

  it('shows issue and decline dates side by side, and the date basis', () => {
    const withoutDate = report.sections.II.find((r) => r.declinedDate === null)!;
    const row = doc.querySelector(`tr[data-row="II:${withoutDate.requestId}"]`)!;
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toContain(withoutDate.issuedDate);
    expect(cells).toContain('not recorded: counted by issue date');
    expect(html).toContain('A decline is counted in the period it was recorded as declined');
  });

  it('gives section III its citations and confidence, and the 287(g) agreements', () => {
    const first = report.sections.III[0]!;
    expect(html).toContain(`${first.dimensions[0]!.clauses[0]!.citation}; confidence <strong>high</strong>`);
    expect(html).toContain('confidence <strong>medium</strong>');
    const agreement = report.sections.III[0]!.agreements287g[0]!;
    expect(html).toContain(
      `ICE 287(g) agreements in force: ${agreement.agencyName} (jail, JEM, signed 2025-02-20)`,
    );
  });

  it('prints the corrections notice with the changed rows, and marks disputed rows', () => {
    const notice = doc.querySelector('.notice.corrections')!;
    expect(notice.textContent).toContain('This edition supersedes sha256:aaaa');
    expect(notice.textContent).toContain('Row II:r-000099 was removed');
    const disputed = report.sections.IV.openDisputes[0]!.row;
    expect(doc.querySelector(`tr[data-row="${disputed}"] .disputed`)?.textContent).toBe('disputed');
    const plain = renderHtml(sampleReport({ counties: 10 }));
    expect(page(plain).querySelector('.notice.corrections')).toBeNull();
    expect(plain).toContain('Corrections since the previous edition: none.');
  });

  it('names the counties the atlas cannot draw under the map, with their counts', () => {
    const r = sampleReport({ counties: 10 });
    // Connecticut's planning regions (2022) are newer than the atlas's counties
    r.countyDeclines = { ...r.countyDeclines, '09110': 4 };
    const caption = page(renderHtml(r)).querySelector('figure.map figcaption')?.textContent;
    expect(caption).toContain('Not drawn (no shape in the Census county atlas): 09110 (4).');
    expect(page(html).querySelector('figure.map figcaption')?.textContent).not.toContain('Not drawn');
  });

  it('flags a one-day spike above the tables', () => {
    const r = sampleReport({ counties: 10 });
    r.sections.IV.spike = {
      flagged: true,
      id: 'agency:x',
      name: 'Example County Jail',
      day: '2026-01-05',
      count: 30,
      share: 0.75,
    };
    const d = page(renderHtml(r));
    expect(d.querySelector('p.notice.flag')?.textContent).toMatch(
      /^Flagged: Example County Jail on 2026-01-05 accounts for 30 of the period's \d+ declines \(75 %\)/,
    );
  });
});
