/**
 * Published editions (DESIGN §7, ddor.md item 6): an edition is the canonical JSON of a report,
 * addressed by its sha256 and never changed. A dispute names one row of an edition; a correction
 * rebuilds the report from the ledger as it now stands (after the events that fix it were
 * appended) and publishes a new edition that supersedes the old one, with a notice listing each
 * changed row, its old and new value and the reason. Every edition stays readable.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../ledger/store.ts';
import { buildReport, type ReportContext } from './build.ts';
import type { ChangedRow, CorrectionNotice, OpenDispute, Report } from './types.ts';

/** A request the editions layer cannot carry out; the message says what to do instead. */
export class EditionError extends Error {}

export interface EditionSummary {
  id: string;
  from: string;
  to: string;
  basis: string;
  supersedes: string | null;
  /** the correction that replaced it, if any */
  supersededBy: string | null;
  publishedAt: string;
  publishedBy: string;
  declines: number;
  synthetic: boolean;
}

/** JSON with object keys sorted at every level: the same report always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function contentId(content: string): string {
  return 'sha256:' + createHash('sha256').update(content).digest('hex');
}

/** The content an edition is addressed by: the report without its `edition` stamp. */
function contentOf(report: Report): string {
  return canonicalJson({ ...report, edition: null });
}

/**
 * Store `report` as an edition. The same content published twice is the same edition (its id is
 * its hash), so publishing is idempotent.
 */
export async function publishEdition(
  store: Store,
  report: Report,
  opts: { by: string; now?: Date; supersedes?: string | null; notice?: CorrectionNotice },
): Promise<{ id: string; created: boolean; report: Report }> {
  const content = contentOf(report);
  const id = contentId(content);
  const existing = await store.db.selectFrom('editions').select('id').where('id', '=', id).executeTakeFirst();
  if (existing) return { id, created: false, report: await readEdition(store, id) };
  if (!opts.supersedes) {
    // one current edition per period: the same figures again are that edition; other figures
    // are a correction, which must say what changed and why
    const current = await store.db
      .selectFrom('editions as e')
      .select('e.id')
      .where('e.period_from', '=', report.period.from)
      .where('e.period_to', '=', report.period.to)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('editions as s').select('s.id').whereRef('s.supersedes', '=', 'e.id')),
        ),
      )
      .executeTakeFirst();
    if (current) {
      const published = await readEdition(store, current.id);
      if (diffReports(published, report).length === 0)
        return { id: current.id, created: false, report: published };
      throw new EditionError(
        `edition ${current.id} of ${report.period.from} – ${report.period.to} is already published and the ledger has changed since: publish the change as a correction (\`report correct ${current.id.slice(7, 19)} --reason TEXT --by NAME\`)`,
      );
    }
  }
  const at = (opts.now ?? new Date()).toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('editions')
      .values({
        id,
        period_from: report.period.from,
        period_to: report.period.to,
        basis: report.period.basis,
        supersedes: opts.supersedes ?? null,
        published_at: at,
        published_by: opts.by,
        content,
      })
      .execute();
    if (opts.notice && opts.supersedes)
      await trx
        .insertInto('edition_corrections')
        .values({
          edition_id: id,
          supersedes: opts.supersedes,
          reason: opts.notice.reason,
          by: opts.notice.by,
          at: opts.notice.at,
          notice: canonicalJson(opts.notice),
        })
        .execute();
  });
  return { id, created: true, report: await readEdition(store, id) };
}

/** Find an edition by its id or a unique prefix of it (with or without `sha256:`), in either case. */
async function editionRow(store: Store, idOrPrefix: string) {
  // ids are lower case; LIKE ignores case on SQLite but not on PostgreSQL, so fold here
  const given = idOrPrefix.toLowerCase();
  const want = given.startsWith('sha256:') ? given : `sha256:${given}`;
  if (want.length < 'sha256:'.length + 6)
    throw new EditionError(`edition id \`${idOrPrefix}\` is too short: give at least 6 hex digits`);
  const rows = await store.db
    .selectFrom('editions')
    .selectAll()
    .where('id', 'like', `${want.replace(/[^0-9a-z:]/gi, '')}%`)
    .limit(2)
    .execute();
  if (rows.length === 0)
    throw new EditionError(`no edition \`${idOrPrefix}\`: \`detainer-ledger report list\` shows them`);
  if (rows.length > 1) throw new EditionError(`edition id \`${idOrPrefix}\` is ambiguous: give more digits`);
  return rows[0]!;
}

