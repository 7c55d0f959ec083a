import { describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/law.ts';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { createEngine } from './evaluate.ts';
import { fixtureLookup } from './fixture-lookup.ts';
import { loadLibrary } from './load.ts';
import { validateRequest } from './request.ts';
import { FED, instrument, lib } from './test-library.ts';

const CA = 'ocd-division/country:us/state:ca';
const LAC = `${CA}/county:los_angeles`;
const LA = `${CA}/place:los_angeles`;
const TX = 'ocd-division/country:us/state:tx';
const HARRIS = `${TX}/county:harris`;

function engine(...instruments: [string, string][]) {
  return createEngine(
    lib({ 'us/fed@2000-01-01.yaml': FED, ...Object.fromEntries(instruments) }),
    fixtureLookup,
  );
}

function req(extra: Record<string, unknown>) {
  return validateRequest(
    {
      type: 'hold',
      date: '2019-03-04',
      receiver: { division: LAC, agencyKind: 'sheriff' },
      authority: ['i-200'],
      ...extra,
    },
    fixtureLookup,
  );
}

const stateForbidHold = instrument({
  id: 'st',
  division: CA,
  layer: 'state',
  stateRole: 'ceiling',
  clauses: `
  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid }
  - { id: may-notify, citation: c, summary: s, appliesTo: { types: [notify] }, effect: permit }
  - { id: no-status, citation: c, summary: s, appliesTo: { types: [info] }, effect: forbid }
`,
});

describe('layering', () => {
  it('with no rule a request is permitted by the federal baseline', () => {
    const d = engine().decide(req({}));
    expect(d.decision).toBe('permitted');
    expect(d.deciding).toEqual(['fed#baseline']);
  });

  it('a ceiling state forbid beats a county require', () => {
    const county = instrument({
      id: 'cty',
      division: LAC,
      layer: 'county',
      clauses: `  - { id: must-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: require }\n`,
    });
    const d = engine(stateForbidHold, county).decide(req({}));
    expect(d.decision).toBe('forbidden');
    expect(d.deciding).toEqual(['st#no-hold']);
  });

  it('a local forbid narrows a ceiling state permit', () => {
    const city = instrument({
      id: 'city',
      division: LA,
      layer: 'city',
      clauses: `  - { id: no-notify, citation: c, summary: s, appliesTo: { types: [notify] }, effect: forbid }\n`,
    });
    const d = engine(stateForbidHold, city).decide(
      req({ type: 'notify', receiver: { division: LA, agencyKind: 'police' } }),
    );
    expect(d.decision).toBe('forbidden');
    expect(d.deciding).toEqual(['city#no-notify']);
  });

  it('in a floor state a local forbid against the state require is a conflict with both sides', () => {
    const tx = instrument({
      id: 'tx',
      division: TX,
      layer: 'state',
      stateRole: 'floor',
      clauses: `  - { id: honor, citation: c, summary: s, appliesTo: { types: [hold] }, effect: require }\n`,
    });
    const harris = instrument({
      id: 'harris',
      division: HARRIS,
      layer: 'county',
      clauses: `  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid }\n`,
    });
    const e = engine(tx, harris);
    const d = e.decide(req({ receiver: { division: HARRIS, agencyKind: 'sheriff' } }));
    expect(d.decision).toBe('conflict');
    expect(d.deciding).toEqual(['tx#honor', 'harris#no-hold']);
    expect(e.decide(req({ receiver: { division: TX, agencyKind: 'sheriff' } })).decision).toBe('required');
  });

  it('a floor state permit also bars a stricter local rule', () => {
    const tx = instrument({
      id: 'tx',
      division: TX,
      layer: 'state',
      stateRole: 'floor',
      clauses: `  - { id: may-share, citation: c, summary: s, appliesTo: { types: [info] }, effect: permit }\n`,
    });
    const harris = instrument({
      id: 'harris',
      division: HARRIS,
      layer: 'county',
      clauses: `  - { id: no-history, citation: c, summary: s, appliesTo: { types: [info] }, when: { infoKind: criminal-history }, effect: forbid }\n`,
    });
    const d = engine(tx, harris).decide(
      req({
        type: 'info',
        infoKind: 'criminal-history',
        receiver: { division: HARRIS, agencyKind: 'sheriff' },
      }),
    );
    expect(d.decision).toBe('conflict');
  });

  it('two clauses of one layer that disagree without an unless link are a conflict', () => {
    const st = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `
  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid }
  - { id: hold-ok, citation: c, summary: s, appliesTo: { types: [hold] }, when: { authority: judicial-warrant }, effect: permit }
`,
    });
    const d = engine(st).decide(req({ authority: ['judicial-warrant'] }));
    expect(d.decision).toBe('conflict');
    expect(d.deciding).toEqual(['st#no-hold', 'st#hold-ok']);
  });

  it('an unless link lets the specific clause override the general one', () => {
    const st = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `
  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid, unless: [hold-ok] }
  - { id: hold-ok, citation: c, summary: s, appliesTo: { types: [hold] }, when: { authority: judicial-warrant }, effect: permit }
`,
    });
    const e = engine(st);
    const d = e.decide(req({ authority: ['judicial-warrant'] }));
    expect(d.decision).toBe('permitted');
    expect(d.deciding).toEqual(['st#hold-ok']);
    const overridden = d.trace!.find((t) => t.clause === 'st#no-hold')!;
    expect(overridden.outcome).toBe('overridden');
    expect(overridden.because).toContain('st#hold-ok');
    const no = e.decide(req({}));
    expect(no.decision).toBe('forbidden');
    expect(no.trace!.find((t) => t.clause === 'st#hold-ok')!.because).toBe(
      'does not apply: the request comes without a judicial warrant',
    );
  });
});

