/**
 * Requests over time as a small standalone SVG: per quarter (or year) the requests issued, and
 * among them those that ended in a decline, drawn by Observable Plot into a linkedom document
 * like the weekly trend. What a period may show is `shownPeriod`'s: a withheld count has no bar
 * and its title says `<N` or `withheld`, so the chart tells no more than the table beside it.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { OutcomesOverTime } from '../outcomes-over-time.ts';
import { shownPeriod } from '../outcomes-shown.ts';
import { esc } from './format.ts';

const WIDTH = 640;
const PANEL_HEIGHT = 160;

let doc: Document | null = null;
function document(): Document {
  doc ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return doc;
}

interface Series {
  key: 'requests' | 'declines';
  label: string;
  words: string;
  colour: string;
}

/** Declines are a small share of requests: each gets its own panel and y scale (as in the trend). */
const SERIES: Series[] = [
  { key: 'requests', label: 'Requests issued', words: 'requests issued', colour: '#3f5e8c' },
  { key: 'declines', label: 'Declined', words: 'declined', colour: '#d94801' },
];

export function renderOutcomesChart(o: OutcomesOverTime, suppressBelow: number): string {
  const values = o.periods.map((p) => shownPeriod(p, suppressBelow));
  // a withheld requests count is always small; a withheld declines count may not be
  const hidden = { requests: `<${suppressBelow}`, declines: 'withheld (small count)' };
  const panel = (s: Series) => {
    const data = values.map((v) => {
      const n = v[s.key];
      return { period: v.period, drawn: n ?? 0, title: `${v.period}: ${n ?? hidden[s.key]} ${s.words}` };
    });
    return (
      Plot.plot({
        document: document(),
        width: WIDTH,
        height: PANEL_HEIGHT,
        marginLeft: 50,
        marginTop: 22,
        style: { fontSize: '11px' },
        x: { label: null, domain: values.map((v) => v.period), tickRotate: values.length > 8 ? -45 : 0 },
        y: { label: s.label, grid: true, zero: true, labelArrow: 'none' },
        marks: [
          Plot.ruleY([0]),
          Plot.barY(data, { x: 'period', y: 'drawn', fill: s.colour, title: 'title', inset: 4 }),
        ],
      }) as unknown as Element
    ).outerHTML;
  };
  const title = `Requests issued and declined per ${o.unit}, ${o.periods[0]?.period ?? ''} to ${o.periods.at(-1)?.period ?? ''}`;
  const height = SERIES.length * PANEL_HEIGHT;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="outcomes-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" ` +
    `height="${height}" role="img" aria-labelledby="outcomes-chart-title" font-family="system-ui, sans-serif">` +
    `<title id="outcomes-chart-title">${esc(title)}</title>` +
    SERIES.map(
      (s, i) => `<g class="outcomes-${s.key}" transform="translate(0,${i * PANEL_HEIGHT})">${panel(s)}</g>`,
    ).join('') +
    `</svg>`
  );
}
