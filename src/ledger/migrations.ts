import { sql, type Kysely } from 'kysely';

/**
 * Schema changes, in order, written once with Kysely's schema builder so both adapters share them.
 * A migration is never edited after it ships: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'ledger core: requests, events, agencies, facilities, 287(g) agreements, areas of responsibility',
    async up(db) {
      await db.schema
        .createTable('requests')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('info_kind', 'text')
        .addColumn('form', 'text')
        .addColumn('issued_date', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('division_ref', 'integer')
        .addColumn('agency_ref', 'integer')
        .addColumn('facility_ref', 'integer')
        .addColumn('facility_name', 'text')
        .addColumn('facility_city', 'text')
        .addColumn('facility_code', 'text')
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('aor', 'text')
        .addColumn('citizenship', 'text')
        .addColumn('criminality', 'text')
        .addColumn('most_serious_offense', 'text')
        .addColumn('subject_key', 'text')
        .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('sheet', 'text')
        .addColumn('row', 'integer')
        .addColumn('user', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('requests_issued').on('requests').columns(['issued_date']).execute();

      await db.schema
        .createTable('events')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('facility_ref', 'integer')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('sheet', 'text')
        .addColumn('row', 'integer')
        .addColumn('user', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_request').on('events').columns(['request_id', 'seq']).execute();

      await db.schema
        .createTable('refs')
        .addColumn('ref', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .execute();
      await sql`create view requests_v as
        select r.seq, r.id, r.type, r.info_kind, r.form, r.issued_date, r.issuer, r.state,
          d.id as division_id, a.id as agency_id, f.id as facility_id,
          r.facility_name, r.facility_city, r.facility_code, r.resolution, r.aor, r.citizenship,
          r.criminality, r.most_serious_offense, r.subject_key, r.synthetic, r.source, r.sheet, r.row,
          r.user, r.recorded_at, r.hash
        from requests r
          left join refs d on d.ref = r.division_ref
          left join refs a on a.ref = r.agency_ref
          left join refs f on f.ref = r.facility_ref`.execute(db);
      await sql`create view events_v as
        select e.seq, e.key, e.request_id, e.kind, e.date, f.id as facility_id, e.data, e.source, e.sheet,
          e.row, e.user, e.recorded_at, e.hash
        from events e left join refs f on f.ref = e.facility_ref`.execute(db);

      await db.schema
        .createTable('agencies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('division_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('ori', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('facilities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('detloc', 'text')
        .addColumn('agency_id', 'text')
        .addColumn('division_id', 'text')
        .addColumn('city', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('agreements_287g')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agency_id', 'text')
        .addColumn('agency_name', 'text', (c) => c.notNull())
        .addColumn('agency_type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('county', 'text')
        .addColumn('division_id', 'text')
        .addColumn('support_type', 'text', (c) => c.notNull())
        .addColumn('signed_date', 'text')
        .addColumn('moa', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('sheet_date', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('row', 'integer')
        .execute();

      await db.schema
        .createTable('areas_of_responsibility')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('office', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('county_division_id', 'text')
        .addColumn('county_name', 'text')
        .addColumn('notes', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('row', 'integer')
        .execute();

      // The chain head lets `verify` notice a removed last event, which no link can show.
      await db.schema
        .createTable('ledger_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into ledger_meta (key, value) values ('chain_head', ${'0:' + '0'.repeat(64)})`.execute(
        db,
      );
    },
  },
  {
    version: 2,
    name: 'policy revisions: the law library files every stored decision was made under',
    async up(db) {
      // content-addressed (the revision is the hash of the files), so a row is written once
      await db.schema
        .createTable('policy_revisions')
        .addColumn('revision', 'text', (c) => c.primaryKey())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text')
        .execute();
    },
  },
  {
    version: 3,
    name: 'reports: events by kind and date; published editions, disputes and corrections',
    async up(db) {
      // a report reads only its period: the declines recorded in it, found by kind and date
      await db.schema.createIndex('events_kind_date').on('events').columns(['kind', 'date']).execute();
      // Editions are content-addressed (id = sha256 of the canonical report JSON) and append-only:
      // the code offers no update or delete; a correction is a new row that supersedes an old one.
      await db.schema
        .createTable('editions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('supersedes', 'text')
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('editions_period')
        .on('editions')
        .columns(['period_to', 'published_at'])
        .execute();
      await db.schema.createIndex('editions_supersedes').on('editions').columns(['supersedes']).execute();
      await db.schema
        .createTable('edition_disputes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('edition_id', 'text', (c) => c.notNull())
        .addColumn('row_key', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('edition_disputes_edition')
        .on('edition_disputes')
        .columns(['edition_id'])
        .execute();
      await db.schema
        .createTable('edition_corrections')
        .addColumn('edition_id', 'text', (c) => c.primaryKey())
        .addColumn('supersedes', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('notice', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 4,
    name: 'covering indexes for period reads: requests by issue date, events by request',
    async up(db) {
      // A period's requests and their events are read by index alone (no jump into the table per
      // row, which on a large ledger is random I/O); each replaces the narrower index it extends.
      await db.schema
        .createIndex('requests_issued_cover')
        .on('requests')
        .columns(['issued_date', 'id', 'state', 'division_ref', 'agency_ref', 'facility_ref', 'synthetic'])
        .execute();
      await db.schema.dropIndex('requests_issued').execute();
      await db.schema
        .createIndex('events_request_cover')
        .on('events')
        .columns(['request_id', 'seq', 'kind', 'date', 'facility_ref'])
        .execute();
      await db.schema.dropIndex('events_request').execute();
    },
  },
  {
    version: 5,
    name: 'staff accounts: users, sessions, API tokens, audit log',
    async up(db) {
      // secrets are kept only as hashes: a copy of the database gives no password, session or token
      await db.schema
        .createTable('users')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('ip', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
    },
  },
  {
    version: 6,
    name: 'user administration: last log-in, disabled and password-reset times; token ids, last use, revocation time',
    async up(db) {
      await db.schema.alterTable('users').addColumn('last_login_at', 'text').execute();
      await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
      // 1 after an administrator set the password: its owner must choose a new one before working
      await db.schema
        .alterTable('users')
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // a token needs a name that is not the secret, to be listed and revoked by: a prefix of its
      // hash tells nothing about the token and is filled in for tokens minted before this version
      await db.schema.alterTable('api_tokens').addColumn('id', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('revoked_at', 'text').execute();
      await sql`update api_tokens set id = substr(token_hash, 1, 16)`.execute(db);
      await db.schema.createIndex('api_tokens_id').on('api_tokens').columns(['id']).unique().execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_name']).execute();
      // ending a user's sessions and purging expired ones are reads by these columns
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_name']).execute();
      await db.schema.createIndex('sessions_expires').on('sessions').columns(['expires_at']).execute();
    },
  },
];
