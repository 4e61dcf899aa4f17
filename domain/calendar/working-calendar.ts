// An agency's working calendar: the holiday calendar version in force, the agency's weekly rest days
// and its office hours. Working time runs only inside office hours on working days; everything the
// legal clock measures in working days or hours is measured here, in minutes of office time.
import {
  civilDayOf,
  civilDayOfInstant,
  localDateOf,
  clockOfMinuteOfDay,
  instantAt,
  minuteOfDayFromClock,
  minuteOfDayOfInstant,
  weekdayOf,
  WEEKDAYS,
  type CivilDay,
  type Weekday,
} from './civil-day.js';
import type { DayMark, DayOffKind, HolidayMarks } from './holiday-calendar.js';

// The schedule's shapes; the schemas live in calendar-schemas.ts (see there why).
export type { AgencySchedule, AgencyScheduleInput, OfficeHours } from './calendar-schemas.js';
import type { AgencySchedule, AgencyScheduleInput, OfficeHours } from './calendar-schemas.js';

/** Office hours common in provincial centres: 07:30–11:30 and 13:30–17:00, Monday to Friday. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  { from: '07:30', to: '11:30' },
  { from: '13:30', to: '17:00' },
];
export const DEFAULT_WEEKLY_REST_DAYS: readonly Weekday[] = ['saturday', 'sunday'];

/**
 * A schedule with its defaults filled in, as `agencyScheduleSchema` gives it, without validating
 * (a unit test holds the two together). Schedules from the catalogue are validated when loaded.
 */
export function completeSchedule(schedule: AgencyScheduleInput | AgencySchedule = {}): AgencySchedule {
  return { weeklyRestDays: [...(schedule.weeklyRestDays ?? DEFAULT_WEEKLY_REST_DAYS)], officeHours: schedule.officeHours ?? DEFAULT_OFFICE_HOURS };
}

export type DayStatus =
  | { readonly working: true; readonly makeUp?: DayMark }
  | { readonly working: false; readonly reason: 'weekly-rest' | DayOffKind; readonly mark?: DayMark };

/** Which side of a session boundary an office-time offset lands on: 11:30 (`end`) or 13:30 (`start`). */
export type Boundary = 'start' | 'end';

/** A millionth of a minute: below any instant's precision, above floating-point noise. */
const EPSILON_MINUTES = 1e-6;

interface YearTable {
  readonly first: CivilDay;
  /** 1 for a working day, by day of the year. */
  readonly working: Uint8Array;
  /** Working days of the year before each index (length + 1 entries). */
  readonly before: Int32Array;
}

interface Session {
  readonly from: number;
  readonly to: number;
  /** Office minutes of the day before this session begins. */
  readonly before: number;
}

export class WorkingCalendar {
  readonly #sessions: readonly Session[];
  readonly #restDays: ReadonlySet<Weekday>;
  readonly #yearTables = new Map<number, YearTable>();
  #lastYear: YearTable | undefined;
  /** Office minutes in one working day (e.g. 450 for 07:30–11:30 and 13:30–17:00). */
  readonly minutesPerDay: number;
  readonly opensAt: number;
  readonly closesAt: number;

  readonly holidays: HolidayMarks;

