import { type Kysely, sql } from 'kysely';

// The national PAKN system's side (docs/integrations.md#national-pakn-system): where the inbox's two
// polls (new items, reactions) stand, and each item's national id with the latest version pushed
// there, so a push after a crash or a retry is told apart from a new one and an item entered locally
// is created there once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE national_pakn_cursors (
      feed       text        PRIMARY KEY CHECK (feed IN ('items', 'reactions')),
      cursor     text,
      polled_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE national_pakn_links (
      feedback_id     text        PRIMARY KEY,
      external_id     text        NOT NULL UNIQUE,
      pushed_version  integer     NOT NULL DEFAULT 0,
      pushed_at       timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE national_pakn_links`.execute(db);
  await sql`DROP TABLE national_pakn_cursors`.execute(db);
}
