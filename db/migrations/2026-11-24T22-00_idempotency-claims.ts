import { type Kysely, sql } from 'kysely';

// When a key's current claim began, apart from when the key was first used. A claim released after
// a server error used to move created_at back to 1970, so the daily sweep deleted the key, and the
// dossier code it remembered, within the hour: the client's next retry then received the dossier a
// second time. The sweep keeps reading created_at; staleness and release now use claimed_at.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  await sql`UPDATE idempotency_keys SET claimed_at = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys DROP COLUMN claimed_at`.execute(db);
}
