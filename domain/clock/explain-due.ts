// "Why is the due date D?": the data behind a due time, day by day, in the order a reception officer
// would count it on a paper calendar. Every counted minute is listed, so the counted days add up to
// the budget (plus any extension), and every day that did not count says why.
import {
  civilDayOfInstant,
  clockOfMinuteOfDay,
  formatVietnamInstant,
  instantAt,
  isoOfCivilDay,
  minuteOfDayOfInstant,
  weekdayOf,
  type Weekday,
} from '../calendar/civil-day.js';
import type { DayMark } from '../calendar/holiday-calendar.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { ClockLedger } from './clock-ledger.js';
import type { Budget, ClockRules, ClockRulesInput, PauseReason } from './clock-rules.js';
import { modelClock } from './clock-model.js';
import { extensionSummaryOf } from './legal-clock.js';
import { round2 } from './rounding.js';
import type { StartAdjustment } from './running-time.js';

export interface HolidayNote {
  readonly name: string;
  readonly source: 'statute' | 'official-schedule';
  /** True while the day is our estimate of a placement the Prime Minister has not yet decided. */
  readonly estimated: boolean;
  readonly legalReference: string;
}

export type ExplainedDay =
  | {
      readonly date: string;
      readonly weekday: Weekday;
      readonly kind: 'counted';
      /** Clock minutes counted this day. */
      readonly minutes: number;
      /** Minutes counted from the start up to the end of this day. */
      readonly runningTotal: number;
      readonly from: string;
      readonly to: string;
      /** Minutes of this day the clock was paused, and why. */
      readonly paused?: { readonly minutes: number; readonly reasons: readonly PauseReason[] };
      /** A make-up working Saturday, or a day off that still counts because the limit is in calendar days. */
      readonly note?: { readonly kind: 'make-up-working-day' | 'day-off-counted-in-calendar-days'; readonly holiday?: HolidayNote };
    }
  | {
      readonly date: string;
      readonly weekday: Weekday;
      readonly kind: 'skipped';
      readonly reason: 'weekly-rest' | 'holiday' | 'compensatory' | 'swapped';
      readonly holiday?: HolidayNote;
    }
  | {
      readonly date: string;
      readonly weekday: Weekday;
      /** A working day of acceptance on which the count had not begun (the cut-off, the Civil Code). */
      readonly kind: 'not-yet-counting';
      readonly because: StartAdjustment['reason'];
    }
  | {
      readonly date: string;
      readonly weekday: Weekday;
      readonly kind: 'paused';
      readonly pausedMinutes: number;
      readonly reasons: readonly PauseReason[];
    };

/** A calendar amendment the dossier adopted while open, as the explanation shows it. */
export interface AdoptionNote {
  readonly version: string;
  readonly adoptedAt: string;
  /** The first day the amendment speaks for; the days before keep what they were. */
  readonly appliesFrom: string;
  readonly reason: string;
  readonly legalReference: string;
  readonly changedDays: readonly { readonly date: string; readonly before: string; readonly after: string }[];
  readonly dueBefore: string | null;
  readonly dueAfter: string | null;
}

export interface DueExplanation {
  readonly calendarVersion: string;
  /** Amendments adopted while the dossier was open, up to the instant explained: why the due date moved. */
  readonly calendarAdoptions: readonly AdoptionNote[];
  readonly officeHours: string;
  readonly budget: Budget;
  readonly dueRule: ClockRules['dueRule'];
  readonly timeline: 'working' | 'calendar';
  readonly minutesPerDay: number;
  readonly acceptedAt: string;
  /** Earlier legal periods, ended by a restart after a supplement requested during processing. */
  readonly earlierPeriods: readonly { readonly number: number; readonly countingFrom: string; readonly endedAt: string }[];
  readonly period: number;
  readonly startedAt: string;
  readonly countingFrom: string;
  readonly startAdjustment: StartAdjustment | null;
  readonly budgetMinutes: number;
  readonly extension: { readonly at: string; readonly requestedDue: string; readonly addedMinutes: number; readonly lawful: boolean } | null;
  readonly days: readonly ExplainedDay[];
  /** The sum of the counted days: the budget plus the extension. */
  readonly countedMinutes: number;
  /** How the last counted moment became the due time (Civil Code end of day, a day off in a calendar-day limit). */
  readonly settlement: null | { readonly from: string; readonly to: string; readonly because: 'end-of-day' | 'due-on-day-off' | 'due-outside-office-hours' };
  readonly originalDue: string;
  readonly extendedDue: string | null;
  readonly due: string;
  /** True while the clock is paused: the due time moves with the pause. */
  readonly provisional: boolean;
  readonly usesEstimatedHolidays: boolean;
  /** One paragraph in plain English for a reception officer. */
  readonly summary: string;
}

