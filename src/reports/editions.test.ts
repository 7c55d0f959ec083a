/**
 * ddor.md item 6: a row can be disputed, a correction makes a new edition whose notice lists
 * exactly the rows that changed, and every edition stays readable and unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { eachStore } from '../ledger/test-stores.ts';
import { buildReport } from './build.ts';
import {
  canonicalJson,
  contentId,
  correctEdition,
  disputeRow,
  disputesOf,
  EditionError,
  listEditions,
  publishEdition,
  readEdition,
} from './editions.ts';
import { ddorWeekFiles, testLedger, type TestLedger } from './test-support.ts';

eachStore((fresh) => {
  let t: TestLedger;
  let firstId: string;

  beforeAll(async () => {
    t = await testLedger(ddorWeekFiles(), fresh);
    const report = await buildReport(t, { week: '2017-02-01' }, { now: new Date('2017-03-20T12:00:00Z') });
    firstId = (
      await publishEdition(t.store, report, { by: 'analyst', now: new Date('2017-03-20T12:00:00Z') })
    ).id;
  });
  afterAll(async () => t.close());

  describe('publish', () => {
    it('stores an edition addressed by the hash of its content, and re-reads it unchanged', async () => {
      expect(firstId).toMatch(/^sha256:[0-9a-f]{64}$/);
      const read = await readEdition(t.store, firstId);
      expect(read.edition).toMatchObject({ id: firstId, supersedes: null });
      expect(contentId(canonicalJson({ ...read, edition: null }))).toBe(firstId);
      expect(read.sections.IV.declines).toBe(4);
      // a unique prefix is enough to name it
      expect((await readEdition(t.store, firstId.slice(7, 19))).edition?.id).toBe(firstId);
      // in upper case too, on either store (PostgreSQL's LIKE minds case, SQLite's does not)
      expect((await readEdition(t.store, firstId.slice(7, 19).toUpperCase())).edition?.id).toBe(firstId);
      expect((await readEdition(t.store, firstId.slice(0, 19).toUpperCase())).edition?.id).toBe(firstId);
    });

    it('publishing the same content, or the same figures built again, gives the same edition', async () => {
      const read = await readEdition(t.store, firstId);
      const again = await publishEdition(t.store, { ...read, edition: null }, { by: 'someone else' });
      expect(again).toMatchObject({ id: firstId, created: false });
      const rebuilt = await buildReport(t, { week: '2017-02-02' }, { now: new Date('2017-03-21T09:00:00Z') });
      expect(await publishEdition(t.store, rebuilt, { by: 'analyst' })).toMatchObject({
        id: firstId,
        created: false,
      });
      expect(await listEditions(t.store)).toHaveLength(1);
    });

    it('refuses an edition whose stored content was altered', async () => {
      const other = await testLedger(ddorWeekFiles(), fresh);
      try {
        const r = await buildReport(other, { week: '2017-02-01' });
        const { id } = await publishEdition(other.store, r, { by: 'analyst' });
        // tampering behind the API's back, straight in the database
        await other.store.db
          .updateTable('editions')
          .set({ content: sql<string>`replace(content, '"declines":4', '"declines":3')` })
          .execute();
        await expect(readEdition(other.store, id)).rejects.toThrow(/altered/);
      } finally {
        await other.close();
      }
    });
  });

  describe('dispute and correct', () => {
    it('leaves neither a record nor an event when either write of a dispute fails', async () => {
      const disputed = () =>
        t.store.db.selectFrom('events').select('key').where('kind', '=', 'disputed').execute();
      const [records, events] = [await disputesOf(t.store, firstId), await disputed()];
      const noEvents = Object.create(t.store, {
        appendEvents: { value: () => Promise.reject(new Error('the ledger refused the event')) },
      }) as typeof t.store;
      await expect(
        disputeRow(noEvents, firstId, { row: 'f-1', by: 'sheriff', reason: 'never here' }),
      ).rejects.toThrow('the ledger refused the event');
      const db = t.store.db;
      const noRecords = Object.create(t.store, {
        db: {
          value: new Proxy(db, {
            get: (target, p) => {
              if (p === 'insertInto')
                return () => {
                  throw new Error('no room for the record');
                };
              const v = Reflect.get(target, p, target) as unknown;
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
            },
          }),
        },
      }) as typeof t.store;
      await expect(
        disputeRow(noRecords, firstId, { row: 'f-1', by: 'sheriff', reason: 'never here' }),
      ).rejects.toThrow('no room for the record');
      expect(await disputesOf(t.store, firstId)).toEqual(records);
      expect(await disputed()).toEqual(events);
    });

    it('records a dispute of a row, refuses a row the edition does not have, and lists it as open', async () => {
      await expect(
        disputeRow(t.store, firstId, { row: 'II:nope', by: 'sheriff', reason: 'x' }),
      ).rejects.toThrow(EditionError);
      const d = await disputeRow(t.store, firstId, {
        row: 'f-1',
        by: 'Franklin County Sheriff',
        reason: 'the person was never in our jail',
      });
      expect(d.row).toBe('II:f-1');
      // the request's own history says so too
      const ev = await t.store.db
        .selectFrom('events')
        .select(['kind', 'data'])
        .where('request_id', '=', 'f-1')
        .where('kind', '=', 'disputed')
        .execute();
      expect(ev).toHaveLength(1);
      expect(JSON.parse(ev[0]!.data)).toMatchObject({ edition: firstId, by: 'Franklin County Sheriff' });
      const draft = await buildReport(t, { week: '2017-02-01' });
      expect(draft.sections.IV.openDisputes).toEqual([
        expect.objectContaining({ row: 'II:f-1', editionId: firstId }),
      ]);
    });

    it('refuses a correction when nothing in the ledger changed', async () => {
      await expect(correctEdition(t, firstId, { reason: 'r', by: 'analyst' })).rejects.toThrow(
        /nothing .* changed/,
      );
    });

    it('makes a second edition whose notice lists exactly the changed rows, old and new, with the reason', async () => {
      await t.store.appendEvents([
        {
          key: 'fix-f-1',
          requestId: 'f-1',
          kind: 'issued-in-error',
          date: '2017-03-22',
          facilityId: null,
          data: { reason: 'the person was in Franklin County, Ohio' },
          provenance: { source: 'desk', user: 'analyst' },
        },
      ]);
      // the week cannot simply be published again: its figures changed, so it takes a correction
      await expect(
        publishEdition(t.store, await buildReport(t, { week: '2017-02-01' }), { by: 'analyst' }),
      ).rejects.toThrow(/already published .* correction/);
      const reason = 'detainer issued to Franklin County, PA in error';
      const { id, notice, report } = await correctEdition(t, firstId, {
        reason,
        by: 'analyst',
        now: new Date('2017-03-29T12:00:00Z'),
      });
      expect(id).not.toBe(firstId);
      expect(notice.supersedes).toBe(firstId);
      expect(notice.changes.map((c) => c.row)).toEqual([
        'II:f-1',
        'IV:basis:recorded-declined',
        'IV:declines',
        'IV:issuedInError',
        'IV:outcome:declined-outcome-unknown',
        'IV:outcome:issued-in-error',
      ]);
      const f1 = notice.changes[0]!;
      expect(f1.old).toMatchObject({ requestId: 'f-1', outcome: 'declined-outcome-unknown' });
      expect(f1.new).toBeNull();
      expect(notice.changes.find((c) => c.row === 'IV:declines')).toMatchObject({
        old: { value: 4 },
        new: { value: 3 },
      });
      expect(notice.text).toHaveLength(6);
      expect(notice.text.every((s) => s.endsWith(reason))).toBe(true);
      expect(notice.text.find((s) => s.startsWith('IV:declines'))).toBe(
        `IV:declines: value 4 → 3: ${reason}`,
      );
      // the new edition carries the notice and no longer lists the answered dispute
      expect(report.sections.IV.corrections[0]).toEqual(notice);
      expect(report.sections.IV.openDisputes).toEqual([]);
      expect(report.edition).toMatchObject({ id, supersedes: firstId });
    });

    it('keeps both editions readable, the first unchanged, and lists them with their link', async () => {
      const first = await readEdition(t.store, firstId);
      expect(first.sections.II.some((r) => r.requestId === 'f-1')).toBe(true);
      expect(first.sections.IV.declines).toBe(4);
      const list = await listEditions(t.store);
      expect(list).toHaveLength(2);
      expect(list[0]).toMatchObject({ id: firstId, supersededBy: list[1]!.id, declines: 4, synthetic: true });
      expect(list[1]).toMatchObject({ supersedes: firstId, declines: 3 });
    });

    it('corrects only the latest edition', async () => {
      await expect(correctEdition(t, firstId, { reason: 'again', by: 'analyst' })).rejects.toThrow(
        /already corrected/,
      );
    });

    it('lists the correction in section IV of the next week', async () => {
      const next = await buildReport(t, { week: '2017-02-10' });
      expect(next.sections.IV.corrections.map((c) => c.supersedes)).toEqual([firstId]);
    });
  });
});
