import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { collectionLimits, forbiddenFields } from './collection.ts';
import { createEngine } from './evaluate.ts';
import { fixtureLookup } from './fixture-lookup.ts';
import { loadLibrary } from './load.ts';
import { runPolicyCases } from './policy-test.ts';
import { validateRequest } from './request.ts';
import { FED, instrument, lib } from './test-library.ts';
import { COLLECTED_FIELDS } from './vocabulary.ts';

const OR = 'ocd-division/country:us/state:or';
const MULTNOMAH = `${OR}/county:multnomah`;
const HARRIS = 'ocd-division/country:us/state:tx/county:harris';
const registry = loadRegistry();
const engine = createEngine(loadLibrary(), registry);

describe('what an agency may not collect at intake (the policy library)', () => {
  it('an Oregon sheriff after ORS 181A.823 took effect: citizenship and proof of status, with the citation', () => {
    const limits = collectionLimits(engine, {
      division: MULTNOMAH,
      agencyKind: 'sheriff',
      date: '2024-05-01',
    });
    expect(limits.map((l) => l.field)).toEqual(['citizenship', 'subject.proofOfLawfulStatus']);
    expect(limits[0]).toMatchObject({
      field: 'citizenship',
      clause: 'or-ors-181a.823#1b-no-status-inquiry',
      citation: 'ORS 181A.823(1)(b)',
      instrument: 'or-ors-181a.823',
      version: '2021-07-19',
      // the exceptions in the text make the intake reading less sure than the clause
      confidence: 'medium',
    });
    expect(limits[0]!.note).toMatch(/criminal investigation/);
  });

  it('the same sheriff the day before it took effect, and on the day', () => {
    expect(
      collectionLimits(engine, { division: MULTNOMAH, agencyKind: 'sheriff', date: '2021-07-18' }),
    ).toEqual([]);
    const onTheDay = collectionLimits(engine, {
      division: MULTNOMAH,
      agencyKind: 'sheriff',
      date: '2021-07-19',
    });
    expect(onTheDay.map((l) => l.clause)).toContain('or-ors-181a.823#1b-no-status-inquiry');
  });

  it('a Texas sheriff may ask', () => {
    expect(collectionLimits(engine, { division: HARRIS, agencyKind: 'sheriff', date: '2024-05-01' })).toEqual(
      [],
    );
  });

  it('a California sheriff: the Values Act; a Los Angeles City police department: the Act and ED 20', () => {
    const sheriff = forbiddenFields(
      collectionLimits(engine, {
        division: 'ocd-division/country:us/state:ca/county:los_angeles',
        agencyKind: 'sheriff',
        date: '2019-03-04',
      }),
    );
    expect(sheriff.get('citizenship')).toEqual(['ca-values-act#a1a-no-status-inquiry']);
    const city = forbiddenFields(
      collectionLimits(engine, {
        division: 'ocd-division/country:us/state:ca/place:los_angeles',
        agencyKind: 'police',
        date: '2019-03-04',
      }),
    );
    expect(city.get('citizenship')).toEqual([
      'ca-values-act#a1a-no-status-inquiry',
      'la-ed20#d4-no-status-collection',
    ]);
  });

  it('a clause that only limits intake decides no request and stays out of the trace', () => {
    const req = validateRequest(
      {
        type: 'info',
        infoKind: 'immigration-status',
        date: '2019-03-04',
        receiver: { division: 'ocd-division/country:us/state:ca/county:los_angeles', agencyKind: 'sheriff' },
      },
      registry,
    );
    const result = engine.decide(req, { trace: true });
    expect(result.trace!.map((t) => t.clause)).not.toContain('ca-values-act#a1a-no-status-inquiry');
    expect(result.trace!.map((t) => t.clause)).toContain('ca-values-act#e-status-information');
  });
});

describe('forbidsCollecting in a small library', () => {
  const ST = 'ocd-division/country:us/state:ca';
  const files = (clauses: string, validFrom = '2010-01-01') => {
    const [path, text] = instrument({
      id: 'st',
      division: ST,
      layer: 'state',
      stateRole: 'ceiling',
      validFrom,
      clauses,
    });
    return { 'fed@2000-01-01.yaml': FED, [path]: text };
  };

  it('follows the clause’s own dates and agency kinds, not its request types or condition', () => {
    const l = lib(
      files(`  - id: ask-nothing
    citation: St. §1
    summary: no status questions
    validFrom: 2012-01-01
    appliesTo: { types: [info], agencyKinds: [sheriff] }
    when: { infoKind: immigration-status }
    forbidsCollecting: [citizenship, subject.priorRemoval]
`),
    );
    const eng = createEngine(l, fixtureLookup);
    const at = (agencyKind: 'sheriff' | 'police', date: string) =>
      collectionLimits(eng, { division: ST, agencyKind, date }).map((x) => `${x.field} ${x.clause}`);
    expect(at('sheriff', '2011-12-31')).toEqual([]);
    expect(at('sheriff', '2012-01-01')).toEqual([
      'citizenship st#ask-nothing',
      'subject.priorRemoval st#ask-nothing',
    ]);
    expect(at('police', '2012-01-01')).toEqual([]);
    // the clause's confidence when the list is written bare
    expect(
      collectionLimits(eng, { division: ST, agencyKind: 'sheriff', date: '2012-01-01' })[0]!.confidence,
    ).toBe('high');
  });

  it('a policy case states the fields and clauses, and a wrong one fails naming both sides', () => {
    const l = lib({
      ...files(`  - id: ask-nothing
    citation: St. §1
    summary: no status questions
    forbidsCollecting: [citizenship]
`),
      'st@2010-01-01.cases.yaml': `defaults:
  request: { type: hold, date: 2011-01-01, receiver: { division: ${ST}, agencyKind: sheriff } }
cases:
  - name: right
    request: {}
    expect: { decision: permitted, deciding: [fed#baseline], forbidsCollecting: { citizenship: [st#ask-nothing] } }
  - name: wrong
    request: {}
    expect: { decision: permitted, deciding: [fed#baseline], forbidsCollecting: {} }
  - name: before the instrument
    request: { date: 2009-12-31 }
    expect: { decision: permitted, deciding: [fed#baseline], forbidsCollecting: {} }
`,
    });
    const report = runPolicyCases(l, fixtureLookup);
    expect(report.cases).toBe(3);
    expect(report.failures.map((f) => [f.case, f.message])).toEqual([
      ['wrong', 'expected intake to forbid nothing, got citizenship (st#ask-nothing)'],
    ]);
  });

  it('every collected field is a field of the ledger request or the decision request’s subject', () => {
    for (const f of COLLECTED_FIELDS) expect(f === 'citizenship' || f.startsWith('subject.')).toBe(true);
  });
});
