/**
 * A jurisdiction as the server shows it: the division an id names (an agency id stands for its
 * division, probed as that agency), its cooperation profile with the 287(g) agreements the
 * ledger holds, and the facilities the registry places in it.
 */
import type { Agency, Division, Facility } from '../jurisdictions/types.ts';
import { jailHoldingAgencyKind, profileOf, type Profile } from '../law/index.ts';
import type { AgencyKind } from '../law/vocabulary.ts';
import { agreementsFor } from '../ledger/agreements.ts';
import { ledgerRefIds, type RequestScope } from '../reports/outcomes-over-time.ts';
import type { ServerContext } from './context.ts';

export interface Jurisdiction {
  division: Division;
  /** when the id named an agency */
  agency: Agency | null;
  /** the agency kind the profile probes: the named agency's, else the one that holds the jail */
  agencyKind: AgencyKind;
  agencies: Agency[];
}

export function findJurisdiction(ctx: ServerContext, id: string): Jurisdiction | null {
  const agency = ctx.registry.agency(id) ?? null;
  const division = ctx.registry.division(agency ? agency.divisionId : id);
  if (!division) return null;
  const agencies = ctx.registry.agenciesIn(division.id);
  return {
    division,
    agency,
    agencyKind:
      agency?.kind ??
      jailHoldingAgencyKind(
        division,
        agencies.map((a) => a.kind),
      ),
    agencies,
  };
}

export async function profileFor(
  ctx: ServerContext,
  j: Jurisdiction,
  date: string,
  agencyKind: AgencyKind = j.agencyKind,
): Promise<Profile> {
  const d = j.division;
  const agreements = await agreementsFor(ctx.store, { id: d.id, kind: d.kind, state: d.state, name: d.name });
  return profileOf(
    ctx.engine,
    { id: d.id, kind: d.kind, state: d.state, name: d.name, agencyKind },
    date,
    agreements,
  );
}

export function facilitiesIn(ctx: ServerContext, j: Jurisdiction): Facility[] {
  const agencyIds = new Set(j.agencies.map((a) => a.id));
  return ctx.registry
    .facilities()
    .filter((f) => f.divisionId === j.division.id || (f.agencyId !== null && agencyIds.has(f.agencyId)));
}

/** Today's date, `YYYY-MM-DD`, in UTC: the default "as of" date. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The requests a jurisdiction page counts: those that went to the agency it names; else those
 * whose name resolved to the division or, for a county, to a city in it; a state's by the state
 * they were issued in; the nation's, every one.
 */
export async function requestScopeOf(ctx: ServerContext, j: Jurisdiction): Promise<RequestScope> {
  const d = j.division;
  if (j.agency) return { agencyIds: [j.agency.id] };
  if (d.kind === 'country') return {};
  if (d.kind === 'state') return { state: d.state };
  if (d.kind === 'place') return { divisionIds: [d.id] };
  // the cities of a county that the ledger refers to (the registry lists no children)
  const inCounty = (await ledgerRefIds(ctx.store)).filter(
    (id) => ctx.registry.division(id)?.parentId === d.id,
  );
  return { divisionIds: [d.id, ...inCounty] };
}
