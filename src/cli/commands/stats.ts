import type { Command } from 'commander';
import { OUTCOME_LABELS, type OutcomeCategory } from '../../ledger/outcome.ts';
import { ledgerStats, unresolvedNames } from '../../ledger/queries.ts';
import { withDb, withJson } from '../options.ts';
import { printJson, withStore } from '../store-option.ts';

export function registerStats(program: Command): void {
  withJson(
    withDb(
      program
        .command('stats')
        .description(
          'counts in the ledger: requests by type, state and outcome, and the names that did not resolve',
        )
        .option('--unresolved <n>', 'how many unresolved names to list', '20'),
    ),
  ).action(async (opts: { db: string; json?: boolean; unresolved: string }) => {
    const { stats, unresolved } = await withStore(opts.db, async (store) => ({
      stats: await ledgerStats(store),
      unresolved: await unresolvedNames(store, Number(opts.unresolved)),
    }));
    if (opts.json) return printJson({ ...stats, unresolvedNames: unresolved });
    const out: string[] = [];
    const n = (x: number) => x.toLocaleString('en-US');
    if (stats.synthetic > 0) {
      out.push(`NOTE: ${n(stats.synthetic)} of these requests are SYNTHETIC demo data, not real records`);
    }
    out.push(
      `requests   ${n(stats.requests)}  (issued ${stats.issuedFrom ?? '–'} to ${stats.issuedTo ?? '–'})`,
    );
    out.push(`events     ${n(stats.events)}`);
    out.push(
      `registry   ${n(stats.agencies)} agencies, ${n(stats.facilities)} facilities imported; ` +
        `${n(stats.agreements287g)} 287(g) agreement rows; ${n(stats.areasOfResponsibility)} AOR rows`,
    );
    out.push(`resolved   ${n(stats.resolved)} to a division; ${n(stats.unresolved)} not resolved`);
    out.push('', 'by type');
    for (const [k, v] of Object.entries(stats.byType)) out.push(`  ${k.padEnd(20)} ${n(v)}`);
    out.push('', 'by outcome');
    for (const [k, v] of Object.entries(stats.byOutcome)) {
      out.push(`  ${OUTCOME_LABELS[k as OutcomeCategory].padEnd(62)} ${n(v)}`);
    }
    out.push('', 'by state');
    out.push(
      '  ' +
        Object.entries(stats.byState)
          .map(([k, v]) => `${k ? k.toUpperCase() : '(no state in source)'} ${n(v)}`)
          .join(', '),
    );
    if (unresolved.length) {
      out.push('', `names that did not resolve (top ${unresolved.length})`);
      for (const u of unresolved) {
        out.push(
          `  ${String(u.count).padStart(6)}  ${u.facilityName ?? '(no name)'}, ${u.facilityCity ?? '–'}, ${u.state ? u.state.toUpperCase() : 'no state'}  [${u.resolution}]`,
        );
      }
    }
    process.stdout.write(out.join('\n') + '\n');
  });
}
