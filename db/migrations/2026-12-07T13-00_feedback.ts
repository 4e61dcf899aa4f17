import { type Kysely, sql } from 'kysely';

// Feedback items (PAKN; docs/feedback.md, docs/decisions/0023-feedback-stream-kind.md). Their events
// go to the same `events` table as the dossiers'; these are their inline read model and the
// allocation of their ids.
// - feedback_summary: one row per item, rewritten from the fold of its stream in the append's
//   transaction (db/feedback/feedback-projection.ts). It holds what staff queues and the 766
//   indicators need: no personal data of the sender (the submitter lives in the events).
// - feedback_daily_serials: the NNNN of PAKN-<unit>-<YYMMDD>-<NNNN>, per unit and day.
// - feedback_intake_keys: the id an intake key (a national item's id, a caller's Idempotency-Key)
//   was given, so a retried reception receives the same item once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE feedback_summary (
      feedback_id text PRIMARY KEY,
      agency_code text NOT NULL,
      current_agency_code text NOT NULL,
      status text NOT NULL,
      national_label text NOT NULL,
      category text,
      channel text NOT NULL,
      title text NOT NULL,
      sent_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      dossier_code text,
      external_id text,
      follow_up_of text,
      refuse_due_at timestamptz,
      info_request_due_at timestamptz,
      answer_due_at timestamptz,
      publish_due_at timestamptz,
      next_due_at timestamptz,
      next_due_clock text,
      due_soon boolean NOT NULL DEFAULT false,
      overdue boolean NOT NULL DEFAULT false,
      alerts jsonb NOT NULL DEFAULT '{}',
      accepted_at timestamptz,
      refused_at timestamptz,
      transferred_out_at timestamptz,
      answered_at timestamptz,
      published_at timestamptz,
      handled_at timestamptz,
      on_time boolean,
      late_clocks text[] NOT NULL DEFAULT '{}',
      likes integer NOT NULL DEFAULT 0,
      dislikes integer NOT NULL DEFAULT 0,
      stream_version integer NOT NULL,
      last_global_position bigint NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX feedback_summary_queue ON feedback_summary (current_agency_code, next_due_at) WHERE handled_at IS NULL`.execute(db);
  await sql`CREATE INDEX feedback_summary_received ON feedback_summary (agency_code, sent_at)`.execute(db);
  await sql`CREATE INDEX feedback_summary_follow_up ON feedback_summary (follow_up_of) WHERE follow_up_of IS NOT NULL`.execute(db);
  await sql`CREATE INDEX feedback_summary_dossier ON feedback_summary (dossier_code) WHERE dossier_code IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE feedback_daily_serials (
      agency_code text NOT NULL,
      received_date date NOT NULL,
      last_serial integer NOT NULL,
      PRIMARY KEY (agency_code, received_date)
    )`.execute(db);
  await sql`
    CREATE TABLE feedback_intake_keys (
      intake_key text PRIMARY KEY,
      feedback_id text NOT NULL UNIQUE,
      received_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE feedback_intake_keys`.execute(db);
  await sql`DROP TABLE feedback_daily_serials`.execute(db);
  await sql`DROP TABLE feedback_summary`.execute(db);
}
