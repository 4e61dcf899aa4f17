import { type Kysely, sql } from 'kysely';

// Roll-outs of built-in calendar versions too (docs/deadlines.md#amendments-loaded-as-data-and-their-adoption):
// a release that compiles in an amendment rolls it out to the dossiers accepted before it, so a
// roll-out no longer needs a stored amendment. And the adoptions of a version are counted from the
// event store (an index of the few CalendarAmendmentAdopted events), so a crashed or repeated
// roll-out reports what the dossiers did, not what one run of it saw.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE calendar_rollouts DROP CONSTRAINT calendar_rollouts_amendment_fkey`.execute(db);
  await sql`CREATE INDEX events_calendar_adoption ON events ((payload->>'calendarId'), (payload->>'version')) WHERE type = 'CalendarAmendmentAdopted'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX events_calendar_adoption`.execute(db);
  await sql`DELETE FROM calendar_rollouts r WHERE NOT EXISTS (SELECT 1 FROM calendar_amendments a WHERE a.calendar_id = r.calendar_id AND a.version = r.version)`.execute(db);
  await sql`ALTER TABLE calendar_rollouts ADD CONSTRAINT calendar_rollouts_amendment_fkey FOREIGN KEY (calendar_id, version) REFERENCES calendar_amendments (calendar_id, version)`.execute(db);
}
