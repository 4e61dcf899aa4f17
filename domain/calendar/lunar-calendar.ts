// The Vietnamese lunisolar calendar (âm lịch), needed for Tết and the Hùng Kings' day.
//
// Why not a library: the well-kept lunar libraries on npm implement the Chinese calendar, which is
// reckoned at UTC+8. Vietnam reckons at UTC+7 (since 1968), so a new moon that falls between 23:00
// and 24:00 Vietnam time starts the month a day earlier here: Tết 2007 was 17 February in Vietnam and
// 18 February in China, and in 1985 the two calendars were a whole month apart. The Vietnamese
// packages on npm are unmaintained 0.0.x releases. So we compute it, and the tests hold it to the
// known Tết dates of 2000–2030.
//
// The rules of the calendar:
//   1. A month begins on the civil day (at UTC+7) that contains the astronomical new moon.
//   2. The month containing the winter solstice is month 11.
//   3. When 13 new moons begin between two months 11, a leap month is inserted: the first month of
//      that span that contains no major solar term (trung khí, a multiple of 30° of solar longitude)
//      repeats the number of the month before it.
// New moons and solar longitude use the low-precision series of Jean Meeus, "Astronomical
// Algorithms" (ch. 25 and 49), accurate to minutes over the years the engine will ever see, which is
// the scheme Hồ Ngọc Đức documented for the Vietnamese calendar.
import { civilDayOf, localDateOf, type CivilDay } from './civil-day.js';

export const VIETNAM_TIME_ZONE_HOURS = 7;

export interface LunarDate {
  /** The lunar year, numbered as the solar year in which it mostly falls (Tết 2026 begins year 2026). */
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  /** 1 to 30. */
  readonly day: number;
  /** True for the repeated (leap) month, tháng nhuận. */
  readonly leap: boolean;
}

const DEGREE = Math.PI / 180;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1900-01-01 (13:52 UT), the origin of the lunation count. */
const LUNATION_ZERO = 2415021.076998695;
/** Julian day number of the civil day 1970-01-01. */
const JDN_OF_CIVIL_DAY_ZERO = 2440588;

/** Julian day (UT, fractional) of the new moon of lunation k (Meeus ch. 49, low precision). */
function newMoonJulianDay(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const sunAnomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const moonAnomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const latitudeArgument = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  const sin = (degrees: number): number => Math.sin(degrees * DEGREE);

  const meanNewMoon =
    2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3 +
    0.00033 * sin(166.56 + 132.87 * t - 0.009173 * t2);
  const correction =
    (0.1734 - 0.000393 * t) * sin(sunAnomaly) +
    0.0021 * sin(2 * sunAnomaly) -
    0.4068 * sin(moonAnomaly) +
    0.0161 * sin(2 * moonAnomaly) -
    0.0004 * sin(3 * moonAnomaly) +
    0.0104 * sin(2 * latitudeArgument) -
    0.0051 * sin(sunAnomaly + moonAnomaly) -
    0.0074 * sin(sunAnomaly - moonAnomaly) +
    0.0004 * sin(2 * latitudeArgument + sunAnomaly) -
    0.0004 * sin(2 * latitudeArgument - sunAnomaly) -
    0.0006 * sin(2 * latitudeArgument + moonAnomaly) +
    0.001 * sin(2 * latitudeArgument - moonAnomaly) +
    0.0005 * sin(sunAnomaly + 2 * moonAnomaly);
  // ΔT (terrestrial minus universal time), in days.
  const deltaT = t < -11
    ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return meanNewMoon + correction - deltaT;
}

/** Julian day number of the local civil day that contains the new moon of lunation k. */
function newMoonDay(k: number, timeZoneHours: number): number {
  return Math.floor(newMoonJulianDay(k) + 0.5 + timeZoneHours / 24);
}

/** The sun's apparent longitude in radians, 0 to 2π, at a Julian day (Meeus ch. 25, low precision). */
function sunLongitude(julianDay: number): number {
  const t = (julianDay - 2451545.0) / 36525;
  const t2 = t * t;
  const meanAnomaly = 357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  const centre =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly * DEGREE) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly * DEGREE) +
    0.00029 * Math.sin(3 * meanAnomaly * DEGREE);
  const longitude = (meanLongitude + centre) * DEGREE;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

/**
 * Which 30° sector (0 to 11) the sun is in at the start of a local civil day. Sector 9 begins at the
 * winter solstice (270°). A month that starts and ends in the same sector contains no major term.
 */
function solarSectorAtStartOf(julianDayNumber: number, timeZoneHours: number): number {
  return Math.floor((sunLongitude(julianDayNumber - 0.5 - timeZoneHours / 24) / Math.PI) * 6);
}

function lunationBefore(julianDayNumber: number): number {
  return Math.floor((julianDayNumber - LUNATION_ZERO) / SYNODIC_MONTH);
}

