/**
 * What a layout is: its exact header, how it is recognised, and how one row becomes a draft
 * request, event, 287(g) agreement or area of responsibility. Resolution of names to registry ids
 * and ids for rows that carry none happen later, in run.ts, once per file.
 */
import type { ErrorCode } from '../errors.ts';
import type { EventKind, RequestType } from '../../ledger/types.ts';

export type LayoutId =
  | 'canonical-requests'
  | 'canonical-events'
  | 'npr-extract'
  | 'ice-r1'
  | 'ice-r2'
  | 'ice-r3'
  | 'ice-r4'
  | 'ice-r5'
  | 'ice-287g'
  | 'ice-aor';

export type Target = 'requests' | 'events' | 'agreements' | 'areas';

/** A header row as read, with its normalised names and where each sits. */
export interface Header {
  row: number;
  sheet: string | null;
  names: string[];
  norm: string[];
  index: Map<string, number>;
}

/** Lower case, every run of non-alphanumerics as one `_`: "Detainer_Lift_Date" = "Detainer Lift Date". */
export function normaliseName(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function makeHeader(names: string[], row: number, sheet: string | null): Header {
  const norm = names.map(normaliseName);
  const index = new Map<string, number>();
  norm.forEach((n, i) => {
    if (n !== '' && !index.has(n)) index.set(n, i);
  });
  return { row, sheet, names, norm, index };
}

/** Where errors go; the row and file are known to the sink, the layout names the column. */
export interface ErrorSink {
  add(column: string | null, value: string | null, code: ErrorCode, reason: string): void;
  warn(column: string | null, value: string | null, code: ErrorCode, reason: string): void;
}

export interface LiftDraft {
  kind: EventKind;
  reason: string;
  code: string | null;
  date: string;
  dateBasis: 'issue-date' | 'recorded';
}

export interface RequestDraft {
  target: 'requests';
  /** the source's own id; null → derived from the row's values */
  sourceId: string | null;
  type: RequestType;
  infoKind: string | null;
  form: string | null;
  issuedDate: string;
  issuer: string;
  state: string;
  facilityName: string | null;
  facilityCity: string | null;
  facilityCode: string | null;
  /** ids the source gives itself (canonical format only) */
  agencyId: string | null;
  divisionId: string | null;
  aor: string | null;
  citizenship: string | null;
  criminality: string | null;
  mostSeriousOffense: string | null;
  subjectKey: string | null;
  synthetic: boolean;
  lift: LiftDraft | null;
}

export interface EventDraft {
  target: 'events';
  key: string | null;
  requestId: string;
  kind: EventKind;
  date: string;
  facilityId: string | null;
  facilityCode: string | null;
  facilityName: string | null;
  state: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

export interface AgreementDraft {
  target: 'agreements';
  agencyName: string;
  agencyType: string;
  state: string;
  county: string | null;
  supportType: string;
  signedDate: string | null;
  moa: string | null;
  status: 'participating' | 'pending';
  sheetDate: string;
}

export interface AreaDraft {
  target: 'areas';
  office: string;
  state: string;
  countyName: string | null;
  notes: string | null;
}

export type Draft = RequestDraft | EventDraft | AgreementDraft | AreaDraft;

export interface RowContext {
  file: string;
  sheet: string | null;
  row: number;
}

export interface BindOptions {
  file: string;
  /** `--sheet-date` for 287(g) sheets whose file name carries no date */
  sheetDate?: string;
}

/** A layout bound to one header: maps a row's cells to a draft, or reports through the sink. */
export interface BoundLayout {
  map(cells: string[], ctx: RowContext, sink: ErrorSink): Draft | null;
  /** columns that take part in a derived id (personal columns left out); null → the source has ids */
  idColumns: number[] | null;
}

export interface HeaderProblem {
  code: ErrorCode;
  column: string | null;
  reason: string;
}

export interface Layout {
  id: LayoutId;
  title: string;
  target: Target;
  /** the exact header as the source prints it, in file order */
  headers: readonly string[];
  /** normalised names that must all be present for the header to be this layout */
  required: readonly string[];
  /** normalised names that tell this layout from its neighbours; more matches win */
  distinctive: readonly string[];
  /** closed layouts (the canonical format) reject unknown columns */
  closed: boolean;
  bind(header: Header, opts: BindOptions): BoundLayout | HeaderProblem[];
}
