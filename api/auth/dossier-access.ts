// Which dossiers a caller may read. Auditors read everything; the staff of an agency read the
// dossiers their agency received, decides, or held a step of. Dossiers hold personal data, so
// nobody else reads them (admins manage catalogues, not dossiers).
import type { Kysely } from 'kysely';
import { agencyTakesPartInDossier } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import type { Caller } from './token-verifier.js';

export async function agencyTakesPart(db: Kysely<Database>, caller: Caller, dossierCode: string): Promise<boolean> {
  if (caller.actor.role === 'auditor') return true;
  return agencyTakesPartInDossier(db, caller.actor.agencyCode, dossierCode);
}
