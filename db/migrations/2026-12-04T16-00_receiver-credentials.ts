import { type Kysely, sql } from 'kysely';

// Credentials a receiver rotates (Zalo's OA refresh token is single-use: every refresh returns a
// new one), kept so that a restarted relay, or another one, goes on with the newest. Encrypted with
// the payload keys (platform/payload-codec.ts) like everything personal in Temporal.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE receiver_credentials (
      receiver    text        PRIMARY KEY,
      sealed      jsonb       NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE receiver_credentials`.execute(db);
}
