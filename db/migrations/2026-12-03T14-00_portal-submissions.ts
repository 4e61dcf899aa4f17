import { type Kysely, sql } from 'kysely';

// The portal intake's idempotency (docs/portal-intake.md#idempotency): one row per (portal, the
// portal's dossier id), claimed with the dossier code it allocated, in one transaction, before the
// dossier's workflow is asked to receive it. `submission_digest` is the SHA-256 of the canonical
// submission (its fields, and its files by their digests), so a resend is recognised as the same
// submission or refused as another one under the same id. `answer` is the first answer, kept for
// good (not swept like Idempotency-Keys): a portal may resend days later. A row without an answer is
// a reception in flight, or one whose process died: a resend drives the same command again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE portal_submissions (
      portal             text        NOT NULL,
      portal_dossier_id  text        NOT NULL,
      submission_digest  text        NOT NULL,
      dossier_code       text        NOT NULL UNIQUE,
      received_at        timestamptz NOT NULL,
      command_id         text        NOT NULL,
      answer             jsonb,
      claimed_at         timestamptz NOT NULL DEFAULT now(),
      answered_at        timestamptz,
      PRIMARY KEY (portal, portal_dossier_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE portal_submissions`.execute(db);
}
