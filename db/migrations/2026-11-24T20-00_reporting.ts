import { type Kysely, sql } from 'kysely';

// Reporting projections (domain/reporting/): maintained asynchronously from the global event log,
// with a checkpoint per projection committed in the same transaction as its rows.
// - report_dossiers: one row per dossier, every fact with the instant it became true;
// - report_open_intervals: the stretches in which an accepted, unresolved dossier's figures held;
// - report_targets: each unit's local targets per year (≥ 98% on time, …), from the catalogue.
// The checkpoint is a (transaction id, position) pair: readers only take events of transactions
// below the oldest one still open, so a transaction that commits late is never skipped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX events_transaction_position ON events (transaction_id, global_position)`.execute(db);

  await sql`
    CREATE TABLE projection_checkpoints (
      name                text        PRIMARY KEY,
      last_transaction_id xid8        NOT NULL DEFAULT '0',
      last_position       bigint      NOT NULL DEFAULT 0,
      events_seen         bigint      NOT NULL DEFAULT 0,
      updated_at          timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE report_dossiers (
      dossier_code            text        PRIMARY KEY,
      agency_code             text        NOT NULL,
      competent_agency_code   text,
      procedure_code          text        NOT NULL,
      procedure_version       text,
      field                   text,
      channel                 text        NOT NULL,
      registered_at           timestamptz NOT NULL,
      accepted_at             timestamptz,
      refused_at_reception_at timestamptz,
      appointment_at          timestamptz,
      resolved_at             timestamptz,
      resolution              text,
      dossier_rule            text,
      decision766             text,
      processing_days         numeric,
      e_result_at             timestamptz,
      returned_at             timestamptz,
      return_method           text,
      fee_bearing_from        timestamptz,
      paid_at                 timestamptz,
      paid_online_at          timestamptz,
      digitised_at            timestamptz,
      reused_data_at          timestamptz,
      supplement_requests     integer     NOT NULL,
      apology_at              timestamptz,
      evaluated_at            timestamptz,
      rating                  text
    )`.execute(db);
  // A period's report reads the dossiers registered, accepted or resolved in it, for a unit or all.
  for (const column of ['registered_at', 'accepted_at', 'resolved_at']) {
    await sql`CREATE INDEX ${sql.raw(`report_dossiers_agency_${column}`)} ON report_dossiers (agency_code, ${sql.ref(column)})`.execute(db);
    await sql`CREATE INDEX ${sql.raw(`report_dossiers_competent_${column}`)} ON report_dossiers (competent_agency_code, ${sql.ref(column)})`.execute(db);
    await sql`CREATE INDEX ${sql.raw(`report_dossiers_${column}`)} ON report_dossiers (${sql.ref(column)})`.execute(db);
  }

  await sql`
    CREATE TABLE report_open_intervals (
      dossier_code          text        NOT NULL,
      agency_code           text        NOT NULL,
      competent_agency_code text,
      procedure_code        text        NOT NULL,
      field                 text,
      valid                 tstzrange   NOT NULL,
      paused                boolean     NOT NULL,
      overdue_from          timestamptz,
      late766_from          timestamptz,
      PRIMARY KEY (dossier_code, valid)
    )`.execute(db);
  // Which dossiers were open at an instant, for a unit or all: GiST over the validity range, with
  // the agency columns in the same index (btree_gist, a trusted extension shipped with PostgreSQL).
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);
  await sql`CREATE INDEX report_open_intervals_valid ON report_open_intervals USING gist (valid)`.execute(db);
  await sql`CREATE INDEX report_open_intervals_agency_valid ON report_open_intervals USING gist (agency_code, valid)`.execute(db);
  await sql`CREATE INDEX report_open_intervals_competent_valid ON report_open_intervals USING gist (competent_agency_code, valid)`.execute(db);

  await sql`
    CREATE TABLE report_targets (
      agency_code text    NOT NULL,
      year        integer NOT NULL,
      indicator   text    NOT NULL,
      target      numeric NOT NULL CHECK (target >= 0),
      source      text    NOT NULL,
      PRIMARY KEY (agency_code, year, indicator)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE report_targets`.execute(db);
  await sql`DROP TABLE report_open_intervals`.execute(db);
  await sql`DROP TABLE report_dossiers`.execute(db);
  await sql`DROP TABLE projection_checkpoints`.execute(db);
  await sql`DROP INDEX events_transaction_position`.execute(db);
}
