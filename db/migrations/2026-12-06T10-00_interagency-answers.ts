import { type Kysely, sql } from 'kysely';

// The inbox of the outside systems' answers (docs/integrations.md#answers-from-the-systems): every
// answer a system sent, by callback or by poll, kept before anything is done with it, so none is
// lost when Temporal is down, and applied in `sequence` order per (system, dossier). The body is
// kept without its file's bytes (the file is in the document store; the body names its StoredFile).
// A resend carries the same answer id: the primary key recognises it. The poll cursors beside it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE interagency_answers (
      system          text        NOT NULL,
      answer_id       text        NOT NULL,
      dossier_code    text        NOT NULL,
      step_id         text        NOT NULL,
      run             integer     NOT NULL,
      sequence        integer     NOT NULL,
      kind            text        NOT NULL,
      received_at     timestamptz NOT NULL DEFAULT now(),
      via             text        NOT NULL CHECK (via IN ('callback', 'poll')),
      body            jsonb       NOT NULL,
      body_sha256     text        NOT NULL,
      status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'held', 'applied', 'duplicate-content', 'refused')),
      outcome_code    text,
      outcome_message text,
      command_id      text        NOT NULL,
      applied_at      timestamptz,
      attempts        integer     NOT NULL DEFAULT 0,
      last_error      text,
      -- When the service last failed to apply it: the sweep waits attempts × 5 s (at most 5 min) from then.
      tried_at        timestamptz,
      PRIMARY KEY (system, answer_id)
    )`.execute(db);
  await sql`CREATE INDEX interagency_answers_lane ON interagency_answers (system, dossier_code, sequence)`.execute(db);
  // The sweep's list: the lanes with an answer still to apply.
  await sql`CREATE INDEX interagency_answers_waiting ON interagency_answers (received_at) WHERE status IN ('pending', 'held')`.execute(db);
  await sql`CREATE INDEX interagency_answers_dossier ON interagency_answers (dossier_code, received_at)`.execute(db);
  await sql`
    CREATE TABLE interagency_poll_cursors (
      system     text        PRIMARY KEY,
      cursor     text,
      polled_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE interagency_poll_cursors`.execute(db);
  await sql`DROP TABLE interagency_answers`.execute(db);
}
