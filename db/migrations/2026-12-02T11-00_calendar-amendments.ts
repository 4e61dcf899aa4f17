import { type Kysely, sql } from 'kysely';

// Calendar amendments loaded as data (docs/deadlines.md#amendments-loaded-as-data-and-their-adoption):
// one row per version, never updated (a change is the next version), and the progress of each one's
// roll-out to the open dossiers.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_amendments')
    .addColumn('calendar_id', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    // For ordering in SQL: 2026.10 after 2026.9.
    .addColumn('version_year', 'integer', (col) => col.notNull())
    .addColumn('version_sequence', 'integer', (col) => col.notNull())
    .addColumn('effective_from', 'date', (col) => col.notNull())
    .addColumn('legal_reference', 'text', (col) => col.notNull())
    .addColumn('amendment', 'jsonb', (col) => col.notNull())
    .addColumn('content_sha256', 'text', (col) => col.notNull())
    .addColumn('loaded_by', 'text', (col) => col.notNull())
    .addColumn('loaded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('calendar_amendments_pkey', ['calendar_id', 'version'])
    .execute();

  await db.schema
    .createTable('calendar_rollouts')
    .addColumn('calendar_id', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('running', 'done')`))
    .addColumn('passes', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('adopted', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('already', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('refused', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('not_running', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_dossier_code', 'text')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('calendar_rollouts_pkey', ['calendar_id', 'version'])
    .addForeignKeyConstraint('calendar_rollouts_amendment_fkey', ['calendar_id', 'version'], 'calendar_amendments', ['calendar_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_rollouts').execute();
  await db.schema.dropTable('calendar_amendments').execute();
}
