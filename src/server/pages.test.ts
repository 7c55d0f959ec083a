/** The public pages: they render, escape whatever comes from data or from the user, and label synthetic data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import {
  HARRIS,
  HOSTILE_287G,
  HOSTILE_AGENCY,
  HOSTILE_AGENCY_ID,
  HOSTILE_FACILITY,
  testServer,
  type TestServer,
} from './test-server.ts';
import { escapeHtml } from './html.ts';

let t: TestServer;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
  });
  afterAll(async () => {
    await t.close();
  });

  const LA = 'ocd-division/country:us/state:ca/county:los_angeles';
  /** pages with runs of white space made one space: their templates are formatted as HTML */
  const flat = <R extends { body: string }>(r: R): R =>
    Object.assign(r, { body: r.body.replace(/\s+/g, ' ') });
  const get = async (url: string) => flat(await t.app.inject(url));
  const post = (url: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    return t.app
      .inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      })
      .then(flat);
  };
  /** no markup a test put in survives as markup */
  function expectInert(body: string): void {
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/<img/i);
  }

  describe('layout', () => {
    it('every page shares the navigation and the style sheet, and forbids scripts', async () => {
      for (const url of [
        '/',
        '/law',
        '/law/ca-values-act',
        `/jurisdictions/${encodeURIComponent(LA)}`,
        '/ask',
        '/api/docs',
      ]) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(200);
        expect(r.headers['content-type']).toMatch(/^text\/html/);
        expect(r.headers['content-security-policy']).toMatch(/script-src 'none'/);
        for (const link of ['href="/"', 'href="/law"', 'href="/ask"', 'href="/api/docs"'])
          expect(r.body).toContain(link);
        expect(r.body).toContain('/static/style.css');
        expectInert(r.body);
      }
      const css = await get('/static/style.css');
      expect(css.statusCode).toBe(200);
      expect(css.body).toContain('@media print');
    });

    it('an unknown page is an HTML 404', async () => {
      const r = await get('/no-such-page');
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('Not found');
      expect(r.headers['content-security-policy']).toMatch(/script-src 'none'/);
    });
  });

  describe('synthetic data', () => {
    it('pages showing ledger data say SYNTHETIC DEMO DATA; the law library does not', async () => {
      expect((await get('/')).body).toContain('SYNTHETIC DEMO DATA');
      expect((await get(`/jurisdictions/${encodeURIComponent(HARRIS)}`)).body).toContain(
        'SYNTHETIC DEMO DATA',
      );
      expect((await get('/law')).body).not.toContain('SYNTHETIC DEMO DATA');
    });

    it('a ledger of real requests carries no label', async () => {
      const real = await testServer({ fresh, synthetic: false });
      try {
        const body = flat(await real.app.inject('/')).body;
        expect(body).toContain('2 requests recorded');
        expect(body).not.toContain('SYNTHETIC DEMO DATA');
      } finally {
        await real.close();
      }
    });
  });

  describe('law library', () => {
    it('lists instruments by state and layer, each linking to its page', async () => {
      const body = (await get('/law')).body;
      expect(body).toContain('id="state-us"');
      expect(body).toContain('id="state-ca"');
      expect(body).toContain('href="/law/ca-values-act"');
      expect(body).toContain('href="/law/tx-sb4"');
    });

    it('an instrument page shows each version with validity, confidence, clauses and citations', async () => {
      const body = (await get('/law/ca-trust-act')).body;
      expect(body).toContain('id="v2014-01-01"');
      expect(body).toContain('id="v2018-01-01"');
      expect(body).toContain('2014-01-01 – 2017-12-31');
      expect(body).toContain('2018-01-01 – open');
      expect(body).toContain('medium confidence');
      expect(body).toMatch(/Cal\. Gov\. Code §7282\.5/);
      expect(body).toContain(
        `href="/jurisdictions/${encodeURIComponent('ocd-division/country:us/state:ca')}"`,
      );
    });

    it('says when a provision starts inside its instrument’s validity', async () => {
      const body = (await get('/law/ca-truth-act')).body;
      expect(body).toMatch(/id="2017-01-01-d-community-forum">.*?in force 2018-01-01 – open/);
    });

    it('an unknown instrument is a 404 that shows the id as text', async () => {
      const r = await get(`/law/${encodeURIComponent('<script>alert(1)</script>')}`);
      expect(r.statusCode).toBe(404);
      expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expectInert(r.body);
    });
  });

  describe('jurisdiction page', () => {
    it('shows the law in force on the date with citations, the profile and the 287(g) agreements', async () => {
      const body = (await get(`/jurisdictions/${encodeURIComponent(HARRIS)}?date=2018-01-01`)).body;
      expect(body).toContain('<h1>Harris County</h1>');
      expect(body).toContain('Law in force on 2018-01-01');
      expect(body).toContain('tx-sb4@2017-09-01');
      expect(body).toMatch(/Tex\. Code Crim\. Proc\. art\. 2\.251/);
      expect(body).toMatch(/Holds<\/th> <td> <strong>required<\/strong ?>/);
      expect(body).toContain('Jail Enforcement Model');
    });

    it('shows the markup in agency, facility and 287(g) names as text', async () => {
      const body = (await get(`/jurisdictions/${encodeURIComponent(HARRIS)}?date=2018-01-01`)).body;
      expectInert(body);
      for (const name of [HOSTILE_AGENCY, HOSTILE_FACILITY, HOSTILE_287G])
        expect(body).toContain(escapeHtml(name));
      const agency = (await get(`/jurisdictions/${encodeURIComponent(HOSTILE_AGENCY_ID)}`)).body;
      expect(agency).toContain(`<h1>${escapeHtml(HOSTILE_AGENCY)}, Harris County</h1>`);
      expectInert(agency);
    });

    it('refuses an impossible date and an unknown division, showing the input as text', async () => {
      const date = await get(
        `/jurisdictions/${encodeURIComponent(LA)}?date=${encodeURIComponent('"><script>x</script>')}`,
      );
      expect(date.statusCode).toBe(400);
      expect(date.body).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
      expectInert(date.body);
      const unknown = await get(`/jurisdictions/${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
      expect(unknown.statusCode).toBe(404);
      expectInert(unknown.body);
    });
  });

  describe('what would the law say?', () => {
    const base = {
      type: 'hold',
      date: '2019-03-04',
      division: 'Los Angeles County',
      state: 'CA',
      authority: 'i-200',
      purpose: 'civil-immigration',
    };

    it('decides a typed-in request, resolving the name with its state, and stores nothing', async () => {
      const before = (await get('/api/v1/health')).json().requests;
      const r = await post('/ask', base);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('class="decision forbidden">forbidden<');
      expect(r.body).toMatch(/Cal\. Gov\. Code §7284\.6/);
      expect(r.body).toContain('Give the person a copy of the request.');
      expect(r.body).toContain('Every clause considered');
      expect(r.body).toContain(`&quot;division&quot;: &quot;${LA}&quot;`);
      expect((await get('/api/v1/health')).json().requests).toBe(before);
    });

    it('uses subject facts: a Texas hold is required unless lawful status is shown', async () => {
      const tx = { ...base, division: 'Harris County', state: 'TX' };
      expect((await post('/ask', tx)).body).toContain('class="decision required">required<');
      const proof = await post('/ask', { ...tx, proofOfLawfulStatus: '1' });
      expect(proof.body).not.toContain('class="decision required">required<');
      expect(proof.body).toContain('name="proofOfLawfulStatus" value="1" checked');
    });

    it('names the bad field the way the CLI does and keeps what was typed', async () => {
      const r = await post('/ask', { ...base, date: '2019-02-30' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('`date`: impossible or malformed date `2019-02-30`; expected `YYYY-MM-DD`');
      expect(r.body).toContain('value="Los Angeles County"');
    });

    it('lists candidates for a name that does not resolve, and never guesses', async () => {
      const r = await post('/ask', { ...base, division: 'Franklin County', state: '' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('The request cannot be decided yet');
    });

    it('shows injection attempts in every input as text', async () => {
      const attack = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
      const r = await post('/ask', {
        ...base,
        type: attack,
        division: attack,
        state: attack,
        conviction1Code: attack,
        chargeCode: attack,
        [attack]: attack,
      });
      expect(r.statusCode).toBe(400);
      expectInert(r.body);
      expect(r.body).toContain(escapeHtml(attack));
      const decided = await post('/ask', { ...base, conviction1Code: attack, chargeCode: attack });
      expect(decided.statusCode).toBe(200);
      expectInert(decided.body);
      const query = await get(
        `/ask?division=${encodeURIComponent(attack)}&date=${encodeURIComponent(attack)}`,
      );
      expectInert(query.body);
      expect(query.body).toContain(`value="${escapeHtml(attack)}"`);
    });
  });

  describe('API documentation page', () => {
    it('lists every endpoint of the OpenAPI document', async () => {
      const body = (await get('/api/docs')).body;
      for (const op of [
        'POST /api/v1/decide',
        'GET /api/v1/jurisdictions/{id}/profile',
        'GET /api/v1/law/instruments',
      ]) {
        expect(body).toContain(op);
      }
      expect(body).toContain('href="/api/v1/openapi.json"');
    });
  });
});
