import type { Generated } from 'kysely';

/** Table shapes shared by both adapters (snake_case columns; dates as ISO text). */
export interface RequestsTable {
  id: string;
  content_hash: string;
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
}

export interface EventsTable {
  seq: Generated<number>;
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
  prev_hash: string;
  hash: string;
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

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface Database {
  requests: RequestsTable;
  events: EventsTable;
  agencies: AgenciesTable;
  facilities: FacilitiesTable;
  schema_migrations: MigrationsTable;
}
