// The public catalogue of a unit (api/routes/public-pages.ts; docs/citizens.md#a-units-procedures-and-results):
// the procedures in force on a day that the unit or a unit below it is competent for, as a citizen
// reads them (domain/catalogue/public-procedure.ts).
import type { Kysely } from 'kysely';
import { competentAgenciesOn, type PublicProcedure, publicProcedureOf } from '../domain/catalogue/public-procedure.js';
import { agencyNames, currentDirectory, listProceduresInForce } from './catalogue.js';
import { unitsOf } from './reports/indicator-report.js';
import type { Database } from './schema.js';

/** The unit's procedures in force on `day` (YYYY-MM-DD, Vietnam), by code. */
export async function unitProcedures(db: Kysely<Database>, agencyCode: string, day: string): Promise<PublicProcedure[]> {
  const [units, directory, procedures] = await Promise.all([unitsOf(db, agencyCode), currentDirectory(db), listProceduresInForce(db, day)]);
  const within = new Set(units);
  const competentByCode = procedures.map((procedure) => ({ procedure, competent: competentAgenciesOn(procedure, directory, day).filter((code) => within.has(code)) }));
  const theirs = competentByCode.filter((entry) => entry.competent.length > 0);
  const names = await agencyNames(db, [...new Set(theirs.flatMap((entry) => entry.competent))]);
  return theirs.map((entry) => publicProcedureOf(entry.procedure, entry.competent, names)).sort((a, b) => a.code.localeCompare(b.code));
}
