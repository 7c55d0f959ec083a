/**
 * `/map`: declines by county (a published edition, a week, a range) and the law by county on a
 * date. The tables under the map hold the figures the SVG draws; bad input is a 400 page naming
 * the field; the policy colours are the law engine's profiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFor } from '../ledger/registry.ts';
import type { Registry } from '../jurisdictions/registry.ts';
import { createEngine, loadLibrary, profileOf, type Engine } from '../law/index.ts';
import { sampleEvent } from '../ledger/test-fixtures.ts';
import { eachStore } from '../ledger/test-stores.ts';
import { buildReport } from '../reports/build.ts';
import { publishEdition } from '../reports/editions.ts';
import { policyMap } from './policy-map.ts';
import { HARRIS, testServer, type TestServer } from './test-server.ts';

const LA_FIPS = '06037';
const HARRIS_FIPS = '48201';

/** `fips → text of its <title>` for every county path the SVG draws with data */
function drawn(body: string): Map<string, { title: string; category: string | null }> {
  const out = new Map<string, { title: string; category: string | null }>();
  for (const m of body.matchAll(
    /<path class="county has-data" data-fips="(\d{5})"(?: data-category="([^"]*)")? fill="[^"]*" d="[^"]*"><title>([^<]*)<\/title>/g,
  ))
    out.set(m[1]!, { category: m[2] ?? null, title: m[3]! });
  return out;
}

function table(body: string, id: string): string {
  const m = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(body);
  if (!m) throw new Error(`no table #${id}`);
  return m[1]!;
}

const cells = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.trim());

