import { type Kysely, sql } from 'kysely';

// Responses stored under a client's Idempotency-Key, so a retried POST replays the first answer
// instead of acting twice. Keys are scoped by the caller: two users may pick the same key.
// `resource` keeps what a first attempt allocated (a dossier code), so a retry reuses it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      caller        text        NOT NULL,
      key           text        NOT NULL,
      request_hash  text        NOT NULL,
      status_code   integer,
      response      jsonb,
      resource      jsonb,
      created_at    timestamptz NOT NULL DEFAULT now(),
      completed_at  timestamptz,
      PRIMARY KEY (caller, key)
    )`.execute(db);
  await sql`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE idempotency_keys`.execute(db);
}
