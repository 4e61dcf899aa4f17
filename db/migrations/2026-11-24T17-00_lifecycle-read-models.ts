import { type Kysely, sql } from 'kysely';

// Read models of the lifecycle, kept in the append transaction: the dossier summary grows the
// lifecycle's columns, work queues list what each agency has in hand, the control slip (form 06)
// has a row per step run. All three are a function of the events and can be rebuilt from them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE dossier_summary
      ADD COLUMN procedure_version     text,
      ADD COLUMN competent_agency_code text,
      ADD COLUMN calendar_version      text,
      ADD COLUMN accepted_at           timestamptz,
      ADD COLUMN appointment_at        timestamptz,
      ADD COLUMN due_at                timestamptz,
      ADD COLUMN extended_due_at       timestamptz,
      ADD COLUMN clock_state           text,
      ADD COLUMN overdue               boolean NOT NULL DEFAULT false,
      ADD COLUMN due_soon              boolean NOT NULL DEFAULT false,
      ADD COLUMN supplement_requests   integer NOT NULL DEFAULT 0,
      ADD COLUMN current_agencies      text[]  NOT NULL DEFAULT '{}',
      ADD COLUMN result_code           text,
      ADD COLUMN closed_at             timestamptz`.execute(db);
  await sql`CREATE INDEX dossier_summary_due ON dossier_summary (due_at) WHERE closed_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE work_queue (
      dossier_code    text        NOT NULL,
      item            text        NOT NULL,
      agency_code     text        NOT NULL,
      kind            text        NOT NULL,
      task            text        NOT NULL,
      since           timestamptz NOT NULL,
      due_at          timestamptz,
      handler_user_id text,
      due_soon        boolean     NOT NULL DEFAULT false,
      overdue         boolean     NOT NULL DEFAULT false,
      PRIMARY KEY (dossier_code, item)
    )`.execute(db);
  await sql`CREATE INDEX work_queue_agency ON work_queue (agency_code, due_at NULLS LAST)`.execute(db);

  await sql`
    CREATE TABLE control_slip (
      dossier_code      text        NOT NULL,
      step_id           text        NOT NULL,
      run               integer     NOT NULL,
      stage_index       integer     NOT NULL,
      from_agency_code  text        NOT NULL,
      to_agency_code    text        NOT NULL,
      task              text        NOT NULL,
      received_at       timestamptz NOT NULL,
      due_at            timestamptz NOT NULL,
      finished_at       timestamptz,
      status            text        NOT NULL,
      handler_user_id   text,
      allotted_minutes  numeric,
      used_minutes      numeric,
      mark              text,
      PRIMARY KEY (dossier_code, step_id, run)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE control_slip`.execute(db);
  await sql`DROP TABLE work_queue`.execute(db);
  await sql`DROP INDEX dossier_summary_due`.execute(db);
  await sql`
    ALTER TABLE dossier_summary
      DROP COLUMN procedure_version, DROP COLUMN competent_agency_code, DROP COLUMN calendar_version,
      DROP COLUMN accepted_at, DROP COLUMN appointment_at, DROP COLUMN due_at, DROP COLUMN extended_due_at,
      DROP COLUMN clock_state, DROP COLUMN overdue, DROP COLUMN due_soon, DROP COLUMN supplement_requests,
      DROP COLUMN current_agencies, DROP COLUMN result_code, DROP COLUMN closed_at`.execute(db);
}
