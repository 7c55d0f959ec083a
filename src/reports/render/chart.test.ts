import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderChart } from './chart.ts';

const weeklyTrend = [
  { weekStart: '2025-12-13', declines: 31, requests: 2980 },
  { weekStart: '2025-12-20', declines: 1, requests: 3011 },
  { weekStart: '2025-12-27', declines: 0, requests: 2875 },
  { weekStart: '2026-01-03', declines: 206, requests: 3083 },
];

function parse(svg: string) {
  return new DOMParser().parseFromString(svg, 'image/svg+xml');
}

describe('weekly trend chart', () => {
  const svg = renderChart({ weeklyTrend });
  const doc = parse(svg);
  const titles = [...doc.querySelectorAll('title')].map((t) => t.textContent);

  it('is one SVG with a title naming the weeks shown', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(doc.querySelector('svg > title')?.textContent).toBe(
      'Declines and requests per week, weeks starting 2025-12-13 to 2026-01-03',
    );
  });

  it('has a point for every week in both series, each titled with its week and value', () => {
    for (const w of weeklyTrend) {
      expect(titles).toContain(
        `Week of ${w.weekStart}: ${w.declines} ${w.declines === 1 ? 'decline' : 'declines'}`,
      );
      expect(titles).toContain(`Week of ${w.weekStart}: ${w.requests} requests`);
    }
    expect(doc.querySelectorAll('g.trend-declines circle').length).toBe(weeklyTrend.length);
    expect(doc.querySelectorAll('g.trend-requests circle').length).toBe(weeklyTrend.length);
  });

  it('labels its axes', () => {
    const text = [...doc.querySelectorAll('text')].map((t) => t.textContent ?? '');
    expect(text.filter((t) => t.includes('Week starting (Saturday)'))).toHaveLength(2);
    expect(text.some((t) => t.includes('Declined detainers'))).toBe(true);
    expect(text.some((t) => t.includes('Detainer requests issued'))).toBe(true);
  });

  it('says so when there are no weeks', () => {
    const empty = renderChart({ weeklyTrend: [] });
    expect(empty).toContain('No weeks in the report.');
    expect(parse(empty).querySelectorAll('circle').length).toBe(0);
  });
});
