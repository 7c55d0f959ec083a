import type { Command } from 'commander';
import { stringify } from 'yaml';
import { parseState } from '../../jurisdictions/normalize.ts';
import { loadRegistry, type Registry } from '../../jurisdictions/registry.ts';
import { resolveName } from '../../jurisdictions/resolve.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../jurisdictions/types.ts';
import {
  createEngine,
  diffPolicies,
  jailHoldingAgencyKind,
  loadLibrary,
  profileOf,
  runPolicyCases,
  PolicyLoadError,
  type Agreement287g,
  type ClauseRef,
  type DimensionProfile,
  type Library,
  type PolicyDiff,
  type ProbeDivision,
  type Profile,
} from '../../law/index.ts';
import { agreementsFor } from '../../ledger/agreements.ts';
import { CliError } from '../errors.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';

/** `detainer-ledger policy test|list|show|diff|profile`: the law library as a reviewer sees it. */
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

  policy
    .command('diff')
    .description(
      'what changed: the probe requests whose answer differs between two dates, with the clauses on each side',
    )
    .requiredOption('--division <division>', 'an OCD-ID, or a name with its state ("Los Angeles County, CA")')
    .requiredOption('--from <date>', 'the earlier date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'the later date, YYYY-MM-DD')
    .option('--state <xx>', 'the state of a division given by name')
    .option('--agency-kind <kind>', 'probe this kind of agency instead of the one that holds the jail')
    .option('--json', 'print machine-readable JSON')
    .action(
      (opts: {
        division: string;
        from: string;
        to: string;
        state?: string;
        agencyKind?: string;
        json?: boolean;
      }) => {
        const from = dateOption('--from', opts.from);
        const to = dateOption('--to', opts.to);
        const registry = loadRegistry();
        const division = resolveDivision(registry, opts.division, opts.state, opts.agencyKind);
        const diff = diffPolicies(createEngine(library(), registry), division, from, to);
        if (opts.json) return printJson({ name: division.name, agencyKind: division.agencyKind, ...diff });
        process.stdout.write(renderDiff(division, diff));
      },
    );

  policy
    .command('profile')
    .description('the jurisdiction’s cooperation profile on a date, from the probe requests of DESIGN §4')
    .argument('<division>', 'an OCD-ID, or a name with its state ("Harris County, TX")')
    .requiredOption('--date <date>', 'the date, YYYY-MM-DD')
    .option('--state <xx>', 'the state of a division given by name')
    .option('--agency-kind <kind>', 'probe this kind of agency instead of the one that holds the jail')
    .option('--db <path>', 'a ledger whose 287(g) agreements to include (without it they are not loaded)')
    .option('--json', 'print machine-readable JSON')
    .action(
      async (
        name: string,
        opts: { date: string; state?: string; agencyKind?: string; db?: string; json?: boolean },
      ) => {
        const date = dateOption('--date', opts.date);
        const lib = library();
        const run = (registry: Registry, agreements?: (d: ProbeDivision) => Promise<Agreement287g[]>) =>
          (async () => {
            const division = resolveDivision(registry, name, opts.state, opts.agencyKind);
            const rows = agreements ? await agreements(division) : undefined;
            return { division, profile: profileOf(createEngine(lib, registry), division, date, rows) };
          })();
        const { division, profile } = opts.db
          ? await withStore(opts.db, async (store) =>
              run(await registryFor(store), (d) =>
                agreementsFor(store, { id: d.id, kind: d.kind, state: d.state, name: d.name ?? '' }),
              ),
            )
          : await run(loadRegistry());
        if (opts.json) return printJson({ name: division.name, ...profile });
        process.stdout.write(renderProfile(division, profile));
      },
    );
}

function library(): Library {
  try {
    return loadLibrary();
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
    throw e;
  }
}

function dateOption(flag: string, value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== value) {
    throw new CliError(`\`${flag}\`: impossible or malformed date \`${value}\`; expected \`YYYY-MM-DD\``, 2);
  }
  return value;
}

/**
 * An OCD-ID, or a name resolved with its state by the registry's rules: never guessed, so an
 * ambiguous or unknown name stops with the candidates.
 */
