// The four clocks of a feedback item (766 §5.2; docs/feedback.md#the-four-clocks), on the
// civil-service working-day calendar in the version pinned when the item was received:
// - refuse: a refusal (or a transfer: a return to another body) within `limits.refuse` working days
//   of the sending or of the latest transfer;
// - info-request: the first request for more information before acceptance, within `limits.infoRequest`;
// - answer: the answer (`chờ công khai`) within `limits.answer` of the sending, the latest transfer
//   or the sender's latest supplement ([guess]: the supplement counts as a new sending);
// - publish: publication within `limits.publish` of the answer.
// A limit of N working days ends with the N-th working day after the day the clock started (the day
// itself does not count, as Vietnamese time limits are counted), at midnight Vietnam time: 766
// judges by the day. Due soon: from the start of that last working day.
import { civilDayOfInstant, formatVietnamInstant, instantAt, parseInstant } from '../calendar/civil-day.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../calendar/vietnam-civil-service-calendar.js';
import { adoptedHolidays } from '../calendar/calendar-adoption.js';
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import { compareCalendarVersions } from '../calendar/holiday-calendar.js';
import { completeSchedule, WorkingCalendar } from '../calendar/working-calendar.js';
import type { FeedbackClock } from './events.js';
import type { FeedbackAlert, ReceivedFeedback } from './feedback-state.js';

const calendars = new Map<string, WorkingCalendar>();

/**
 * The civil-service working calendar under a pinned version (Monday to Friday, the national
 * holidays), with the amendments loaded as data (db/calendar-amendments.ts) pinned beside it at
 * receipt, as a dossier's acceptance pins them. A version named by no built-in nor pinned amendment
 * (an item received before amendments were pinned) reads as the latest built-in version at or before it.
 */
export function feedbackCalendar(calendarVersion: string, pinned: readonly CalendarAmendment[] = []): WorkingCalendar {
  const key = [calendarVersion, ...pinned.map((amendment) => amendment.version)].join('|');
  let calendar = calendars.get(key);
  if (!calendar) {
    const definition = VIETNAM_CIVIL_SERVICE_CALENDAR;
    const version =
      [...definition.amendments, ...pinned].find((amendment) => amendment.version === calendarVersion)?.version ??
      [...definition.amendments].reverse().find((amendment) => compareCalendarVersions(amendment.version, calendarVersion) <= 0)?.version ??
      definition.amendments[0]!.version;
    calendar = new WorkingCalendar(adoptedHolidays(definition, version, pinned, []), completeSchedule());
    calendars.set(key, calendar);
  }
  return calendar;
}

/** The calendar an item's clocks run on. */
function calendarOf(state: ReceivedFeedback): WorkingCalendar {
  return feedbackCalendar(state.calendarVersion, state.calendarAmendments);
}

export interface ClockWindow {
  /** When the limit runs out: midnight (Vietnam time) after the last working day. */
  readonly due: string;
  /** The start of the last working day: from then the item is due soon. */
  readonly dueSoonAt: string;
}

/** The window of a limit of `days` working days counted from the day after `startIso`. */
export function workingDaysWindow(calendar: WorkingCalendar, startIso: string, days: number): ClockWindow {
  let day = civilDayOfInstant(parseInstant(startIso));
  for (let counted = 0; counted < days; counted += 1) day = calendar.nextWorkingDay(day);
  return { due: formatVietnamInstant(instantAt(day + 1, 0)), dueSoonAt: formatVietnamInstant(instantAt(day, 0)) };
}

export interface FeedbackClockReading extends ClockWindow {
  readonly clock: FeedbackClock;
  readonly startedAt: string;
  /** Still running: the step it measures has not happened and still can. */
  readonly open: boolean;
  /** When the step it measures happened, if it did. */
  readonly metAt?: string;
  /** The step happened after the due time, or (open) the due time has passed. */
  readonly late: boolean;
}

