/**
 * What one period of "requests and outcomes over time" may show. Hiding a small count alone is not
 * enough when the total and the other cells are shown: the hidden cell is their difference. So a
 * period with any outcome count from 1 to `below − 1` shows no breakdown at all, and the declines
 * total (drawn in the chart) is withheld when it, or the rest of the requests it leaves, is small.
 */
import { DECLINE_CATEGORIES, type OutcomeCategory } from '../ledger/outcome.ts';
import type { OutcomePeriod } from './outcomes-over-time.ts';

export interface ShownPeriod {
  period: string;
  /** requests issued: exact, or null when small (shown `<below`) */
  requests: number | null;
  /** requests that ended in a decline: exact, or null when it would tell a small count */
  declines: number | null;
  /** each outcome's count, or null for every category when the breakdown is withheld */
  byOutcome: Record<OutcomeCategory, number> | null;
}

export function shownPeriod(p: OutcomePeriod, below: number): ShownPeriod {
  const small = (n: number): boolean => n > 0 && n < below;
  const declines = [...DECLINE_CATEGORIES].reduce((a, c) => a + p.byOutcome[c], 0);
  const rest = p.requests - declines;
  const breakdownShown = !Object.values(p.byOutcome).some(small);
  return {
    period: p.period,
    requests: small(p.requests) ? null : p.requests,
    // with the total shown exactly, the declines give away the rest of the requests too
    declines: small(declines) || (!small(p.requests) && small(rest)) ? null : declines,
    byOutcome: breakdownShown ? p.byOutcome : null,
  };
}
