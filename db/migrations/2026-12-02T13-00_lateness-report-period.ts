import { type Kysely, sql } from 'kysely';

// The lateness report of an auditor, over every agency, reads late dossiers by the period they went
// overdue in (db/reports/lateness-report.ts): the index led by the responsible agency does not serve
// it, so the rows are found by overdue_at alone. Partial, like the other: most dossiers are never late.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX report_dossiers_overdue_at ON report_dossiers (overdue_at) WHERE overdue_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A projection rebuild recreates the table's indexes under generated names: drop by the columns.
  const { rows } = await sql<{ name: string }>`
    SELECT indexname AS name FROM pg_indexes
    WHERE tablename = 'report_dossiers' AND indexdef LIKE '%(overdue_at) WHERE (overdue_at IS NOT NULL)'`.execute(db);
  for (const { name } of rows) await sql`DROP INDEX ${sql.id(name)}`.execute(db);
}
