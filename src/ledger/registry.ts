import { loadRegistry, type Registry } from '../jurisdictions/registry.ts';
import type { Agency, AgencyKind, Facility } from '../jurisdictions/types.ts';
import type { Store } from './store.ts';

/**
 * The registry a ledger works with: the shipped one plus the agencies and facilities imported
 * into this ledger. The CLI, the server and the benchmarks all read it so.
 */
export async function registryFor(store: Store): Promise<Registry> {
  const agencies: Agency[] = (await store.db.selectFrom('agencies').selectAll().execute()).map((a) => ({
    id: a.id,
    name: a.name,
    kind: a.kind as AgencyKind,
    divisionId: a.division_id,
    state: a.state,
    ori: a.ori,
    source: a.source,
  }));
  const facilities: Facility[] = (await store.db.selectFrom('facilities').selectAll().execute()).map((f) => ({
    id: f.id,
    name: f.name,
    detloc: f.detloc,
    agencyId: f.agency_id,
    divisionId: f.division_id,
    city: f.city,
    state: f.state,
    source: f.source,
  }));
  return loadRegistry({ agencies, facilities });
}
