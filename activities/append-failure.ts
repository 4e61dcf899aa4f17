// How a failed append leaves the activity: retried when a retry can cure it (db/failure-class.ts),
// otherwise a non-retryable failure, so the command fails at once instead of wedging its dossier
// behind an activity that retries for ever. A value PostgreSQL refuses (class 22) is the command's
// fault: the failure carries the refusal the API answers as 422 EVENT_NOT_STORABLE. A constraint
// that refuses it (class 23) is the engine's: the API answers 500 and the operator reads the log.
import { ApplicationFailure } from '@temporalio/activity';
import { classifyFailure } from '../db/failure-class.js';

/** The failure types a non-retryable append carries (the refusal's code for the input's fault). */
export const EVENT_NOT_STORABLE = 'EVENT_NOT_STORABLE';
export const EVENT_APPEND_REFUSED = 'EventAppendRefused';

/** The error to throw for a failed append: the error itself when a retry may pass. */
export function failureOfAppend(error: unknown): unknown {
  const failure = classifyFailure(error);
  if (failure.retryable) return error;
  // PostgreSQL's message names the rule, never the value (its `detail` may quote the data: left out).
  const reason = error instanceof Error ? error.message : String(error);
  if (failure.inputAtFault) {
    const message = `PostgreSQL cannot store the command's events (SQLSTATE ${failure.sqlState}: ${reason}). A text field probably holds a character it refuses, such as NUL (U+0000): remove it and send the command again. Nothing was recorded.`;
    return ApplicationFailure.create({
      message,
      type: EVENT_NOT_STORABLE,
      nonRetryable: true,
      details: [{ code: EVENT_NOT_STORABLE, message, rule: 'Events are stored as PostgreSQL jsonb, which holds only storable text (docs/event-store.md)' }],
    });
  }
  return ApplicationFailure.create({ message: `The event log refused the append for good (SQLSTATE ${failure.sqlState}: ${reason})`, type: EVENT_APPEND_REFUSED, nonRetryable: true });
}
