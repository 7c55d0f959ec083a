/**
 * Report rendering benchmark (report issue): the HTML page with map and chart, and the CSV files,
 * for a realistic large week — 3,000 counties coloured, 6,000 section II rows, 26 weeks — made up
 * in memory (src/reports/render/sample-report.ts), so the figure is the render alone; the model
 * build is timed by the `report` suite. The first render in a new process (reading and projecting
 * the county atlas) is timed apart, in a child process each run.
 */
import { execFileSync } from 'node:child_process';
import { renderCsv } from '../src/reports/render/csv.ts';
import { renderHtml } from '../src/reports/render/html.ts';
import { sampleReport } from '../src/reports/render/sample-report.ts';
import { figure, type Figure } from './stats.ts';

const SIZE = { counties: 3000, declines: 6000, weeks: 26 };

/** one render in a fresh process, so the atlas cache starts empty; prints milliseconds */
const COLD = `
import { renderHtml } from './src/reports/render/html.ts';
import { sampleReport } from './src/reports/render/sample-report.ts';
const r = sampleReport(${JSON.stringify(SIZE)});
// sampleReport reads the atlas for its county codes: drop that cache so the render pays for it
const { resetAtlasCache } = await import('./src/reports/render/map.ts');
resetAtlasCache();
const t = performance.now();
const html = renderHtml(r);
process.stdout.write(String(performance.now() - t) + ' ' + html.length);
`;

export async function benchRender(runs: number): Promise<Figure[]> {
  const report = sampleReport(SIZE);
  renderHtml(report); // the atlas loads once per process: warm it, the cold figure is below
  const html: number[] = [];
  const csv: number[] = [];
  const cold: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    bytes = renderHtml(report).length;
    html.push(performance.now() - t);
    t = performance.now();
    renderCsv(report);
    csv.push(performance.now() - t);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', COLD], {
      encoding: 'utf8',
    });
    cold.push(Number(out.split(' ')[0]));
  }
  const label = `${SIZE.counties.toLocaleString('en-US')} counties, ${SIZE.declines.toLocaleString('en-US')} rows, ${SIZE.weeks} weeks`;
  process.stderr.write(`HTML page: ${(bytes / 1e6).toFixed(1)} MB\n`);
  return [
    figure(`HTML with map and chart, ${label}`, 'ms', html, 'render part of <= 2,000'),
    figure(`HTML, first render in a process (atlas load)`, 'ms', cold),
    figure(`CSV, all files, ${label}`, 'ms', csv),
  ];
}
