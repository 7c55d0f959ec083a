import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/law.ts';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { DecisionJsonWriter, decisionJson } from './json.ts';
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

  it('copy() hands out one answer at a time from a reused buffer, each its own bytes', () => {
    const engine = createEngine(loadLibrary(), loadRegistry());
    const writer = new DecisionJsonWriter();
    // each request three times running: the engine's repeated lists, whose bytes the writer keeps
    const answers = benchRequests(50)
      .flatMap((r) => [r, r, r])
      .map((r) => {
        const result = engine.decide(r);
        writer.decision(result);
        return { result, bytes: writer.copy() };
      });
    for (const { result, bytes } of answers)
      expect(bytes.toString('utf8')).toBe(`${JSON.stringify(result)}\n`);
    expect(writer.length).toBe(0);
    // more than one shared slab was cut, none written over
    expect(answers.reduce((n, a) => n + a.bytes.length, 0)).toBeGreaterThan(1 << 17);
    expect(new Set(answers.map((a) => a.bytes.buffer)).size).toBeGreaterThan(1);
  });
});
