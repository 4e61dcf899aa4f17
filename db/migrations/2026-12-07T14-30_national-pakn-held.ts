import { type Kysely, sql } from 'kysely';

// Items the national PAKN system served that reception refused (a unit the catalogue does not know
// yet, a sending time ahead of the engine's clock): held here for an operator instead of lost once
// the inbox's cursor moves past them, and tried again at the next polls for a while
// (worker/national-pakn-inbox.ts; docs/integrations.md#national-pakn-system). `item` holds the item
// as served, its files already in the document store: personal data, like the events; never logged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE national_pakn_held (
      external_id     text        PRIMARY KEY,
      agency_code     text        NOT NULL,
      item            jsonb       NOT NULL,
      state           text        NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'received', 'expired')),
      refusal_code    text        NOT NULL,
      refusal_detail  text        NOT NULL,
      tries           integer     NOT NULL DEFAULT 1,
      held_at         timestamptz NOT NULL DEFAULT now(),
      tried_at        timestamptz NOT NULL DEFAULT now(),
      feedback_id     text
    )`.execute(db);
  await sql`CREATE INDEX national_pakn_held_open ON national_pakn_held (held_at) WHERE state = 'held'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE national_pakn_held`.execute(db);
}
