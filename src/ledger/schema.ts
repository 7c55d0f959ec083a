/** Table shapes shared by both adapters (snake_case columns; dates as ISO text). */
/**
 * A request as read (the `requests_v` view). The stored row is also the `received` event of its
 * request: it takes its place in the one hash chain (seq, hash), so a request costs one row.
 */
export interface RequestsView {
  seq: number;
  id: string;
  type: string;
  info_kind: string | null;
  form: string | null;
  issued_date: string;
  issuer: string;
  state: string;
  division_id: string | null;
  agency_id: string | null;
  facility_id: string | null;
  facility_name: string | null;
  facility_city: string | null;
  facility_code: string | null;
  resolution: string;
  aor: string | null;
  citizenship: string | null;
  criminality: string | null;
  most_serious_offense: string | null;
  subject_key: string | null;
  synthetic: number;
  source: string;
  sheet: string | null;
  row: number | null;
  user: string | null;
  recorded_at: string;
  hash: string;
}

/**
 * As stored: registry ids (long OCD-ID strings) are kept once in `refs` and referenced by number,
 * which halves the row and keeps a million-row import fast.
 */
export interface RequestsTable extends Omit<RequestsView, 'division_id' | 'agency_id' | 'facility_id'> {
  division_ref: number | null;
  agency_ref: number | null;
  facility_ref: number | null;
}

export interface RefsTable {
  ref: number;
  id: string;
}

export interface EventsView {
  seq: number;
  key: string;
  request_id: string;
  kind: string;
  date: string;
  facility_id: string | null;
  data: string;
  source: string;
  sheet: string | null;
  row: number | null;
  user: string | null;
  recorded_at: string;
  hash: string;
}

export interface EventsTable extends Omit<EventsView, 'facility_id'> {
  facility_ref: number | null;
}

export interface AgenciesTable {
  id: string;
  name: string;
  kind: string;
  division_id: string;
  state: string;
  ori: string | null;
  source: string;
}

export interface FacilitiesTable {
  id: string;
  name: string;
  detloc: string | null;
  agency_id: string | null;
  division_id: string | null;
  city: string | null;
  state: string;
  source: string;
}

/** One signed 287(g) agreement as listed in one of ICE's participating-agency sheets. */
export interface Agreements287gTable {
  id: string;
  agency_id: string | null;
  agency_name: string;
  agency_type: string;
  state: string;
  county: string | null;
  division_id: string | null;
  support_type: string;
  signed_date: string | null;
  moa: string | null;
  /** `participating` or `pending` */
  status: string;
  /** the date of the sheet that listed it (ICE's file name carries it) */
  sheet_date: string;
  source: string;
  row: number | null;
}

/** ICE's area-of-responsibility table: which field office covers a state or county. */
export interface AreasOfResponsibilityTable {
  id: string;
  office: string;
  state: string;
  /** null = the whole state belongs to this office */
  county_division_id: string | null;
  county_name: string | null;
  notes: string | null;
  source: string;
  row: number | null;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface LedgerMetaTable {
  key: string;
  value: string;
}

/** A law library revision a stored decision was made under: its files, to rebuild it for replay. */
export interface PolicyRevisionsTable {
  /** `sha256:…`, the library's content hash */
  revision: string;
  /** JSON `[{ path, content }]`: the instrument and offense-list files, paths relative to `policies/` */
  files: string;
  recorded_at: string | null;
}

/** A published report edition: immutable, addressed by the hash of its content. */
export interface EditionsTable {
  /** `sha256:…` of `content` */
  id: string;
  period_from: string;
  period_to: string;
  /** `week` or `range` */
  basis: string;
  /** the edition this one corrects, if any */
  supersedes: string | null;
  published_at: string;
  published_by: string;
  /** the canonical JSON of the report (without its `edition` field) */
  content: string;
}

/** A dispute of one row of a published edition. */
export interface EditionDisputesTable {
  id: string;
  edition_id: string;
  /** `II:<request id>`, `I:<agency id>`, `III:<division id>`, `IV:<figure>` */
  row_key: string;
  by: string;
  reason: string;
  at: string;
}

/** A correction: the edition it made, the one it superseded, why, and the notice (JSON). */
export interface EditionCorrectionsTable {
  edition_id: string;
  supersedes: string;
  reason: string;
  by: string;
  at: string;
  notice: string;
}

export interface Database {
  requests: RequestsTable;
  requests_v: RequestsView;
  events: EventsTable;
  events_v: EventsView;
  refs: RefsTable;
  agencies: AgenciesTable;
  facilities: FacilitiesTable;
  agreements_287g: Agreements287gTable;
  areas_of_responsibility: AreasOfResponsibilityTable;
  schema_migrations: MigrationsTable;
  ledger_meta: LedgerMetaTable;
  policy_revisions: PolicyRevisionsTable;
  editions: EditionsTable;
  edition_disputes: EditionDisputesTable;
  edition_corrections: EditionCorrectionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}

/** A staff account (src/server/auth): role `clerk`, `supervisor`, `analyst` or `admin`. */
export interface UsersTable {
  name: string;
  role: string;
  agency_id: string | null;
  /** `scrypt$N$r$p$salt$hash` (base64) */
  password_hash: string;
  created_at: string;
  disabled: number;
  /** migration 6: the last successful log-in */
  last_login_at: string | null;
  /** migration 6: when the account was disabled (null while active) */
  disabled_at: string | null;
  /** migration 6: 1 after an administrator set the password, until its owner chooses one */
  must_change_password: number;
}

/** A login session; the cookie holds the id, the table only its sha256. */
export interface SessionsTable {
  id_hash: string;
  user_name: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** An API token for a machine client, kept as its sha256. */
export interface ApiTokensTable {
  token_hash: string;
  user_name: string;
  label: string;
  created_at: string;
  revoked: number;
  /** migration 6: the first 16 hex digits of the hash, to list and revoke the token by */
  id: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** One staff action: who, what, when, from where. */
export interface AuditLogTable {
  /** a random UUID; rows are ordered by `at` */
  id: string;
  at: string;
  user_name: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  /** JSON */
  detail: string;
}
