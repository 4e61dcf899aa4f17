import { ApplicationFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/deliveries.js';
import type { HandOffActivities } from '../activities/hand-offs.js';
import type { Receiver } from '../domain/outbox/deliveries.js';

// A delivery lane (docs/integrations.md#the-mechanism, docs/decisions/0018): one workflow per
// (receiver, dossier) carries that dossier's deliveries to that receiver out one at a time, in the
// order of their events, so status 4 never reaches the portal after 9. The deliveries table is the
// truth; the lane only asks it for its next row and is woken (signal `wake`) when one is planned,
// retried or closed. A delivery that still fails after `deadLetterAfterMs` (or that the receiver
// refused for good) is dead-lettered and holds the lane until an operator retries or closes it. A
// lane with nothing to do for `idleMs` ends; the next delivery starts it again.

export interface DeliveryLaneSettings {
  /** The first retry's wait; each next one doubles, up to `retryCeilingMs`. */
  readonly firstRetryMs: number;
  readonly retryCeilingMs: number;
  /** How long a delivery may keep failing before it is dead-lettered. */
  readonly deadLetterAfterMs: number;
  /** The longest one attempt may take. */
  readonly attemptTimeoutMs: number;
  /** How long an idle lane waits for more before it ends. */
  readonly idleMs: number;
}

export interface DeliveryLaneInput {
  readonly receiver: Receiver;
  readonly dossierCode: string;
  readonly settings: DeliveryLaneSettings;
}

export const wakeLaneSignal = defineSignal('wake');

const DEAD_LETTER_LOOK_AGAIN_MS = 60 * 60_000;

export function deliveryLaneWorkflowId(receiver: Receiver, dossierCode: string, taskQueue: string): string {
  return `delivery-lane/${receiver}/${dossierCode}/${taskQueue}`;
}

export async function deliveryLaneWorkflow(input: DeliveryLaneInput): Promise<void> {
  const { receiver, dossierCode, settings } = input;
  const { nextDelivery, deadLetter } = proxyActivities<DeliveryActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  const { deliver } = proxyActivities<DeliveryActivities>({
    startToCloseTimeout: settings.attemptTimeoutMs,
    scheduleToCloseTimeout: settings.deadLetterAfterMs,
    retry: { initialInterval: settings.firstRetryMs, backoffCoefficient: 2, maximumInterval: settings.retryCeilingMs, nonRetryableErrorTypes: ['DeliveryRefused'] },
  });
  // A step's hand-off recorded on its dossier (activities/hand-offs.ts) once its system took it:
  // retried while the dossier's workflow cannot answer, for as long as a delivery may keep failing.
  const { recordHandOff } = proxyActivities<HandOffActivities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: settings.deadLetterAfterMs,
    retry: { initialInterval: settings.firstRetryMs, backoffCoefficient: 2, maximumInterval: settings.retryCeilingMs },
  });
  let woken = false;
  setHandler(wakeLaneSignal, () => {
    woken = true;
  });
  // Every look at the table clears `woken` first: a wake that arrives during or after a look (a
  // row planned after it read) stays set, and the lane looks again instead of waiting.
  const look = () => {
    woken = false;
    return nextDelivery({ receiver, dossierCode });
  };
  let head = await look();
  for (let handled = 0; ; ) {
    if (!head) {
      if (await condition(() => woken, settings.idleMs)) {
        head = await look();
        continue;
      }
      head = await look();
      if (!head && !woken) return;
      continue;
    }
    if (head.state === 'dead') {
      // Held back until an operator retries or closes the dead letter (either wakes the lane); an
      // hour at most, in case the wake was lost, then the lane looks again (and starts afresh when
      // its history grew long).
      await condition(() => woken, DEAD_LETTER_LOOK_AGAIN_MS);
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof deliveryLaneWorkflow>(input);
      head = await look();
      continue;
    }
    if (head.notBefore !== null) {
      const wait = Date.parse(head.notBefore) - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const key = head.key;
    try {
      woken = false;
      const done = await deliver({ key, receiver, dossierCode });
      head = done.next;
      if (done.handedOff) {
        try {
          await recordHandOff({ key });
        } catch {
          // Still failing after its time (the activity logged each failure): the delivery stands; only
          // its time on the dossier's control slip is missing. The lane goes on with the next one.
        }
      }
    } catch (error) {
      // A refusal for good says why; a delivery that kept failing timed out (its last error is in the table).
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const refused = cause instanceof ApplicationFailure && cause.nonRetryable;
      const reason = refused ? `refused for good: ${cause.message}` : `still failing after ${Math.round(settings.deadLetterAfterMs / 1000)} s of retries`;
      await deadLetter({ key, receiver, reason });
      head = await look();
    }
    handled += 1;
    if (handled >= 200 || workflowInfo().continueAsNewSuggested) await continueAsNew<typeof deliveryLaneWorkflow>(input);
  }
}
