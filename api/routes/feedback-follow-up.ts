// Whether a new item may name an earlier one as followed up (766 §5.3 counts the earlier one as
// unsatisfactory: docs/feedback.md#the-766-indicators). Ids are sequential, so naming one proves
// nothing: on the public form the sender proves the earlier item is theirs with its lookup secret
// (`followUpSecret`); staff entering an item name it from the record. Either way the earlier item
// must exist and have been answered: there is nothing to be dissatisfied with before.
import type { Kysely } from 'kysely';
import { loadFeedback } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import { isReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { isFeedbackSecret } from '../auth/feedback-secret.js';
import { ProblemError } from '../problem-details.js';

const refused = (field: string, message: string) =>
  new ProblemError({
    type: 'urn:motcua:problem:validation-failed',
    title: 'The request is invalid',
    status: 400,
    detail: `The form is refused: body.${field} ${message}. Nothing was kept.`,
    errors: [{ field: `body.${field}`, message }],
  });

/** On the public form: the secret of the earlier item (judged by its HMAC alone), before anything is read or kept. */
export function checkFollowUpSecret(lookupKey: string, fields: { readonly followUpOf?: string | undefined; readonly followUpSecret?: string | undefined }): void {
  if (fields.followUpOf === undefined) {
    if (fields.followUpSecret !== undefined) throw refused('followUpOf', 'must name the earlier item the secret belongs to');
    return;
  }
  // A wrong secret reads exactly as a missing one: it tells nothing about whether the item exists.
  if (fields.followUpSecret === undefined || !isFeedbackSecret(lookupKey, fields.followUpOf, fields.followUpSecret)) {
    throw refused('followUpSecret', 'must be the lookup secret given with the earlier item (only its sender may follow it up)');
  }
}

/** The earlier item exists and was answered (a ProblemError naming `followUpOf` otherwise). */
export async function checkFollowUpAnswered(db: Kysely<Database>, followUpOf: string | undefined): Promise<void> {
  if (followUpOf === undefined) return;
  const earlier = await loadFeedback(db, followUpOf);
  if (!earlier || !isReceivedFeedback(earlier.state)) throw refused('followUpOf', 'must be the id of an earlier feedback item');
  if (!earlier.state.answer) throw refused('followUpOf', 'must be an item that has been answered: one can follow up an answer only once it is given');
}
