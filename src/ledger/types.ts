/** Requests and their append-only events (DESIGN §5). */

export const REQUEST_TYPES = ['hold', 'notify', 'transfer', 'info', 'interview', 'facility-access'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const EVENT_KINDS = [
  'received',
  'decided',
  'notified',
  'held',
  'transferred',
  'released',
  'ice-custody',
  'declined',
  'lifted',
  'cancelled',
  'issued-in-error',
  'disputed',
  'corrected',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Where a row came from: an import (file, sheet, row) or a person (user, time). */
export interface Provenance {
  source: string;
  sheet?: string | null;
  row?: number | null;
  user?: string | null;
}

/** What ICE (or CBP/USCIS) asked, of whom, when. Immutable once received. */
export interface RequestRecord {
  /** stable id: the source's own id, or one derived from the source row (see ingest) */
  id: string;
  type: RequestType;
  infoKind: string | null;
  /** I-247, I-247D, I-247N, I-247X, I-247A, or null when the source does not say */
  form: string | null;
  /** ISO date the request was issued (ICE's prepare date) */
  issuedDate: string;
  issuer: string;
  /**
   * two-letter state, lower case. Empty only for an ICE release row that names no place (ICE's
   * "OTHER-OTHER FACILITY" placeholder): such a request is counted but never resolves to a place.
   */
  state: string;
  /** resolved registry ids, null when the name did not resolve */
  divisionId: string | null;
  agencyId: string | null;
  facilityId: string | null;
  /** the name, city and code as the source gave them */
  facilityName: string | null;
  facilityCity: string | null;
  facilityCode: string | null;
  /** the name-resolution rule that matched, or `unresolved:<reason>` */
  resolution: string;
  aor: string | null;
  citizenship: string | null;
  /** `convicted`, `pending-charges`, `other-immigration-violator`, or null */
  criminality: string | null;
  /** offense category of the most serious conviction or charge; never a name */
  mostSeriousOffense: string | null;
  /** pseudonymous subject key; never a name, birth date or file number */
  subjectKey: string | null;
  /** true when the data set is synthetic (the demo) */
  synthetic: boolean;
  provenance: Provenance;
}

/** One thing that happened to a request. */
export interface LedgerEvent {
  /** idempotency key: the same event imported twice is stored once */
  key: string;
  requestId: string;
  kind: EventKind;
  /** ISO date (or date-time) the thing happened */
  date: string;
  /**
   * where it happened (the custody chain): the facility's id, or, when the registry does not know
   * the facility, the id of the agency or division its name resolved to
   */
  facilityId: string | null;
  /** kind-specific details: lift reason, transfer target, decision, dispute reason, … */
  data: Record<string, unknown>;
  provenance: Provenance;
}

export interface StoredEvent extends LedgerEvent {
  seq: number;
  prevHash: string;
  hash: string;
  recordedAt: string;
}
