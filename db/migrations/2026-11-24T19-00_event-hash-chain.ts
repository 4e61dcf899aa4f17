import { type Kysely, sql } from 'kysely';
import { eventHashOfRow, GENESIS_HASH } from '../event-hash.js';

// Each event gets the hash of its stream's chain (db/event-hash.ts). Events stored before this
// migration are hashed here, stream by stream in version order, with the append-only trigger
// lifted for that one statement and restored in the same transaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events ADD COLUMN hash bytea`.execute(db);
  const rows = await sql<{ global_position: string; stream_id: string; stream_version: number; event_id: string; type: string; schema_version: number; payload: unknown; metadata: unknown; occurred_at: Date }>`
    SELECT global_position, stream_id, stream_version, event_id, type, schema_version, payload, metadata, occurred_at
    FROM events ORDER BY stream_id, stream_version`.execute(db);
  if (rows.rows.length > 0) {
    await sql`ALTER TABLE events DISABLE TRIGGER events_append_only`.execute(db);
    let previous: Buffer = GENESIS_HASH;
    let stream = '';
    for (const row of rows.rows) {
      if (row.stream_id !== stream) {
        stream = row.stream_id;
        previous = GENESIS_HASH;
      }
      previous = eventHashOfRow(previous, row);
      await sql`UPDATE events SET hash = ${previous} WHERE global_position = ${row.global_position}`.execute(db);
    }
    await sql`ALTER TABLE events ENABLE TRIGGER events_append_only`.execute(db);
  }
  await sql`ALTER TABLE events ALTER COLUMN hash SET NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events DROP COLUMN hash`.execute(db);
}
