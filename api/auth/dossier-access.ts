// Which dossiers a caller may read. Auditors read everything; the staff of an agency read the
// dossiers their agency received, decides, or held a step of. Dossiers hold personal data, so
// nobody else reads them (admins manage catalogues, not dossiers).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Caller } from './token-verifier.js';

export async function agencyTakesPart(db: Kysely<Database>, caller: Caller, dossierCode: string): Promise<boolean> {
  if (caller.actor.role === 'auditor') return true;
  const agency = caller.actor.agencyCode;
  const row = await db
    .selectFrom('dossier_summary')
    .select('dossier_code')
    .where('dossier_code', '=', dossierCode)
    .where((eb) =>
      eb.or([
        eb('agency_code', '=', agency),
        eb('competent_agency_code', '=', agency),
        eb.exists(eb.selectFrom('control_slip').select('control_slip.dossier_code').where('control_slip.dossier_code', '=', dossierCode).where('control_slip.to_agency_code', '=', agency)),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
