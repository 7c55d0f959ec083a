/**
 * "Requests and outcomes over time" on jurisdiction pages: counts per quarter (per year over a
 * long span) of the requests of a county and its cities, an agency, a state or the nation, by
 * outcome category as the report derives it (corrections applied); equal to a direct count of
 * the ledger, small counts shown as `<5`, on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent, sampleRequest } from '../ledger/test-fixtures.ts';
import { eachStore } from '../ledger/test-stores.ts';
import { outcomesOverTime } from '../reports/outcomes-over-time.ts';
import { escapeHtml } from './html.ts';
import { shownCount, SMALL_COUNT_BELOW } from './routes/pages/outcomes.ts';
import { HARRIS, HOSTILE_AGENCY_ID, testServer, type TestServer } from './test-server.ts';

const HOUSTON = 'ocd-division/country:us/state:tx/place:houston';
const DALLAS = 'ocd-division/country:us/state:tx/county:dallas';
const TX = 'ocd-division/country:us/state:tx';

const quarter = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** the table's cells of one row, as shown */
function row(body: string, outcome: string): string[] {
  const m = new RegExp(`<tr data-outcome="${outcome}">([\\s\\S]*?)</tr>`).exec(body);
  if (!m) return [];
  // a withheld cell holds a <span>: its text is what the reader sees
  return [...m[1]!.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((c) =>
    c[1]!.replace(/<[^>]*>/g, '').trim(),
  );
}

const headers = (body: string) =>
  [
    ...(/<table id="outcomes-over-time">[\s\S]*?<\/thead>/.exec(body)?.[0] ?? '').matchAll(
      /<th scope="col" class="num">([^<]*)<\/th>/g,
    ),
  ].map((m) => m[1]!);

let t: TestServer;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    const s = await t.store.beginImport();
    const req = (id: string, issuedDate: string, divisionId: string, agencyId: string | null = null) =>
      sampleRequest({
        id,
        issuedDate,
        state: 'tx',
        divisionId,
        agencyId,
        facilityId: null,
        facilityName: 'TEST JAIL',
        facilityCity: 'HOUSTON',
        subjectKey: `subject-${id}`,
      });
    await s.addRequests([
      // six in Harris County in 2019-Q1, three of them to one agency
      ...[0, 1, 2, 3, 4, 5].map((i) =>
        req(`h-${i}`, `2019-01-1${i}`, HARRIS, i < 3 ? HOSTILE_AGENCY_ID : null),
      ),
      // one in Houston, a city in Harris County
      req('h-houston', '2019-08-01', HOUSTON),
      req('h-2021', '2021-02-01', HARRIS),
      // far from the others, in another county of the state: the state's table is per year
      req('d-2012', '2012-06-01', DALLAS),
    ]);
    const ev = (
      key: string,
      requestId: string,
      kind: string,
      date: string,
      data: Record<string, unknown> = {},
    ) => sampleEvent({ key, requestId, kind: kind as 'declined', date, data });
    await s.addEvents([
      ...[0, 1, 2, 3, 4, 5].flatMap((i) => [
        ev(`h-${i}-declined`, `h-${i}`, 'declined', `2019-01-2${i}`),
        ev(`h-${i}-released`, `h-${i}`, 'released', `2019-01-2${i}`),
      ]),
      // a correction withdraws h-5's decline: released without one
      ev('h-5-fix', 'h-5', 'corrected', '2019-02-01', { withdraws: ['h-5-declined'] }),
      ev('h-houston-custody', 'h-houston', 'ice-custody', '2019-08-02'),
      ev('h-2021-error', 'h-2021', 'issued-in-error', '2021-02-02'),
    ]);
    await s.commit();
  });
  afterAll(async () => {
    await t.close();
  });

  /** requests per quarter, counted straight from the ledger's view */
  async function directCount(
    keep: (r: { division_id: string | null; agency_id: string | null; state: string }) => boolean,
  ) {
    const rows = await t.store.db
      .selectFrom('requests_v')
      .select(['issued_date', 'division_id', 'agency_id', 'state'])
      .execute();
    const out = new Map<string, number>();
    for (const r of rows.filter(keep))
      out.set(quarter(r.issued_date), (out.get(quarter(r.issued_date)) ?? 0) + 1);
    return out;
  }

  describe('the query', () => {
    it('counts a county and its cities per quarter, with every quarter between, as a direct count does', async () => {
      const o = await outcomesOverTime(t.store, { divisionIds: [HARRIS, HOUSTON] });
      expect(o.unit).toBe('quarter');
      expect(o.periods.map((p) => p.period)).toEqual([
        '2019-Q1',
        '2019-Q2',
        '2019-Q3',
        '2019-Q4',
        '2020-Q1',
        '2020-Q2',
        '2020-Q3',
        '2020-Q4',
        '2021-Q1',
      ]);
      const direct = await directCount((r) => r.division_id === HARRIS || r.division_id === HOUSTON);
      for (const p of o.periods) expect(p.requests, p.period).toBe(direct.get(p.period) ?? 0);
      const q1 = o.periods[0]!;
      // h-0…h-4 declined and released; h-5's decline withdrawn; the test server's s-2 still open
      expect(q1.byOutcome['declined-released-without-notice']).toBe(5);
      expect(q1.byOutcome['released-without-decline']).toBe(1);
      expect(q1.requests).toBe(7);
      expect(q1.byOutcome.open).toBe(1);
      expect(o.periods[2]!.byOutcome['ice-custody']).toBe(1);
      expect(o.periods[8]!.byOutcome['issued-in-error']).toBe(1);
      // the categories are those with a request, in the report's order
      expect(o.categories).toEqual([
        'open',
        'ice-custody',
        'declined-released-without-notice',
        'released-without-decline',
        'issued-in-error',
      ]);
      // every request is in exactly one category
      for (const p of o.periods)
        expect(Object.values(p.byOutcome).reduce((a, b) => a + b, 0)).toBe(p.requests);
    });

    it('an agency counts its own requests; a state over a long span counts per year; the nation every request', async () => {
      const agency = await outcomesOverTime(t.store, { agencyIds: [HOSTILE_AGENCY_ID] });
      expect(agency.periods).toEqual([expect.objectContaining({ period: '2019-Q1', requests: 3 })]);
      expect(agency.periods[0]!.byOutcome['declined-released-without-notice']).toBe(3);
      const state = await outcomesOverTime(t.store, { state: 'tx' });
      expect(state.unit).toBe('year');
      expect(state.periods.map((p) => p.period)).toEqual([
        '2012',
        '2013',
        '2014',
        '2015',
        '2016',
        '2017',
        '2018',
        '2019',
        '2020',
        '2021',
      ]);
      const texas = await directCount((r) => r.state === 'tx');
      const perYear = new Map<string, number>();
      for (const [q, n] of texas) perYear.set(q.slice(0, 4), (perYear.get(q.slice(0, 4)) ?? 0) + n);
      for (const p of state.periods) expect(p.requests, p.period).toBe(perYear.get(p.period) ?? 0);
      const all = await outcomesOverTime(t.store, {});
      const total = (await directCount(() => true)).values();
      expect(all.periods.reduce((a, p) => a + p.requests, 0)).toBe([...total].reduce((a, b) => a + b, 0));
      // nothing the ledger refers to: nothing counted
      expect(
        (await outcomesOverTime(t.store, { divisionIds: ['ocd-division/country:us/state:vt/county:essex'] }))
          .periods,
      ).toEqual([]);
    });
  });

  describe('the page', () => {
    it('shows the county table with the quarters, the report’s outcome labels, and small counts as <5', async () => {
      const r = await t.app.inject(`/jurisdictions/${encodeURIComponent(HARRIS)}`);
      expect(r.statusCode).toBe(200);
      const body = flat(r.body);
      expect(body).toContain('Requests and outcomes over time');
      expect(headers(body)[0]).toBe('2019-Q1');
      expect(headers(body)).toHaveLength(9);
      const o = await outcomesOverTime(t.store, { divisionIds: [HARRIS, HOUSTON] });
      expect(row(body, 'requests')).toEqual(o.periods.map((p) => escapeHtml(shownCount(p.requests))));
      expect(row(body, 'requests').slice(0, 3)).toEqual(['7', '0', `&lt;${SMALL_COUNT_BELOW}`]);
      // 2019-Q1: 7 requests, 5 declined and 2 open. Showing the 5 would give away the 2 (7 − 5), so
      // the quarter shows no breakdown and the chart no declines bar
      expect(row(body, 'declined-released-without-notice')[0]).toBe('·');
      expect(row(body, 'open')[0]).toBe('·');
      expect(body).toContain('declined and released without notice to ICE');
      expect(body).toContain('<title>2019-Q1: 7 requests issued</title>');
      expect(body).toContain('<title>2019-Q1: withheld (small count) declined</title>');
      expect(body).not.toContain('2019-Q1: 5 declined');
      // a quarter whose outcome counts are all 0 or at least 5 shows them exactly, and the same in the chart
      for (const [i, p] of o.periods.entries()) {
        const small = Object.values(p.byOutcome).some((n) => n > 0 && n < SMALL_COUNT_BELOW);
        for (const c of o.categories)
          expect(row(body, c)[i], `${p.period} ${c}`).toBe(small ? '·' : String(p.byOutcome[c]));
      }
      const hidden = /<rect([^>]*)><title>2019-Q3: &lt;5 requests issued<\/title>/.exec(body);
      expect(hidden?.[1]).toMatch(/height="0"/);
      // counts only: no request id of the ledger on the page
      expect(body).not.toMatch(/h-[0-5]\b|h-houston|h-2021/);
    });

    it('an agency page counts the agency’s requests; a state page is per year', async () => {
      const agency = flat(
        (await t.app.inject(`/jurisdictions/${encodeURIComponent(HOSTILE_AGENCY_ID)}`)).body,
      );
      expect(row(agency, 'requests')).toEqual([`&lt;${SMALL_COUNT_BELOW}`]);
      expect(agency).toContain('the requests sent to this agency');
      const state = flat((await t.app.inject(`/jurisdictions/${encodeURIComponent(TX)}`)).body);
      expect(headers(state)).toEqual([
        '2012',
        '2013',
        '2014',
        '2015',
        '2016',
        '2017',
        '2018',
        '2019',
        '2020',
        '2021',
      ]);
      // 2019: h-0…h-5, Houston's and the test server's s-2
      expect(row(state, 'requests')[7]).toBe('8');
      const none = flat((await t.app.inject('/jurisdictions/ocd-division%2Fcountry:us%2Fstate:vt')).body);
      expect(none).toContain('The ledger holds no request issued here.');
    });

    it('shows a request recorded after the page was first viewed (the counts follow the ledger)', async () => {
      const url = `/jurisdictions/${encodeURIComponent(DALLAS)}`;
      expect(row(flat((await t.app.inject(url)).body), 'requests')).toEqual([`&lt;${SMALL_COUNT_BELOW}`]);
      const s = await t.store.beginImport();
      await s.addRequests(
        [1, 2, 3, 4, 5].map((i) =>
          sampleRequest({
            id: `d-more-${i}`,
            issuedDate: '2012-05-0' + i,
            state: 'tx',
            divisionId: DALLAS,
            subjectKey: `s-d-${i}`,
          }),
        ),
      );
      await s.commit();
      expect(row(flat((await t.app.inject(url)).body), 'requests')).toEqual(['6']);
    });
  });
});
