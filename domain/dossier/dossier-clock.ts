// The legal clocks of a dossier: its own (the procedure's budget on the receiving centre's calendar)
// and one per step run (the step's budget on its agency's calendar), read from the state's ledgers.
import { parseInstant } from '../calendar/civil-day.js';
import { holidayCalendarAtVersion } from '../calendar/holiday-calendar.js';
import { ROUND_THE_CLOCK_CALENDAR } from '../calendar/round-the-clock-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../calendar/vietnam-civil-service-calendar.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Agency } from '../catalogue/agency.js';
import type { Budget, ClockRules, ClockRulesInput } from '../clock/clock-rules.js';
import { completeClockRules } from '../clock/clock-rules.js';
import { dueSoonWithinMinutes, modelClock } from '../clock/clock-model.js';
import { readModel, type ClockReading } from '../clock/legal-clock.js';
import { walk } from '../clock/running-time.js';
import type { ReceivedDossier, StepRun } from './state.js';

/** The calendars this engine knows, by id. A new one is added here and in the agency catalogue. */
const HOLIDAY_CALENDARS = { 'vn-civil-service': VIETNAM_CIVIL_SERVICE_CALENDAR, 'round-the-clock': ROUND_THE_CLOCK_CALENDAR } as const;

export function isKnownCalendar(calendarId: string): calendarId is keyof typeof HOLIDAY_CALENDARS {
  return calendarId in HOLIDAY_CALENDARS;
}

const calendars = new Map<string, WorkingCalendar>();

/** An agency's working calendar under a holiday-calendar version (cached: both are immutable). */
export function workingCalendarOf(agency: Agency, calendarVersion: string): WorkingCalendar {
  const key = `${JSON.stringify(agency.schedule)}|${agency.calendarId}@${calendarVersion}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    if (!isKnownCalendar(agency.calendarId)) throw new RangeError(`agency ${agency.code} follows calendar ${agency.calendarId}, which this engine does not know`);
    const definition = HOLIDAY_CALENDARS[agency.calendarId];
    // A calendar's versions are its own: the version pinned at acceptance names the civil-service
    // calendar's; another calendar answers with its latest version at or before that one.
    const version = definition.amendments.some((amendment) => amendment.version === calendarVersion)
      ? calendarVersion
      : [...definition.amendments].reverse().find((amendment) => amendment.version <= calendarVersion)?.version ?? definition.amendments[0]!.version;
    calendar = new WorkingCalendar(holidayCalendarAtVersion(definition, version), agency.schedule);
    calendars.set(key, calendar);
  }
  return calendar;
}

function agencyIn(state: ReceivedDossier, code: string): Agency {
  const agency = state.accepted?.agencies.find((candidate) => candidate.code === code);
  if (!agency) throw new RangeError(`agency ${code} is not among those pinned at acceptance of ${state.dossierCode}`);
  return agency;
}

export function dossierCalendar(state: ReceivedDossier): WorkingCalendar {
  if (!state.accepted) throw new RangeError(`dossier ${state.dossierCode} has not been accepted: its clock has not started`);
  return workingCalendarOf(agencyIn(state, state.agencyCode), state.accepted.calendarVersion);
}

export function stepCalendar(state: ReceivedDossier, step: StepRun): WorkingCalendar {
  return workingCalendarOf(agencyIn(state, step.agencyCode), state.accepted!.calendarVersion);
}

/** A step's clock: its own budget, counted from when it reached the agency, judged to the minute. */
export function stepClockRules(budget: Budget): ClockRules {
  const key = JSON.stringify(budget);
  let rules = stepRules.get(key);
  if (!rules) {
    rules = completeClockRules({ budget, receptionCutOff: null, afterSupplement: 'resume', granularity: 'minute' } satisfies ClockRulesInput);
    stepRules.set(key, rules);
  }
  return rules;
}

const stepRules = new Map<string, ClockRules>();

export function readDossierClock(state: ReceivedDossier, asOf: string): ClockReading {
  return readModel(modelClock(dossierCalendar(state), state.accepted!.procedure.clock, state.clock, asOf));
}

export function readStepClock(state: ReceivedDossier, step: StepRun, asOf: string): ClockReading {
  return readModel(modelClock(stepCalendar(state, step), stepClockRules(step.budget), step.clock, asOf));
}

/**
 * When the clock's alerts fall due: the due-soon moment (the remaining time reaches the rules'
 * threshold, one working day by default) and the due time. Null while paused or stopped, since then
 * no alert can fall due until the next event.
 */
export function alertTimes(calendar: WorkingCalendar, rules: ClockRules, ledger: ReceivedDossier['clock'], asOf: string): AlertTimes | null {
  const model = modelClock(calendar, rules, ledger, asOf);
  if (model.stop || model.current.pauses.some((pause) => pause.to === null)) return null;
  const total = model.current.budgetMinutes + model.extensionAddedMinutes;
  const threshold = dueSoonWithinMinutes(model);
  const dueAt = parseInstant(readModel(model).due);
  const dueSoonAt = Math.min(dueAt, walk(model.timeline, model.current.countingFrom, Math.max(0, total - threshold), model.current.pauses, model.asOf));
  return { dueSoonAt, dueAt };
}

export interface AlertTimes {
  readonly dueSoonAt: number;
  /** The due time in force, in whole seconds. */
  readonly dueAt: number;
}

/**
 * The first instant an alert may be raised: due-soon from its moment on, overdue once the due time
 * has passed (a millisecond after it). The workflow's timer and the rule that checks the alert both
 * read it here, so they cannot disagree.
 */
export function alertFallsDueAt(times: AlertTimes, alert: 'due-soon' | 'overdue'): number {
  return alert === 'due-soon' ? times.dueSoonAt : times.dueAt + 1;
}
