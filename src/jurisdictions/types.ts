/** Kinds of receiving bodies (DESIGN §2). */
export const AGENCY_KINDS = [
  'sheriff',
  'jail',
  'police',
  'state-prison',
  'probation',
  'school-police',
  'airport-police',
  'port-police',
  'non-law-enforcement',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export type DivisionKind = 'country' | 'state' | 'county' | 'place';

/** A political unit identified by its Open Civic Data division id. */
export interface Division {
  id: string;
  kind: DivisionKind;
  /** the OCD type word of the last id segment: state, county, parish, borough, place, … */
  ocdType: string;
  name: string;
  /** two-letter postal code, lower case (`ca`, `dc`, `pr`); empty for the nation */
  state: string;
  /** 2-digit state, 5-digit county or 7-digit place FIPS code, where known */
  fips: string | null;
  /** id of the enclosing division: place → county (where known) or state; county → state; state → nation */
  parentId: string | null;
}

/** A body that receives requests. Id scheme: `<division id>/agency:<slug>` (see README). */
export interface Agency {
  id: string;
  name: string;
  kind: AgencyKind;
  divisionId: string;
  state: string;
  ori: string | null;
  /** where the row came from: `seed:law`, `seed:287g:<file>`, `import:<file>`, `cli` */
  source: string;
  /** other names the agency goes by ("LAPD", "NYC DOC"), matched within its state */
  aliases?: string[];
}

/** A place of custody. Id scheme: `facility:<DETLOC>` when ICE's code is known, else `<agency id>/facility:<slug>`. */
export interface Facility {
  id: string;
  name: string;
  detloc: string | null;
  agencyId: string | null;
  divisionId: string | null;
  city: string | null;
  state: string;
  source: string;
  /** other names the facility goes by, matched within its state */
  aliases?: string[];
}

export type ResolutionStatus = 'resolved' | 'ambiguous' | 'unknown';

export interface Candidate {
  id: string;
  name: string;
  kind: 'division' | 'agency' | 'facility';
}

/** The answer to "which jurisdiction does this name mean?" — never a guess. */
export interface Resolution {
  status: ResolutionStatus;
  /** the division the name resolves to (county or place), when resolved */
  divisionId: string | null;
  agencyId: string | null;
  facilityId: string | null;
  /** the rule that matched, e.g. `facility-detloc`, `county-name+state`, `agency-alias` */
  rule: string;
  /** for ambiguous / unknown: what it could have been, best first */
  candidates: Candidate[];
  /** a sentence a person can read */
  reason: string;
}

/** What the law engine and the ledger need from the registry. */
export interface DivisionLookup {
  /** a division by canonical id or alias id */
  division(id: string): Division | undefined;
  /** the division and every division that contains it, innermost first, ending with the nation */
  ancestors(id: string): Division[];
  agency(id: string): Agency | undefined;
  facility(id: string): Facility | undefined;
}
