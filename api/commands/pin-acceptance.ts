// What an acceptance fixes for the life of a dossier, read from the catalogues here so the decision
// and its replay never read them inside the workflow: the procedure version in force today, every
// agency the dossier will meet, and the holiday calendar's version.
import type { Kysely } from 'kysely';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { compareCalendarVersions, holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agenciesTakingPart } from '../../domain/catalogue/agencies-taking-part.js';
import type { AcceptDossier } from '../../domain/dossier/commands.js';
import { findAgencies, procedureInForce } from '../../db/catalogue.js';
import { storedCalendarAmendments } from '../../db/calendar-amendments.js';
import type { Database } from '../../db/schema.js';

export type Pinned = AcceptDossier['pinned'];

/** The pins of an acceptance at `now`, or undefined when no version of the procedure is in force. */
export async function pinAcceptance(db: Kysely<Database>, dossier: { readonly procedureCode: string; readonly receivingAgencyCode: string }, now: Date): Promise<Pinned | undefined> {
  const procedure = await procedureInForce(db, dossier.procedureCode, isoOfCivilDay(civilDayOfInstant(now.getTime())));
  if (!procedure) return undefined;
  const agencies = await findAgencies(db, agenciesTakingPart(procedure, dossier.receivingAgencyCode));
  // Amendments loaded as data and in force today are pinned with their data (db/calendar-amendments.ts).
  const today = isoOfCivilDay(civilDayOfInstant(now.getTime()));
  const loaded = (await storedCalendarAmendments(db, VIETNAM_CIVIL_SERVICE_CALENDAR.id)).filter((amendment) => amendment.effectiveFrom <= today);
  const calendarVersion = [holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, now.getTime()).version, ...loaded.map((amendment) => amendment.version)].sort(compareCalendarVersions).at(-1)!;
  return { procedure, agencies, calendarVersion, ...(loaded.length > 0 ? { calendarAmendments: loaded } : {}) };
}
