// The lookup secret of a feedback item: given to the sender when the item is received (the public
// form's answer, or staff print it for an item entered on the sender's behalf), it lets them follow
// the item, answer a request for information and read the answer without an account. Derived like
// the receipt's (./lookup-secret.ts), under the same key but over `feedback:<id>`, so an item's
// secret is never a dossier's.
import { isLookupSecret, lookupSecretFor } from './lookup-secret.js';

const subject = (feedbackId: string) => `feedback:${feedbackId}`;

export function feedbackSecretFor(key: string, feedbackId: string): string {
  return lookupSecretFor(key, subject(feedbackId));
}

/** Constant-time, ignoring case, spaces and dashes as a citizen may type them. */
export function isFeedbackSecret(key: string, feedbackId: string, typed: string): boolean {
  return isLookupSecret(key, subject(feedbackId), typed);
}
