import { describe, expect, it } from 'vitest';
import { FALSE, TRUE, UNKNOWN, compileCondition, type EvalContext } from './compile.ts';
import { fixtureLookup } from './fixture-lookup.ts';
import { validateRequest } from './request.ts';
import type { Condition } from './schema.ts';

const env = { lists: new Map(), issues: [] };
const request = (extra: Record<string, unknown>) =>
  validateRequest(
    {
      type: 'hold',
      date: '2019-03-04',
      receiver: { division: 'ocd-division/country:us/state:ca', agencyKind: 'sheriff' },
      ...extra,
    },
    fixtureLookup,
  );

function run(c: Condition, extra: Record<string, unknown>) {
  const ctx: EvalContext = { asOf: 20190304, missing: [] };
  const compiled = compileCondition(c, env);
  return { result: compiled.test(request(extra), ctx), missing: ctx.missing, compiled, ctx };
}

describe('conditions', () => {
  it('is three-valued: a missing fact is unknown, not false', () => {
    expect(run({ authority: 'judicial-warrant' }, {}).result).toBe(UNKNOWN);
    expect(run({ authority: 'judicial-warrant' }, {}).missing).toEqual(['authority']);
    expect(run({ not: { authority: 'judicial-warrant' } }, {}).result).toBe(UNKNOWN);
    expect(
      run({ authority: ['court-order', 'judicial-warrant'] }, { authority: ['judicial-warrant'] }).result,
    ).toBe(TRUE);
  });

  it('drops the missing facts that did not matter', () => {
    const c: Condition = { any: [{ purpose: 'criminal' }, { type: 'hold' }] };
    const r = run(c, {});
    expect(r.result).toBe(TRUE);
    expect(r.missing).toEqual([]);
    const all = run({ all: [{ purpose: 'criminal' }, { type: 'notify' }] }, {});
    expect(all.result).toBe(FALSE);
    expect(all.missing).toEqual([]);
  });

  it('says in plain words which part failed', () => {
    const { compiled, ctx } = run(
      { all: [{ type: 'hold' }, { juvenile: true }] },
      { subject: { juvenile: false } },
    );
    expect(compiled.why(request({ subject: { juvenile: false } }), ctx)).toBe(
      'the subject is not a juvenile',
    );
    expect(compiled.text).toBe('the request is a hold request, and the subject is a juvenile');
  });

  it('checks conviction level, sentence and age', () => {
    const c: Condition = { convictedOf: { level: 'felony', sentence: 'state-prison', withinYears: 5 } };
    const conv = (x: Record<string, unknown>) =>
      run(c, { subject: { convictions: [{ code: 'X 1', ...x }] } });
    expect(conv({ level: 'felony', sentence: 'state-prison', date: '2014-03-04' }).result).toBe(TRUE);
    expect(conv({ level: 'felony', sentence: 'county-jail', date: '2014-03-04' }).result).toBe(FALSE);
    expect(conv({ level: 'felony', date: '2014-03-04' }).missing).toEqual([
      'subject.convictions[0].sentence',
    ]);
    expect(conv({ level: 'misdemeanor' }).result).toBe(FALSE);
  });
});
