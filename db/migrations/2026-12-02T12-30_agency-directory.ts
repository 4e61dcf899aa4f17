import { type Kysely, sql } from 'kysely';

// The province's agency directory (domain/catalogue/directory.ts), one row per loaded version. A
// version is never changed once loaded: dossiers pinned resolutions that name it. The latest
// loaded version (by `seq`) is the one acceptances read; its entries carry their own dates.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agency_directories')
    .addColumn('version', 'text', (col) => col.primaryKey())
    .addColumn('seq', 'integer', (col) => col.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn('definition', 'jsonb', (col) => col.notNull())
    .addColumn('loaded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agency_directories').execute();
}
