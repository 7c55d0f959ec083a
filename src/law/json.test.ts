import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/law.ts';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { decisionJson } from './json.ts';
import { createEngine, loadLibrary, type DecisionResult } from './index.ts';

describe('decisionJson', () => {
  it('writes exactly what JSON.stringify writes, for every kind of decision, twice over', () => {
    const engine = createEngine(loadLibrary(), loadRegistry());
    const batch = benchRequests(1500);
    for (let pass = 0; pass < 2; pass++) {
      for (const r of batch) {
        for (const trace of [true, false]) {
          const result = engine.decide(r, { trace });
          expect(decisionJson(result)).toBe(JSON.stringify(result));
        }
      }
    }
  });

  it('escapes any text as JSON.stringify does: quotes, backslashes, controls, non-ASCII, lone surrogates', () => {
    const scalar = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.boolean(),
      fc.constant(null),
      fc.double(),
      fc.integer(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(scalar, fc.array(scalar))), (o) => {
        expect(decisionJson(o as unknown as DecisionResult)).toBe(JSON.stringify(o));
      }),
      { numRuns: 2000 },
    );
  });
});
