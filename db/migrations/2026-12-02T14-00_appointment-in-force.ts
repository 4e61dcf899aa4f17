import { type Kysely, type QueryExecutorProvider, sql } from 'kysely';

// The appointment in force for the applicant on the dossier summary (docs/lifecycle.md#the-two-apologies-and-the-explanation):
// the latest new appointment an apology for lateness promised, else the form 04 extension's, else
// the receipt's. Existing rows get what the projection (db/projections/dossier-read-models.ts)
// writes: the promise of the dossier's latest LatenessApologyIssued, when it gave one and no
// supplement restarted the legal time after it (a restart supersedes the promise).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary ADD COLUMN appointment_in_force_at timestamptz`.execute(db);
  await backfillAppointmentInForce(db);
}

/** Sets every row's appointment in force from the events (exported so a test can compare it with the projection). */
export async function backfillAppointmentInForce(db: QueryExecutorProvider): Promise<void> {
  await sql`
    UPDATE dossier_summary s
       SET appointment_in_force_at = coalesce((
             SELECT (e.payload->>'newAppointment')::timestamptz
               FROM events e
              WHERE e.stream_id = s.dossier_code
                AND (e.type = 'LatenessApologyIssued' OR (e.type = 'SupplementProvided' AND e.payload->>'clockEffect' = 'restart'))
              ORDER BY e.stream_version DESC
              LIMIT 1), extended_due_at, appointment_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary DROP COLUMN appointment_in_force_at`.execute(db);
}
