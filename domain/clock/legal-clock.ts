// The legal clock: from a budget, a ledger of facts and a working calendar, everything a dossier's
// (or a step's) deadline means at any instant: the due time (original and extended, both kept), the
// elapsed and remaining time, the state, and at the end the classification under the dossier's own
// deadline and under Decision 766. Pure and deterministic: the workflow, the API and the audit
// replay get the same answer to the minute from the same ledger.
import { civilDayOfInstant, formatVietnamInstant, instantAt, minuteOfDayFromClock, minuteOfDayOfInstant, parseInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { assertWellFormedLedger, type ClockLedger } from './clock-ledger.js';
import { completeClockRules, type Budget, type ClockRules, type ClockRulesInput, type Granularity, type PauseReason } from './clock-rules.js';

const MS_PER_MINUTE = 60_000;
const CALENDAR_MINUTES_PER_DAY = 24 * 60;

export type Classification = 'early' | 'on-time' | 'late';
export type ClockState = 'running' | 'paused' | 'due-soon' | 'overdue' | 'stopped';

/** Why the count began later than the acceptance instant. */
export type StartAdjustment =
  | { readonly reason: 'after-cut-off'; readonly cutOff: string }
  | { readonly reason: 'outside-office-hours'; readonly officeHours: string }
  | { readonly reason: 'non-working-day' }
  | { readonly reason: 'first-day-not-counted' };

export interface Duration {
  /** Minutes of the clock's own time: office minutes for working budgets, wall-clock for calendar days. */
  readonly minutes: number;
  /** The same in days of that time (a working day is the office's day, e.g. 450 minutes). */
  readonly days: number;
}

export interface PauseRecord {
  readonly from: string;
  /** Null while the pause is still open at the reading's instant. */
  readonly to: string | null;
  readonly reason: PauseReason;
  readonly reference?: string;
  /** Clock time the pause kept from counting (office minutes, or wall-clock for calendar days). */
  readonly minutes: number;
}

export interface ExtensionRecord {
  readonly at: string;
  readonly requestedDue: string;
  /** Clock time the new appointment adds beyond the due time it replaced. */
  readonly addedMinutes: number;
  /** False when the apology broke a rule; the violation says which. Recorded, never hidden. */
  readonly lawful: boolean;
  readonly violation?: ClockRuleViolation;
}

export interface Decision766Reading {
  /** The appointment given at acceptance (NgayHenTra): first start, budget only, no extension. */
  readonly appointment: string;
  /** NgayKetThucXuLy: the stop, else the open supplement request, else the reading's instant. */
  readonly end: string;
  /** `end` minus every closed excluded waiting interval (supplement completed − requested). */
  readonly adjustedEnd: string;
  readonly excludedMinutes: number;
  readonly supplementRequests: number;
  readonly finished: boolean;
  readonly classification: Classification;
  readonly because: 'more-than-one-supplement-request' | 'compared-with-appointment';
}

export interface ClockReading {
  readonly calendarVersion: string;
  readonly asOf: string;
  readonly budget: Budget;
  readonly timeline: 'working' | 'calendar';
  /** Minutes in one day of the clock's time. */
  readonly minutesPerDay: number;
  readonly acceptedAt: string;
  /** The current legal period: the first, or the latest restart after a supplement. */
  readonly period: {
    readonly number: number;
    readonly startedAt: string;
    readonly restarted: boolean;
    readonly countingFrom: string;
    readonly startAdjustment: StartAdjustment | null;
    readonly budgetMinutes: number;
  };
  readonly state: ClockState;
  /** Past the appointment in force (the extended one when there is one), whatever the state. */
  readonly overdue: boolean;
  /** Due without the extension: what statistics judge by (domain.md §4.5). */
  readonly originalDue: string;
  readonly extendedDue: string | null;
  /** The appointment in force: the extended due when there is one. */
  readonly due: string;
  /** While paused the due time moves on with every minute of the pause; this is the value if resumed now. */
  readonly dueIsProvisional: boolean;
  readonly elapsed: Duration;
  /** Clock time left until the due time in force; negative (or zero outside office hours) once overdue. */
  readonly remaining: Duration;
  readonly pauses: readonly PauseRecord[];
  readonly supplementRequests: number;
  readonly extension: ExtensionRecord | null;
  readonly outcome: null | {
    readonly stoppedAt: string;
    readonly result: 'resolved' | 'refused' | 'withdrawn' | 'sent-back';
    /** Against the original due of the current period, at the rules' granularity. */
    readonly dossierRule: Classification;
    readonly metExtendedAppointment: boolean | null;
  };
  readonly decision766: Decision766Reading;
}

export interface ClockRuleViolation {
  readonly code: 'EXTENSION_ALREADY_GRANTED' | 'EXTENSION_TOO_LATE' | 'NEW_APPOINTMENT_NOT_LATER';
  readonly message: string;
  readonly rule: string;
}

export interface Interval {
  readonly from: number;
  /** Null while open. */
  readonly to: number | null;
  readonly reason: PauseReason;
  readonly reference?: string;
}

interface Period {
  readonly number: number;
  readonly startedAt: number;
  readonly restarted: boolean;
  readonly countingFrom: number;
  readonly startAdjustment: StartAdjustment | null;
  readonly budgetMinutes: number;
  readonly pauses: Interval[];
  extension: { at: number; requestedDue: number; reference?: string } | null;
}

/** Running time and its inverse, in the unit the budget is counted in. */
export interface Timeline {
  readonly kind: 'working' | 'calendar';
  readonly minutesPerDay: number;
  between(fromMs: number, toMs: number): number;
  add(fromMs: number, minutes: number): number;
}

/**
 * Everything derived from the ledger that both the reading and the explanation need. Built once per
 * question; cheap (a handful of walks over the working days in the budget).
 */
export interface ClockModel {
  readonly calendar: WorkingCalendar;
  readonly rules: ClockRules;
  readonly timeline: Timeline;
  readonly asOf: number;
  readonly acceptedAt: number;
  readonly periods: readonly Period[];
  readonly current: Period;
  readonly stop: { at: number; outcome: 'resolved' | 'refused' | 'withdrawn' | 'sent-back' } | null;
  readonly supplementRequests: number;
  /** The due of the current period's budget without extension, and with it. */
  readonly originalDue: number;
  readonly extendedDue: number | null;
  readonly extensionAddedMinutes: number;
  readonly extensionViolation: ClockRuleViolation | null;
  /** The walk's result before the end-of-day or calendar-day adjustment, for explanations. */
  readonly rawDue: number;
  /** The same for the appointment in force (the extended one when there is one). */
  readonly rawDueInForce: number;
  /** Where an open pause ends for the computation: the stop, or the reading's instant. */
  readonly openUntil: number;
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

function budgetMinutesFrom(calendar: WorkingCalendar, budget: Budget, countingFrom: number): number {
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

export function classify(endMs: number, dueMs: number, granularity: Granularity): Classification {
  const truncate = (ms: number): number => {
    switch (granularity) {
      case 'minute':
        return Math.floor(ms / MS_PER_MINUTE);
      case 'hour':
        return Math.floor((ms + 7 * 60 * MS_PER_MINUTE) / (60 * MS_PER_MINUTE));
      case 'day':
        return civilDayOfInstant(ms);
    }
  };
  const end = truncate(endMs);
  const due = truncate(dueMs);
  return end < due ? 'early' : end === due ? 'on-time' : 'late';
}

/**
 * The first instant `classify` calls late against this due time: the start of the next minute, hour
 * or Vietnamese civil day after the due one. A running clock is late from then on, which is what
 * lets a report judge an unfinished dossier at any instant without folding its events again.
 */
export function lateFrom(dueMs: number, granularity: Granularity): number {
  switch (granularity) {
    case 'minute':
      return (Math.floor(dueMs / MS_PER_MINUTE) + 1) * MS_PER_MINUTE;
    case 'hour': {
      const hourMs = 60 * MS_PER_MINUTE;
      const offsetMs = 7 * hourMs;
      return (Math.floor((dueMs + offsetMs) / hourMs) + 1) * hourMs - offsetMs;
    }
    case 'day':
      return instantAt(civilDayOfInstant(dueMs) + 1, 0);
  }
}

// Procedures hand the same rules object to every computation; complete each object once.
const parsedRulesCache = new WeakMap<object, ClockRules>();

function parsedRules(input: ClockRulesInput | ClockRules): ClockRules {
  let rules = parsedRulesCache.get(input);
  if (!rules) {
    rules = completeClockRules(input);
    parsedRulesCache.set(input, rules);
  }
  return rules;
}

/** Builds the model of a ledger as it stood at `asOf` (entries after it are not yet known). */
export function modelClock(calendar: WorkingCalendar, rulesInput: ClockRulesInput | ClockRules, ledger: ClockLedger, asOfInput: string | number): ClockModel {
  const rules = parsedRules(rulesInput);
  assertWellFormedLedger(ledger);
  const asOf = typeof asOfInput === 'number' ? asOfInput : parseInstant(asOfInput);
  const known = ledger.filter((entry) => parseInstant(entry.at) <= asOf);
  const first = known[0];
  if (!first) throw new RangeError(`the clock had not started at ${formatVietnamInstant(asOf)}: it starts when the dossier is accepted`);

  const timeline = timelineFor(calendar, rules);
  const periods: Period[] = [];
  let stop: ClockModel['stop'] = null;
  let supplementRequests = 0;
  let extensions = 0;
  let openPause: { from: number; reason: PauseReason; reference?: string } | null = null;

  const newPeriod = (at: number, restarted: boolean): Period => {
    const { countingFrom, adjustment } = countingStart(calendar, rules, at);
    return {
      number: periods.length + 1,
      startedAt: at,
      restarted,
      countingFrom,
      startAdjustment: adjustment,
      budgetMinutes: budgetMinutesFrom(calendar, rules.budget, countingFrom),
      pauses: [],
      extension: null,
    };
  };
  const closePause = (period: Period, at: number) => {
    if (openPause) period.pauses.push({ ...openPause, to: at });
    openPause = null;
  };

  for (const entry of known) {
    const at = parseInstant(entry.at);
    const period = periods[periods.length - 1];
    switch (entry.type) {
      case 'started':
        periods.push(newPeriod(at, false));
        break;
      case 'paused':
        if (entry.reason === 'waiting-for-supplement') supplementRequests += 1;
        openPause = { from: at, reason: entry.reason, ...(entry.reference ? { reference: entry.reference } : {}) };
        break;
      case 'resumed':
        closePause(period!, at);
        break;
      case 'restarted':
        closePause(period!, at);
        periods.push(newPeriod(at, true));
        break;
      case 'extended':
        extensions += 1;
        period!.extension = { at, requestedDue: parseInstant(entry.newDue), ...(entry.reference ? { reference: entry.reference } : {}) };
        break;
      case 'stopped':
        closePause(period!, at);
        stop = { at, outcome: entry.outcome };
        break;
    }
  }
  const current = periods[periods.length - 1]!;
  const pausesWithOpen: Interval[] = openPause ? [...current.pauses, { ...(openPause as Interval), to: null }] : current.pauses;
  const openUntil = stop?.at ?? asOf;

  const rawDue = walk(timeline, current.countingFrom, current.budgetMinutes, pausesWithOpen, openUntil);
  const originalDue = dueWithPauses(calendar, rules, timeline, current.countingFrom, current.budgetMinutes, pausesWithOpen, openUntil);

  let rawDueInForce = rawDue;
  let extendedDue: number | null = null;
  let extensionAddedMinutes = 0;
  let extensionViolation: ClockRuleViolation | null = null;
  if (current.extension) {
    const { at, requestedDue } = current.extension;
    // The due time the apology answered: as it stood at that moment, a pause then open counted
    // up to the apology and no further, so the verdict never changes with later events.
    const pausesThen = pausesWithOpen.filter((pause) => pause.from < at).map((pause) => (pause.to === null || pause.to > at ? { ...pause, to: at } : pause));
    const dueWhenAsked = dueWithPauses(calendar, rules, timeline, current.countingFrom, current.budgetMinutes, pausesThen, at);
    extensionViolation = extensionRuleViolation(calendar, dueWhenAsked, at, requestedDue, extensions > 1);
    // The new appointment is the one the applicant was given (moved forward into office time if
    // it was not), pushed on only by pauses that begin after the apology: one already running
    // was known to the agency that proposed the date.
    const appointment = calendar.isOfficeTimeOrSessionEnd(requestedDue) ? requestedDue : calendar.nextOfficeMoment(requestedDue);
    const pausedSince = pausesWithOpen
      .filter((pause) => pause.from >= at)
      .reduce((sum, pause) => sum + timeline.between(pause.from, pause.to ?? openUntil), 0);
    extendedDue = pausedSince > 0 ? settleDue(calendar, rules, timeline.add(appointment, pausedSince)) : appointment;
    rawDueInForce = extendedDue;
    extensionAddedMinutes = runningBetween(timeline, current.countingFrom, extendedDue, pausesWithOpen) - current.budgetMinutes;
  }

  return {
    calendar,
    rules,
    timeline,
    asOf,
    acceptedAt: periods[0]!.startedAt,
    periods,
    current: { ...current, pauses: pausesWithOpen },
    stop,
    supplementRequests,
    originalDue,
    extendedDue,
    extensionAddedMinutes,
    extensionViolation,
    rawDue,
    rawDueInForce,
    openUntil,
  };
}

/**
 * Whether an apology with a new appointment may be issued at `at` (Decree 61 art. 19(9)): once only,
 * at the latest on the working day before the due date, and for a later appointment.
 */
export function extensionRuleViolation(
  calendar: WorkingCalendar,
  currentDue: number,
  at: number,
  requestedDue: number,
  alreadyExtended: boolean,
): ClockRuleViolation | null {
  const rule = 'Decree 61/2018/NĐ-CP art. 19(9), as amended: apology and new appointment (form 04)';
  if (alreadyExtended) {
    return { code: 'EXTENSION_ALREADY_GRANTED', rule, message: 'The appointment has already been extended once; the rules allow one extension only.' };
  }
  const dueDay = civilDayOfInstant(currentDue);
  const latestDay = previousWorkingDay(calendar, dueDay);
  if (civilDayOfInstant(at) > latestDay) {
    return {
      code: 'EXTENSION_TOO_LATE',
      rule,
      message: `The apology must be issued at the latest one working day before the due date ${formatVietnamInstant(currentDue).slice(0, 10)}, that is by ${formatVietnamInstant(calendar.closingOf(latestDay)).slice(0, 10)}.`,
    };
  }
  if (requestedDue <= currentDue) {
    return { code: 'NEW_APPOINTMENT_NOT_LATER', rule, message: `The new appointment must be later than the current due time ${formatVietnamInstant(currentDue)}.` };
  }
  return null;
}

function previousWorkingDay(calendar: WorkingCalendar, day: number): number {
  let previous = day - 1;
  while (!calendar.isWorkingDay(previous)) previous -= 1;
  return previous;
}

/** The clock as it stood at `asOf`: due times, state, elapsed and remaining time, classifications. */
export function readClock(calendar: WorkingCalendar, rules: ClockRulesInput | ClockRules, ledger: ClockLedger, asOf: string | number): ClockReading {
  const model = modelClock(calendar, rules, ledger, asOf);
  return readModel(model);
}

/** The apology and new appointment of the current period, as readings and explanations show it. */
export function extensionSummaryOf(model: ClockModel): Omit<ExtensionRecord, 'violation'> | null {
  const { extension } = model.current;
  if (!extension) return null;
  return {
    at: formatVietnamInstant(extension.at),
    requestedDue: formatVietnamInstant(extension.requestedDue),
    addedMinutes: round2(model.extensionAddedMinutes),
    lawful: model.extensionViolation === null,
  };
}

export function readModel(model: ClockModel): ClockReading {
  const { calendar, rules, timeline, current, stop, asOf } = model;
  const until = stop?.at ?? asOf;
  const dueInForce = model.extendedDue ?? model.originalDue;
  const elapsedMinutes = runningBetween(timeline, current.countingFrom, until, current.pauses);
  const openPause = current.pauses.find((pause) => pause.to === null);
  const overdue = until > dueInForce;
  const dueSoonWithin = rules.dueSoonWithinWorkingMinutes ?? timeline.minutesPerDay;
  // Remaining is measured to the due time in force, so it includes what settling added (the rest of
  // the day under the Civil Code, a weekend a calendar-day limit could not end on).
  // Before the count begins (accepted after the cut-off, read that evening) nothing has run yet.
  const remainingMinutes = overdue ? -timeline.between(dueInForce, until) : timeline.between(Math.max(until, current.countingFrom), dueInForce);

  const state: ClockState = stop ? 'stopped' : openPause ? 'paused' : overdue ? 'overdue' : remainingMinutes <= dueSoonWithin ? 'due-soon' : 'running';
  const duration = (minutes: number): Duration => ({ minutes: round2(minutes), days: round2(minutes / timeline.minutesPerDay) });

  const pauses: PauseRecord[] = model.periods.flatMap((period) => (period === model.periods[model.periods.length - 1] ? current.pauses : period.pauses)).map((pause) => ({
    from: formatVietnamInstant(pause.from),
    to: pause.to === null ? null : formatVietnamInstant(pause.to),
    reason: pause.reason,
    ...(pause.reference ? { reference: pause.reference } : {}),
    minutes: round2(timeline.between(pause.from, pause.to ?? until)),
  }));

  return {
    calendarVersion: calendar.versionId,
    asOf: formatVietnamInstant(asOf),
    budget: rules.budget,
    timeline: timeline.kind,
    minutesPerDay: timeline.minutesPerDay,
    acceptedAt: formatVietnamInstant(model.acceptedAt),
    period: {
      number: current.number,
      startedAt: formatVietnamInstant(current.startedAt),
      restarted: current.restarted,
      countingFrom: formatVietnamInstant(current.countingFrom),
      startAdjustment: current.startAdjustment,
      budgetMinutes: round2(current.budgetMinutes),
    },
    state,
    overdue,
    originalDue: formatVietnamInstant(model.originalDue),
    extendedDue: model.extendedDue === null ? null : formatVietnamInstant(model.extendedDue),
    due: formatVietnamInstant(dueInForce),
    dueIsProvisional: openPause !== undefined && !stop && model.rawDue > asOf,
    elapsed: duration(elapsedMinutes),
    remaining: duration(remainingMinutes),
    pauses,
    supplementRequests: model.supplementRequests,
    extension: current.extension ? { ...extensionSummaryOf(model)!, ...(model.extensionViolation ? { violation: model.extensionViolation } : {}) } : null,
    outcome: stop
      ? {
          stoppedAt: formatVietnamInstant(stop.at),
          result: stop.outcome,
          dossierRule: classify(stop.at, model.originalDue, rules.granularity),
          metExtendedAppointment: model.extendedDue === null ? null : classify(stop.at, model.extendedDue, rules.granularity) !== 'late',
        }
      : null,
    decision766: readDecision766(model),
  };
}

/**
 * Decision 766's on-time rule (domain.md §4.5): the end (processed, else returned, else stopped; an
 * open supplement request counts as the end; an unfinished dossier ends with the period) minus
 * the supplement waiting time, against the appointment given at acceptance. An extension does not
 * help, and more than one supplement request makes the dossier late.
 */
function readDecision766(model: ClockModel): Decision766Reading {
  const { calendar, rules, timeline, stop, asOf } = model;
  const first = model.periods[0]!;
  const appointment = settleDue(calendar, rules, timeline.add(first.countingFrom, first.budgetMinutes));
  const excluded = new Set(rules.decision766.excludedPauseReasons);
  const allPauses = model.periods.flatMap((period) => (period === model.periods[model.periods.length - 1] ? model.current.pauses : period.pauses));
  const openSupplement = stop ? undefined : allPauses.find((pause) => pause.to === null && pause.reason === 'waiting-for-supplement');
  const end = stop?.at ?? openSupplement?.from ?? asOf;
  const excludedMs = allPauses
    .filter((pause) => pause.to !== null && pause.to <= end && excluded.has(pause.reason))
    .reduce((sum, pause) => sum + (pause.to! - pause.from), 0);
  const adjustedEnd = end - excludedMs;
  const tooManySupplements = model.supplementRequests > 1;
  return {
    appointment: formatVietnamInstant(appointment),
    end: formatVietnamInstant(end),
    adjustedEnd: formatVietnamInstant(adjustedEnd),
    excludedMinutes: round2(excludedMs / MS_PER_MINUTE),
    supplementRequests: model.supplementRequests,
    finished: stop !== null,
    classification: tooManySupplements ? 'late' : classify(adjustedEnd, appointment, rules.decision766.granularity),
    because: tooManySupplements ? 'more-than-one-supplement-request' : 'compared-with-appointment',
  };
}

/** Minutes and days as readings show them: two decimals. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