/** The four clocks as they read at `asOf`; a clock that does not apply to the item is left out. */
export function readFeedbackClocks(state: ReceivedFeedback, asOf: string): FeedbackClockReading[] {
  const calendar = calendarOf(state);
  const asOfMs = parseInstant(asOf);
  const reading = (clock: FeedbackClock, startedAt: string, days: number, open: boolean, metAt: string | undefined, lateWhileOpen: boolean): FeedbackClockReading => {
    const window = workingDaysWindow(calendar, startedAt, days);
    const dueMs = parseInstant(window.due);
    const late = metAt !== undefined ? parseInstant(metAt) >= dueMs : open && lateWhileOpen && asOfMs >= dueMs;
    return { clock, startedAt, ...window, open, ...(metAt !== undefined ? { metAt } : {}), late };
  };
  const readings: FeedbackClockReading[] = [];
  const waiting = state.status === 'waiting-to-receive';
  // Refusal: judged only when the item is refused or sent outside; while it waits, it only alerts.
  const returnedAt = state.refusedAt ?? state.transferredOutAt;
  const beforeAcceptance = state.acceptedAt === undefined;
  if (beforeAcceptance || returnedAt !== undefined) readings.push(reading('refuse', state.clockStartAt, state.limits.refuse, waiting, returnedAt, false));
  // The first request for information, only before acceptance (766 §5.2 does not count the later ones).
  if (state.firstInformationRequestAt !== undefined || (waiting && beforeAcceptance && state.informationRequests === 0)) {
    readings.push(reading('info-request', state.clockStartAt, state.limits.infoRequest, waiting && state.informationRequests === 0, state.firstInformationRequestAt, false));
  }
  if (state.refusedAt === undefined && state.transferredOutAt === undefined) {
    const answering = state.status === 'waiting-to-receive' || state.status === 'in-processing';
    readings.push(reading('answer', state.answerClockStartAt, state.limits.answer, answering, state.answer?.at, true));
  }
  if (state.answer?.publish) {
    readings.push(reading('publish', state.answer.at, state.limits.publish, state.status === 'answered-awaiting-publication', state.publishedAt, true));
  }
  return readings;
}

/** Transfers within the engine, each judged on the refusal clock of the unit that passed it on. */
function lateTransfers(state: ReceivedFeedback): boolean {
  const calendar = calendarOf(state);
  let startedAt = state.sentAt;
  for (const transfer of state.transfers) {
    if (transfer.outside) break;
    if (parseInstant(transfer.at) >= parseInstant(workingDaysWindow(calendar, startedAt, state.limits.refuse).due)) return true;
    startedAt = transfer.at;
  }
  return false;
}

export interface FeedbackTimeliness {
  /** True when every step was (or is, so far) in time; false when one was late. */
  readonly onTime: boolean;
  readonly lateClocks: readonly FeedbackClock[];
  /** Whether the item has left the unit's hands: answered, refused or sent outside. */
  readonly handledAt?: string;
}

/** 766 §5.2: was the item handled within the timings (or, still open, is it still within them at `asOf`)? */
export function feedbackTimeliness(state: ReceivedFeedback, asOf: string): FeedbackTimeliness {
  const late = readFeedbackClocks(state, asOf).filter((clock) => clock.late).map((clock) => clock.clock);
  if (lateTransfers(state) && !late.includes('refuse')) late.push('refuse');
  const handledAt = state.answer?.at ?? state.refusedAt ?? state.transferredOutAt;
  return { onTime: late.length === 0, lateClocks: late, ...(handledAt !== undefined ? { handledAt } : {}) };
}

export interface PendingFeedbackAlert {
  readonly clock: FeedbackClock;
  readonly alert: FeedbackAlert;
  /** When it falls due. */
  readonly at: string;
}

/** The next alert the workflow must raise: the earliest due-soon or overdue moment of an open clock not yet raised. */
export function nextFeedbackAlert(state: ReceivedFeedback, asOf: string): PendingFeedbackAlert | null {
  const candidates: PendingFeedbackAlert[] = [];
  for (const clock of readFeedbackClocks(state, asOf)) {
    if (!clock.open) continue;
    const raised = state.alerts[clock.clock] ?? [];
    // A clock already past its due time (an item entered late, a worker that was away) goes straight to overdue.
    const pastDue = parseInstant(asOf) >= parseInstant(clock.due);
    if (!raised.includes('due-soon') && !raised.includes('overdue') && !pastDue) candidates.push({ clock: clock.clock, alert: 'due-soon', at: clock.dueSoonAt });
    if (!raised.includes('overdue')) candidates.push({ clock: clock.clock, alert: 'overdue', at: clock.due });
  }
  return candidates.sort((a, b) => parseInstant(a.at) - parseInstant(b.at))[0] ?? null;
}

/** The open clock that runs out first: what a queue sorts by. */
export function nextDue(state: ReceivedFeedback, asOf: string): FeedbackClockReading | null {
  return readFeedbackClocks(state, asOf).filter((clock) => clock.open).sort((a, b) => parseInstant(a.due) - parseInstant(b.due))[0] ?? null;
}
