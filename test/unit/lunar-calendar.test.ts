import { describe, expect, it } from 'vitest';
import { civilDayFromIso, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { civilDayOfLunarDate, lunarDateOf, lunarNewYearDay } from '../../domain/calendar/lunar-calendar.js';

// Mùng 1 Tết as celebrated in Vietnam, 2000–2030 (the published Vietnamese almanacs; the years where
// China's date differs are noted beside the test below).
const VIETNAMESE_TET: Record<number, string> = {
  2000: '2000-02-05', 2001: '2001-01-24', 2002: '2002-02-12', 2003: '2003-02-01', 2004: '2004-01-22',
  2005: '2005-02-09', 2006: '2006-01-29', 2007: '2007-02-17', 2008: '2008-02-07', 2009: '2009-01-26',
  2010: '2010-02-14', 2011: '2011-02-03', 2012: '2012-01-23', 2013: '2013-02-10', 2014: '2014-01-31',
  2015: '2015-02-19', 2016: '2016-02-08', 2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05',
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-02',
};

describe('the Vietnamese lunar calendar', () => {
  it.each(Object.entries(VIETNAMESE_TET))('puts Tết %s on %s', (year, date) => {
    expect(isoOfCivilDay(lunarNewYearDay(Number(year)))).toBe(date);
  });

  it('reckons at UTC+7, so it differs from the Chinese calendar (UTC+8) where a new moon falls in the last hour of a day', () => {
    // Tết 2007: 17 February in Vietnam, 18 February in China; 2030: 2 and 3 February.
    expect(isoOfCivilDay(lunarNewYearDay(2007))).toBe('2007-02-17');
    expect(isoOfCivilDay(lunarNewYearDay(2007, 8))).toBe('2007-02-18');
    expect(isoOfCivilDay(lunarNewYearDay(2030, 8))).toBe('2030-02-03');
    // 1985: a different leap month put the two calendars' Tết a month apart.
    expect(isoOfCivilDay(lunarNewYearDay(1985))).toBe('1985-01-21');
    expect(isoOfCivilDay(lunarNewYearDay(1985, 8))).toBe('1985-02-20');
  });

  it.each([
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('puts the Hùng Kings’ day (10th of the 3rd lunar month) of %i on %s', (year, date) => {
    expect(isoOfCivilDay(civilDayOfLunarDate({ year, month: 3, day: 10, leap: false }))).toBe(date);
  });

  it('knows leap months: 2023 repeated the 2nd month', () => {
    expect(lunarDateOf(civilDayFromIso('2023-03-22'))).toEqual({ year: 2023, month: 2, day: 1, leap: true });
    expect(isoOfCivilDay(civilDayOfLunarDate({ year: 2023, month: 2, day: 1, leap: true }))).toBe('2023-03-22');
    expect(() => civilDayOfLunarDate({ year: 2024, month: 2, day: 1, leap: true })).toThrow(/no leap month/);
  });

  it('refuses a day past the end of a lunar month', () => {
    // The last month of the year Ất Tỵ (2025) had 29 days: Tết 2026 followed its 29th.
    expect(lunarDateOf(civilDayFromIso('2026-02-16'))).toEqual({ year: 2025, month: 12, day: 29, leap: false });
    expect(() => civilDayOfLunarDate({ year: 2025, month: 12, day: 30, leap: false })).toThrow(/has no day 30/);
  });

  it('converts every day of 1990–2040 to a lunar date and back to the same day', () => {
    for (let day = civilDayFromIso('1990-01-01'); day <= civilDayFromIso('2040-12-31'); day += 1) {
      const lunar = lunarDateOf(day);
      if (civilDayOfLunarDate(lunar) !== day) throw new Error(`${isoOfCivilDay(day)} → ${JSON.stringify(lunar)} does not come back`);
    }
  });
});

describe('months that begin right after a mean-lunation estimate', () => {
  it.each([['2054-05-07', 2054, 3], ['2062-04-09', 2062, 2]])('%s is day 30 of a month, never day 0', (date, year, month) => {
    expect(lunarDateOf(civilDayFromIso(date))).toEqual({ year, month, day: 30, leap: false });
  });
});
