import { type Kysely, sql } from 'kysely';

// The result is the competent body's signed file, recorded by its ResultIssued event (digest, size,
// signature report): find it by its digest (access to GET /documents/{sha256}) and by its result code
// (GET /verify/results/{resultCode}) as the engine's own documents are found (db/issued-documents.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX events_result_digest ON events ((payload->'document'->>'sha256')) WHERE type = 'ResultIssued'`.execute(db);
  await sql`CREATE INDEX events_result_code ON events ((payload->>'resultCode')) WHERE type = 'ResultIssued'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX events_result_code`.execute(db);
  await sql`DROP INDEX events_result_digest`.execute(db);
}
