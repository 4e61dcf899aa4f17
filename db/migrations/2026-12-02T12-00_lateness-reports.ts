import { type Kysely, sql } from 'kysely';

// What the reports need about late dossiers (docs/reports.md#late-dossiers-apologies-and-explanations):
// when a dossier went past the appointment in force, the agency that held it then, and when it got
// its apology for lateness and its accountability explanation (and when that was due). Rows written
// before this migration have them null until the projection is rebuilt (npm run projections:rebuild).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE report_dossiers
      ADD COLUMN overdue_at              timestamptz,
      ADD COLUMN responsible_agency_code text,
      ADD COLUMN lateness_apology_at     timestamptz,
      ADD COLUMN lateness_explained_at   timestamptz,
      ADD COLUMN explanation_due_at      timestamptz`.execute(db);
  await sql`CREATE INDEX report_dossiers_responsible_overdue_at ON report_dossiers (responsible_agency_code, overdue_at) WHERE overdue_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX report_dossiers_responsible_overdue_at`.execute(db);
  await sql`
    ALTER TABLE report_dossiers
      DROP COLUMN overdue_at, DROP COLUMN responsible_agency_code, DROP COLUMN lateness_apology_at,
      DROP COLUMN lateness_explained_at, DROP COLUMN explanation_due_at`.execute(db);
}
