// Running time on a clock's timeline: where the count begins, how far a budget of minutes reaches
// past the pauses, and where the rules let a due time fall. The arithmetic the model (./clock-model.ts)
// and the explanations are built on.
import { civilDayOfInstant, instantAt, minuteOfDayFromClock, minuteOfDayOfInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Budget, ClockRules, PauseReason } from './clock-rules.js';

const MS_PER_MINUTE = 60_000;
const CALENDAR_MINUTES_PER_DAY = 24 * 60;

/** Why the count began later than the acceptance instant. */
export type StartAdjustment =
  | { readonly reason: 'after-cut-off'; readonly cutOff: string }
  | { readonly reason: 'outside-office-hours'; readonly officeHours: string }
  | { readonly reason: 'non-working-day' }
  | { readonly reason: 'first-day-not-counted' };

export interface Interval {
  readonly from: number;
  /** Null while open. */
  readonly to: number | null;
  readonly reason: PauseReason;
  readonly reference?: string;
}

/** Running time and its inverse, in the unit the budget is counted in. */
export interface Timeline {
  readonly kind: 'working' | 'calendar';
  readonly minutesPerDay: number;
  between(fromMs: number, toMs: number): number;
  add(fromMs: number, minutes: number): number;
}

export function timelineFor(calendar: WorkingCalendar, rules: ClockRules): Timeline {
  if (rules.budget.unit === 'calendar-days') {
    return {
      kind: 'calendar',
      minutesPerDay: CALENDAR_MINUTES_PER_DAY,
      between: (fromMs, toMs) => Math.max(0, (toMs - fromMs) / MS_PER_MINUTE),
      add: (fromMs, minutes) => fromMs + Math.round(minutes * MS_PER_MINUTE),
    };
  }
  // Days kept at the same clock time land on the later side of a session boundary (07:30 rather than
  // 17:00 the evening before); hours, same-day and end-of-day budgets end at the session's close.
  const boundary = rules.budget.unit === 'working-days' && rules.dueRule === 'same-clock-time' ? 'start' : 'end';
  return {
    kind: 'working',
    minutesPerDay: calendar.minutesPerDay,
    between: (fromMs, toMs) => calendar.workingMinutesBetween(fromMs, toMs),
    add: (fromMs, minutes) => calendar.addWorkingMinutes(fromMs, minutes, boundary),
  };
}

/** When the count begins for a clock started (or restarted) at `at`, and why that differs from `at`. */
export function countingStart(calendar: WorkingCalendar, rules: ClockRules, at: number): { countingFrom: number; adjustment: StartAdjustment | null } {
  const day = civilDayOfInstant(at);
  const dayUnits = rules.budget.unit === 'working-days' || rules.budget.unit === 'calendar-days';
  if (rules.dueRule === 'end-of-day' && dayUnits) {
    // Civil Code art. 147: a period in days begins on the day after the event.
    const countingFrom = rules.budget.unit === 'calendar-days' ? instantAt(day + 1, 0) : calendar.openingOf(calendar.nextWorkingDay(day));
    return { countingFrom, adjustment: { reason: 'first-day-not-counted' } };
  }
  if (!calendar.isWorkingDay(day)) return { countingFrom: calendar.nextOfficeMoment(at), adjustment: { reason: 'non-working-day' } };
  if (rules.receptionCutOff !== null && minuteOfDayOfInstant(at) > minuteOfDayFromClock(rules.receptionCutOff)) {
    return { countingFrom: calendar.openingOfNextWorkingDay(at), adjustment: { reason: 'after-cut-off', cutOff: rules.receptionCutOff } };
  }
  const countingFrom = calendar.nextOfficeMoment(at);
  return countingFrom === at
    ? { countingFrom, adjustment: null }
    : { countingFrom, adjustment: { reason: 'outside-office-hours', officeHours: calendar.describeOfficeHours() } };
}

