import { type Kysely, sql } from 'kysely';

// Where the applicant's evaluation came from (docs/reports.md#evaluations-by-source): `online` (the
// citizen's own, with the receipt's code and secret), `paper-form` (a paper form the centre
// collected, entered by staff) or `staff-recorded` (recorded by staff before evaluations carried
// their source). Every evaluation before this version was staff-recorded, so the existing rows are
// set so here and nothing needs rebuilding; later rows come from the events (db/projections/report-projection.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE report_dossiers ADD COLUMN evaluation_source text`.execute(db);
  await sql`UPDATE report_dossiers SET evaluation_source = 'staff-recorded' WHERE evaluated_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE report_dossiers DROP COLUMN evaluation_source`.execute(db);
}
