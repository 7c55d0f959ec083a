import type { Command } from 'commander';
import { slugify } from '../../jurisdictions/normalize.ts';
import type { Registry } from '../../jurisdictions/registry.ts';
import { AGENCY_KINDS, type Agency, type AgencyKind, type Facility } from '../../jurisdictions/types.ts';
import type { RowOutcome } from '../../ledger/store.ts';
import { CliError } from '../errors.ts';
import { withDb, withJson } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
import { printJson, withStore } from '../store-option.ts';

/** The division an agency or facility belongs to: an OCD id the registry knows, or an error saying so. */
function knownDivision(registry: Registry, id: string): { id: string; state: string } {
  const d = registry.division(id);
  if (!d) {
    throw new CliError(
      `unknown division \`${id}\`: give an OCD id such as ocd-division/country:us/state:pa/county:franklin (find it with \`jurisdictions search\`)`,
      2,
    );
  }
  return { id: d.id, state: d.state };
}

function report(outcome: RowOutcome, id: string, json?: boolean): void {
  if (outcome.status === 'conflict') throw new CliError(outcome.reason, 2);
  if (json) return printJson({ id, status: outcome.status });
  process.stdout.write(
    outcome.status === 'inserted' ? `added ${id}\n` : `${id} is already in the registry\n`,
  );
}

/** `jurisdictions add-agency` and `add-facility`: registry rows beyond the shipped seed, kept in the ledger. */
export function registerJurisdictionsAdd(group: Command): void {
  withJson(
    withDb(
      group
        .command('add-agency')
        .description("add an agency to this ledger's registry (id: <division>/agency:<slug>)")
        .requiredOption('--name <name>', 'the agency\'s name, e.g. "Chester County Prison"')
        .requiredOption('--kind <kind>', `one of ${AGENCY_KINDS.join(', ')}`)
        .requiredOption('--division <ocd-id>', 'the county or place it serves')
        .option('--slug <slug>', "the id's last part (default: from the kind, e.g. sheriff, police, jail)")
        .option('--ori <code>', 'its NCIC ORI code'),
    ),
  ).action(
    async (opts: {
      db: string;
      json?: boolean;
      name: string;
      kind: string;
      division: string;
      slug?: string;
      ori?: string;
    }) => {
      if (!(AGENCY_KINDS as readonly string[]).includes(opts.kind)) {
        throw new CliError(`unknown agency kind \`${opts.kind}\`: use one of ${AGENCY_KINDS.join(', ')}`, 2);
      }
      if (opts.ori !== undefined && !/^[A-Z]{2}[A-Z0-9]{7}$/.test(opts.ori)) {
        throw new CliError(
          `\`${opts.ori}\` is not an ORI: nine characters, the state's two letters first`,
          2,
        );
      }
      await withStore(opts.db, async (store) => {
        const division = knownDivision(await registryFor(store), opts.division);
        const agency: Agency = {
          id: `${division.id}/agency:${slugify(opts.slug ?? opts.kind)}`,
          name: opts.name,
          kind: opts.kind as AgencyKind,
          divisionId: division.id,
          state: division.state,
          ori: opts.ori ?? null,
          source: 'cli',
        };
        const session = await store.beginImport();
        try {
          const [outcome] = await session.addAgencies([agency]);
          await session.commit();
          report(outcome!, agency.id, opts.json);
        } catch (err) {
          await session.rollback();
          throw err;
        }
      });
    },
  );

  withJson(
    withDb(
      group
        .command('add-facility')
        .description(
          "add a facility to this ledger's registry (id: facility:<DETLOC>, or <agency>/facility:<slug>)",
        )
        .requiredOption('--name <name>', "the facility's name as ICE writes it")
        .option('--detloc <code>', "ICE's facility code")
        .option('--agency <id>', 'the agency that runs it')
        .option('--division <ocd-id>', "the county or place it is in (default: the agency's)")
        .option('--city <city>', 'its city'),
    ),
  ).action(
    async (opts: {
      db: string;
      json?: boolean;
      name: string;
      detloc?: string;
      agency?: string;
      division?: string;
      city?: string;
    }) => {
      await withStore(opts.db, async (store) => {
        const registry = await registryFor(store);
        const agency = opts.agency ? registry.agency(opts.agency) : undefined;
        if (opts.agency && !agency) {
          throw new CliError(
            `unknown agency \`${opts.agency}\`: add it first with \`jurisdictions add-agency\``,
            2,
          );
        }
        const divisionId = opts.division ?? agency?.divisionId;
        if (!divisionId) throw new CliError('give --division or --agency: a facility must be placed', 2);
        const division = knownDivision(registry, divisionId);
        if (!opts.detloc && !agency)
          throw new CliError('give --detloc or --agency: the facility id is built from one', 2);
        const detloc = opts.detloc?.toUpperCase() ?? null;
        const facility: Facility = {
          id: detloc ? `facility:${detloc}` : `${agency!.id}/facility:${slugify(opts.name)}`,
          name: opts.name,
          detloc,
          agencyId: agency?.id ?? null,
          divisionId: division.id,
          city: opts.city ?? null,
          state: division.state,
          source: 'cli',
        };
        const session = await store.beginImport();
        try {
          const [outcome] = await session.addFacilities([facility]);
          await session.commit();
          report(outcome!, facility.id, opts.json);
        } catch (err) {
          await session.rollback();
          throw err;
        }
      });
    },
  );
}