/** Julian day number of the first day of lunar month 11, the one holding the winter solstice of `year`. */
function month11Start(year: number, timeZoneHours: number): number {
  const lastDayOfYear = civilDayOf({ year, month: 12, day: 31 }) + JDN_OF_CIVIL_DAY_ZERO;
  const k = lunationBefore(lastDayOfYear);
  const start = newMoonDay(k, timeZoneHours);
  // If the sun has already passed 270° when this month begins, the solstice fell in the month before.
  return solarSectorAtStartOf(start, timeZoneHours) >= 9 ? newMoonDay(k - 1, timeZoneHours) : start;
}

/**
 * In a 13-month span that begins with month 11 at `month11`, the offset (1 to 12) of the leap month:
 * the first month after which the sun is still in the same sector, i.e. that holds no major term.
 */
function leapMonthOffset(month11: number, timeZoneHours: number): number {
  const k = Math.floor((month11 - LUNATION_ZERO) / SYNODIC_MONTH + 0.5);
  let offset = 1;
  let sector = solarSectorAtStartOf(newMoonDay(k + offset, timeZoneHours), timeZoneHours);
  let previous: number;
  do {
    previous = sector;
    offset += 1;
    sector = solarSectorAtStartOf(newMoonDay(k + offset, timeZoneHours), timeZoneHours);
  } while (sector !== previous && offset < 14);
  return offset - 1;
}

/** The lunar date of a civil day, reckoned at UTC+7 unless another zone is named (for comparisons). */
export function lunarDateOf(day: CivilDay, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): LunarDate {
  const jdn = day + JDN_OF_CIVIL_DAY_ZERO;
  const solarYear = localDateOf(day).year;
  const k = lunationBefore(jdn);
  // The mean-lunation estimate can be a month ahead near a new moon: step back until the month
  // found starts on or before the day.
  let monthStart = newMoonDay(k + 1, timeZoneHours);
  for (let back = k; monthStart > jdn; back -= 1) monthStart = newMoonDay(back, timeZoneHours);

  let startOfSpan = month11Start(solarYear, timeZoneHours);
  let endOfSpan = startOfSpan;
  let lunarYear: number;
  if (startOfSpan >= monthStart) {
    lunarYear = solarYear;
    startOfSpan = month11Start(solarYear - 1, timeZoneHours);
  } else {
    lunarYear = solarYear + 1;
    endOfSpan = month11Start(solarYear + 1, timeZoneHours);
  }
  const monthsSince11 = Math.floor((monthStart - startOfSpan) / 29);
  let month = monthsSince11 + 11;
  let leap = false;
  if (endOfSpan - startOfSpan > 365) {
    const leapOffset = leapMonthOffset(startOfSpan, timeZoneHours);
    if (monthsSince11 >= leapOffset) {
      month = monthsSince11 + 10;
      leap = monthsSince11 === leapOffset;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && monthsSince11 < 4) lunarYear -= 1;
  return { year: lunarYear, month, day: jdn - monthStart + 1, leap };
}

/**
 * The civil day of a lunar date. Throws for a leap month that the year does not have, and for a day
 * past the end of its month (a 29-day month has no day 30).
 */
export function civilDayOfLunarDate(date: LunarDate, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): CivilDay {
  const [startOfSpan, endOfSpan] = date.month < 11
    ? [month11Start(date.year - 1, timeZoneHours), month11Start(date.year, timeZoneHours)]
    : [month11Start(date.year, timeZoneHours), month11Start(date.year + 1, timeZoneHours)];
  const k = Math.floor(0.5 + (startOfSpan - LUNATION_ZERO) / SYNODIC_MONTH);
  let offset = (date.month - 11 + 12) % 12;
  if (endOfSpan - startOfSpan > 365) {
    const leapOffset = leapMonthOffset(startOfSpan, timeZoneHours);
    // The leap month repeats the number of the month before it (offset 2 after month 11 is a leap 12).
    const leapMonth = (leapOffset - 2 + 12) % 12 || 12;
    if (date.leap && date.month !== leapMonth) {
      throw new RangeError(`lunar year ${date.year} has no leap month ${date.month}`);
    }
    if (date.leap || offset >= leapOffset) offset += 1;
  } else if (date.leap) {
    throw new RangeError(`lunar year ${date.year} has no leap month`);
  }
  const monthStart = newMoonDay(k + offset, timeZoneHours);
  const nextMonthStart = newMoonDay(k + offset + 1, timeZoneHours);
  if (date.day < 1 || monthStart + date.day - 1 >= nextMonthStart) {
    throw new RangeError(`lunar month ${date.month}${date.leap ? ' (leap)' : ''} of ${date.year} has no day ${date.day}`);
  }
  return monthStart + date.day - 1 - JDN_OF_CIVIL_DAY_ZERO;
}

/** The first day of the lunar year (mùng 1 Tết) that begins in solar year `year`. */
export function lunarNewYearDay(year: number, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): CivilDay {
  return civilDayOfLunarDate({ year, month: 1, day: 1, leap: false }, timeZoneHours);
}
