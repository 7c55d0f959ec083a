import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import Papa from 'papaparse';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry, type Registry } from '../jurisdictions/registry.ts';
import { FIXES, type ErrorCode } from './errors.ts';
import { R2_HEADERS } from './layouts/ice-r2.ts';
import { formatSummary, importFile, type ImportSummary } from './run.ts';
import { eachStore, freshSqliteStore } from '../ledger/test-stores.ts';
import { snapshot, tempStore, useStore, type TempStore } from './test-support.ts';

const NPR = 'data/npr';
const G287 = 'data/ice-287g';
const ICE = 'test/fixtures/ice';
const BAD = 'test/fixtures/malformed';

let registry: Registry;
let t: TempStore;
beforeAll(() => {
  registry = loadRegistry();
});
afterEach(async () => {
  await t?.dispose();
});

async function load(
  file: string,
  extra: Partial<Parameters<typeof importFile>[0]> = {},
): Promise<ImportSummary> {
  return importFile({ store: t.store, registry, file, ...extra });
}

eachStore((fresh) => {
  beforeAll(() => useStore(fresh));

  describe('NPR extract', () => {
    for (const name of ['residents.csv', 'americans.csv']) {
      it(`imports every row of ${name} with its state, the facility resolved or listed as unresolved`, async () => {
        t = await tempStore();
        const file = join(NPR, name);
        const source = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
          header: true,
          skipEmptyLines: true,
        }).data;
        const s = await load(file);
        expect(s.status).toBe('loaded');
        expect(s.layout).toBe('npr-extract');
        expect(s.read).toBe(source.length);
        expect(s.loaded).toBe(source.length);
        // ICE's placeholder "OTHER-OTHER FACILITY" rows carry no city and no state: they load,
        // are listed as unresolved, and are never guessed into a place
        const stateless = source.filter((r) => r.state === '');
        expect(stateless.length).toBeGreaterThan(0);
        expect(stateless.every((r) => r.det_facility === 'OTHER-OTHER FACILITY' && r.city === '')).toBe(true);
        const placeholder = s.unresolved.find((u) => u.state === '');
        expect(placeholder?.count).toBe(stateless.length);

        const rows = (
          await sql<{
            facility_name: string;
            facility_city: string;
            state: string;
            resolution: string;
            division_id: string | null;
            facility_id: string | null;
          }>`
          select facility_name, facility_city, state, resolution, division_id, facility_id from requests_v`.execute(
            t.store.db,
          )
        ).rows;
        expect(rows).toHaveLength(s.loaded);
        const listed = new Set(s.unresolved.map((u) => `${u.name}|${u.city}|${u.state}`));
        for (const r of rows) {
          // every state the source names is resolved to its code; only the placeholder has none
          expect(r.state).toMatch(
            r.facility_name === 'OTHER-OTHER FACILITY' ? /^([a-z]{2})?$/ : /^[a-z]{2}$/,
          );
          if (r.resolution.startsWith('unresolved:')) {
            expect(r.division_id).toBeNull();
            expect(listed.has(`${r.facility_name}|${r.facility_city}|${r.state}`)).toBe(true);
          } else {
            // resolved: to a division, or at least to a known facility whose county is not yet known
            expect(r.division_id ?? r.facility_id).not.toBeNull();
          }
        }
        const lifts = (
          await sql<{ kind: string; data: string }>`select kind, data from events_v`.execute(t.store.db)
        ).rows;
        expect(lifts).toHaveLength(s.loaded);
        expect(lifts.every((e) => e.kind === 'lifted' && JSON.parse(e.data).dateBasis === 'issue-date')).toBe(
          true,
        );
      });
    }

    it('re-importing the same file changes nothing', async () => {
      t = await tempStore();
      const file = join(NPR, 'americans.csv');
      const first = await load(file);
      const before = await snapshot(t.store);
      const second = await load(file);
      expect(second.loaded).toBe(0);
      expect(second.duplicates).toBe(first.loaded);
      expect(await snapshot(t.store)).toEqual(before);
    });

    it('refuses the per-city count tables', async () => {
      t = await tempStore();
      const s = await load(join(NPR, 'california', 'TAFT.csv'));
      expect(s.status).toBe('rejected');
      expect(s.errors[0]?.code).toBe('E_AGGREGATE_TABLE');
      expect(s.errors[0]?.reason).toContain('counts');
    });
  });

  describe("ICE's 287(g) sheets and AOR table", () => {
    it('loads 571 agreements from the 2025-05-16 sheet and 832 from the 2025-07-18 sheet, reporting each malformed SIGNED date', async () => {
      t = await tempStore();
      const may = await load(join(G287, 'participatingAgencies05162025am.xlsx'));
      const july = await load(join(G287, 'participatingAgencies07182025pm.xlsx'));
      const pending = await load(join(G287, 'pendingAgencies07182025pm.xlsx'));
      expect([may.status, july.status, pending.status]).toEqual(['loaded', 'loaded', 'loaded']);
      expect(may.loaded).toBe(571);
      expect(july.loaded).toBe(832);
      expect(pending.loaded).toBe(26);
      const counts = (
        await sql<{ sheet_date: string; status: string; n: number }>`
        select sheet_date, status, count(*) as n from agreements_287g group by 1, 2 order by 1, 2`.execute(
          t.store.db,
        )
      ).rows;
      expect(counts).toEqual([
        { sheet_date: '2025-05-16', status: 'participating', n: 571 },
        { sheet_date: '2025-07-18', status: 'participating', n: 832 },
        { sheet_date: '2025-07-18', status: 'pending', n: 26 },
      ]);
      expect(may.warnings.map((w) => [w.row, w.column, w.code, w.value])).toEqual([
        [545, 'SIGNED', 'E_DATE_MALFORMED', '05/082025'],
      ]);
      expect(july.warnings.map((w) => [w.row, w.code])).toEqual([
        [639, 'E_DATE_RANGE'],
        [775, 'E_DATE_MALFORMED'],
        [785, 'E_DATE_MALFORMED'],
      ]);
      const again = await load(join(G287, 'participatingAgencies07182025pm.xlsx'));
      expect([again.loaded, again.duplicates]).toEqual([0, 832]);
    });

    it('takes the sheet date from --sheet-date when the file name has none', async () => {
      t = await tempStore();
      const s = await load(join(G287, 'participatingAgencies05162025am.cells.csv'), {
        sheetDate: '2025-05-16',
      });
      expect(s.loaded).toBe(571);
    });

    it('imports the area-of-responsibility table', async () => {
      t = await tempStore();
      const s = await load('data/ice-reference/ice-areas-of-responsibility.csv');
      expect(s.layout).toBe('ice-aor');
      expect(s.loaded).toBe(426);
      const split = (
        await sql<{ n: number; resolved: number }>`
        select count(*) as n, count(county_division_id) as resolved from areas_of_responsibility where county_name is not null`.execute(
          t.store.db,
        )
      ).rows[0];
      expect(split?.resolved).toBe(split?.n);
    });
  });

  describe('ICE release layouts', () => {
    const cases: Array<[string, string, number, string[]]> = [
      ['r1-detainers.csv', 'ice-r1', 3, ['declined', 'ice-custody']],
      ['r3-detainers.csv', 'ice-r3', 2, ['cancelled', 'released']],
      ['r4-trac.csv', 'ice-r4', 2, ['declined']],
      ['r5-npr-release.csv', 'ice-r5', 2, ['lifted', 'transferred']],
    ];
    for (const [file, layout, n, kinds] of cases) {
      it(`recognises ${layout} from its header`, async () => {
        t = await tempStore();
        const s = await load(join(ICE, file));
        expect(s.errors).toEqual([]);
        expect(s.layout).toBe(layout);
        expect(s.loaded).toBe(n);
        const events = (
          await sql<{ kind: string; data: string }>`select kind, data from events_v order by seq`.execute(
            t.store.db,
          )
        ).rows;
        expect(events.map((e) => e.kind).sort()).toEqual(kinds);
        const basis = layout === 'ice-r4' ? 'recorded' : 'issue-date';
        expect(events.every((e) => JSON.parse(e.data).dateBasis === basis)).toBe(true);
        // personal fields never reach the ledger; ICE's anonymised id only as a fresh hash
        const reqs = (await sql<Record<string, unknown>>`select * from requests_v`.execute(t.store.db)).rows;
        for (const r of reqs) {
          expect(Object.values(r)).not.toContain('(b)(6)');
          expect(['a1b2', 'c3d4', 'e5f6', 'ff00', 'zz9']).not.toContain(r.subject_key);
          if (layout !== 'ice-r5') expect(r.subject_key).toMatch(/^sk1:[0-9a-f]{24}$/);
        }
      });
    }

    it('reads R2 from an XLSX with preamble rows and two sheets', async () => {
      t = await tempStore();
      const file = join(t.dir, '2026-ICLI-00005_Detainers_FY25_FY26_Redacted.xlsx');
      const wb = new ExcelJS.Workbook();
      for (const [sheet, date] of [
        ['FY25', new Date(Date.UTC(2025, 2, 4))],
        ['FY26', new Date(Date.UTC(2025, 11, 1))],
      ] as const) {
        const ws = wb.addWorksheet(sheet);
        ws.addRow(['U.S. Immigration and Customs Enforcement – Detainers']);
        ws.addRow(['Data are as of 03/11/2026; (b)(6),(b)(7)(C) redactions applied']);
        ws.addRow([...R2_HEADERS]);
        const row = Object.fromEntries(R2_HEADERS.map((h) => [h, '']));
        Object.assign(row, {
          'Detainer Prepare Date': date,
          'Facility State': 'ARIZONA',
          'Detainer Facility': 'MARICOPA COUNTY JAIL',
          'Detainer Facility Code': 'MARICAZ',
          'Facility City': 'PHOENIX',
          'Detainer Type': 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action',
          'Detainer Lift Reason': sheet === 'FY25' ? 'Booked into Detention' : '',
          'Anonymized Identifier': 'x' + sheet,
        });
        ws.addRow(R2_HEADERS.map((h) => row[h]));
        ws.getColumn(1).numFmt = 'yyyy-mm-dd';
      }
      await wb.xlsx.writeFile(file);
      const s = await load(file);
      expect(s.errors).toEqual([]);
      expect(s.layout).toBe('ice-r2');
      expect(s.loaded).toBe(2);
      const reqs = (
        await sql<{
          issued_date: string;
          sheet: string;
          row: number;
        }>`select issued_date, sheet, row from requests_v order by issued_date`.execute(t.store.db)
      ).rows;
      expect(reqs).toEqual([
        { issued_date: '2025-03-04', sheet: 'FY25', row: 4 },
        { issued_date: '2025-12-01', sheet: 'FY26', row: 4 },
      ]);
    });
  });

  /** The malformed corpus: each file's error, where it is, and a store left as it was. */
  const CORPUS: Array<[file: string, code: ErrorCode | null, row: number, column: string | null]> = [
    ['01-wrong-header.csv', 'E_HEADER_UNKNOWN', 1, 'issued_date'],
    ['02-duplicated-header.csv', 'E_HEADER_DUPLICATE', 1, 'state'],
    ['03-impossible-date.csv', 'E_DATE_IMPOSSIBLE', 3, 'issued_date'],
    ['04-excel-serial-date.csv', 'E_DATE_SERIAL', 4, 'issued_date'],
    ['05-bad-utf8.csv', 'E_ENCODING', 3, 'facility_name'],
    ['06-bom.csv', null, 0, null],
    ['07-crlf.csv', null, 0, null],
    ['08-truncated-last-line.csv', 'E_TRUNCATED', 4, null],
    ['09-empty.csv', 'E_FILE_EMPTY', 0, null],
    ['10-header-only.csv', 'E_NO_ROWS', 1, null],
    ['11-unknown-state.csv', 'E_STATE_UNKNOWN', 3, 'state'],
    ['12-conflicting-duplicate-ids.csv', 'E_ID_CONFLICT', 5, 'request_id'],
    ['13-one-megabyte-field.csv', 'E_FIELD_TOO_LONG', 3, 'facility_name'],
    ['14-unknown-column.csv', 'E_COLUMN_UNKNOWN', 1, 'jail_notes'],
    ['15-name-column.csv', 'E_PRIVACY_FIELD', 1, 'name'],
    ['16-unknown-request-type.csv', 'E_VALUE', 3, 'type'],
    ['17-info-without-kind.csv', 'E_INFO_KIND', 4, 'info_kind'],
    ['18-event-unknown-request.csv', 'E_REQUEST_UNKNOWN', 3, 'request_id'],
    ['19-broken-line.jsonl', 'E_JSON', 2, null],
    ['20-unknown-lift-reason.csv', 'E_LIFT_REASON', 3, 'lift_reason'],
    ['21-aggregate-table.csv', 'E_AGGREGATE_TABLE', 1, null],
    ['22-unclosed-quote.csv', 'E_QUOTE', 4, 'facility_name'],
    ['23-malformed-text-date.csv', 'E_DATE_MALFORMED', 3, 'issued_date'],
    ['24-field-count.csv', 'E_FIELD_COUNT', 3, null],
    ['25-event-bad-detail.jsonl', 'E_DETAIL_JSON', 2, 'detail'],
    ['26-no-location.csv', 'E_LOCATION_MISSING', 3, 'facility_name'],
  ];

  describe('malformed files', () => {
    it('the corpus has at least 20 files, each in the table', async () => {
      const { readdirSync } = await import('node:fs');
      const files = readdirSync(BAD).sort();
      expect(files.length).toBeGreaterThanOrEqual(20);
      expect(files).toEqual(CORPUS.map(([f]) => f).sort());
    });

    it.each(CORPUS)('%s → %s at row %i, column %s; store unchanged', async (file, code, row, column) => {
      t = await tempStore();
      // a store that already holds the corpus's good requests (m-1…m-3), so events and conflicts have something to meet
      const seed = await load(join(BAD, '06-bom.csv'));
      expect(seed.loaded).toBe(3);
      const before = await snapshot(t.store);
      const s = await load(join(BAD, file));
      expect(await snapshot(t.store)).toEqual(before);
      if (code === null) {
        expect(s.errors).toEqual([]);
        expect([s.status, s.duplicates]).toEqual(['loaded', 3]);
        return;
      }
      expect(s.status).toBe('rejected');
      expect(s.errorCount).toBeGreaterThanOrEqual(1);
      const e = s.errors[0]!;
      expect({ code: e.code, row: e.row, column: e.column }).toEqual({ code, row, column });
      expect(e.file).toBe(join(BAD, file));
      expect(e.reason).toContain(FIXES[code]);
      expect(e.reason).toMatch(/^[^A-Z].*[^.]$/s);
      expect(formatSummary(s)).toContain(code);
    });
  });

  describe('canonical JSON Lines and events', () => {
    it('imports requests and events from JSON Lines, and again without change', async () => {
      t = await tempStore();
      const { writeFileSync } = await import('node:fs');
      const reqs = join(t.dir, 'requests.jsonl');
      const evs = join(t.dir, 'events.csv');
      writeFileSync(
        reqs,
        [
          {
            request_id: 'j-1',
            type: 'hold',
            form: 'I-247A',
            issued_date: '2019-03-04',
            state: 'CA',
            facility_name: 'LOS ANGELES COUNTY JAIL',
            synthetic: true,
          },
          {
            request_id: 'j-2',
            type: 'info',
            info_kind: 'release-date',
            issued_date: '2019-03-05',
            state: 'New York',
            division_id: 'ocd-division/country:us/state:ny/county:kings',
          },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
      writeFileSync(
        evs,
        'request_id,kind,date,facility_code,reason,detail\n' +
          'j-1,declined,2019-03-09,,,\n' +
          'j-1,transferred,2019-03-10T14:00:00Z,RIKERNY,,"{""by"":""desk""}"\n',
      );
      const a = await load(reqs);
      const b = await load(evs);
      expect([a.layout, a.loaded, b.layout, b.loaded]).toEqual([
        'canonical-requests',
        2,
        'canonical-events',
        2,
      ]);
      const before = await snapshot(t.store);
      const again = await load(evs);
      expect([again.loaded, again.duplicates]).toEqual([0, 2]);
      expect(await snapshot(t.store)).toEqual(before);
      const ev = (
        await sql<{
          kind: string;
          facility_id: string | null;
          data: string;
        }>`select kind, facility_id, data from events_v where kind = 'transferred'`.execute(t.store.db)
      ).rows[0];
      expect(ev?.facility_id).toMatch(/RIKERNY/);
      expect(JSON.parse(ev?.data ?? '{}')).toEqual({ detail: { by: 'desk' } });
    });
  });

  describe('--accept-partial and --dry-run', () => {
    it('loads the good rows and writes the bad ones to the rejects file', async () => {
      t = await tempStore();
      const rejectsFile = join(t.dir, 'rejects.csv');
      const s = await load(join(BAD, '03-impossible-date.csv'), { acceptPartial: true, rejectsFile });
      expect([s.status, s.loaded, s.rejected, s.rejectsFile]).toEqual(['partial', 2, 1, rejectsFile]);
      const rejects = Papa.parse<Record<string, string>>(readFileSync(rejectsFile, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rejects).toHaveLength(1);
      expect(rejects[0]).toMatchObject({
        request_id: 'm-2',
        issued_date: '2019-02-30',
        error_row: '3',
        error_code: 'E_DATE_IMPOSSIBLE',
      });
    });

    it('still refuses a file whose header is wrong', async () => {
      t = await tempStore();
      const rejectsFile = join(t.dir, 'rejects.csv');
      const s = await load(join(BAD, '15-name-column.csv'), { acceptPartial: true, rejectsFile });
      expect(s.status).toBe('rejected');
      expect(existsSync(rejectsFile)).toBe(false);
    });

    it('a dry run validates and writes nothing', async () => {
      t = await tempStore();
      const before = await snapshot(t.store);
      const s = await load(join(NPR, 'americans.csv'), { dryRun: true, acceptPartial: true });
      expect(s.status).toBe('dry-run');
      expect(s.read).toBe(693);
      expect(s.loaded).toBeGreaterThan(0);
      expect(await snapshot(t.store)).toEqual(before);
      const bad = await load(join(BAD, '03-impossible-date.csv'), { dryRun: true });
      expect([bad.status, bad.errors[0]?.code]).toEqual(['dry-run', 'E_DATE_IMPOSSIBLE']);
      expect(await snapshot(t.store)).toEqual(before);
    });
  });
});

describe('a store that fails while the file is read', () => {
  beforeAll(() => useStore(freshSqliteStore));
  it('reports the store’s error as it is, not as a file that cannot be read, and rolls back', async () => {
    t = await tempStore();
    const before = await snapshot(t.store);
    const store = t.store;
    let rolledBack = false;
    const failing = Object.create(store, {
      beginImport: {
        value: async () => {
          const session = await store.beginImport();
          return Object.create(session, {
            addRequests: { value: () => Promise.reject(new Error('the database server went away')) },
            rollback: {
              value: async () => {
                rolledBack = true;
                await session.rollback();
              },
            },
          }) as typeof session;
        },
      },
    }) as typeof store;
    await expect(importFile({ store: failing, registry, file: join(NPR, 'residents.csv') })).rejects.toThrow(
      /^the database server went away$/,
    );
    expect(rolledBack).toBe(true);
    expect(await snapshot(t.store)).toEqual(before);
  });
});
