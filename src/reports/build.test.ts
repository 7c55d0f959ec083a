/**
 * The report model over a ledger shaped after the 2017 report's errors (ddor.md items 1–5), built
 * with the real importer and the real law library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { buildReport } from './build.ts';
import { ddorWeekFiles, testLedger, type TestLedger } from './test-support.ts';
import { renderJson } from './render/json.ts';
import { reportFigures, type Report } from './types.ts';

eachStore((fresh) => {
  let t: TestLedger;
  let week1: Report;
  let week2: Report;
  const NOW = new Date('2017-03-20T12:00:00Z');

  beforeAll(async () => {
    t = await testLedger(ddorWeekFiles(), fresh);
    week1 = await buildReport(t, { week: '2017-02-01' }, { now: NOW });
    week2 = await buildReport(t, { week: '2017-02-10' }, { now: NOW });
  });
  afterAll(async () => t.close());

  const row = (r: Report, id: string) => r.sections.II.find((x) => x.requestId === id);

  describe('period', () => {
    it('is the Saturday-to-Friday week holding the date', () => {
      expect(week1.period).toEqual({ from: '2017-01-28', to: '2017-02-03', basis: 'week' });
      expect(week2.period).toEqual({ from: '2017-02-04', to: '2017-02-10', basis: 'week' });
    });

    it('counts a decline in the week it was recorded as declined, whatever its issue week', () => {
      // s-1…s-12 were issued in January and recorded as declined on 2017-02-07
      const s1 = row(week2, 's-1');
      expect(s1).toMatchObject({
        issuedDate: '2017-01-10',
        declinedDate: '2017-02-07',
        declineDateBasis: 'recorded-declined',
      });
      expect(week1.sections.II.some((r) => r.requestId.startsWith('s-'))).toBe(false);
    });

    it('counts a decline with no recorded date in its issue week, and says so', () => {
      const npr = week1.sections.II.find((r) => r.requestId.startsWith('npr-extract:'));
      expect(npr).toMatchObject({
        declinedDate: null,
        declineDateBasis: 'issue-date',
        issuedDate: '2017-01-31',
      });
      expect(week1.sections.IV.byDateBasis).toEqual([
        expect.objectContaining({ key: 'recorded-declined', count: 3 }),
        expect.objectContaining({ key: 'issue-date', count: 1 }),
      ]);
    });
  });

  describe('ddor.md item 1: a name without its state is never placed', () => {
    it('counts the stateless FRANKLIN COUNTY JAIL against no Franklin County, and lists it as unresolved', () => {
      const npr = week1.sections.II.find((r) => r.requestId.startsWith('npr-extract:'))!;
      expect(npr).toMatchObject({ state: '', countyFips: null, agencyId: null });
      // the only Franklin County counted is Pennsylvania's, from f-1 which named its state
      const franklins = ['42055', '39049', '19069', '36033', '13119', '17055', '18047', '21073', '29071'];
      const mapped = Object.keys(week1.countyDeclines).filter((f) => franklins.includes(f));
      expect(mapped).toEqual(['42055']);
      expect(week1.countyDeclines['42055']).toBe(1);
      expect(week1.sections.IV.unresolvedNames).toEqual([
        expect.objectContaining({ facilityName: 'FRANKLIN COUNTY JAIL', state: '', count: 1 }),
      ]);
      expect(week1.sections.I.some((r) => /franklin/i.test(r.name))).toBe(false);
    });
  });

  describe('ddor.md item 2: a transfer', () => {
    it('counts the release against the releasing facility, not the one the request went to', () => {
      const t1 = row(week1, 't-1')!;
      expect(t1.agencyId).toMatch(/county:bastrop/);
      expect(t1.countyFips).toBe('48021'); // Bastrop County, TX
      expect(week1.countyDeclines['48491']).toBeUndefined(); // Williamson County, TX
      expect(week1.sections.II.some((r) => /williamson/i.test(`${r.agencyId} ${r.agencyName}`))).toBe(false);
    });
  });

  describe('ddor.md item 3: issued in error', () => {
    it('leaves the decline counts and appears in section IV', () => {
      expect(row(week1, 'e-1')).toBeUndefined();
      expect(week1.sections.IV.issuedInError).toEqual({ count: 1, requestIds: ['e-1'] });
      expect(week1.countyDeclines['42029']).toBeUndefined(); // Chester County, PA
      expect(week1.sections.IV.declines).toBe(4);
      expect(week1.sections.IV.byOutcome.find((c) => c.key === 'issued-in-error')?.count).toBe(1);
    });
  });

  describe('ddor.md item 4: a declined hold after which ICE took custody', () => {
    it('is not "released": it has its own outcome, and the agency confirmed it', () => {
      const h1 = row(week1, 'h-1')!;
      expect(h1.outcome).toBe('declined-ice-notified-took-custody');
      expect(h1.outcomeLabel).not.toMatch(/released/);
      expect(h1.confirmedByAgency).toBe(true);
      const by = Object.fromEntries(week1.sections.IV.byOutcome.map((c) => [c.key, c.count]));
      expect(by['declined-released-without-notice']).toBe(1); // t-1 only
      expect(by['declined-ice-notified-took-custody']).toBe(1);
      expect(week1.sections.IV.confirmedByAgency).toBe(1);
      expect(week1.sections.IV.confirmedShare).toBeCloseTo(0.25);
    });
  });

  describe('ddor.md item 5: one jurisdiction on one day', () => {
    it('flags a week whose declines mostly come from one jurisdiction on one day', () => {
      expect(week2.sections.IV.declines).toBe(14);
      expect(week2.sections.IV.spike).toMatchObject({
        flagged: true,
        day: '2017-02-07',
        count: 12,
        name: expect.stringMatching(/Cook County/),
      });
      expect(week2.sections.IV.spike.share).toBeCloseTo(12 / 14);
    });

    it('does not flag an ordinary week', () => {
      expect(week1.sections.IV.spike.flagged).toBe(false);
    });
  });

  describe('sections I and III', () => {
    it('lists in I only agencies whose law limits cooperation, most detainers first', () => {
      expect(week1.sections.I.map((r) => [r.name, r.count])).toEqual([["Cook County Sheriff's Office", 3]]);
      expect(week1.sections.I[0]).toMatchObject({ rank: 1, state: 'il', countyFips: '17031' });
      expect(week1.sections.I[0]!.profile.holds).toBe('never');
      // Williamson (TX) and Franklin (PA) honour detainers: not in I
      expect(week1.sections.I.some((r) => /williamson|franklin/i.test(r.name))).toBe(false);
    });

    it('shows in III every division with an instrument in force on the last day, with citations', () => {
      const cook = week1.sections.III.find((r) => r.divisionId.endsWith('county:cook'));
      expect(cook?.limitsCooperation).toBe(true);
      expect(cook?.instruments.some((i) => i.startsWith('cook'))).toBe(true);
      const holds = cook?.dimensions.find((d) => d.dimension === 'holds');
      expect(holds?.clauses.length).toBeGreaterThan(0);
      expect(
        holds?.clauses.every(
          (c) => c.citation.length > 0 && ['high', 'medium', 'low'].includes(c.confidence),
        ),
      ).toBe(true);
      // Texas SB 4 took effect in September 2017: not yet in force in February
      expect(week1.sections.III.some((r) => r.instruments.some((i) => /sb-?4/i.test(i)))).toBe(false);
    });
  });

  describe('map, trend and figures', () => {
    it('gives county declines and a 26-week trend ending with the period', async () => {
      expect(Object.values(week1.countyDeclines).reduce((a, b) => a + b, 0)).toBe(3);
      expect(week1.weeklyTrend).toHaveLength(26);
      expect(week1.weeklyTrend.at(-1)).toEqual({ weekStart: '2017-01-28', declines: 4, requests: 8 });
      expect(week2.weeklyTrend.at(-1)).toMatchObject({ weekStart: '2017-02-04', declines: 14 });
      // an earlier week of the trend is counted as that week's own report counts it
      expect(week2.weeklyTrend.at(-2)).toEqual({ weekStart: '2017-01-28', declines: 4, requests: 8 });
      // a period that ends mid-week: the days after it still count in the trend's last week
      const range = await buildReport(t, { from: '2017-01-01', to: '2017-02-06' });
      expect(range.sections.IV.declines).toBe(4);
      expect(range.weeklyTrend.at(-1)).toMatchObject({ weekStart: '2017-02-04', declines: 14 });
      expect(range.weeklyTrend.at(-2)).toMatchObject({ weekStart: '2017-01-28', declines: 4 });
    });

    it('lists every figure once, and labels synthetic data', () => {
      const figures = reportFigures(week1);
      expect(figures).toContainEqual({ section: 'IV', key: 'declines', value: 4 });
      expect(figures).toContainEqual({ section: 'I', key: week1.sections.I[0]!.id, value: 3 });
      expect(new Set(figures.map((f) => `${f.section}|${f.key}`)).size).toBe(figures.length);
      expect(week1.synthetic).toBe(true);
    });

    it('suppresses small counts when asked', async () => {
      const r = await buildReport(t, { week: '2017-02-01' }, { now: NOW, suppressBelow: 5 });
      expect(r.sections.I[0]).toMatchObject({ suppressed: true, count: 0 });
      expect(r.countyDeclines).toEqual({});
    });

    it('withholds citizenship and offense from the section II rows of a small group', async () => {
      // without suppression the rows carry what the source recorded
      expect(week1.sections.II.some((r) => r.citizenship !== null)).toBe(true);
      expect(week1.sections.II.every((r) => !r.detailWithheld)).toBe(true);
      const r = await buildReport(t, { week: '2017-02-01' }, { now: NOW, suppressBelow: 5 });
      expect(r.sections.II).toHaveLength(week1.sections.II.length);
      for (const row of r.sections.II)
        expect(row).toMatchObject({ citizenship: null, mostSeriousOffense: null, detailWithheld: true });
      // a threshold the largest group reaches leaves that group's rows whole
      const perAgency = new Map<string, number>();
      for (const row of week1.sections.II) {
        const k = row.agencyId ?? row.facilityId ?? row.state;
        perAgency.set(k, (perAgency.get(k) ?? 0) + 1);
      }
      const largest = Math.max(...perAgency.values());
      const atLargest = await buildReport(t, { week: '2017-02-01' }, { now: NOW, suppressBelow: largest });
      expect(atLargest.sections.II.some((row) => !row.detailWithheld)).toBe(true);
    });
  });

  describe('privacy', () => {
    it('puts no subject key, name, birth date or file number in the JSON', () => {
      const json = renderJson(week1) + renderJson(week2);
      expect(json).not.toMatch(/subj-/);
      const keys = new Set<string>();
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            keys.add(k);
            walk(x);
          }
      };
      walk(JSON.parse(renderJson(week1)));
      const personal = [...keys].filter((k) =>
        /subject|birth|dob|alien|a_?number|file_?number|eid|first_?name|last_?name|surname|person/i.test(k),
      );
      expect(personal).toEqual([]);
    });
  });
});
