/** The JSON API through `fastify.inject`: decisions, problems, jurisdictions, profiles, the law library. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachStore } from '../ledger/test-stores.ts';
import { HARRIS, HOSTILE_287G, testServer, type TestServer } from './test-server.ts';

let t: TestServer;
eachStore((fresh) => {
  beforeAll(async () => {
    t = await testServer({ fresh });
  });
  afterAll(async () => {
    await t.close();
  });

  const LA = 'ocd-division/country:us/state:ca/county:los_angeles';
  const hold = {
    type: 'hold',
    date: '2019-03-04',
    authority: ['i-200'],
    receiver: { division: LA, agencyKind: 'sheriff' },
  };

  function decide(body: unknown, query = '') {
    return t.app.inject({ method: 'POST', url: `/api/v1/decide${query}`, payload: body as object });
  }

  describe('POST /api/v1/decide', () => {
    it('decides a request under the law in force on its date, with the trace and citations', async () => {
      const r = await decide(hold);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const d = r.json();
      expect(d.decision).toBe('forbidden');
      expect(d.deciding).toContain('ca-values-act#a1b-no-hold');
      expect(d.asOf).toBe('2019-03-04');
      expect(
        d.trace.find((e: { clause: string }) => e.clause === 'ca-values-act#a1b-no-hold').citation,
      ).toMatch(/7284\.6/);
      expect(d.obligations.map((o: { id: string }) => o.id)).toContain('ca-truth-act#give-copy');
    });

    it('decides as of the request date: before the California laws, the federal default', async () => {
      const d = (await decide({ ...hold, date: '2013-06-01' })).json();
      expect(d.decision).toBe('permitted');
      expect(d.deciding).toEqual(['us-8cfr-287.7#detainer-is-request']);
    });

    it('leaves the trace out with ?trace=false', async () => {
      const d = (await decide(hold, '?trace=false')).json();
      expect(d.decision).toBe('forbidden');
      expect(d.trace).toBeUndefined();
    });

    it('answers an invalid request with problem+json naming the field and value, as the CLI does', async () => {
      const r = await decide({ ...hold, type: 'hols' });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      const p = r.json();
      expect(p).toMatchObject({ status: 400, field: 'type', value: 'hols', code: 'request.bad-value' });
      expect(p.detail).toBe(
        '`type`: expected one of hold, notify, transfer, info, interview, facility-access, got `hols`',
      );
      expect(p.instance).toBe('/api/v1/decide');
    });

    it('names an impossible date, an unknown field and an unknown division', async () => {
      const date = (await decide({ ...hold, date: '2019-02-30' })).json();
      expect(date).toMatchObject({ field: 'date', code: 'request.bad-date', value: '2019-02-30' });
      const unknown = (await decide({ ...hold, colour: 'red' })).json();
      expect(unknown).toMatchObject({ field: 'colour', code: 'request.unknown-field' });
      const nested = (
        await decide({ ...hold, subject: { convictions: [{ code: 'CA PC 211', date: '2019-13-01' }] } })
      ).json();
      expect(nested.field).toBe('subject.convictions[0].date');
      const division = (
        await decide({
          ...hold,
          receiver: { division: 'ocd-division/country:us/state:zz', agencyKind: 'sheriff' },
        })
      ).json();
      expect(division).toMatchObject({ field: 'receiver.division', code: 'request.unknown-division' });
    });

    it('answers a body that is not JSON with a problem, not a stack trace', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/decide',
        headers: { 'content-type': 'application/json' },
        payload: '{"type": ',
      });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().code).toBe('request.json');
    });
  });

  describe('errors', () => {
    it('an unknown API route is a 404 problem', async () => {
      const r = await t.app.inject('/api/v1/no-such-thing');
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/v1/no-such-thing' });
    });

    it('a wrong method on an API route is a problem too', async () => {
      const r = await t.app.inject({ method: 'DELETE', url: '/api/v1/decide' });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('GET /api/v1/jurisdictions', () => {
    it('resolves a name with its state and lists candidates', async () => {
      const r = await t.app.inject('/api/v1/jurisdictions?name=Los%20Angeles%20County&state=CA');
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.resolution).toMatchObject({ status: 'resolved', divisionId: LA });
      expect(body.candidates[0]).toMatchObject({ id: LA, score: 100 });
    });

    it('never guesses without a state', async () => {
      const body = (await t.app.inject('/api/v1/jurisdictions?name=Franklin%20County')).json();
      expect(body.resolution.status).not.toBe('resolved');
    });

    it('names a missing name and an unknown state', async () => {
      const missing = await t.app.inject('/api/v1/jurisdictions?state=CA');
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ field: 'name', code: 'request.missing-field' });
      const state = await t.app.inject('/api/v1/jurisdictions?name=Kings&state=Atlantis');
      expect(state.statusCode).toBe(400);
      expect(state.json()).toMatchObject({ field: 'state', value: 'Atlantis' });
    });
  });

  describe('GET /api/v1/jurisdictions/:id/profile', () => {
    it('profiles a division on a date from the probes, with its 287(g) agreements from the ledger', async () => {
      const r = await t.app.inject(
        `/api/v1/jurisdictions/${encodeURIComponent(HARRIS)}/profile?date=2018-01-01`,
      );
      expect(r.statusCode).toBe(200);
      const p = r.json();
      expect(p).toMatchObject({ division: HARRIS, date: '2018-01-01', name: 'Harris County' });
      expect(p.holds.value).toBe('required');
      expect(p.agreements.value).toEqual(['jail']);
      expect(p.agreements.agreements[0].agencyName).toBe(HOSTILE_287G);
    });

    it('has no agreement in force before it was signed', async () => {
      const p = (
        await t.app.inject(`/api/v1/jurisdictions/${encodeURIComponent(HARRIS)}/profile?date=2016-01-01`)
      ).json();
      expect(p.agreements.value).toBe('none');
    });

    it('answers an unknown division with 404 and a bad date with 400, both problems', async () => {
      const unknown = await t.app.inject(
        '/api/v1/jurisdictions/ocd-division%2Fcountry%3Aus%2Fstate%3Azz/profile',
      );
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ field: 'id', value: 'ocd-division/country:us/state:zz' });
      const date = await t.app.inject(
        `/api/v1/jurisdictions/${encodeURIComponent(HARRIS)}/profile?date=2019-02-30`,
      );
      expect(date.statusCode).toBe(400);
      expect(date.json()).toMatchObject({ field: 'date', value: '2019-02-30' });
    });
  });

  describe('GET /api/v1/law/instruments', () => {
    it('lists every instrument version, filtered by state and date', async () => {
      const all = (await t.app.inject('/api/v1/law/instruments')).json();
      expect(all.instruments.length).toBeGreaterThan(10);
      expect(all.revision).toMatch(/^sha256:/);
      const ca2019 = (await t.app.inject('/api/v1/law/instruments?state=CA&date=2019-01-01')).json();
      const ids = ca2019.instruments.map((i: { id: string; version: string }) => `${i.id}@${i.version}`);
      expect(ids).toContain('ca-values-act@2018-01-01');
      expect(ids).not.toContain('ca-trust-act@2014-01-01');
      // the last day in force counts
      const lastDay = (await t.app.inject('/api/v1/law/instruments?state=CA&date=2017-12-31')).json();
      expect(
        lastDay.instruments.map((i: { id: string; version: string }) => `${i.id}@${i.version}`),
      ).toContain('ca-trust-act@2014-01-01');
      expect(ids.every((x: string) => !x.startsWith('tx-'))).toBe(true);
    });

    it('shows one instrument with every version and its clauses, or a 404 problem', async () => {
      const r = await t.app.inject('/api/v1/law/instruments/ca-trust-act');
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.versions.map((v: { version: string }) => v.version)).toEqual(['2014-01-01', '2018-01-01']);
      expect(body.versions[0].clauses[0].citation).toBeTruthy();
      const missing = await t.app.inject('/api/v1/law/instruments/no-such-law');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ field: 'id', value: 'no-such-law' });
    });
  });

  describe('GET /api/v1/health and the OpenAPI document', () => {
    it('reports the library and the ledger', async () => {
      const h = (await t.app.inject('/api/v1/health')).json();
      expect(h).toMatchObject({ status: 'ok', requests: 2, syntheticRequests: 2 });
    });

    it('documents every API route from the same schemas', async () => {
      const doc = (await t.app.inject('/api/v1/openapi.json')).json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/v1/decide',
        '/api/v1/editions',
        '/api/v1/editions/{id}',
        '/api/v1/editions/{id}/sections/{file}',
        '/api/v1/health',
        '/api/v1/imports',
        '/api/v1/imports/{id}',
        '/api/v1/jurisdictions',
        '/api/v1/jurisdictions/{id}/profile',
        '/api/v1/law/instruments',
        '/api/v1/law/instruments/{id}',
        '/api/v1/requests',
        '/api/v1/requests/{id}',
        '/api/v1/requests/{id}/events',
      ]);
      const body = doc.paths['/api/v1/decide'].post.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(expect.arrayContaining(['type', 'date', 'receiver']));
      expect(body.properties.type.anyOf.flatMap((x: { enum: string[] }) => x.enum)).toContain(
        'facility-access',
      );
    });
  });
});
