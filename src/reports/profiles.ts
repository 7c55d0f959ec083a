/**
 * Cooperation profiles for sections I and III, from the law library (src/law/profile.ts): a
 * profile is many decisions, so section I's (division, agency kind, date) is computed once per engine.
 */
import type { Registry } from '../jurisdictions/registry.ts';
import type { AgencyKind, Division } from '../jurisdictions/types.ts';
import { jailHoldingAgencyKind, profileOf, type Engine, type Profile } from '../law/index.ts';
import { agreementsFor } from '../ledger/agreements.ts';
import type { Store } from '../ledger/store.ts';
import type { ProfileSummary } from './types.ts';

const NATION = 'ocd-division/country:us';
const cache = new WeakMap<Engine, Map<string, Profile>>();

export interface ProfileSource {
  engine: Engine;
  registry: Registry;
  store: Store;
}

/** The profile of `division` on `date` for an agency of `kind` (default: the one holding the jail). */
export async function cachedProfile(
  src: ProfileSource,
  division: Division,
  date: string,
  kind?: AgencyKind,
  withAgreements = true,
): Promise<Profile> {
  const agencyKind = kind ?? jailHoldingAgencyKind(division);
  const probe = {
    id: division.id,
    kind: division.kind,
    state: division.state,
    name: division.name,
    agencyKind,
  };
  // 287(g) agreements are ledger rows that an import may change: read fresh (section III only, a
  // few dozen divisions); section I needs only whether the law limits cooperation, and that is cached
  if (withAgreements) return profileOf(src.engine, probe, date, await agreementsFor(src.store, division));
  let byKey = cache.get(src.engine);
  if (!byKey) cache.set(src.engine, (byKey = new Map()));
  const key = `${division.id}\0${agencyKind}\0${date}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const profile = profileOf(src.engine, probe, date);
  byKey.set(key, profile);
  return profile;
}

/** The divisions (not the nation) with an instrument of the library in force on `date`. */
export function divisionsWithInstruments(engine: Engine, registry: Registry, date: string): Division[] {
  const day = Number(date.replaceAll('-', ''));
  const ids = new Set<string>();
  for (const i of engine.library.instruments)
    if (i.division !== NATION && i.validFrom <= day && day <= i.validTo)
      ids.add(registry.canonicalId(i.division));
  const out: Division[] = [];
  for (const id of ids) {
    const d = registry.division(id);
    if (d) out.push(d);
  }
  return out.sort((a, b) => a.state.localeCompare(b.state) || a.id.localeCompare(b.id));
}

export function summarize(p: Profile): ProfileSummary {
  const s = {
    holds: p.holds.value,
    notification: p.notification.value,
    transfer: p.transfer.value,
    information: p.information.value,
    access: p.access.value,
  };
  return {
    ...s,
    text: Object.entries(s)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
  };
}

/** The 5-digit FIPS of the county a division is or lies in, where known. */
export function countyFipsOf(registry: Registry, divisionId: string | null): string | null {
  if (!divisionId) return null;
  const county = registry.ancestors(divisionId).find((d) => d.kind === 'county');
  return county?.fips ?? null;
}