describe('pre-emption', () => {
  it('federal status sharing pre-empts a lower forbid on status information only', () => {
    const e = engine(stateForbidHold);
    const status = e.decide(req({ type: 'info', infoKind: 'immigration-status' }));
    expect(status.decision).toBe('permitted');
    expect(status.deciding).toEqual(['fed#status']);
    expect(status.trace!.find((t) => t.clause === 'st#no-status')!.outcome).toBe('preempted');
    const address = e.decide(req({ type: 'info', infoKind: 'address' }));
    expect(address.decision).toBe('forbidden');
    expect(address.deciding).toEqual(['st#no-status']);
  });
});

describe('missing facts', () => {
  const st = instrument({
    id: 'st',
    division: CA,
    layer: 'state',
    stateRole: 'ceiling',
    clauses: `
  - { id: no-notify, citation: c, summary: s, appliesTo: { types: [notify] }, effect: forbid, unless: [felon] }
  - id: felon
    citation: c
    summary: s
    appliesTo: { types: [notify] }
    when: { convictedOf: { level: felony, withinYears: 10 } }
    effect: permit
`,
  });

  it('a fact the law needs is named and the decision is marked uncertain, never assumed', () => {
    const d = engine(st).decide(req({ type: 'notify' }));
    expect(d.decision).toBe('forbidden');
    expect(d.certain).toBe(false);
    expect(d.missingFacts).toEqual(['subject.convictions']);
    const t = d.trace!.find((x) => x.clause === 'st#felon')!;
    expect(t.outcome).toBe('unknown');
    expect(t.because).toContain('`subject.convictions`');
  });

  it('a missing field of one record is named with its index', () => {
    const d = engine(st).decide(
      req({ type: 'notify', subject: { convictions: [{ code: 'X 1', level: 'felony' }] } }),
    );
    expect(d.missingFacts).toEqual(['subject.convictions[0].date']);
  });

  it('an engine that has answered many requests names each one’s missing facts as a new engine does', () => {
    // trace entries are kept and reused per clause; more wordings than are kept must still be right
    const e = engine(st);
    const withConvictions = (n: number) =>
      req({
        type: 'notify',
        subject: { convictions: Array.from({ length: n }, (_, i) => ({ code: `X ${i}`, level: 'felony' })) },
      });
    for (let pass = 0; pass < 2; pass++) {
      for (let n = 1; n <= 100; n++) {
        const d = e.decide(withConvictions(n));
        expect(d).toEqual(engine(st).decide(withConvictions(n)));
        const t = d.trace!.find((x) => x.clause === 'st#felon')!;
        expect(t.outcome).toBe('unknown');
        expect(t.because).toContain(`\`subject.convictions[${n - 1}].date\``);
      }
    }
  });

  it('answers alike under one plan share their lists, and a different answer in between changes none', () => {
    const e = engine(st);
    const felon = req({
      type: 'notify',
      subject: { convictions: [{ code: 'X 1', level: 'felony', date: '2015-01-01' }] },
    });
    const unknown = req({ type: 'notify' });
    const answers = [felon, felon, felon, unknown, felon, unknown, unknown, unknown].map((r) => ({
      got: e.decide(r),
      fresh: engine(st).decide(r),
    }));
    for (const { got, fresh } of answers) expect(got).toEqual(fresh);
    // the third of a run hands out the second's lists, frozen: nothing can change them
    expect(answers[2]!.got.trace).toBe(answers[1]!.got.trace);
    expect(Object.isFrozen(answers[2]!.got.trace)).toBe(true);
    expect(answers[7]!.got.missingFacts).toBe(answers[6]!.got.missingFacts);
    expect(answers[4]!.got.missingFacts).toEqual([]);
  });

  it('measures within-years back from the request date', () => {
    const e = engine(st);
    const on = (date: string) =>
      e.decide(req({ type: 'notify', subject: { convictions: [{ code: 'X 1', level: 'felony', date }] } }))
        .decision;
    expect(on('2009-03-04')).toBe('permitted');
    expect(on('2009-03-03')).toBe('forbidden');
  });
});

