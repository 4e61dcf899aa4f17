import { type Kysely, sql } from 'kysely';

// The nightly reconciliation plans one `resync` delivery per dossier and day (its key ends with
// the day: db/outbox/reconciliation.ts). The table's UNIQUE (receiver, dossier_code, sequence,
// trigger) allowed one resync per sequence for ever: a dossier that still differed the next night,
// with no event since, got no second resend (ON CONFLICT DO NOTHING took the clash for "planned
// already today"). The rule stays for the deliveries planned from events, one per (event, receiver,
// trigger); resyncs are told apart by their key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE deliveries DROP CONSTRAINT deliveries_receiver_dossier_code_sequence_trigger_key`.execute(db);
  await sql`CREATE UNIQUE INDEX deliveries_event_receiver_trigger ON deliveries (receiver, dossier_code, sequence, trigger) WHERE trigger <> 'resync'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX deliveries_event_receiver_trigger`.execute(db);
  await sql`ALTER TABLE deliveries ADD CONSTRAINT deliveries_receiver_dossier_code_sequence_trigger_key UNIQUE (receiver, dossier_code, sequence, trigger)`.execute(db);
}
