/**
 * The 287(g) agreements of a division, read from the `agreements_287g` rows imported from ICE's
 * participating-agency sheets, in the shape the law library's profile takes.
 */
import { normalizeName, parseState, splitCountySuffix } from '../jurisdictions/normalize.ts';
import type { Division } from '../jurisdictions/types.ts';
import type { Agreement287g } from '../law/index.ts';
import type { Store } from './store.ts';

const countyKey = (name: string): string => {
  const folded = normalizeName(name);
  return splitCountySuffix(folded)?.[0] ?? folded;
};

/**
 * Agreements whose row was resolved to `division`, or (for a county) whose sheet row names the
 * division's state and county.
 */
export async function agreementsFor(
  store: Store,
  division: Pick<Division, 'id' | 'kind' | 'state' | 'name'>,
): Promise<Agreement287g[]> {
  const rows = await store.db
    .selectFrom('agreements_287g')
    .selectAll()
    .where((eb) =>
      division.kind === 'county'
        ? eb.or([eb('division_id', '=', division.id), eb('division_id', 'is', null)])
        : eb('division_id', '=', division.id),
    )
    .orderBy('id')
    .execute();
  const key = countyKey(division.name);
  return rows
    .filter(
      (r) =>
        r.division_id === division.id ||
        (r.county !== null && parseState(r.state) === division.state && countyKey(r.county) === key),
    )
    .map((r) => ({
      id: r.id,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      supportType: r.support_type,
      signedDate: r.signed_date,
      status: r.status,
      sheetDate: r.sheet_date,
      source: r.source,
    }));
}