export function explainDue(
  calendar: WorkingCalendar,
  rulesInput: ClockRulesInput | ClockRules,
  ledger: ClockLedger,
  asOf: string | number,
  calendarAdoptions: readonly AdoptionNote[] = [],
): DueExplanation {
  const model = modelClock(calendar, rulesInput, ledger, asOf);
  const { rules, timeline, current, openUntil } = model;
  const end = model.rawDueInForce;
  const pauses = current.pauses.map((pause) => ({ from: pause.from, to: pause.to ?? openUntil, reason: pause.reason }));
  const days: ExplainedDay[] = [];
  let runningTotal = 0;

  const countingDay = civilDayOfInstant(current.countingFrom);
  const lastDay = civilDayOfInstant(end);
  for (let day = civilDayOfInstant(current.startedAt); day <= lastDay; day += 1) {
    const date = isoOfCivilDay(day);
    const weekday = weekdayOf(day);
    const status = calendar.statusOf(day);
    if (!status.working && (timeline.kind === 'working' || day < countingDay)) {
      days.push({ date, weekday, kind: 'skipped', reason: status.reason, ...(status.mark ? { holiday: holidayNote(status.mark) } : {}) });
      continue;
    }
    if (day < countingDay) {
      days.push({ date, weekday, kind: 'not-yet-counting', because: current.startAdjustment?.reason ?? 'outside-office-hours' });
      continue;
    }
    const within = (fromMs: number, toMs: number): number =>
      timeline.kind === 'working'
        ? calendar.officeMinutesOfDayWithin(day, fromMs, toMs)
        : Math.max(0, Math.min(toMs, instantAt(day + 1, 0)) - Math.max(fromMs, instantAt(day, 0))) / 60_000;
    const span = within(current.countingFrom, end);
    const pausedHere = pauses
      .map((pause) => ({ reason: pause.reason, minutes: within(Math.max(pause.from, current.countingFrom), Math.min(pause.to, end)) }))
      .filter((pause) => pause.minutes > 0);
    const pausedMinutes = pausedHere.reduce((sum, pause) => sum + pause.minutes, 0);
    const minutes = span - pausedMinutes;
    const reasons = [...new Set(pausedHere.map((pause) => pause.reason))];
    if (minutes <= 0 && pausedMinutes > 0) {
      days.push({ date, weekday, kind: 'paused', pausedMinutes: round2(pausedMinutes), reasons });
      continue;
    }
    runningTotal += minutes;
    const dayStart = timeline.kind === 'working' ? calendar.openingOf(day) : instantAt(day, 0);
    const dayEnd = timeline.kind === 'working' ? calendar.closingOf(day) : instantAt(day + 1, 0);
    const note = status.working
      ? status.makeUp
        ? { kind: 'make-up-working-day' as const, holiday: holidayNote(status.makeUp) }
        : undefined
      : { kind: 'day-off-counted-in-calendar-days' as const, ...(status.mark ? { holiday: holidayNote(status.mark) } : {}) };
    days.push({
      date,
      weekday,
      kind: 'counted',
      minutes: round2(minutes),
      runningTotal: round2(runningTotal),
      from: clockOf(Math.max(dayStart, current.countingFrom), day),
      to: clockOf(Math.min(dayEnd, end), day),
      ...(pausedMinutes > 0 ? { paused: { minutes: round2(pausedMinutes), reasons } } : {}),
      ...(note ? { note } : {}),
    });
  }

  const dueInForce = model.extendedDue ?? model.originalDue;
  const settlement =
    dueInForce === end
      ? null
      : {
          from: formatVietnamInstant(end),
          to: formatVietnamInstant(dueInForce),
          because:
            rules.dueRule === 'end-of-day'
              ? ('end-of-day' as const)
              : calendar.isWorkingDay(civilDayOfInstant(end))
                ? ('due-outside-office-hours' as const)
                : ('due-on-day-off' as const),
        };
  const earlierPeriods = model.periods.slice(0, -1).map((period, index) => ({
    number: period.number,
    countingFrom: formatVietnamInstant(period.countingFrom),
    endedAt: formatVietnamInstant(model.periods[index + 1]!.startedAt),
  }));
  const usesEstimatedHolidays = days.some((day) => (day.kind === 'skipped' && day.holiday?.estimated) || (day.kind === 'counted' && day.note?.holiday?.estimated));
  const explanation = {
    calendarVersion: calendar.versionId,
    calendarAdoptions,
    officeHours: calendar.describeOfficeHours(),
    budget: rules.budget,
    dueRule: rules.dueRule,
    timeline: timeline.kind,
    minutesPerDay: timeline.minutesPerDay,
    acceptedAt: formatVietnamInstant(model.acceptedAt),
    earlierPeriods,
    period: current.number,
    startedAt: formatVietnamInstant(current.startedAt),
    countingFrom: formatVietnamInstant(current.countingFrom),
    startAdjustment: current.startAdjustment,
    budgetMinutes: round2(current.budgetMinutes),
    extension: extensionSummaryOf(model),
    days,
    countedMinutes: round2(runningTotal),
    settlement,
    originalDue: formatVietnamInstant(model.originalDue),
    extendedDue: model.extendedDue === null ? null : formatVietnamInstant(model.extendedDue),
    due: formatVietnamInstant(dueInForce),
    provisional: !model.stop && current.pauses.some((pause) => pause.to === null) && model.rawDue > model.asOf,
    usesEstimatedHolidays,
  };
  return { ...explanation, summary: summarise(explanation) };
}