describe('as-of date and results', () => {
  it('only instruments in force on the request date apply, and the result names them', () => {
    const st = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      validFrom: '2018-01-01',
      validTo: '2018-12-31',
      clauses: `  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid }\n`,
    });
    const e = engine(st);
    expect(e.decide(req({ date: '2017-12-31' })).decision).toBe('permitted');
    const inForce = e.decide(req({ date: '2018-01-01' }));
    expect(inForce.decision).toBe('forbidden');
    expect(inForce.instruments.map((i) => i.id)).toEqual(['fed', 'st']);
    expect(e.decide(req({ date: '2018-12-31' })).decision).toBe('forbidden');
    expect(e.decide(req({ date: '2019-01-01' })).decision).toBe('permitted');
  });

  it('the fast path gives the same decision and obligations without the trace', () => {
    const e = engine(stateForbidHold);
    const a = e.decide(req({}), { trace: false });
    const b = e.decide(req({}));
    expect(a.trace).toBeUndefined();
    expect(a.decision).toBe(b.decision);
    expect(a.obligations).toEqual(b.obligations);
    expect(b.libraryRevision).toMatch(/^sha256:/);
  });

  it('obligations accumulate whatever the decision, filtered by onDecision', () => {
    const st = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `
  - { id: no-hold, citation: c, summary: s, appliesTo: { types: [hold] }, effect: forbid }
  - id: duties
    citation: c
    summary: s
    obligations:
      - { id: copy, citation: c1, text: give a copy }
      - { id: if-held, citation: c2, text: only when held, onDecision: [permitted] }
`,
    });
    const d = engine(st).decide(req({}));
    expect(d.decision).toBe('forbidden');
    expect(d.obligations.map((o) => o.id)).toEqual(['st#copy']);
  });
});

describe('kept trace entries and lists', () => {
  it('a clause that fails for different reasons says which, request after request', () => {
    const st = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `  - { id: narrow, citation: c, summary: s, appliesTo: { types: [hold] }, when: { all: [{ authority: judicial-warrant }, { juvenile: true }] }, effect: forbid }\n`,
    });
    const e = engine(st);
    const noWarrant = req({ subject: { juvenile: true } });
    const adult = req({ authority: ['judicial-warrant'], subject: { juvenile: false } });
    const because = (d: ReturnType<typeof e.decide>) =>
      d.trace!.find((t) => t.clause === 'st#narrow')!.because;
    const seen = [noWarrant, adult, noWarrant, adult].map((r) => because(e.decide(r)));
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen).toEqual([noWarrant, adult, noWarrant, adult].map((r) => because(engine(st).decide(r))));
  });

  it('an engine that has answered many requests answers each as a new engine does, under the real library', () => {
    const library = loadLibrary();
    const registry = loadRegistry();
    const e = createEngine(library, registry);
    const batch = benchRequests(300);
    for (let pass = 0; pass < 2; pass++) {
      for (const r of batch) expect(e.decide(r)).toEqual(createEngine(library, registry).decide(r));
    }
  });
});
