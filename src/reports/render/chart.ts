/**
 * The weekly trend as a standalone SVG string: declines per week above, requests issued per week
 * below, each on its own y scale (declines are a small share of requests and would flatten to the
 * axis on a shared one; a second y axis on one panel invites misreading). Drawn on the server by
 * Observable Plot into a linkedom document.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Report, WeeklyTrendPoint } from '../types.ts';
import { esc, numberText, plural } from './format.ts';

const WIDTH = 760;
const PANEL_HEIGHT = 200;
const HEADING = 28;

let doc: Document | null = null;

function document(): Document {
  doc ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return doc;
}

interface Series {
  key: 'declines' | 'requests';
  label: string;
  one: string;
  many: string;
  colour: string;
}

const SERIES: Series[] = [
  { key: 'declines', label: 'Declined detainers', one: 'decline', many: 'declines', colour: '#d94801' },
  { key: 'requests', label: 'Detainer requests issued', one: 'request', many: 'requests', colour: '#3f5e8c' },
];

function panel(points: WeeklyTrendPoint[], s: Series): string {
  const data = points.map((p) => ({
    week: new Date(p.weekStart + 'T00:00:00Z'),
    value: p[s.key],
    title: `Week of ${p.weekStart}: ${plural(numberText(p[s.key]), s.one, s.many)}`,
  }));
  const svg = Plot.plot({
    document: document(),
    width: WIDTH,
    height: PANEL_HEIGHT,
    marginLeft: 60,
    marginTop: 24,
    style: { fontSize: '11px' },
    x: { type: 'utc', label: 'Week starting (Saturday)', labelAnchor: 'center', labelArrow: 'none' },
    y: {
      label: s.label,
      grid: true,
      zero: true,
      labelArrow: 'none',
      tickFormat: (d: number) => numberText(d),
    },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: 'week', y: 'value', stroke: s.colour, strokeWidth: 2 }),
      Plot.dot(data, { x: 'week', y: 'value', fill: s.colour, r: 3, title: 'title' }),
    ],
  }) as unknown as Element;
  return svg.outerHTML;
}

/** The trend chart of `report.weeklyTrend`, one `<title>` per week and series. */
export function renderChart(report: Pick<Report, 'weeklyTrend'>): string {
  const points = report.weeklyTrend;
  const first = points[0]?.weekStart;
  const last = points[points.length - 1]?.weekStart;
  const title = first
    ? `Declines and requests per week, weeks starting ${first} to ${last}`
    : 'No weeks to show';
  const height = HEADING + SERIES.length * PANEL_HEIGHT;
  const body = points.length
    ? SERIES.map(
        (s, i) =>
          `<g class="trend-${s.key}" transform="translate(0,${HEADING + i * PANEL_HEIGHT})">${panel(points, s)}</g>`,
      ).join('')
    : `<text x="${WIDTH / 2}" y="${HEADING + 40}" text-anchor="middle">No weeks in the report.</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" ` +
    `height="${height}" role="img" aria-labelledby="trend-chart-title" font-family="system-ui, sans-serif">` +
    `<title id="trend-chart-title">${esc(title)}</title>` +
    `<text x="8" y="18" font-size="14" font-weight="bold">${esc(title)}</text>${body}</svg>`
  );
}
