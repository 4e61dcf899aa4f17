// Facts the API and the operator's tools read from a dossier's log about its workflow.
//
// Whether the log holds a command's events. A command's events can be in the log while its workflow
// run refuses it: a worker that died after its local append committed leaves Temporal to deliver the
// same update again, to a run that decides it anew, later, on its old copy, where a rule that depends
// on the clock may now say no.
import { sql, type Kysely } from 'kysely';
import { EVALUATION_WINDOW_MS } from '../domain/dossier/state.js';
import type { Database } from './schema.js';

/**
 * The last stream version of the events this command appended after `afterVersion`, if any. The
 * bound keeps an Idempotency-Key reused long after (keys live a day) from matching an old command.
 */
export async function commandLoggedAfter(db: Kysely<Database>, dossierCode: string, commandId: string, afterVersion: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('stream_version').as('last'))
    .where('stream_id', '=', dossierCode)
    .where('stream_version', '>', afterVersion)
    .where(sql<string>`metadata->>'commandId'`, '=', commandId)
    .executeTakeFirst();
  return row?.last ?? undefined;
}


/**
 * Whether the dossier's workflow should be running: an open dossier's always does; a closed one's
 * waits for the applicant's evaluation for a while, then ends.
 */
export async function workflowShouldRun(db: Kysely<Database>, dossierCode: string, closedAt: Date | null, now = Date.now()): Promise<boolean> {
  if (closedAt === null) return true;
  if (closedAt.getTime() + EVALUATION_WINDOW_MS <= now) return false;
  const evaluated = await db.selectFrom('events').select('stream_version').where('stream_id', '=', dossierCode).where('type', '=', 'EvaluationRecorded').executeTakeFirst();
  return evaluated === undefined;
}

/** The locality reception named for the dossier's bodies (reception regardless of boundary), if any. */
export async function receptionLocality(db: Kysely<Database>, dossierCode: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('events')
    .select(sql<string | null>`payload->>'locality'`.as('locality'))
    .where('stream_id', '=', dossierCode)
    .where('type', '=', 'DossierReceived')
    .executeTakeFirst();
  return row?.locality ?? undefined;
}
