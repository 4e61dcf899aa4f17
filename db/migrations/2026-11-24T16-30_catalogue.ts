import { type Kysely, sql } from 'kysely';

// The catalogues: agencies and procedure versions, loaded from catalogue/*.json. A procedure
// version is never changed once loaded (dossiers pinned it); a change is a new version.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agencies')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('parent_code', 'text', (col) => col.references('agencies.code'))
    .addColumn('definition', 'jsonb', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('procedure_versions')
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('effective_from', 'date', (col) => col.notNull())
    .addColumn('effective_until', 'date')
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('sample', 'boolean', (col) => col.notNull())
    .addColumn('definition', 'jsonb', (col) => col.notNull())
    .addColumn('loaded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('procedure_versions_pkey', ['code', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('procedure_versions').execute();
  await db.schema.dropTable('agencies').execute();
}
