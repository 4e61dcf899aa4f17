import { type Kysely, sql } from 'kysely';

// Mirrors of dossiers handled on a ministry's own system (Decree 224/2026 art. 15(1)(h);
// docs/decisions/0021-mirrored-dossiers.md). Their events go to the same log as the dossiers'; the
// summary and the report row say which system a mirror comes from (null: the engine's own dossier),
// so lists and reports can show them apart ("of which mirrored"). The summary also keeps the
// source's revision, which a push is checked against. Existing rows are the engine's own: null.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary ADD COLUMN mirrored_from text, ADD COLUMN source_updated_at timestamptz`.execute(db);
  await sql`ALTER TABLE report_dossiers ADD COLUMN mirrored_from text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE report_dossiers DROP COLUMN mirrored_from`.execute(db);
  await sql`ALTER TABLE dossier_summary DROP COLUMN mirrored_from, DROP COLUMN source_updated_at`.execute(db);
}
