// The applicant's evaluation of a dossier as its log holds it, for the public lookup and evaluation
// routes (api/routes/citizen-evaluation.ts). Read from the event itself: one row per dossier at most.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RecordedEvaluation {
  readonly at: Date;
  readonly rating: 'very-satisfied' | 'satisfied' | 'not-satisfied';
  /** `staff-recorded`: an evaluation recorded by staff before evaluations carried their source. */
  readonly source: 'online' | 'paper-form' | 'staff-recorded';
  /** The command that recorded it, so a citizen's retry can be told from another's evaluation. */
  readonly commandId: string;
}

export async function findEvaluation(db: Kysely<Database>, dossierCode: string): Promise<RecordedEvaluation | undefined> {
  const row = await db
    .selectFrom('events')
    .select(['payload', 'metadata', 'occurred_at'])
    .where('stream_id', '=', dossierCode)
    .where('type', '=', 'EvaluationRecorded')
    .orderBy('stream_version')
    .executeTakeFirst();
  if (!row) return undefined;
  const payload = row.payload as { rating: RecordedEvaluation['rating']; source?: 'online' | 'paper-form' };
  return { at: row.occurred_at, rating: payload.rating, source: payload.source ?? 'staff-recorded', commandId: row.metadata.commandId };
}