/** An edition as published, with its stamp; its content is checked against its id. */
export async function readEdition(store: Store, idOrPrefix: string): Promise<Report> {
  const row = await editionRow(store, idOrPrefix);
  if (contentId(row.content) !== row.id)
    throw new EditionError(`edition ${row.id} does not match its content: the stored edition was altered`);
  const report = JSON.parse(row.content) as Report;
  return { ...report, edition: { id: row.id, supersedes: row.supersedes, publishedAt: row.published_at } };
}

/** The id of the edition that corrects `id`, or null while it stands. */
export async function successorOf(store: Store, id: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('editions')
    .select('id')
    .where('supersedes', '=', id)
    .orderBy('published_at')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function listEditions(store: Store): Promise<EditionSummary[]> {
  const rows = await store.db
    .selectFrom('editions as e')
    .leftJoin('editions as s', 's.supersedes', 'e.id')
    .select([
      'e.id',
      'e.period_from',
      'e.period_to',
      'e.basis',
      'e.supersedes',
      's.id as superseded_by',
      'e.published_at',
      'e.published_by',
      'e.content',
    ])
    .orderBy('e.period_to')
    .orderBy('e.published_at')
    .execute();
  return rows.map((r) => {
    const rep = JSON.parse(r.content) as Report;
    return {
      id: r.id,
      from: r.period_from,
      to: r.period_to,
      basis: r.basis,
      supersedes: r.supersedes,
      supersededBy: r.superseded_by,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
      declines: rep.sections.IV.declines,
      synthetic: rep.synthetic,
    };
  });
}

/**
 * Every row of a report that a dispute can name and a correction can change, by key:
 * `I:<agency or division id>`, `II:<request id>`, `III:<division id>`, `IV:<figure>`.
 */
export function reportRows(report: Report): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  const { I, II, III, IV } = report.sections;
  for (const r of I) rows.set(`I:${r.id}`, { ...r });
  for (const r of II) rows.set(`II:${r.requestId}`, { ...r });
  for (const r of III) rows.set(`III:${r.divisionId}`, { ...r });
  const iv: [string, unknown][] = [
    ['requestsIssued', IV.requestsIssued],
    ['declines', IV.declines],
    ...IV.byOutcome.map((c) => [`outcome:${c.key}`, c.count] as [string, unknown]),
    ...IV.byDateBasis.map((c) => [`basis:${c.key}`, c.count] as [string, unknown]),
    ['confirmedByAgency', IV.confirmedByAgency],
    ['issuedInError', IV.issuedInError.requestIds],
    ['transferredElsewhere', IV.transferredElsewhere],
    ['spike', { flagged: IV.spike.flagged, id: IV.spike.id, day: IV.spike.day, count: IV.spike.count }],
  ];
  for (const [k, v] of iv) rows.set(`IV:${k}`, { value: v });
  return rows;
}

/** The rows that differ between two reports of the same period, in row-key order. */
export function diffReports(before: Report, after: Report): ChangedRow[] {
  const a = reportRows(before);
  const b = reportRows(after);
  const out: ChangedRow[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const o = a.get(key) ?? null;
    const n = b.get(key) ?? null;
    const fields = [...new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})])]
      .filter((f) => canonicalJson(o?.[f]) !== canonicalJson(n?.[f]))
      .sort();
    if (fields.length) out.push({ row: key, old: o, new: n, fields });
  }
  return out;
}

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : canonicalJson(v));

function sentence(c: ChangedRow, reason: string): string {
  if (c.new === null)
    return `${c.row}: removed (was ${show(c.old?.outcome ?? c.old?.value ?? c.old)}): ${reason}`;
  if (c.old === null) return `${c.row}: added (${show(c.new.outcome ?? c.new.value ?? c.new)}): ${reason}`;
  return `${c.row}: ${c.fields.map((f) => `${f} ${show(c.old?.[f])} → ${show(c.new?.[f])}`).join('; ')}: ${reason}`;
}

