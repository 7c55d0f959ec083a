/**
 * `/downloads`: every published edition's JSON and CSV files, the law library as data and the
 * OpenAPI document, each link answering; the files named are the ones the renderer writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFor } from '../ledger/registry.ts';
import { createEngine, loadLibrary } from '../law/index.ts';
import { eachStore } from '../ledger/test-stores.ts';
import { buildReport } from '../reports/build.ts';
import { publishEdition } from '../reports/editions.ts';
import { renderCsv } from '../reports/render/csv.ts';
import { EDITION_FILES } from './routes/pages/downloads.ts';
import { testServer, type TestServer } from './test-server.ts';

let t: TestServer;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('downloads page', () => {
    it('before any edition: says so, and still lists the law library and the API', async () => {
      const r = await t.app.inject('/downloads');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-security-policy']).toMatch(/script-src 'none'/);
      expect(r.body).toContain('No edition has been published yet.');
      expect(r.body).toContain('href="/api/v1/law/instruments"');
      expect(r.body).toContain('href="/api/v1/openapi.json"');
      expect(r.body.replace(/\s+/g, ' ')).toContain('no names, birth dates or file numbers');
      expect(r.body).toContain('SYNTHETIC DEMO DATA');
      expect(r.body).toMatch(/<a href="\/downloads"\s+aria-current="page">/);
    });

    it('lists each edition with its JSON and every CSV file the renderer writes; every link answers', async () => {
      const registry = await registryFor(t.store);
      const report = await buildReport(
        { store: t.store, engine: createEngine(loadLibrary(), registry), registry },
        { week: '2019-03-04' },
      );
      const { id } = await publishEdition(t.store, report, { by: 'test' });
      // the page names the files the renderer writes, no more and no fewer
      expect(EDITION_FILES.map((f) => f.file).sort()).toEqual(Object.keys(renderCsv(report)).sort());
      const r = await t.app.inject('/downloads');
      expect(r.statusCode).toBe(200);
      const api = `/api/v1/editions/${encodeURIComponent(id)}`;
      expect(r.body).toContain(`href="${api}"`);
      for (const f of EDITION_FILES) {
        expect(r.body).toContain(`href="${api}/sections/${f.file}"`);
        expect(r.body).toContain(`<code>${f.file}</code>`);
      }
      const links = [
        ...new Set(
          [...r.body.matchAll(/href="(\/api\/v1\/[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')),
        ),
      ];
      expect(links.length).toBeGreaterThan(EDITION_FILES.length + 3);
      for (const url of links) {
        const res = await t.app.inject(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(url.endsWith('.csv') ? /^text\/csv/ : /json/);
      }
      const json = await t.app.inject(api);
      expect(json.json()).toMatchObject({
        edition: { id },
        period: { from: '2019-03-02', to: '2019-03-08' },
      });
    });
  });
});
