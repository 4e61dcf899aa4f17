import { type Kysely, sql } from 'kysely';

// The outbox (docs/integrations.md, docs/decisions/0018): one row per (event, receiver) the log
// subscriber planned, keyed by the idempotency key derived from both, and one row per attempt to
// carry it out. A delivery row is written in the same transaction as the subscriber's checkpoint,
// so a planned delivery is never lost and never planned twice. The lane of a (receiver, dossier)
// carries its rows out in `sequence` order (the event's stream version); a row that is `dead`
// holds back the later ones of its lane until an operator retries or closes it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE deliveries (
      key              text        PRIMARY KEY,
      receiver         text        NOT NULL,
      dossier_code     text        NOT NULL,
      sequence         integer     NOT NULL,
      event_type       text        NOT NULL,
      trigger          text        NOT NULL,
      global_position  bigint      NOT NULL,
      state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'closed')),
      not_before       timestamptz,
      event_committed_at timestamptz NOT NULL,
      planned_at       timestamptz NOT NULL DEFAULT now(),
      dispatched_at    timestamptz,
      delivered_at     timestamptz,
      dead_at          timestamptz,
      closed_at        timestamptz,
      closed_by        text,
      closed_reason    text,
      attempts         integer     NOT NULL DEFAULT 0,
      last_error       text,
      receiver_reference text,
      UNIQUE (receiver, dossier_code, sequence, trigger)
    )`.execute(db);
  await sql`CREATE INDEX deliveries_lane ON deliveries (receiver, dossier_code, sequence) WHERE state IN ('pending', 'dead')`.execute(db);
  await sql`CREATE INDEX deliveries_undispatched ON deliveries (planned_at) WHERE state = 'pending' AND dispatched_at IS NULL`.execute(db);
  await sql`CREATE INDEX deliveries_dead ON deliveries (dead_at) WHERE state = 'dead'`.execute(db);
  await sql`CREATE INDEX deliveries_dossier ON deliveries (dossier_code, sequence)`.execute(db);
  await sql`
    CREATE TABLE delivery_attempts (
      delivery_key  text        NOT NULL REFERENCES deliveries (key),
      attempt       integer     NOT NULL,
      started_at    timestamptz NOT NULL,
      finished_at   timestamptz NOT NULL,
      outcome       text        NOT NULL CHECK (outcome IN ('delivered', 'already-delivered', 'failed', 'refused')),
      request       jsonb,
      request_sha256 text,
      response      text,
      error         text,
      PRIMARY KEY (delivery_key, attempt)
    )`.execute(db);
  // The planner starts at the log's head: what happened before the outbox existed is not announced
  // now (no SMS about last year's dossier); the portal's nightly reconciliation brings it level.
  await sql`
    INSERT INTO projection_checkpoints (name, last_transaction_id, last_position)
    SELECT 'deliveries', transaction_id, global_position FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1
    ON CONFLICT (name) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM projection_checkpoints WHERE name = 'deliveries'`.execute(db);
  await sql`DROP TABLE delivery_attempts`.execute(db);
  await sql`DROP TABLE deliveries`.execute(db);
}
