import { type Kysely, sql } from 'kysely';

// The open-dossier gauges (motcua_dossiers_open{status}, motcua_dossiers_overdue{status}; platform/metrics.ts)
// count the open dossiers by status at every scrape (db/open-dossier-counts.ts). A partial index of
// the open ones, with the two columns counted, answers that from the index alone, however many
// closed dossiers the years add to the summary.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX dossier_summary_open_status ON dossier_summary (status, overdue) WHERE closed_at IS NULL AND mirrored_from IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX dossier_summary_open_status`.execute(db);
}
