// What an acceptance fixes for the life of a dossier, read from the catalogues here so the decision
// and its replay never read them inside the workflow: the procedure version in force today with its
// roles resolved for the dossier's locality (domain/catalogue/resolve-roles.ts), every agency the
// dossier will meet, and the holiday calendar's version.
import type { Kysely } from 'kysely';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { compareCalendarVersions, holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agenciesTakingPart } from '../../domain/catalogue/agencies-taking-part.js';
import { type ResolutionError, resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import type { AcceptDossier } from '../../domain/dossier/commands.js';
import { currentDirectory, findAgencies, procedureInForce } from '../../db/catalogue.js';
import { storedCalendarAmendments } from '../../db/calendar-amendments.js';
import type { Database } from '../../db/schema.js';

export type Pinned = AcceptDossier['pinned'];

/**
 * The pins of an acceptance at `now`; undefined when no version of the procedure is in force, and
 * `{ refused }` when the directory names no body for one of its roles on that day, or says that an
 * agency the procedure names by code does not serve the dossier's locality then.
 */
export async function pinAcceptance(
  db: Kysely<Database>,
  dossier: { readonly procedureCode: string; readonly receivingAgencyCode: string; readonly localityCode?: string | undefined },
  now: Date,
): Promise<Pinned | { readonly refused: ResolutionError } | undefined> {
  const day = isoOfCivilDay(civilDayOfInstant(now.getTime()));
  const listed = await procedureInForce(db, dossier.procedureCode, day);
  if (!listed) return undefined;
  const resolved = resolveProcedure({ procedure: listed, directory: await currentDirectory(db), receivingAgencyCode: dossier.receivingAgencyCode, localityCode: dossier.localityCode, day });
  if (!resolved.ok) return { refused: resolved.error };
  const { procedure, record } = resolved;
  const agencies = await findAgencies(db, agenciesTakingPart(procedure, dossier.receivingAgencyCode));
  // Amendments loaded as data and in force today are pinned with their data (db/calendar-amendments.ts).
  const loaded = (await storedCalendarAmendments(db, VIETNAM_CIVIL_SERVICE_CALENDAR.id)).filter((amendment) => amendment.effectiveFrom <= day);
  const calendarVersion = [holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, now.getTime()).version, ...loaded.map((amendment) => amendment.version)].sort(compareCalendarVersions).at(-1)!;
  return { procedure, agencies, calendarVersion, ...(loaded.length > 0 ? { calendarAmendments: loaded } : {}), ...(record ? { resolution: record } : {}) };
}