/** Record a dispute of one row of an edition. The row must exist in it. */
export async function disputeRow(
  store: Store,
  editionId: string,
  d: { row: string; by: string; reason: string; now?: Date },
): Promise<OpenDispute> {
  const edition = await readEdition(store, editionId);
  if (!d.by.trim()) throw new EditionError('a dispute needs who raises it (`--by NAME`)');
  if (!d.reason.trim()) throw new EditionError('a dispute needs a reason (`--reason TEXT`)');
  const rows = reportRows(edition);
  // a bare request id names a section II row
  const row = rows.has(d.row) ? d.row : rows.has(`II:${d.row}`) ? `II:${d.row}` : null;
  if (row === null)
    throw new EditionError(
      `edition ${edition.edition!.id} has no row \`${d.row}\`: name it as II:<request id>, I:<id>, III:<division id> or IV:<figure>`,
    );
  const out: OpenDispute = {
    id: randomUUID(),
    editionId: edition.edition!.id,
    row,
    by: d.by.trim(),
    reason: d.reason.trim(),
    at: (d.now ?? new Date()).toISOString(),
  };
  // The record goes in first: the chain cannot take an event back, the record can be removed
  // again, so a failed append leaves neither (the two stores share no one transaction here).
  await store.db
    .insertInto('edition_disputes')
    .values({
      id: out.id,
      edition_id: out.editionId,
      row_key: out.row,
      by: out.by,
      reason: out.reason,
      at: out.at,
    })
    .execute();
  // a dispute of a section II row is also a `disputed` event of its request, in the hash chain
  if (row.startsWith('II:'))
    try {
      await store.appendEvents([
        {
          key: `dispute:${out.id}`,
          requestId: row.slice(3),
          kind: 'disputed',
          date: out.at,
          facilityId: null,
          data: { edition: out.editionId, by: out.by, reason: out.reason },
          provenance: { source: 'report dispute', user: out.by },
        },
      ]);
    } catch (err) {
      await store.db.deleteFrom('edition_disputes').where('id', '=', out.id).execute();
      throw err;
    }
  return out;
}

export async function disputesOf(store: Store, editionId: string): Promise<OpenDispute[]> {
  const rows = await store.db
    .selectFrom('edition_disputes')
    .selectAll()
    .where('edition_id', '=', editionId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    editionId: r.edition_id,
    row: r.row_key,
    by: r.by,
    reason: r.reason,
    at: r.at,
  }));
}

/**
 * Correct an edition: rebuild its period from the ledger as it stands now and publish the result
 * as a new edition superseding it, with a notice of exactly the rows that changed. The ledger
 * change (e.g. an `issued-in-error` or `corrected` event) must be appended first; with nothing
 * changed there is nothing to correct.
 */
export async function correctEdition(
  ctx: ReportContext,
  editionId: string,
  c: { reason: string; by: string; now?: Date },
): Promise<{ id: string; notice: CorrectionNotice; report: Report }> {
  if (!c.by.trim()) throw new EditionError('a correction needs who makes it (`--by NAME`)');
  if (!c.reason.trim()) throw new EditionError('a correction needs a reason (`--reason TEXT`)');
  const old = await readEdition(ctx.store, editionId);
  const oldId = old.edition!.id;
  const successor = await ctx.store.db
    .selectFrom('editions')
    .select('id')
    .where('supersedes', '=', oldId)
    .executeTakeFirst();
  if (successor)
    throw new EditionError(`edition ${oldId} is already corrected by ${successor.id}: correct that one`);
  const now = c.now ?? new Date();
  const fresh = await buildReport(
    ctx,
    { from: old.period.from, to: old.period.to },
    { suppressBelow: old.suppressBelow, now },
  );
  fresh.period = old.period;
  const changes = diffReports(old, fresh);
  if (changes.length === 0)
    throw new EditionError(
      `nothing in edition ${oldId} changed: append the ledger events that correct it first (e.g. \`issued-in-error\` or \`corrected\`)`,
    );
  const notice: CorrectionNotice = {
    supersedes: oldId,
    reason: c.reason.trim(),
    by: c.by.trim(),
    at: now.toISOString(),
    changes,
    text: changes.map((ch) => sentence(ch, c.reason.trim())),
  };
  fresh.sections.IV.corrections = [notice, ...fresh.sections.IV.corrections];
  // the disputes of the edition corrected are answered by this correction
  fresh.sections.IV.openDisputes = fresh.sections.IV.openDisputes.filter((d) => d.editionId !== oldId);
  const published = await publishEdition(ctx.store, fresh, {
    by: c.by.trim(),
    now,
    supersedes: oldId,
    notice,
  });
  return { id: published.id, notice, report: published.report };
}