  constructor(
    holidays: HolidayMarks,
    readonly schedule: AgencySchedule,
  ) {
    this.holidays = holidays.forWeek(schedule.weeklyRestDays);
    let before = 0;
    this.#sessions = schedule.officeHours.map(({ from, to }) => {
      const session = { from: minuteOfDayFromClock(from), to: minuteOfDayFromClock(to), before };
      before += session.to - session.from;
      return session;
    });
    this.minutesPerDay = before;
    this.opensAt = this.#sessions[0]!.from;
    this.closesAt = this.#sessions[this.#sessions.length - 1]!.to;
    this.#restDays = new Set(schedule.weeklyRestDays);
  }

  /** The holiday calendar version behind every answer, e.g. `vn-civil-service@2025.1`. */
  get versionId(): string {
    return this.holidays.versionId;
  }

  statusOf(day: CivilDay): DayStatus {
    const mark = this.holidays.markOf(day);
    if (mark?.kind === 'make-up-working-day') return { working: true, makeUp: mark };
    if (mark) return { working: false, reason: mark.kind, mark };
    if (this.#restDays.has(weekdayOf(day))) return { working: false, reason: 'weekly-rest' };
    return { working: true };
  }

  isWorkingDay(day: CivilDay): boolean {
    const year = this.#yearContaining(day);
    return year.working[day - year.first] === 1;
  }

  /** The first working day strictly after `day`. */
  nextWorkingDay(day: CivilDay): CivilDay {
    let next = day + 1;
    // A year has at most a few dozen days off in a row; a calendar with no working day at all is a
    // configuration error that must not hang the workflow.
    for (let guard = 0; !this.isWorkingDay(next); guard += 1) {
      if (guard > 366) throw new RangeError(`calendar ${this.versionId} has no working day within a year after day ${day}`);
      next += 1;
    }
    return next;
  }

  /** Working days in [fromDay, toDay): two table lookups per year spanned. */
  workingDaysInRange(fromDay: CivilDay, toDay: CivilDay): number {
    let count = 0;
    let day = fromDay;
    while (day < toDay) {
      const year = this.#yearContaining(day);
      const end = Math.min(toDay, year.first + year.working.length);
      count += year.before[end - year.first]! - year.before[day - year.first]!;
      day = end;
    }
    return count;
  }

  /**
   * Working-day flags per year, computed once per calendar: the working-time arithmetic asks about
   * every day it crosses, and a flag lookup is what keeps a 100-day due date in microseconds.
   */
  #yearContaining(day: CivilDay): YearTable {
    const cached = this.#lastYear;
    if (cached && day >= cached.first && day < cached.first + cached.working.length) return cached;
    const yearNumber = localDateOf(day).year;
    let table = this.#yearTables.get(yearNumber);
    if (!table) {
      const first = civilDayOf({ year: yearNumber, month: 1, day: 1 });
      const length = civilDayOf({ year: yearNumber + 1, month: 1, day: 1 }) - first;
      const working = new Uint8Array(length);
      const before = new Int32Array(length + 1);
      for (let index = 0; index < length; index += 1) {
        working[index] = this.statusOf(first + index).working ? 1 : 0;
        before[index + 1] = before[index]! + working[index]!;
      }
      table = { first, working, before };
      this.#yearTables.set(yearNumber, table);
    }
    this.#lastYear = table;
    return table;
  }

  /** Office minutes of the day before a time of day; lunch and after-hours add nothing. */
  officeMinutesBefore(minuteOfDay: number): number {
    let offset = 0;
    for (const session of this.#sessions) {
      if (minuteOfDay <= session.from) return offset;
      if (minuteOfDay < session.to) return offset + (minuteOfDay - session.from);
      offset = session.before + (session.to - session.from);
    }
    return offset;
  }

  /** The time of day at which `offset` office minutes of the day have passed. */
  clockAtOffset(offset: number, boundary: Boundary): number {
    for (const session of this.#sessions) {
      const length = session.to - session.from;
      if (offset < session.before + length || (boundary === 'end' && offset === session.before + length)) {
        return session.from + Math.max(0, offset - session.before);
      }
    }
    return this.closesAt;
  }

  /** True when the instant is inside office hours (sessions half-open: 11:30 and 17:00 are outside). */
  isOfficeTime(epochMs: number): boolean {
    if (!this.isWorkingDay(civilDayOfInstant(epochMs))) return false;
    const minute = minuteOfDayOfInstant(epochMs);
    return this.#sessions.some((session) => minute >= session.from && minute < session.to);
  }

  /** True when the instant is inside office hours or exactly at the end of a session. */
  isOfficeTimeOrSessionEnd(epochMs: number): boolean {
    if (!this.isWorkingDay(civilDayOfInstant(epochMs))) return false;
    const minute = minuteOfDayOfInstant(epochMs);
    return this.#sessions.some((session) => minute >= session.from && minute <= session.to);
  }

  /** The instant itself when it is office time, otherwise the next moment office time begins. */
  nextOfficeMoment(epochMs: number): number {
    const point = this.#pointOf(epochMs);
    return instantAt(point.day, this.clockAtOffset(point.offset, 'start'));
  }

  /** The opening of the first working day strictly after the instant's day. */
  openingOfNextWorkingDay(epochMs: number): number {
    return instantAt(this.nextWorkingDay(civilDayOfInstant(epochMs)), this.opensAt);
  }

  openingOf(day: CivilDay): number {
    return instantAt(day, this.opensAt);
  }

  closingOf(day: CivilDay): number {
    return instantAt(day, this.closesAt);
  }

  /**
   * The instant `minutes` of office time after `fromMs`. When the answer lies exactly on a session
   * boundary, `end` gives the earlier instant (11:30, 17:00) and `start` the later one (13:30, next
   * morning's opening): due dates counted in days keep their clock time with `start`.
   */
  addWorkingMinutes(fromMs: number, minutes: number, boundary: Boundary): number {
    let { day, offset } = this.#pointOf(fromMs);
    let remaining = minutes;
    for (;;) {
      const available = this.minutesPerDay - offset;
      // Instants with seconds make fractional minutes; a sum that lands a hair off a session end
      // must still land on it, not on the next morning.
      if (Math.abs(remaining - available) <= EPSILON_MINUTES) {
        if (boundary === 'end') return instantAt(day, this.closesAt);
        return instantAt(this.nextWorkingDay(day), this.opensAt);
      }
      if (remaining < available) {
        const landing = offset + remaining;
        const atSessionEnd = this.#sessions.find((session) => Math.abs(landing - (session.before + session.to - session.from)) <= EPSILON_MINUTES);
        if (atSessionEnd) return instantAt(day, this.clockAtOffset(atSessionEnd.before + atSessionEnd.to - atSessionEnd.from, boundary));
        return instantAt(day, this.clockAtOffset(landing, boundary));
      }
      remaining -= available;
      day = this.nextWorkingDay(day);
      offset = 0;
    }
  }

  /** Office minutes between two instants (zero when `toMs` is not after `fromMs`). */
  workingMinutesBetween(fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    const from = this.#pointOf(fromMs);
    const to = this.#pointOf(toMs);
    if (to.day === from.day) return Math.max(0, to.offset - from.offset);
    return this.minutesPerDay - from.offset + to.offset + this.minutesPerDay * this.workingDaysInRange(from.day + 1, to.day);
  }

  /** Office minutes of one day that fall inside [fromMs, toMs). */
  officeMinutesOfDayWithin(day: CivilDay, fromMs: number, toMs: number): number {
    if (!this.isWorkingDay(day)) return 0;
    let minutes = 0;
    for (const session of this.#sessions) {
      const start = Math.max(instantAt(day, session.from), fromMs);
      const end = Math.min(instantAt(day, session.to), toMs);
      if (end > start) minutes += (end - start) / 60_000;
    }
    return minutes;
  }

  /** Office hours of a day as text, `07:30–11:30, 13:30–17:00`, for explanations. */
  describeOfficeHours(): string {
    return this.#sessions.map((session) => `${clockOfMinuteOfDay(session.from)}–${clockOfMinuteOfDay(session.to)}`).join(', ');
  }

  /**
   * Where an instant sits on the working timeline: a working day and the office minutes of that day
   * already passed. Outside office time it is the next moment office time begins, so a point's
   * offset is always below a full day.
   */
  #pointOf(epochMs: number): { day: CivilDay; offset: number } {
    const day = civilDayOfInstant(epochMs);
    if (!this.isWorkingDay(day)) return { day: this.nextWorkingDay(day), offset: 0 };
    const offset = this.officeMinutesBefore(minuteOfDayOfInstant(epochMs));
    if (offset >= this.minutesPerDay) return { day: this.nextWorkingDay(day), offset: 0 };
    return { day, offset };
  }
}
