import { sql, type Kysely } from 'kysely';
import { formatIsoDate, type LocalDate } from '../domain/calendar/vietnam-time.js';
import type { Database } from './schema.js';

/**
 * Hands out the next serial (the NNNN of a dossier code) for a receiving agency and reception date.
 * One upsert takes the row lock, so concurrent receptions at one agency queue on it and each gets
 * the next number: unique and gap-free among the serials handed out.
 */
export async function allocateDossierSerial(db: Kysely<Database>, agencyCode: string, receptionDate: LocalDate): Promise<number> {
  const row = await db
    .insertInto('dossier_daily_serials')
    .values({ agency_code: agencyCode, reception_date: formatIsoDate(receptionDate), last_serial: 1 })
    .onConflict((oc) =>
      oc.columns(['agency_code', 'reception_date']).doUpdateSet({
        last_serial: sql<number>`dossier_daily_serials.last_serial + 1`,
      }),
    )
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return row.last_serial;
}
