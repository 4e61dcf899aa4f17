import { type Kysely, sql } from 'kysely';

// The event store and the first inline projection. Events are append-only: a trigger refuses any
// UPDATE, DELETE or TRUNCATE, so even a bug or a stray console session cannot rewrite history.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id       text        NOT NULL,
      stream_version  integer     NOT NULL CHECK (stream_version >= 1),
      event_id        uuid        NOT NULL UNIQUE,
      type            text        NOT NULL,
      schema_version  integer     NOT NULL CHECK (schema_version >= 1),
      payload         jsonb       NOT NULL,
      metadata        jsonb       NOT NULL,
      occurred_at     timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL DEFAULT now(),
      transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
      CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
    )`.execute(db);
  await sql`CREATE INDEX events_type_position ON events (type, global_position)`.execute(db);

  await sql`
    CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are append-only: % refused on the event log', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`.execute(db);
  await sql`
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`.execute(db);

  await sql`
    CREATE TABLE dossier_summary (
      dossier_code         text        PRIMARY KEY,
      agency_code          text        NOT NULL,
      procedure_code       text        NOT NULL,
      channel              text        NOT NULL,
      status               text        NOT NULL,
      portal_status        smallint    NOT NULL,
      applicant_kind       text        NOT NULL,
      applicant_name       text        NOT NULL,
      received_at          timestamptz NOT NULL,
      stream_version       integer     NOT NULL,
      last_global_position bigint      NOT NULL,
      updated_at           timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX dossier_summary_agency_received ON dossier_summary (agency_code, received_at DESC)`.execute(db);

  await sql`
    CREATE TABLE dossier_daily_serials (
      agency_code    text    NOT NULL,
      reception_date date    NOT NULL,
      last_serial    integer NOT NULL CHECK (last_serial >= 1),
      PRIMARY KEY (agency_code, reception_date)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE dossier_daily_serials`.execute(db);
  await sql`DROP TABLE dossier_summary`.execute(db);
  await sql`DROP TABLE events`.execute(db);
  await sql`DROP FUNCTION events_refuse_change()`.execute(db);
}
