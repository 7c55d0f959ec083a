/** Report periods: the DDOR's Saturday-to-Friday week, or any range of days. */
import type { ReportPeriod } from './types.ts';

export type PeriodInput = { week: string } | { from: string; to: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** true for a real calendar date written `YYYY-MM-DD` */
export function isIsoDate(value: string): boolean {
  const m = ISO.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Saturday that starts the Saturday-to-Friday week holding `iso`. */
export function weekStart(iso: string): string {
  const day = new Date(iso + 'T00:00:00Z').getUTCDay(); // Sunday 0 … Saturday 6
  return addDays(iso, -((day + 1) % 7));
}

export function resolvePeriod(input: PeriodInput): ReportPeriod {
  if ('week' in input) {
    if (!isIsoDate(input.week)) throw new RangeError(`week: \`${input.week}\` is not a date YYYY-MM-DD`);
    const from = weekStart(input.week);
    return { from, to: addDays(from, 6), basis: 'week' };
  }
  for (const [k, v] of [
    ['from', input.from],
    ['to', input.to],
  ] as const)
    if (!isIsoDate(v)) throw new RangeError(`${k}: \`${v}\` is not a date YYYY-MM-DD`);
  if (input.from > input.to) throw new RangeError(`from ${input.from} is after to ${input.to}`);
  const from = input.from;
  const to = input.to;
  // a range that is exactly one DDOR week is reported as that week
  const basis = weekStart(from) === from && addDays(from, 6) === to ? 'week' : 'range';
  return { from, to, basis };
}

/** The day after `to`: events carry dates or date-times, so a period is `from <= date < dayAfter(to)`. */
export function dayAfter(to: string): string {
  return addDays(to, 1);
}
