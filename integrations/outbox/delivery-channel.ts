// The port every receiver's adapter implements (docs/integrations.md): the outbox's lane hands it
// one delivery at a time, with the dossier's events up to the one that caused it, and records what
// it answers as an attempt. An adapter builds the receiver's request from the events (so a retry
// sends the same request), sends it with the delivery's idempotency key where the receiver's
// contract has a place for one (e-mail Message-ID, ZNS tracking_id, SMS REQID, an Idempotency-Key
// header for the portal), and classifies the answer. It throws only for what it did not foresee;
// the activity then records a retryable failure.
import type { DossierEvent } from '../../domain/dossier/events.js';
import type { DeliveryTrigger, Receiver } from '../../domain/outbox/deliveries.js';

/** An event of the dossier's stream as the adapters see it. */
export interface DeliveredEvent {
  readonly version: number;
  readonly event: DossierEvent;
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly role: string; readonly agencyCode: string };
}

export interface DeliveryContext {
  readonly key: string;
  readonly receiver: Receiver;
  readonly trigger: DeliveryTrigger;
  readonly dossierCode: string;
  /** The stream version of the event that caused the delivery. */
  readonly sequence: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The dossier's events, in order, up to and including the one that caused the delivery. */
  readonly events: readonly DeliveredEvent[];
}

/**
 * What was sent and answered, for the attempt's record. `request` is the wire body with personal
 * fields masked (integrations/outbox/mask.ts) and credentials removed; `requestSha256` is the
 * digest of the body actually sent, so what went out can be proven by re-deriving it from the
 * events. `response` is the receiver's answer, truncated to 4 KiB.
 */
export interface Exchange {
  readonly request: unknown;
  readonly requestSha256: string;
  readonly response: string;
}

export type DeliveryResult =
  /** The receiver acted on it (`already-delivered`: it had the key already and did nothing). */
  | { readonly outcome: 'delivered' | 'already-delivered'; readonly reference?: string; readonly exchange: Exchange }
  /**
   * It did not. `retryable` false for an answer a retry cannot change (the request breaks the
   * receiver's contract, a template unknown to it, no such recipient): dead-lettered at once.
   */
  | { readonly outcome: 'failed'; readonly retryable: boolean; readonly reason: string; readonly exchange?: Exchange };

export interface DeliveryChannel {
  readonly receiver: Receiver;
  deliver(context: DeliveryContext): Promise<DeliveryResult>;
  close?(): Promise<void>;
}