function holidayNote(mark: DayMark): HolidayNote {
  return { name: mark.name, source: mark.source, estimated: mark.kind === 'make-up-working-day' ? false : mark.estimated, legalReference: mark.legalReference };
}

function clockOf(epochMs: number, day: number): string {
  // The end of a calendar day is 24:00 of that day, not 00:00 of the next.
  return civilDayOfInstant(epochMs) > day ? '24:00' : clockOfMinuteOfDay(minuteOfDayOfInstant(epochMs));
}

const BUDGET_WORDS: Record<Budget['unit'], string> = {
  'working-days': 'working days',
  'working-hours': 'working hours',
  'calendar-days': 'calendar days',
  'same-day': 'same day',
};

const ADJUSTMENT_WORDS: Record<StartAdjustment['reason'], string> = {
  'after-cut-off': 'it was accepted after the reception cut-off, so the count begins on the next working day',
  'outside-office-hours': 'it was accepted outside office hours, so the count begins when the office next opens',
  'non-working-day': 'it was accepted on a day off, so the count begins on the next working day',
  'first-day-not-counted': 'under the Civil Code (art. 147) the day of acceptance is not counted',
};

function summarise(explanation: Omit<DueExplanation, 'summary'>): string {
  const budget = explanation.budget.unit === 'same-day' ? 'a same-day limit' : `${explanation.budget.amount} ${BUDGET_WORDS[explanation.budget.unit]}`;
  const counted = explanation.days.filter((day) => day.kind === 'counted').length;
  const skipped = explanation.days.filter((day) => day.kind === 'skipped');
  const holidays = [...new Set(skipped.flatMap((day) => (day.kind === 'skipped' && day.holiday ? [day.holiday.name] : [])))];
  const paused = explanation.days.filter((day) => day.kind === 'paused').length;
  const parts = [
    `Accepted ${explanation.acceptedAt}${explanation.period > 1 ? `; the legal time restarted on ${explanation.startedAt} after a supplement (period ${explanation.period})` : ''}.`,
    explanation.startAdjustment ? `The count begins at ${explanation.countingFrom} because ${ADJUSTMENT_WORDS[explanation.startAdjustment.reason]}.` : `The count begins at ${explanation.countingFrom}.`,
    `${budget[0]!.toUpperCase()}${budget.slice(1)} (${explanation.budgetMinutes} minutes of ${explanation.timeline === 'working' ? `office time, ${explanation.officeHours}` : 'calendar time'}) ${explanation.extension ? `plus ${explanation.extension.addedMinutes} minutes from the extension ` : ''}are counted over ${counted} day(s).`,
    skipped.length > 0 ? `Skipped: ${skipped.length} day(s) off${holidays.length > 0 ? `, including ${holidays.join(', ')}` : ''}.` : '',
    paused > 0 ? `Paused for ${paused} whole working day(s).` : '',
    `Due ${explanation.due}${explanation.extendedDue ? ` (extended; originally ${explanation.originalDue})` : ''}${explanation.provisional ? ', moving on while the clock is paused' : ''}.`,
    `Calendar ${explanation.calendarVersion}${explanation.usesEstimatedHolidays ? ', with holiday days estimated until the official schedule is published' : ''}.`,
    ...explanation.calendarAdoptions.map(adoptionSentence),
  ];
  return parts.filter((part) => part !== '').join(' ');
}

const DAY_WORDS: Record<string, string> = {
  working: 'a working day',
  'make-up-working-day': 'a make-up working day',
  'weekly-rest': 'a weekly rest day',
  holiday: 'a holiday',
  compensatory: 'a compensatory day off',
  swapped: 'a swapped day off',
};

function adoptionSentence(adoption: AdoptionNote): string {
  const changed = adoption.changedDays.map((day) => `${day.date} ${DAY_WORDS[day.after] ?? day.after} (was ${DAY_WORDS[day.before] ?? day.before})`);
  const moved = adoption.dueBefore !== null && adoption.dueAfter !== null && adoption.dueBefore !== adoption.dueAfter;
  return [
    `Calendar amendment ${adoption.version} (${adoption.legalReference}) was adopted on ${adoption.adoptedAt} and counts from ${adoption.appliesFrom}; the days before keep what they were.`,
    changed.length > 0 ? `It made ${changed.join(', ')}` : 'It changed no day ahead of the dossier',
    moved ? `, which moved the due date from ${adoption.dueBefore} to ${adoption.dueAfter}.` : ', and the due date did not move.',
  ].join(' ').replace(' ,', ',');
}
