/**
 * Federal holidays (5 U.S.C. §6103), computed rather than listed, and the business-hour clock
 * that 8 C.F.R. §287.7(d) uses ("excluding Saturdays, Sundays, and holidays").
 */

const cache = new Map<number, ReadonlySet<number>>();

/** YYYYMMDD of the n-th `weekday` (0 = Sunday) of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
    const day = 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
    return y * 10000 + m * 100 + day;
  }
  const lastDay = new Date(Date.UTC(y, m, 0));
  const day = lastDay.getUTCDate() - ((lastDay.getUTCDay() - weekday + 7) % 7);
  return y * 10000 + m * 100 + day;
}

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
function observed(y: number, m: number, d: number): number {
  const t = new Date(Date.UTC(y, m - 1, d));
  const wd = t.getUTCDay();
  if (wd === 6) t.setUTCDate(d - 1);
  else if (wd === 0) t.setUTCDate(d + 1);
  return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
}

/** Observed federal holidays falling in calendar year `y`, as YYYYMMDD numbers. */
export function federalHolidays(y: number): ReadonlySet<number> {
  const hit = cache.get(y);
  if (hit) return hit;
  const days: number[] = [];
  for (const yy of [y, y + 1]) {
    days.push(observed(yy, 1, 1)); // New Year's Day (observed may fall on Dec 31 of the year before)
  }
  if (y >= 1986) days.push(nthWeekday(y, 1, 1, 3)); // Birthday of Martin Luther King, Jr.
  days.push(y >= 1971 ? nthWeekday(y, 2, 1, 3) : observed(y, 2, 22)); // Washington's Birthday
  days.push(y >= 1971 ? nthWeekday(y, 5, 1, -1) : observed(y, 5, 30)); // Memorial Day
  if (y >= 2021) days.push(observed(y, 6, 19)); // Juneteenth National Independence Day
  days.push(observed(y, 7, 4)); // Independence Day
  days.push(nthWeekday(y, 9, 1, 1)); // Labor Day
  days.push(y >= 1971 ? nthWeekday(y, 10, 1, 2) : observed(y, 10, 12)); // Columbus Day
  days.push(y >= 1971 && y <= 1977 ? nthWeekday(y, 10, 1, 4) : observed(y, 11, 11)); // Veterans Day
  days.push(nthWeekday(y, 11, 4, 4)); // Thanksgiving Day
  days.push(observed(y, 12, 25)); // Christmas Day
  const set = new Set(days.filter((d) => Math.floor(d / 10000) === y));
  cache.set(y, set);
  return set;
}

export function isFederalHoliday(yyyymmdd: number): boolean {
  return federalHolidays(Math.floor(yyyymmdd / 10000)).has(yyyymmdd);
}

const DAY = 86_400_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The wall-clock time `hours` after `start`, not counting Saturdays, Sundays or federal holidays.
 * Works on the local wall clock the start is written in and keeps its offset; a daylight-saving
 * change inside the window is not corrected for.
 */
export function addHoursExcluding(
  start: string,
  hours: number,
  excluding: { weekends: boolean; holidays: boolean },
): string {
  const m = LOCAL.exec(start);
  if (!m) throw new Error(`not a local date-time: \`${start}\``);
  let t = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  let remaining = hours * 3_600_000;
  while (remaining > 0) {
    const d = new Date(t);
    const wd = d.getUTCDay();
    const ymd = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    const nextMidnight = Math.floor(t / DAY) * DAY + DAY;
    const skip =
      (excluding.weekends && (wd === 0 || wd === 6)) || (excluding.holidays && isFederalHoliday(ymd));
    if (skip) {
      t = nextMidnight;
      continue;
    }
    const step = Math.min(remaining, nextMidnight - t);
    t += step;
    remaining -= step;
  }
  return new Date(t).toISOString().slice(0, 16) + (m[7] ?? '');
}
