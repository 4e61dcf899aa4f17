// An open dossier adopts a calendar amendment announced after it was accepted (docs/deadlines.md,
// docs/decisions/0015). The amendment arrives as a command carrying its data, so the workflow never
// reads shared state; its days apply from the day after the adoption on, and the days already lived
// keep what they were. An amendment that changes no day ahead is still adopted, with an empty list of
// changed days: the dossier's calendar then always names every version it knows, and each later
// amendment builds on all the earlier ones, as the built-in calendar's do.
import { canonicalJson, changedDays, lastYearTouched } from '../calendar/calendar-adoption.js';
import { civilDayOfInstant, isoOfCivilDay, localDateOf, parseInstant } from '../calendar/civil-day.js';
import { compareCalendarVersions } from '../calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../calendar/vietnam-civil-service-calendar.js';
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { roleNotAllowed } from './decision-guards.js';
import { dossierCalendar, readDossierClock } from './dossier-clock.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent } from './events.js';
import { evolveDossier, type ReceivedDossier } from './state.js';

const RULE = 'Open dossiers adopt calendar amendments for the days they have still to live (Labor Code 45/2019/QH14 art. 112(3); docs/deadlines.md)';

/** The versions of a calendar a dossier already follows, with their content: pinned, built-in up to the pin, adopted. */
function knownVersions(state: ReceivedDossier, calendarId: string): Map<string, CalendarAmendment> {
  const known = new Map<string, CalendarAmendment>();
  const accepted = state.accepted!;
  if (calendarId === VIETNAM_CIVIL_SERVICE_CALENDAR.id) {
    for (const amendment of VIETNAM_CIVIL_SERVICE_CALENDAR.amendments) {
      if (compareCalendarVersions(amendment.version, accepted.calendarVersion) <= 0) known.set(amendment.version, amendment);
    }
    for (const amendment of accepted.calendarAmendments ?? []) known.set(amendment.version, amendment);
  }
  for (const adoption of state.calendarAdoptions ?? []) if (adoption.calendarId === calendarId) known.set(adoption.version, adoption.amendment);
  return known;
}

export function decideCalendarAdoption(state: ReceivedDossier, command: CommandOfType<'AdoptCalendarAmendment'>, { now }: DecisionContext): Decision<DossierEvent> {
  const role = roleNotAllowed(command.actor, command.type);
  if (role) return refuse(role);
  const { calendarId, amendment } = command;
  const refusal = (code: DomainError['code'], message: string): Decision<DossierEvent> => refuse({ code, message, rule: RULE, field: 'amendment.version' });
  if (!state.accepted) {
    return refusal('CALENDAR_AMENDMENT_BEFORE_ACCEPTANCE', `Dossier ${state.dossierCode} has not been accepted: it will pin the calendar in force when it is, ${amendment.version} included.`);
  }
  if (!state.accepted.agencies.some((agency) => agency.calendarId === calendarId)) {
    return refuse({ code: 'CALENDAR_NOT_FOLLOWED', message: `No agency of dossier ${state.dossierCode} follows calendar ${calendarId}; its due dates do not depend on it.`, rule: RULE, field: 'calendarId' });
  }
  const known = knownVersions(state, calendarId);
  const same = known.get(amendment.version);
  if (same) {
    if (canonicalJson(same) === canonicalJson(amendment)) {
      return refusal('CALENDAR_AMENDMENT_ALREADY_ADOPTED', `Dossier ${state.dossierCode} already follows ${calendarId}@${amendment.version}.`);
    }
    return refusal('CALENDAR_AMENDMENT_CONFLICT', `Dossier ${state.dossierCode} follows ${calendarId}@${amendment.version} with other content; a version never changes, so publish the correction as a new version.`);
  }
  const latest = [...known.keys()].sort(compareCalendarVersions).at(-1);
  if (latest && compareCalendarVersions(amendment.version, latest) < 0) {
    return refusal('CALENDAR_AMENDMENT_OUT_OF_ORDER', `Dossier ${state.dossierCode} already follows ${calendarId}@${latest}, later than ${amendment.version}; amendments are adopted in the order of their versions.`);
  }

  // The day of adoption has begun: it keeps what it was, and the amendment speaks for the days after.
  const today = civilDayOfInstant(parseInstant(now));
  const appliesFrom = isoOfCivilDay(today + 1);
  const draft = { at: now, calendarId, version: amendment.version, amendment, appliesFrom, changedDays: [], dueBefore: null, dueAfter: null };
  const adopted = evolveDossier(state, { type: 'CalendarAmendmentAdopted', schemaVersion: 1, data: draft }) as ReceivedDossier;
  const changed = changedDays(dossierCalendar(state, now), dossierCalendar(adopted, now), today + 1, lastYearTouched(amendment, localDateOf(today).year));
  const dueOf = (dossier: ReceivedDossier): string | null => (dossier.clock.length > 0 ? readDossierClock(dossier, now).due : null);
  return accept({
    type: 'CalendarAmendmentAdopted',
    schemaVersion: 1,
    data: { ...draft, changedDays: changed, dueBefore: dueOf(state), dueAfter: dueOf(adopted) },
  });
}
