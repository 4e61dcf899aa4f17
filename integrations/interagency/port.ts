// The port of another agency's system that carries out steps of a route
// (docs/integrations.md#handing-steps-over). What a deployment writes to connect a real system (its
// land information system, its tax authority's, the civil-status system) is ONE adapter file that
// implements this interface, the way integrations/interagency/reference-channel.ts does for the
// engine's own reference contract (the one the loopback doubles speak):
//
// - `deliver(context)` (the outbox's DeliveryChannel, integrations/outbox/delivery-channel.ts): given
//   a delivery of trigger 'hand-off' | 'update' | 'cancel' and the dossier's events up to the event
//   that caused it, build the system's own request from those facts (handOffMessage() in
//   domain/interagency/hand-off-message.ts gives them in the reference shape, files as signed links),
//   send it with the delivery's key as its idempotency key, and classify the answer: 'delivered'
//   (with the system's own reference for the step when it gives one: it is recorded on the dossier,
//   StepHandedOff), 'already-delivered' (it had the key), failed and retryable (5xx, no answer, 408,
//   429: retried with backoff, then dead-lettered), or failed for good (any other 4xx: the request
//   breaks its contract: dead-lettered at once). Record the request with personal data masked
//   (integrations/outbox/mask.ts) and never a credential.
// - `pollAnswers(after)` only for a system that cannot call back: one page of its answers after a
//   cursor, translated into the engine's answers (domain/interagency/answer.ts); the inbox
//   (the answers' side) keeps the cursor and applies them in each dossier's `sequence` order.
//
// A system that calls back translates nothing here: its callbacks reach the engine's route
// `POST /interagency/<system>/answers` in the reference form (or through a deployment's gateway that
// translates them into it), signed with its callbackSecret.
import type { InteragencyAnswer } from '../../domain/interagency/answer.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import type { DeliveryChannel } from '../outbox/delivery-channel.js';

/** One page of a polled system's answers: the next page starts after `next` (null: nothing more now). */
export interface PolledAnswers {
  readonly answers: readonly InteragencyAnswer[];
  readonly next: string | null;
}

/**
 * A page the system served that is not its contract (not JSON, not the answers' schema): the inbox
 * logs it and asks again at the next round, its cursor unmoved. `issues`: what was wrong, by path,
 * never the values. Any other error (HTTP, no answer) is thrown as it is, and also retried.
 */
export class PolledPageMalformed extends Error {
  override readonly name = 'PolledPageMalformed';
  constructor(
    readonly issues: readonly { readonly path: string; readonly message: string }[],
    message = 'the page is not the contract',
  ) {
    super(message);
  }
}

export interface InteragencyAdapter extends DeliveryChannel {
  /** The outbox's receiver is the system itself: one lane per (system, dossier). */
  readonly receiver: InteragencySystem;
  /** A page of answers after `after` (null: from the start); only for a system that is polled. */
  pollAnswers?(after: string | null): Promise<PolledAnswers>;
}
