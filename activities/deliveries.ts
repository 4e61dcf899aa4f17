// The outbox's activities (docs/integrations.md#the-mechanism): a lane asks for its next delivery,
// has it carried out, and dead-letters it when it still fails after the configured time. Only
// idempotency keys pass through Temporal: the request is built here, from the event log, by the
// receiver's adapter, so no personal data is in a workflow's history. Logs name the key, the
// receiver and the outcome, never what was sent.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { claimAttempt, deliveryOf, eventsUpTo, type LaneHead, laneHead, markDead, recordAttempt } from '../db/outbox/deliveries.js';
import type { Database } from '../db/schema.js';
import { afterQuietHours, type QuietHours } from '../domain/notifications/quiet-hours.js';
import { type DeliveryTrigger, isInteragencyReceiver, type Receiver } from '../domain/outbox/deliveries.js';
import { withAttemptSignal } from '../integrations/outbox/attempt-signal.js';
import type { DeliveryChannel, DeliveryResult } from '../integrations/outbox/delivery-channel.js';

/**
 * The end of this attempt for the adapter's calls: 5 s before Temporal's start-to-close timeout
 * would abandon it, or when Temporal cancels it (integrations/outbox/attempt-signal.ts).
 */
function attemptSignal(): AbortSignal {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return new AbortController().signal;
  }
  const limit = context.info.startToCloseTimeoutMs;
  const own = limit > 0 ? [AbortSignal.timeout(Math.max(1000, limit - 5000))] : [];
  return AbortSignal.any([context.cancellationSignal, ...own]);
}

/** Where the activities report what they see: the metrics (platform/metrics.ts) in production. */
export interface DeliveryObserver {
  attempted(receiver: Receiver, outcome: 'delivered' | 'already-delivered' | 'failed' | 'refused'): void;
  delivered(receiver: Receiver, lagSeconds: number): void;
  deadLettered(receiver: Receiver): void;
}

export interface DeliveryActivitiesDeps {
  readonly db: Kysely<Database>;
  /**
   * Quiet hours per channel (the notice policy's): checked again when a delivery is about to go,
   * not only when it was planned, so a backlog after an outage or a dead letter retried at night
   * still waits for the morning.
   */
  readonly quietHours?: Partial<Record<Receiver, QuietHours>>;
  readonly channels: ReadonlyMap<Receiver, DeliveryChannel>;
  readonly logger: Logger;
  readonly observer?: DeliveryObserver;
}

/** The failure type of an answer a retry cannot change: the lane dead-letters it at once. */
export const DELIVERY_REFUSED = 'DeliveryRefused';
export const DELIVERY_FAILED = 'DeliveryFailed';

