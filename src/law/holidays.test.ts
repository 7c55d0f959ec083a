import { describe, expect, it } from 'vitest';
import { addHoursExcluding, federalHolidays, isFederalHoliday } from './holidays.ts';

describe('federal holidays', () => {
  it('computes the 2019 and 2021 holidays, with observed days', () => {
    expect([...federalHolidays(2019)].sort()).toEqual([
      20190101, 20190121, 20190218, 20190527, 20190704, 20190902, 20191014, 20191111, 20191128, 20191225,
    ]);
    expect(isFederalHoliday(20210618)).toBe(true); // Juneteenth 2021 fell on a Saturday
    expect(isFederalHoliday(20201218)).toBe(false);
    expect(isFederalHoliday(20211231)).toBe(true); // New Year's Day 2022 is a Saturday
  });

  it('counts 48 hours skipping weekends and holidays', () => {
    const ex = { weekends: true, holidays: true };
    expect(addHoursExcluding('2019-03-08T18:00', 48, ex)).toBe('2019-03-12T18:00'); // Friday evening
    expect(addHoursExcluding('2019-12-24T10:00-08:00', 48, ex)).toBe('2019-12-27T10:00-08:00');
    expect(addHoursExcluding('2019-03-06T09:00', 48, { weekends: false, holidays: false })).toBe(
      '2019-03-08T09:00',
    );
  });
});
