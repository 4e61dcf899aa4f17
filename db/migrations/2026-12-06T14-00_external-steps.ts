import { type Kysely, sql } from 'kysely';

// Steps carried out in another agency's own system (docs/integrations.md#interagency): the inline
// read models show who holds such a step and what came back from it.
// - work_queue.held_by_system: the outside system holding a step (its body's queue and the follow-up
//   item on the receiving centre's queue, docs/deadlines.md#steps-carried-out-by-another-agencys-system);
// - control_slip: the system, when the step was handed over and its answer came back, the system's
//   reference, its last progress report, the result file and registration its answer carried;
// - dossier_summary: the systems holding a step now, and the registrations the result carries.
// No event written before this version names a system, so every existing row is right as NULL (or
// empty): nothing to rebuild. The rows are rewritten from the events at each append, and
// `npm run audit:replay` compares them with a fold of the events as before.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE work_queue ADD COLUMN held_by_system text`.execute(db);
  await sql`
    ALTER TABLE control_slip
      ADD COLUMN system text,
      ADD COLUMN handed_off_at timestamptz,
      ADD COLUMN external_reference text,
      ADD COLUMN progress_status text,
      ADD COLUMN progress_at timestamptz,
      ADD COLUMN answered_at timestamptz,
      ADD COLUMN result_file json,
      ADD COLUMN registration json`.execute(db);
  await sql`ALTER TABLE dossier_summary ADD COLUMN held_by_systems text[] NOT NULL DEFAULT '{}', ADD COLUMN result_registrations json`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary DROP COLUMN held_by_systems, DROP COLUMN result_registrations`.execute(db);
  await sql`
    ALTER TABLE control_slip
      DROP COLUMN system, DROP COLUMN handed_off_at, DROP COLUMN external_reference, DROP COLUMN progress_status,
      DROP COLUMN progress_at, DROP COLUMN answered_at, DROP COLUMN result_file, DROP COLUMN registration`.execute(db);
  await sql`ALTER TABLE work_queue DROP COLUMN held_by_system`.execute(db);
}
