// A late dossier and what its agency owes for it: the apology for lateness to the applicant and the
// accountability explanation (giải trình) to the head of the agency (the commune plans, after
// Decree 118/2025/NĐ-CP; docs/rules.md#an-apology-for-every-late-dossier). Read by the decider, the
// work queue and the reports, so they agree on who is responsible and when the explanation is due.
import { civilDayOfInstant, formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { dossierCalendar, readDossierClock, workingCalendarOf } from './dossier-clock.js';
import { activeSteps, type ReceivedDossier } from './state.js';

/** What the rules say when a procedure does not: our choice, no legal text found (docs/rules.md). */
export const LATENESS_RULE_DEFAULTS = { explanationWithinWorkingDays: 3, newAppointmentWithinDays: 183 } as const;

/** Statuses in which the result is still to come, so an apology for lateness gives a new appointment. */
const AWAITING_RESULT = new Set(['in-processing', 'awaiting-supplement', 'awaiting-financial-obligation', 'withdrawal-requested', 'accepted']);

export function awaitingResult(state: ReceivedDossier): boolean {
  return AWAITING_RESULT.has(state.status);
}

/**
 * The appointment in force that the dossier has passed, as of `now`, or null when it is not late.
 * Late means past the appointment in force (a form 04 extension's when there is one): a dossier
 * that kept its extended appointment owes no apology for lateness, though statistics judge it by
 * the original due time. Once the clock stopped, it is late if it stopped after that appointment.
 */
export function missedDue(state: ReceivedDossier, now: string): string | null {
  if (state.lateness) return state.lateness.due;
  if (!state.accepted) return null;
  const reading = readDossierClock(state, now);
  return reading.overdue ? reading.due : null;
}

/** The agency answering for the delay: the one holding the dossier when it went overdue. */
export function responsibleAgency(state: ReceivedDossier): string {
  if (state.lateness) return state.lateness.agencyCode;
  return activeSteps(state)[0]?.agencyCode ?? state.accepted?.procedure.competentAgencyCode ?? state.agencyCode;
}

/** The responsible agency's calendar (the receiving centre's if it was not pinned). */
function calendarOf(state: ReceivedDossier, agencyCode: string): WorkingCalendar {
  const agency = state.accepted?.agencies.find((candidate) => candidate.code === agencyCode);
  return agency ? workingCalendarOf(agency, state.accepted!.calendarVersion) : dossierCalendar(state);
}

/**
 * When the accountability explanation is due: the close of the Nth working day (of the responsible
 * agency) after the day the dossier went overdue, N from the procedure's rules.
 */
export function explanationDue(state: ReceivedDossier, overdueSince: string, agencyCode: string): string {
  const calendar = calendarOf(state, agencyCode);
  const days = state.accepted?.procedure.clock.explanationWithinWorkingDays ?? LATENESS_RULE_DEFAULTS.explanationWithinWorkingDays;
  let day = civilDayOfInstant(parseInstant(overdueSince));
  for (let counted = 0; counted < days; counted += 1) day = calendar.nextWorkingDay(day);
  return formatVietnamInstant(calendar.closingOf(day));
}

/** The instant the result was ready (the dossier's clock stopped), if it is. */
export function resultReadyAt(state: ReceivedDossier): string | null {
  const last = state.clock[state.clock.length - 1];
  return last?.type === 'stopped' ? last.at : null;
}

/**
 * Whether an earlier apology for lateness's new appointment was missed at `now`: it passed before
 * the result was ready. Only then may the dossier get another apology in the same overdue spell.
 */
export function newAppointmentMissed(state: ReceivedDossier, now: string): string | null {
  const promised = state.lateness?.newAppointment;
  if (!promised) return null;
  const promisedAt = parseInstant(promised);
  const ready = resultReadyAt(state);
  if (parseInstant(now) <= promisedAt) return null;
  if (ready !== null && parseInstant(ready) <= promisedAt) return null;
  return promised;
}

/**
 * When another apology for lateness becomes owed because the latest one's new appointment will be
 * missed: that appointment, unless the result was ready by then (the dossier stopped counts). No
 * event marks the moment it passes, so the work queue shows the duty from it when read
 * (db/work-queue.ts); the decider asks the same of `now` (newAppointmentMissed).
 */
export function nextApologyOwedFrom(state: ReceivedDossier): string | null {
  const promised = state.lateness?.apologised ? state.lateness.newAppointment : undefined;
  if (!promised) return null;
  const ready = resultReadyAt(state);
  return ready !== null && parseInstant(ready) <= parseInstant(promised) ? null : promised;
}

/**
 * The appointment in force for the applicant: the latest new appointment an apology for lateness
 * promised (until a restart supersedes it), else the form 04 extension's, else the receipt's.
 * Statistics keep judging by the original due time; this is what the applicant is told to expect.
 */
export function appointmentInForce(state: ReceivedDossier, extendedDue: string | null): string | null {
  return state.lateness?.newAppointment ?? extendedDue ?? state.accepted?.appointment ?? null;
}