/** The budget in minutes of the clock's time, for a count that begins at `countingFrom`. */
export function budgetMinutesFrom(calendar: WorkingCalendar, budget: Budget, countingFrom: number): number {
  switch (budget.unit) {
    case 'working-days':
      return budget.amount * calendar.minutesPerDay;
    case 'working-hours':
      return budget.amount * 60;
    case 'calendar-days':
      return budget.amount * CALENDAR_MINUTES_PER_DAY;
    case 'same-day':
      // What is left of the day the count begins in.
      return calendar.workingMinutesBetween(countingFrom, calendar.closingOf(civilDayOfInstant(countingFrom)));
  }
}

/** The instant the running time reaches `minutes`, given the pauses (an open one ends at `openUntil`). */
export function walk(timeline: Timeline, countingFrom: number, minutes: number, pauses: readonly Interval[], openUntil: number): number {
  let cursor = countingFrom;
  let remaining = minutes;
  for (const pause of pauses) {
    const pauseStart = Math.max(pause.from, cursor);
    const running = timeline.between(cursor, pauseStart);
    if (running >= remaining) return timeline.add(cursor, remaining);
    remaining -= running;
    cursor = Math.max(cursor, pause.to ?? openUntil);
  }
  return timeline.add(cursor, remaining);
}

/** Running time between `countingFrom` and `until`, pauses excluded (an open pause runs to `until`). */
export function runningBetween(timeline: Timeline, countingFrom: number, until: number, pauses: readonly Interval[]): number {
  let cursor = countingFrom;
  let total = 0;
  for (const pause of pauses) {
    if (pause.from >= until) break;
    total += timeline.between(cursor, Math.max(cursor, pause.from));
    cursor = Math.max(cursor, Math.min(pause.to ?? until, until));
  }
  return total + timeline.between(cursor, Math.max(cursor, until));
}

/** Moves a walked due time to where the rules say a due time may fall. */
export function settleDue(calendar: WorkingCalendar, rules: ClockRules, rawDue: number): number {
  if (rules.budget.unit === 'calendar-days') {
    if (rules.dueRule === 'end-of-day') {
      // Civil Code art. 148: the period ends with its last day, or the next working day if that is a day off.
      let day = civilDayOfInstant(rawDue - 1);
      if (!calendar.isWorkingDay(day)) day = calendar.nextWorkingDay(day);
      return calendar.closingOf(day);
    }
    let day = civilDayOfInstant(rawDue);
    if (calendar.isWorkingDay(day) && calendar.isOfficeTimeOrSessionEnd(rawDue)) return rawDue;
    // The last day, or the next working day if it is a day off, at the same clock time kept inside
    // office hours: before opening it is the opening, at lunch the afternoon session, after the
    // close the close (the last moment of that day the office can act).
    if (!calendar.isWorkingDay(day)) day = calendar.nextWorkingDay(day);
    const minute = minuteOfDayOfInstant(rawDue);
    if (minute >= calendar.closesAt) return calendar.closingOf(day);
    return calendar.nextOfficeMoment(instantAt(day, minute));
  }
  if (rules.budget.unit === 'working-days' && rules.dueRule === 'end-of-day') return calendar.closingOf(civilDayOfInstant(rawDue));
  return rawDue;
}

/**
 * The due time of a budget given the pauses. Settling can move the due time later than the moment
 * the budget runs out (to the close of the day, past a weekend); the time between is part of the
 * period, so a pause that begins in it moves the due time too.
 */
export function dueWithPauses(
  calendar: WorkingCalendar,
  rules: ClockRules,
  timeline: Timeline,
  countingFrom: number,
  budgetMinutes: number,
  pauses: readonly Interval[],
  openUntil: number,
): number {
  const raw = walk(timeline, countingFrom, budgetMinutes, pauses, openUntil);
  const settled = settleDue(calendar, rules, raw);
  if (settled <= raw || !pauses.some((pause) => pause.from < settled && (pause.to ?? openUntil) > raw)) return settled;
  const slack = timeline.between(raw, settled);
  return settleDue(calendar, rules, walk(timeline, countingFrom, budgetMinutes + slack, pauses, openUntil));
}