export function createDeliveryActivities({ db, channels, logger, observer, quietHours }: DeliveryActivitiesDeps) {
  /** The lane's next delivery, not before the end of its channel's quiet hours as of now. */
  const headOf = async (lane: { receiver: Receiver; dossierCode: string }): Promise<LaneHead | undefined> => {
    const head = await laneHead(db, lane);
    const quiet = quietHours?.[lane.receiver];
    if (!head || head.state !== 'pending' || !quiet) return head;
    const now = new Date().toISOString();
    const after = afterQuietHours(now, quiet);
    if (after === now || (head.notBefore !== null && head.notBefore >= after)) return head;
    return { ...head, notBefore: after };
  };
  return {
    async nextDelivery(lane: { receiver: Receiver; dossierCode: string }): Promise<LaneHead | undefined> {
      return headOf(lane);
    },

    /**
     * Carries out one pending delivery and answers with the lane's next one (saving the lane a
     * look-up per delivery); throws when it failed. A delivery no longer pending (closed meanwhile)
     * is passed over. `handedOff`: a step's hand-off the system took (now, or by an earlier try of
     * this activity whose answer was lost), which the lane then records on the dossier (./hand-offs.ts).
     */
    async deliver(input: { key: string; receiver: Receiver; dossierCode: string }): Promise<{ outcome: 'delivered' | 'not-pending'; next: LaneHead | undefined; handedOff?: true }> {
      const { key } = input;
      const lane = { receiver: input.receiver, dossierCode: input.dossierCode };
      const claimed = await claimAttempt(db, key);
      if (!claimed) {
        const row = isInteragencyReceiver(input.receiver) ? await deliveryOf(db, key) : undefined;
        return { outcome: 'not-pending', next: await headOf(lane), ...(row?.state === 'delivered' && row.trigger === 'hand-off' ? { handedOff: true as const } : {}) };
      }
      const channel = channels.get(claimed.receiver);
      const startedAt = new Date();
      if (!channel) {
        const error = `no adapter is configured for the receiver "${claimed.receiver}" (MOTCUA_OUTBOX_CONFIG); configure it and retry the dead letter, or close it`;
        await recordAttempt(db, { key, attempt: claimed.attempt, startedAt, outcome: 'refused', error });
        observer?.attempted(claimed.receiver, 'refused');
        throw ApplicationFailure.create({ message: error, type: DELIVERY_REFUSED, nonRetryable: true });
      }
      let result: DeliveryResult;
      try {
        const events = await eventsUpTo(db, claimed.dossierCode, claimed.sequence);
        result = await withAttemptSignal(attemptSignal(), () => channel.deliver({
          key,
          receiver: claimed.receiver,
          trigger: claimed.trigger as DeliveryTrigger,
          dossierCode: claimed.dossierCode,
          sequence: claimed.sequence,
          attempt: claimed.attempt,
          events,
        }));
      } catch (error) {
        // What the adapter did not foresee (a bug, a network error it let through): retried.
        result = { outcome: 'failed', retryable: true, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
      const exchange = 'exchange' in result && result.exchange ? { request: result.exchange.request, requestSha256: result.exchange.requestSha256, response: result.exchange.response } : {};
      if (result.outcome === 'delivered' || result.outcome === 'already-delivered') {
        await recordAttempt(db, { key, attempt: claimed.attempt, startedAt, outcome: result.outcome, ...exchange }, { ...(result.reference ? { reference: result.reference } : {}) });
        const lagSeconds = (Date.now() - claimed.eventCommittedAt.getTime()) / 1000;
        observer?.attempted(claimed.receiver, result.outcome);
        observer?.delivered(claimed.receiver, lagSeconds);
        logger.debug({ key, receiver: claimed.receiver, attempt: claimed.attempt, outcome: result.outcome, lagMs: Math.round(lagSeconds * 1000) }, 'delivered');
        return { outcome: 'delivered', next: await headOf(lane), ...(claimed.trigger === 'hand-off' && isInteragencyReceiver(claimed.receiver) ? { handedOff: true as const } : {}) };
      }
      const failure = result as Extract<DeliveryResult, { outcome: 'failed' }>;
      const outcome = failure.retryable ? 'failed' : 'refused';
      await recordAttempt(db, { key, attempt: claimed.attempt, startedAt, outcome, error: failure.reason, ...exchange });
      observer?.attempted(claimed.receiver, outcome);
      logger.warn({ key, receiver: claimed.receiver, attempt: claimed.attempt, outcome, retryable: failure.retryable }, 'delivery attempt failed');
      // The reason is in the attempt's record and the row's last_error; Temporal's history (whose
      // failure messages are not encrypted) gets none of it: a receiver's message may quote what it was sent.
      throw ApplicationFailure.create({ message: `delivery ${key} ${failure.retryable ? 'failed' : 'was refused'} (attempt ${claimed.attempt}; the reason is in its record)`, type: failure.retryable ? DELIVERY_FAILED : DELIVERY_REFUSED, nonRetryable: !failure.retryable });
    },

    /** Dead-letters a delivery its lane gave up on: an error line (the reason stays in the table: a receiver's message may quote what it was sent) and the metric operators alert on. */
    async deadLetter(input: { key: string; receiver: Receiver; reason: string }): Promise<void> {
      if (await markDead(db, input.key, input.reason)) {
        observer?.deadLettered(input.receiver);
        logger.error({ key: input.key, receiver: input.receiver }, 'delivery dead-lettered: it holds back its dossier\'s later deliveries to this receiver until an operator retries or closes it (npm run deliveries -- dead)');
      }
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
