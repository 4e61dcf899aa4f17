import { type Kysely, sql } from 'kysely';

// The nightly reconciliation with the national portal (db/outbox/reconciliation.ts) and the 766
// sync indicators (db/reports/indicator-report.ts) read the portal's deliveries by the day they
// were delivered or planned, and by dossier: partial indexes on the portal's rows only. One row per
// reconciled day records who ran it and what it found, and lets one worker claim a day so two
// workers never ask the portal twice (worker/portal-reconciliation.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX deliveries_portal_delivered ON deliveries (delivered_at, dossier_code) WHERE receiver = 'portal' AND state = 'delivered'`.execute(db);
  await sql`CREATE INDEX deliveries_portal_committed ON deliveries (event_committed_at, dossier_code) WHERE receiver = 'portal'`.execute(db);
  await sql`
    CREATE TABLE portal_reconciliations (
      day          date        PRIMARY KEY,
      claimed_by   text        NOT NULL,
      claimed_at   timestamptz NOT NULL DEFAULT now(),
      finished_at  timestamptz,
      checked      integer,
      differing    integer,
      resent       integer,
      failed       integer
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE portal_reconciliations`.execute(db);
  await sql`DROP INDEX deliveries_portal_committed`.execute(db);
  await sql`DROP INDEX deliveries_portal_delivered`.execute(db);
}