function resolveDivision(
  registry: Registry,
  input: string,
  stateOption: string | undefined,
  agencyKindOption: string | undefined,
): ProbeDivision & { name: string } {
  if (agencyKindOption !== undefined && !(AGENCY_KINDS as readonly string[]).includes(agencyKindOption)) {
    throw new CliError(
      `\`--agency-kind\`: unknown kind \`${agencyKindOption}\`; expected one of ${AGENCY_KINDS.join(', ')}`,
      2,
    );
  }
  let divisionId: string;
  let agencyId: string | null = null;
  if (input.startsWith('ocd-division/')) {
    const d = registry.division(input);
    if (!d) throw new CliError(`unknown division \`${input}\``, 2);
    divisionId = d.id;
  } else {
    const state = stateOption === undefined ? null : parseState(stateOption);
    if (stateOption !== undefined && !state) {
      throw new CliError(
        `unknown state \`${stateOption}\`: give a two-letter code such as CA or a full name`,
        2,
      );
    }
    const r = resolveName(registry, { name: input, state });
    if (r.status !== 'resolved' || r.divisionId === null) {
      const list = r.candidates.map((c) => `\n  ${c.kind} ${c.name}  ${c.id}`).join('');
      throw new CliError(
        `\`${input}\` is ${r.status === 'ambiguous' ? 'ambiguous' : 'not a known division'}: ${r.reason}${list ? `; candidates:${list}` : ''}`,
        2,
      );
    }
    divisionId = r.divisionId;
    agencyId = r.agencyId;
  }
  const division = registry.division(divisionId)!;
  const named = agencyId === null ? undefined : registry.agency(agencyId)?.kind;
  const agencyKind: AgencyKind =
    (agencyKindOption as AgencyKind | undefined) ??
    named ??
    jailHoldingAgencyKind(
      division,
      registry.agenciesIn(division.id).map((a) => a.kind),
    );
  return { id: division.id, kind: division.kind, state: division.state, name: division.name, agencyKind };
}

function clauseLine(c: ClauseRef): string {
  return `${c.clause} (${c.citation}) [${c.confidence} confidence]`;
}

function renderProfile(division: ProbeDivision & { name: string }, p: Profile): string {
  const out: string[] = [];
  out.push(`${division.name} (${p.division}) on ${p.date}, probing its ${p.agencyKind}`);
  out.push(`library ${p.libraryRevision.slice(0, 19)}…`);
  out.push(`instruments in force: ${p.instruments.map((i) => `${i.id}@${i.version}`).join(', ') || 'none'}`);
  out.push(`limits cooperation: ${p.limitsCooperation ? 'yes' : 'no'}`);
  const dims: [string, DimensionProfile<string>][] = [
    ['holds', p.holds],
    ['notification', p.notification],
    ['transfer', p.transfer],
    ['information', p.information],
    ['access', p.access],
  ];
  for (const [label, d] of dims) {
    const notes = [d.limits ? 'stricter than the federal baseline' : '', d.certain ? '' : 'not certain']
      .filter(Boolean)
      .join('; ');
    out.push('');
    out.push(
      `${label}: ${d.value}${d.value === 'allowed' && d.obligations.length > 0 ? ' (with duties)' : ''}${notes ? `  (${notes})` : ''}`,
    );
    for (const a of d.probes)
      out.push(`  ${a.question}: ${a.decision.toUpperCase()}${a.certain ? '' : ' (not certain)'}`);
    out.push('  by:');
    for (const c of d.clauses) out.push(`    ${clauseLine(c)}`);
    if (d.obligations.length > 0) out.push(`  duties: ${d.obligations.join(', ')}`);
  }
  out.push('');
  const a = p.agreements;
  if (a.value === 'not loaded') {
    out.push('287(g) agreements: not loaded (give `--db` to read them from a ledger)');
  } else if (a.value === 'none') {
    out.push('287(g) agreements: none in force');
  } else {
    out.push(`287(g) agreements: ${a.value.join(', ')}`);
    for (const x of a.agreements) {
      out.push(
        `  ${x.agencyName}: ${x.supportType}, signed ${x.signedDate ?? 'on an unknown date'} (ICE sheet of ${x.sheetDate})`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function renderDiff(division: ProbeDivision & { name: string }, d: PolicyDiff): string {
  const out: string[] = [];
  out.push(`${division.name} (${d.division}), its ${division.agencyKind}: ${d.from} → ${d.to}`);
  const refs = (xs: PolicyDiff['instrumentsAdded']) =>
    xs.map((i) => `${i.id}@${i.version}`).join(', ') || 'none';
  out.push(`instruments added: ${refs(d.instrumentsAdded)}`);
  out.push(`instruments removed: ${refs(d.instrumentsRemoved)}`);
  const decided = d.changes.filter((c) => c.decisionChanged);
  const grounds = d.changes.filter((c) => !c.decisionChanged);
  if (d.changes.length === 0) out.push('', 'no probe request changes answer');
  for (const [title, list] of [
    ['decision changes', decided],
    ['same decision, other grounds or duties', grounds],
  ] as const) {
    if (list.length === 0) continue;
    out.push('', `${title} (${list.length}):`);
    for (const c of list) {
      out.push(
        `  [${c.dimension}] ${c.question}: ${c.before.decision.toUpperCase()} → ${c.after.decision.toUpperCase()}`,
      );
      for (const [side, s] of [
        ['before', c.before],
        ['after', c.after],
      ] as const) {
        out.push(`    ${side}:`);
        for (const r of s.deciding) out.push(`      ${clauseLine(r)}`);
        if (s.obligations.length > 0) out.push(`      duties: ${s.obligations.join(', ')}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
