import type { Command } from 'commander';
import { parseState } from '../../jurisdictions/normalize.ts';
import { resolveName, searchJurisdictions } from '../../jurisdictions/resolve.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';
import { registerJurisdictionsAdd } from './jurisdictions-add.ts';

export function registerJurisdictions(program: Command): void {
  const group = program
    .command('jurisdictions')
    .description('the registry of divisions, agencies and facilities');
  registerJurisdictionsAdd(group);

  withJson(
    withDb(
      group
        .command('search')
        .description('find divisions, agencies and facilities by name, and show how the name resolves')
        .argument('<name>', 'a name as a source writes it, e.g. "Franklin Co., PA"')
        .option('--state <xx>', 'two-letter state (a name never resolves without its state)')
        .option('--city <city>', 'the city the source gives')
        .option('--limit <n>', 'how many candidates to list', '15'),
    ),
  ).action(
    async (
      name: string,
      opts: { db: string; json?: boolean; state?: string; city?: string; limit: string },
    ) => {
      const state = opts.state ? parseState(opts.state) : null;
      if (opts.state && !state) {
        throw new CliError(
          `unknown state \`${opts.state}\`: give a two-letter code such as PA or a full name`,
          2,
        );
      }
      const { resolution, hits } = await withStore(opts.db, async (store) => {
        const registry = await registryFor(store);
        return {
          resolution: resolveName(registry, { name, state, city: opts.city ?? null }),
          hits: searchJurisdictions(registry, name, state ?? undefined, Number(opts.limit)),
        };
      });
      if (opts.json) return printJson({ resolution, candidates: hits });
      const out: string[] = [];
      out.push(
        `"${name}"${state ? ` in ${state.toUpperCase()}` : ''} → ${resolution.status.toUpperCase()} (rule ${resolution.rule})`,
      );
      out.push(`  ${resolution.reason}`);
      for (const [label, id] of [
        ['division', resolution.divisionId],
        ['agency', resolution.agencyId],
        ['facility', resolution.facilityId],
      ] as const) {
        if (id) out.push(`  ${label.padEnd(9)} ${id}`);
      }
      if (resolution.candidates.length) {
        out.push('  could be:');
        for (const c of resolution.candidates) out.push(`    ${c.kind.padEnd(9)} ${c.name}  ${c.id}`);
      }
      out.push('', `search results (${hits.length})`);
      for (const h of hits)
        out.push(
          `  ${String(h.score).padStart(3)}  ${h.kind.padEnd(9)} ${h.state.toUpperCase()}  ${h.name}  ${h.id}`,
        );
      process.stdout.write(out.join('\n') + '\n');
    },
  );
}
