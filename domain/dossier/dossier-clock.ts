// The legal clocks of a dossier: its own (the procedure's budget on the receiving centre's calendar)
// and one per step run (the step's budget on its agency's calendar), read from the state's ledgers.
import { formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import { adoptedHolidays, type AdoptedLayer } from '../calendar/calendar-adoption.js';
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import { compareCalendarVersions } from '../calendar/holiday-calendar.js';
import { ROUND_THE_CLOCK_CALENDAR } from '../calendar/round-the-clock-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../calendar/vietnam-civil-service-calendar.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Agency } from '../catalogue/agency.js';
import type { Budget, ClockRules, ClockRulesInput } from '../clock/clock-rules.js';
import { completeClockRules } from '../clock/clock-rules.js';
import { dueSoonWithinMinutes, modelClock } from '../clock/clock-model.js';
import { explainDue, type DueExplanation } from '../clock/explain-due.js';
import { readModel, type ClockReading } from '../clock/legal-clock.js';
import { walk } from '../clock/running-time.js';
import type { ReceivedDossier, StepRun } from './state.js';

/** The calendars this engine knows, by id. A new one is added here and in the agency catalogue. */
const HOLIDAY_CALENDARS = { 'vn-civil-service': VIETNAM_CIVIL_SERVICE_CALENDAR, 'round-the-clock': ROUND_THE_CLOCK_CALENDAR } as const;

export function isKnownCalendar(calendarId: string): calendarId is keyof typeof HOLIDAY_CALENDARS {
  return calendarId in HOLIDAY_CALENDARS;
}

const calendars = new Map<string, WorkingCalendar>();

/**
 * What a dossier knows of its calendar beyond the pinned version: the amendments loaded as data and
 * pinned with it at acceptance, and those it adopted while open (each from its `appliesFrom` day).
 * Both belong to the civil-service calendar (the one whose versions are pinned).
 */
export interface CalendarKnowledge {
  readonly pinned?: readonly CalendarAmendment[];
  readonly adopted?: readonly (AdoptedLayer & { readonly calendarId: string })[];
}

/**
 * An agency's working calendar under a holiday-calendar version, with what the dossier knows beyond
 * it (cached: versions never change, and the key names every adopted version and its day).
 */
export function workingCalendarOf(agency: Agency, calendarVersion: string, knowledge: CalendarKnowledge = {}): WorkingCalendar {
  const adopted = (knowledge.adopted ?? []).filter((layer) => layer.calendarId === agency.calendarId);
  const pinned = agency.calendarId === 'vn-civil-service' ? (knowledge.pinned ?? []) : [];
  const key = [JSON.stringify(agency.schedule), `${agency.calendarId}@${calendarVersion}`, ...pinned.map((amendment) => amendment.version), ...adopted.map((layer) => `${layer.amendment.version}>${layer.appliesFrom}`)].join('|');
  let calendar = calendars.get(key);
  if (!calendar) {
    if (!isKnownCalendar(agency.calendarId)) throw new RangeError(`agency ${agency.code} follows calendar ${agency.calendarId}, which this engine does not know`);
    const definition = HOLIDAY_CALENDARS[agency.calendarId];
    // A calendar's versions are its own: the version pinned at acceptance names the civil-service
    // calendar's; another calendar answers with its latest version at or before that one.
    const known = pinned.some((amendment) => amendment.version === calendarVersion) || definition.amendments.some((amendment) => amendment.version === calendarVersion);
    const version = known
      ? calendarVersion
      : [...definition.amendments].reverse().find((amendment) => compareCalendarVersions(amendment.version, calendarVersion) <= 0)?.version ?? definition.amendments[0]!.version;
    calendar = new WorkingCalendar(adoptedHolidays(definition, version, pinned, adopted), agency.schedule);
    calendars.set(key, calendar);
  }
  return calendar;
}

function agencyIn(state: ReceivedDossier, code: string): Agency {
  const agency = state.accepted?.agencies.find((candidate) => candidate.code === code);
  if (!agency) throw new RangeError(`agency ${code} is not among those pinned at acceptance of ${state.dossierCode}`);
  return agency;
}

/**
 * What the dossier knew of its calendar at an instant: the amendments adopted by then. Without an
 * instant, everything it adopted (the decider's view: it decides at the latest instant).
 */
export function calendarKnowledge(state: ReceivedDossier, asOf?: string | number): CalendarKnowledge {
  const limit = asOf === undefined ? Infinity : typeof asOf === 'number' ? asOf : parseInstant(asOf);
  const adopted = (state.calendarAdoptions ?? []).filter((adoption) => parseInstant(adoption.at) <= limit);
  return { ...(state.accepted?.calendarAmendments ? { pinned: state.accepted.calendarAmendments } : {}), ...(adopted.length > 0 ? { adopted } : {}) };
}

/** The latest civil-service calendar version the dossier follows: adopted, or else pinned at acceptance. */
export function followedCalendarVersion(state: ReceivedDossier): string | null {
  const adopted = (state.calendarAdoptions ?? []).filter((adoption) => adoption.calendarId === VIETNAM_CIVIL_SERVICE_CALENDAR.id).at(-1);
  return adopted?.version ?? state.accepted?.calendarVersion ?? null;
}

/** The working calendar of one of the dossier's agencies, as the dossier knew it at `asOf`. */
export function agencyCalendar(state: ReceivedDossier, agencyCode: string, asOf?: string | number): WorkingCalendar {
  if (!state.accepted) throw new RangeError(`dossier ${state.dossierCode} has not been accepted: its clock has not started`);
  return workingCalendarOf(agencyIn(state, agencyCode), state.accepted.calendarVersion, calendarKnowledge(state, asOf));
}

export function dossierCalendar(state: ReceivedDossier, asOf?: string | number): WorkingCalendar {
  return agencyCalendar(state, state.agencyCode, asOf);
}

export function stepCalendar(state: ReceivedDossier, step: StepRun, asOf?: string | number): WorkingCalendar {
  return agencyCalendar(state, step.agencyCode, asOf);
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

/** The dossier's clock at `asOf`, on its calendar as it knew it then (a past instant reads as it did). */
export function readDossierClock(state: ReceivedDossier, asOf: string): ClockReading {
  return readModel(modelClock(dossierCalendar(state, asOf), state.accepted!.procedure.clock, state.clock, asOf));
}

/**
 * "Why is the dossier due then?" at `asOf`: the day-by-day count on its calendar as it knew it then,
 * and each amendment it had adopted by then with the days it changed and how the due date moved.
 */
export function explainDossierDue(state: ReceivedDossier, asOf: string): DueExplanation {
  const limit = parseInstant(asOf);
  const adoptions = (state.calendarAdoptions ?? [])
    .filter((adoption) => parseInstant(adoption.at) <= limit)
    .map(({ version, at, appliesFrom, amendment, changedDays, dueBefore, dueAfter }) => ({
      version,
      adoptedAt: formatVietnamInstant(parseInstant(at)),
      appliesFrom,
      reason: amendment.reason,
      legalReference: amendment.legalReference,
      changedDays,
      dueBefore,
      dueAfter,
    }));
  return explainDue(dossierCalendar(state, asOf), state.accepted!.procedure.clock, state.clock, asOf, adoptions);
}

export function readStepClock(state: ReceivedDossier, step: StepRun, asOf: string): ClockReading {
  return readModel(modelClock(stepCalendar(state, step, asOf), stepClockRules(step.budget), step.clock, asOf));
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
