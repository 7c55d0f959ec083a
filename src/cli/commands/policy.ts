import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadRegistry } from '../../jurisdictions/registry.ts';
import { loadLibrary, runPolicyCases, PolicyLoadError, type Library } from '../../law/index.ts';
import { CliError } from '../errors.ts';

/** `detainer-ledger policy test|list|show`: the law library as a reviewer sees it. */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('the law library: instruments and their test cases');

  policy
    .command('test')
    .description('run every instrument test case')
    .action(() => {
      const lib = library();
      const report = runPolicyCases(lib, loadRegistry());
      for (const f of report.failures) {
        process.stderr.write(`${f.file}:${f.line}: ${f.case ? `${f.case}: ` : ''}${f.message}\n`);
      }
      process.stdout.write(
        `${report.cases - new Set(report.failures.map((f) => `${f.file}:${f.line}`)).size} of ${report.cases} cases passed in ${report.files} files (library ${lib.revision})\n`,
      );
      if (report.failures.length > 0) throw new CliError(`${report.failures.length} case failures`, 1);
    });

  policy
    .command('list')
    .description('list instrument versions')
    .option('--json', 'print machine-readable JSON')
    .option('--division <id>', 'only instruments of this division')
    .action((opts: { json?: boolean; division?: string }) => {
      const lib = library();
      const rows = lib.instruments
        .filter((i) => !opts.division || i.division === opts.division)
        .map((i) => ({
          id: i.id,
          version: i.version,
          layer: i.layer,
          division: i.division,
          validFrom: i.ref.validFrom,
          validTo: i.ref.validTo,
          confidence: i.confidence,
          clauses: i.clauses.length,
          file: i.file,
          title: i.title,
        }))
        .sort(
          (a, b) =>
            a.division.localeCompare(b.division) ||
            a.id.localeCompare(b.id) ||
            a.version.localeCompare(b.version),
        );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ revision: lib.revision, instruments: rows }, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.id}@${r.version}\t${r.layer}\t${r.validFrom} – ${r.validTo ?? 'open'}\t${r.confidence}\t${r.clauses} clauses\t${r.title}\n`,
        );
      }
    });

  policy
    .command('show')
    .description('print one instrument (all versions, or `ID@VERSION`)')
    .argument('<id>', 'instrument id, optionally with `@version`')
    .option('--json', 'print machine-readable JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const lib = library();
      const [name, version] = id.split('@');
      const found = lib.instruments.filter((i) => i.id === name && (!version || i.version === version));
      if (found.length === 0) {
        throw new CliError(`unknown instrument \`${id}\`; see \`detainer-ledger policy list\``, 2);
      }
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            found.map((i) => ({ file: i.file, ...i.data })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      process.stdout.write(
        found.map((i) => `# ${i.file}\n${stringify(i.data, { lineWidth: 110 })}`).join('\n'),
      );
    });
}

function library(): Library {
  try {
    return loadLibrary();
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
    throw e;
  }
}
