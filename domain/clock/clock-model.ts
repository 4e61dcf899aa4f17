// The legal clock's model: from a budget, a ledger of facts and a working calendar, the periods,
// pauses and due times (original and extended, both kept) that every reading and explanation of a
// deadline is built from. Pure and deterministic: the workflow, the API and the audit replay get the
// same answer to the minute from the same ledger.
import { formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { apologyRuleViolation, type ClockRuleViolation } from './apology-rule.js';
import { assertWellFormedLedger, type ClockLedger } from './clock-ledger.js';
import { completeClockRules, type ClockRules, type ClockRulesInput, type PauseReason } from './clock-rules.js';
import { budgetMinutesFrom, countingStart, dueWithPauses, runningBetween, settleDue, timelineFor, walk, type Interval, type StartAdjustment, type Timeline } from './running-time.js';

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
    extensionViolation = apologyRuleViolation(calendar, dueWhenAsked, at, requestedDue, extensions > 1);
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

/** How much clock time before the due time the clock reads due-soon: the rules' threshold, one day of the clock's time by default. */
export function dueSoonWithinMinutes(model: Pick<ClockModel, 'rules' | 'timeline'>): number {
  return model.rules.dueSoonWithinWorkingMinutes ?? model.timeline.minutesPerDay;
}
