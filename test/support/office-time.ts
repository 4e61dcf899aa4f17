// Office time reckoned by hand, for the tests that move the workflow's clock across Tết
// (test/integration/timers-across-tet.test.ts): an independent count of what
// domain/calendar/working-calendar.ts and domain/clock/ compute, from nothing but a list of days off,
// the civil-service week and the default office hours, so that a test never checks the legal clock
// against itself. Plain loops over days and sessions, written to be read, not to be fast.

/** Default office hours (domain/calendar/working-calendar.ts): 07:30–11:30 and 13:30–17:00, in minutes of the day. */
const SESSIONS: readonly (readonly [number, number])[] = [
  [7 * 60 + 30, 11 * 60 + 30],
  [13 * 60 + 30, 17 * 60],
];
/** Office minutes in a working day: 240 + 210. */
export const OFFICE_MINUTES_PER_DAY = 450;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const VIETNAM_OFFSET = 7 * 60 * MINUTE;

/** A civil-service year's days as a calendar lists them: days given off, and Saturdays worked instead. */
export interface CivilServiceDays {
  /** Working days given off (holidays, compensatory and swapped days), as YYYY-MM-DD. */
  readonly daysOff: ReadonlySet<string>;
  /** Saturdays (or Sundays) worked in exchange for a swapped day, as YYYY-MM-DD. */
  readonly makeUpDays: ReadonlySet<string>;
}

/** From a calendar's table of marked days (HolidayCalendar.marksOfYear): only its data is used. */
export function civilServiceDays(marks: readonly { date: string; mark: { kind: string } }[]): CivilServiceDays {
  return {
    daysOff: new Set(marks.filter(({ mark }) => mark.kind !== 'make-up-working-day').map(({ date }) => date)),
    makeUpDays: new Set(marks.filter(({ mark }) => mark.kind === 'make-up-working-day').map(({ date }) => date)),
  };
}

/** Vietnam's local date of a day's midnight (UTC+7, no daylight saving). */
function dateOf(midnight: number): string {
  return new Date(midnight + VIETNAM_OFFSET).toISOString().slice(0, 10);
}

function midnightOf(instant: number): number {
  return Math.floor((instant + VIETNAM_OFFSET) / DAY) * DAY - VIETNAM_OFFSET;
}

export function isWorkingDay(days: CivilServiceDays, date: string): boolean {
  if (days.makeUpDays.has(date)) return true;
  if (days.daysOff.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The instant `minutes` office minutes after `from`; never lands on a session's end when it could be the next one's start. */
export function addOfficeMinutes(days: CivilServiceDays, from: number, minutes: number): number {
  let left = minutes;
  for (let midnight = midnightOf(from), guard = 0; guard < 400; midnight += DAY, guard += 1) {
    if (!isWorkingDay(days, dateOf(midnight))) continue;
    for (const [open, close] of SESSIONS) {
      const start = Math.max(from, midnight + open * MINUTE);
      const end = midnight + close * MINUTE;
      if (start >= end) continue;
      const available = (end - start) / MINUTE;
      if (left < available) return start + left * MINUTE;
      left -= available;
    }
  }
  throw new Error('no office time within 400 days');
}

/** Office minutes between two instants. */
export function officeMinutesBetween(days: CivilServiceDays, from: number, to: number): number {
  let minutes = 0;
  for (let midnight = midnightOf(from); midnight < to; midnight += DAY) {
    if (!isWorkingDay(days, dateOf(midnight))) continue;
    for (const [open, close] of SESSIONS) {
      const start = Math.max(from, midnight + open * MINUTE);
      const end = Math.min(to, midnight + close * MINUTE);
      if (end > start) minutes += (end - start) / MINUTE;
    }
  }
  return minutes;
}

/** The last working day before a date. */
export function workingDayBefore(days: CivilServiceDays, date: string): string {
  let midnight = Date.parse(`${date}T00:00:00+07:00`) - DAY;
  while (!isWorkingDay(days, dateOf(midnight))) midnight -= DAY;
  return dateOf(midnight);
}

/** `2027-02-03 09:00` read as Vietnam time. */
export function vietnamInstant(local: string): number {
  return Date.parse(`${local.replace(' ', 'T')}:00+07:00`);
}

/** An instant as Vietnam's `YYYY-MM-DD HH:MM` (seconds dropped), as a receipt prints it. */
export function vietnamMinute(instant: number): string {
  return new Date(instant + VIETNAM_OFFSET).toISOString().slice(0, 16).replace('T', ' ');
}

/** To the whole second, as the engine records due times. */
export function wholeSecond(instant: number): number {
  return Math.round(instant / 1000) * 1000;
}
