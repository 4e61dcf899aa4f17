// Reads of the dossier summary, the read model the API answers most questions from.
import type { Kysely } from 'kysely';
import type { Database, DossierSummaryRow } from './schema.js';

export async function findDossierSummary(db: Kysely<Database>, dossierCode: string): Promise<DossierSummaryRow | undefined> {
  return db.selectFrom('dossier_summary').selectAll().where('dossier_code', '=', dossierCode).executeTakeFirst();
}
