import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECLINE_CATEGORIES, OUTCOME_CATEGORIES, type OutcomeCategory } from '../ledger/outcome.ts';
import type { OutcomePeriod } from './outcomes-over-time.ts';
import { shownPeriod } from './outcomes-shown.ts';

const BELOW = 5;
const small = (n: number) => n > 0 && n < BELOW;

const period = fc
  // mostly zeros, as in a small place: the cases where one small cell is the difference of two shown ones
  .array(
    fc.oneof(
      { arbitrary: fc.constant(0), weight: 6 },
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 5, max: 40 }),
    ),
    {
      minLength: OUTCOME_CATEGORIES.length,
      maxLength: OUTCOME_CATEGORIES.length,
    },
  )
  .map((counts): OutcomePeriod => {
    const byOutcome = Object.fromEntries(OUTCOME_CATEGORIES.map((c, i) => [c, counts[i]!])) as Record<
      OutcomeCategory,
      number
    >;
    return { period: '2020-Q1', requests: counts.reduce((a, b) => a + b, 0), byOutcome };
  });

describe('what a period of requests over time shows', () => {
  it('never lets a small count be worked out from what is shown', () => {
    fc.assert(
      fc.property(period, (p) => {
        const s = shownPeriod(p, BELOW);
        const declines = [...DECLINE_CATEGORIES].reduce((a, c) => a + p.byOutcome[c], 0);
        // shown figures are exact
        if (s.requests !== null) expect(s.requests).toBe(p.requests);
        if (s.declines !== null) expect(s.declines).toBe(declines);
        // a breakdown is shown only when no cell of it is small
        if (s.byOutcome) expect(Object.values(p.byOutcome).some(small)).toBe(false);
        // the total and the declines together give the rest: it must not be small
        if (s.requests !== null && s.declines !== null) expect(small(p.requests - declines)).toBe(false);
        expect(s.requests === null).toBe(small(p.requests));
      }),
      { numRuns: 2000 },
    );
  });

  it('shows everything when no count is small', () => {
    const byOutcome = Object.fromEntries(OUTCOME_CATEGORIES.map((c) => [c, 0])) as Record<
      OutcomeCategory,
      number
    >;
    byOutcome['open'] = 12;
    byOutcome[DECLINE_CATEGORIES.values().next().value!] = 6;
    const s = shownPeriod({ period: '2020', requests: 18, byOutcome }, BELOW);
    expect(s).toEqual({ period: '2020', requests: 18, declines: 6, byOutcome });
  });
});
