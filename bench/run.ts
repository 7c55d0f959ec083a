/**
 * `npm run bench [-- NAME…] [--runs N]`: the figures each issue names, each the median of several
 * runs. Names: resolve, law, decide-batch, import, import-postgres, http, render, report, report-postgres.
 */
import { benchDecideBatch } from './decide-batch.ts';
import { benchHttp } from './http.ts';
import { benchImport } from './import.ts';
import { benchImportPostgres } from './import-postgres.ts';
import { benchLawFigures } from './law-figures.ts';
import { benchRender } from './render.ts';
import { benchReport } from './report.ts';
import { benchReportPostgres } from './report-postgres.ts';
import { benchResolve } from './resolve.ts';
import { formatFigure, type Figure } from './stats.ts';

const SUITES: Record<string, (runs: number) => Promise<Figure[]>> = {
  resolve: benchResolve,
  law: benchLawFigures,
  'decide-batch': benchDecideBatch,
  import: benchImport,
  'import-postgres': benchImportPostgres,
  http: benchHttp,
  render: benchRender,
  report: benchReport,
  'report-postgres': benchReportPostgres,
};

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const names = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1));
const chosen = names.length ? names : Object.keys(SUITES);
for (const name of chosen) {
  const suite = SUITES[name];
  if (!suite) {
    process.stderr.write(`unknown benchmark \`${name}\`: choose from ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n## ${name}\n`);
  for (const f of await suite(runs)) process.stdout.write(formatFigure(f) + '\n');
}