let t: TestServer;
let engine: Engine;
let registry: Registry;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
    registry = await registryFor(t.store);
    engine = createEngine(loadLibrary(), registry);
    // both test requests declined in their issue week: one decline in Los Angeles, one in Harris
    await t.store.appendEvents([
      sampleEvent({ key: 'map-decline-1', requestId: 's-1', date: '2019-03-06' }),
      sampleEvent({ key: 'map-decline-2', requestId: 's-2', date: '2019-03-07' }),
    ]);
    const report = await buildReport({ store: t.store, engine, registry }, { week: '2019-03-04' });
    await publishEdition(t.store, report, { by: 'test' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('declines by county', () => {
    it('draws the latest edition by default; the table holds the same counts as the county titles', async () => {
      const r = await t.app.inject('/map');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-security-policy']).toMatch(/script-src 'none'/);
      expect(r.body).toContain('SYNTHETIC DEMO DATA');
      expect(r.body).toContain('2019-03-02 to 2019-03-08');
      expect(r.body).toContain('From the published edition');
      const svg = drawn(r.body);
      const rows = new Map(
        [...table(r.body, 'map-figures').matchAll(/<tr data-fips="(\d{5})">([\s\S]*?)<\/tr>/g)].map((m) => [
          m[1]!,
          Number(cells(m[2]!)[2]),
        ]),
      );
      expect(new Map([...svg].map(([f, v]) => [f, Number(/: (\d+) declines?$/.exec(v.title)?.[1])]))).toEqual(
        rows,
      );
      expect(rows).toEqual(
        new Map([
          [HARRIS_FIPS, 1],
          [LA_FIPS, 1],
        ]),
      );
      // each county row links to its jurisdiction page
      expect(r.body).toContain(`href="/jurisdictions/${encodeURIComponent(HARRIS)}"`);
      // every county of the atlas is drawn, each with a title
      expect(r.body.match(/<path class="county/g)?.length).toBe(r.body.match(/<\/title><\/path>/g)?.length);
    });

    it('a week with an edition shows the edition; a range without one is built from the ledger', async () => {
      const week = await t.app.inject('/map?show=declines&week=2019-03-04');
      expect(week.statusCode).toBe(200);
      expect(week.body).toContain('From the published edition');
      const range = await t.app.inject('/map?show=declines&week=&from=2019-03-01&to=2019-03-31');
      expect(range.statusCode).toBe(200);
      expect(range.body).toContain('Built now from the ledger');
      expect(range.body).toContain('2019-03-01 to 2019-03-31');
      expect([...drawn(range.body).keys()].sort()).toEqual([LA_FIPS, HARRIS_FIPS].sort());
      const empty = await t.app.inject('/map?from=2018-01-01&to=2018-01-31');
      expect(empty.statusCode).toBe(200);
      expect(drawn(empty.body).size).toBe(0);
      expect(empty.body).toContain('No decline counted in this period.');
    });
  });

  describe('bad input is a 400 page naming the field', () => {
    it.each([
      ['/map?week=2019-02-30', 'week: `2019-02-30`'],
      ['/map?from=2019-03-01&to=03/31/2019', 'to: `03/31/2019`'],
      ['/map?from=2019-03-01', 'to: give the last day'],
      ['/map?from=2019-03-09&to=2019-03-01', 'from: 2019-03-09 is after to 2019-03-01'],
      ['/map?from=2017-01-01&to=2019-01-01', 'to: a range may span at most 366 days'],
      ['/map?show=policy&date=2019-13-01', 'date: `2019-13-01`'],
      ['/map?show=policy&dimension=%3Cscript%3E', 'dimension: `&lt;script&gt;`'],
      ['/map?show=everything', 'show: `everything`'],
    ])('%s', async (url, message) => {
      const r = await t.app.inject(url);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain(message);
      expect(r.body).not.toContain('<script>');
    });
  });

  describe('law by county on a date', () => {
    it('colours each county by the engine’s profile; the tables count what the map draws', async () => {
      const r = await t.app.inject('/map?show=policy&date=2019-03-04&dimension=holds');
      expect(r.statusCode).toBe(200);
      const svg = drawn(r.body);
      expect(svg.size).toBeGreaterThan(3000);
      // by value: the table's counts are the paths of each colour
      const byValue = new Map(
        [...table(r.body, 'map-values').matchAll(/<tr data-value="([^"]*)">([\s\S]*?)<\/tr>/g)].map((m) => [
          m[1]!,
          Number(cells(m[2]!)[1]),
        ]),
      );
      const counted = new Map<string, number>();
      for (const v of svg.values()) counted.set(v.category!, (counted.get(v.category!) ?? 0) + 1);
      expect(counted).toEqual(byValue);
      // the local rows and the per-state rows together are every drawn county
      const local = [
        ...table(r.body, 'map-local').matchAll(/<tr data-fips="(\d{5})" data-value="([^"]*)">/g),
      ];
      for (const m of local) expect(svg.get(m[1]!)?.category).toBe(m[2]);
      const perState = [
        ...table(r.body, 'map-states').matchAll(
          /<tr data-state="[a-z]+" data-value="[^"]*">([\s\S]*?)<\/tr>/g,
        ),
      ]
        .map((m) => Number(cells(m[1]!)[2]))
        .reduce((a, b) => a + b, 0);
      expect(perState + local.length).toBe(svg.size);
      // titles name the value and where it comes from
      expect(svg.get(LA_FIPS)?.title).toMatch(
        /^Los Angeles, California: holds: .*; California law alone; Los Angeles city has law of its own/,
      );
    });

    it('the value of a county equals its own profile, shared or not', () => {
      const pm = policyMap({ engine, registry }, '2019-03-04');
      // computed far fewer times than there are counties: once per state and per local law
      expect(pm.computed).toBeLessThan(pm.counties.length / 10);
      for (const id of [
        HARRIS,
        'ocd-division/country:us/state:ca/county:santa_clara',
        'ocd-division/country:us/state:ca/county:alpine',
        'ocd-division/country:us/state:il/county:cook',
        'ocd-division/country:us/state:mn/county:hennepin',
        'ocd-division/country:us/state:or/county:multnomah',
      ]) {
        const d = registry.division(id)!;
        const entry = pm.counties.find((c) => c.division.id === id)!;
        const own = profileOf(
          engine,
          { id, kind: d.kind, state: d.state, name: d.name, agencyKind: entry.profile.agencyKind },
          '2019-03-04',
        );
        for (const dim of ['holds', 'notification', 'transfer', 'information', 'access'] as const)
          expect(entry.profile[dim].value, `${id} ${dim}`).toBe(own[dim].value);
      }
      expect(pm.counties.find((c) => c.division.id.endsWith('county:santa_clara'))?.source).toBe('local');
      expect(pm.counties.find((c) => c.division.id.endsWith('county:alpine'))?.source).toBe('state');
    });

    it('another dimension and date change the colours; no ledger figure is shown, so no synthetic label', async () => {
      const before = await t.app.inject('/map?show=policy&date=2015-01-01&dimension=holds');
      const after = await t.app.inject('/map?show=policy&date=2019-03-04&dimension=holds');
      expect(drawn(before.body).get(LA_FIPS)?.category).not.toBe(drawn(after.body).get(LA_FIPS)?.category);
      const info = await t.app.inject('/map?show=policy&date=2019-03-04&dimension=information');
      expect(info.statusCode).toBe(200);
      expect(info.body).toContain('Information sharing by county on 2019-03-04');
      expect(info.body).toContain('<option value="information"  selected>');
      expect(info.body).not.toContain('SYNTHETIC DEMO DATA');
      // each local jurisdiction links to its page on the same date
      expect(info.body).toContain(
        `/jurisdictions/${encodeURIComponent('ocd-division/country:us/state:ca/county:santa_clara')}?date=2019-03-04`,
      );
    });
  });
});

describe('before any edition', () => {
  it('the declines view asks for a week or a range, and draws a week built from the ledger', async () => {
    const s = await testServer();
    try {
      const r = await s.app.inject('/map');
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('No report edition has been published yet: choose a week or a range.');
      expect(drawn(r.body).size).toBe(0);
      const week = await s.app.inject('/map?week=2019-03-04');
      expect(week.statusCode).toBe(200);
      expect(week.body).toContain('Built now from the ledger');
      expect(week.body).toContain('No decline counted in this period.');
    } finally {
      await s.close();
    }
  });
});
