// A civil day is a calendar date in Vietnam counted as whole days since 1970-01-01. Whole numbers
// make the working-day arithmetic cheap (a set lookup and an increment per day) and keep it free of
// Date objects, whose local-time methods would depend on the machine's time zone.
import { pad2, VIETNAM_UTC_OFFSET_MINUTES, type LocalDate } from './vietnam-time.js';

export type CivilDay = number;

export const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;
const OFFSET_MS = VIETNAM_UTC_OFFSET_MINUTES * MS_PER_MINUTE;

/** Days of the week as JavaScript numbers them: 0 is Sunday (Chủ nhật), 6 is Saturday (thứ Bảy). */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The civil day in Vietnam that contains the instant (epoch milliseconds). */
export function civilDayOfInstant(epochMs: number): CivilDay {
  return Math.floor((epochMs + OFFSET_MS) / MS_PER_DAY);
}

/** Minutes since midnight in Vietnam at the instant, with fractions for seconds. */
export function minuteOfDayOfInstant(epochMs: number): number {
  const sinceMidnight = (epochMs + OFFSET_MS) - civilDayOfInstant(epochMs) * MS_PER_DAY;
  return sinceMidnight / MS_PER_MINUTE;
}

/** The instant (epoch milliseconds) at the given minute of a civil day in Vietnam. */
export function instantAt(day: CivilDay, minuteOfDay: number): number {
  return day * MS_PER_DAY - OFFSET_MS + Math.round(minuteOfDay * MS_PER_MINUTE);
}

export function civilDayOf(date: LocalDate): CivilDay {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

export function localDateOf(day: CivilDay): LocalDate {
  const utc = new Date(day * MS_PER_DAY);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; throws on anything that is not a real date. */
export function civilDayFromIso(iso: string): CivilDay {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`"${iso}" is not a date in the form YYYY-MM-DD`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const day = civilDayOf(date);
  const back = localDateOf(day);
  if (back.month !== date.month || back.day !== date.day) throw new RangeError(`"${iso}" is not a calendar date`);
  return day;
}

export function isoOfCivilDay(day: CivilDay): string {
  const date = localDateOf(day);
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

export function weekdayOf(day: CivilDay): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7]!;
}

/**
 * An instant written in Vietnam's offset, `2026-02-23T08:37:00+07:00`: what a reception officer reads
 * on a receipt, and still an unambiguous ISO 8601 instant for machines.
 */
export function formatVietnamInstant(epochMs: number): string {
  // Whole seconds, rounded before splitting so 59.6 s carries into the minute instead of printing 60.
  const rounded = Math.round(epochMs / 1000) * 1000;
  const day = civilDayOfInstant(rounded);
  const secondOfDay = Math.round(minuteOfDayOfInstant(rounded) * 60);
  const wholeMinutes = Math.floor(secondOfDay / 60);
  const seconds = secondOfDay % 60;
  return `${isoOfCivilDay(day)}T${pad2(Math.floor(wholeMinutes / 60))}:${pad2(wholeMinutes % 60)}:${pad2(seconds)}+07:00`;
}

/** Parses an ISO 8601 instant that names its offset (`Z` or `+07:00`); local times are refused. */
export function parseInstant(iso: string): number {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new RangeError(`"${iso}" has no UTC offset; write it as 2026-02-23T08:37:00+07:00`);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not an ISO 8601 instant`);
  return ms;
}

/** `HH:MM` on a 24-hour clock → minutes since midnight. */
export function minuteOfDayFromClock(clock: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new RangeError(`"${clock}" is not a time of day in the form HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function clockOfMinuteOfDay(minuteOfDay: number): string {
  const whole = Math.floor(minuteOfDay);
  return `${pad2(Math.floor(whole / 60))}:${pad2(whole % 60)}`;
}
