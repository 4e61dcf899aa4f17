// The payment platform's reconciliation (docs/integrations.md#online-payment), as TH's
// check-status-payment-platform job does it: every `everyMs` (33 min by default), each transaction
// still `khoi-tao` that was started between `maxAgeMs` (3 days) and `minAgeMs` (30 min) ago and not
// asked about within `minAgeMs` is asked about (QUERY). TrangThaiGD 1 (success) goes through the
// confirmation path a callback takes (activities/payment-confirmation.ts), so a lost callback is
// recovered and a payment is never recorded twice; 4 (failed) makes the transaction `that-bai`;
// 3 (pending) leaves it for the next round. Then the receipts the platform had not ready when a
// payment was recorded are fetched. Started beside the worker (npm start) and by tests.
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { confirmPayment, fetchDueReceipt } from '../activities/payment-confirmation.js';
import { markFailed, markQueried, receiptsDue, transactionsToQuery } from '../db/payments/transactions.js';
import type { Database } from '../db/schema.js';
import type { DocumentStore } from '../documents/document-store.js';
import type { PaymentSweepSettings } from '../integrations/payment/payment-config.js';
import type { PaymentPlatform } from '../integrations/payment/port.js';
import { type Polling, startPolling } from '../platform/polling.js';

export interface PaymentSweepDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** The dossiers' task queue. */
  readonly taskQueue: string;
  readonly commandTimeoutMs?: number;
  readonly store: DocumentStore;
  readonly platform: PaymentPlatform;
  readonly settings: PaymentSweepSettings;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Transactions asked about per round (100). */
  readonly perRound?: number;
  /** false: no loop; the caller calls sweepOnce (tests, a one-off catch-up). */
  readonly loop?: boolean;
}

export interface PaymentSweepRound {
  readonly queried: number;
  readonly recorded: number;
  readonly failed: number;
  readonly pending: number;
  readonly receipts: number;
}

export interface PaymentSweep {
  sweepOnce(): Promise<PaymentSweepRound>;
  stop(): Promise<void>;
}

export function startPaymentSweep(deps: PaymentSweepDeps): PaymentSweep {
  const { db, logger, platform } = deps;
  const now = () => deps.now?.() ?? new Date();
  const confirmation = { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs ?? 20_000, log: logger, store: deps.store, platform, now };

  const sweepOnce = async (): Promise<PaymentSweepRound> => {
    const round = { queried: 0, recorded: 0, failed: 0, pending: 0, receipts: 0 };
    for (const transaction of await transactionsToQuery(db, now(), deps.settings, deps.perRound ?? 100)) {
      round.queried += 1;
      let status;
      try {
        status = await platform.query(transaction.reference, now());
      } catch (error) {
        logger.warn({ reference: transaction.reference, reason: (error as Error).message }, 'payment query: the platform did not answer; asked again at the next round');
        await markQueried(db, transaction.reference, `query unanswered: ${(error as Error).message.slice(0, 200)}`);
        round.pending += 1;
        continue;
      }
      if (status.state === 'pending') {
        await markQueried(db, transaction.reference, 'query: pending (TrangThaiGD 3)');
        round.pending += 1;
        continue;
      }
      if (status.state === 'failed') {
        await markQueried(db, transaction.reference, `query: failed (TrangThaiGD 4): ${status.reason.slice(0, 200)}`);
        await markFailed(db, transaction.reference, 'the platform says the transaction failed (TrangThaiGD 4)');
        round.failed += 1;
        continue;
      }
      await markQueried(db, transaction.reference, 'query: success (TrangThaiGD 1)');
      const outcome = await confirmPayment(confirmation, {
        reference: transaction.reference,
        transactionId: status.transactionId,
        bankCode: status.bankCode,
        // A query answer without the amount is the transaction's as started: the platform's own record of it.
        amountVnd: status.amountVnd ?? transaction.amountVnd,
        paidAt: status.paidAt ?? now().toISOString(),
        via: 'query',
      });
      if (outcome.kind === 'recorded' || outcome.kind === 'already-recorded') {
        round.recorded += 1;
        if (outcome.kind === 'recorded') logger.info({ reference: transaction.reference, dossierCode: transaction.dossierCode }, 'payment query: a payment whose callback never came is recorded');
      } else {
        logger.warn({ reference: transaction.reference, outcome: outcome.kind }, 'payment query: the confirmation was not recorded');
      }
    }
    for (const transaction of await receiptsDue(db, deps.perRound ?? 100)) {
      if (await fetchDueReceipt(confirmation, transaction.reference)) round.receipts += 1;
    }
    return round;
  };

  const loop: Polling | undefined = deps.loop === false ? undefined : startPolling({ round: sweepOnce, pollMs: deps.settings.everyMs, logger, what: 'payment query sweep' });
  return {
    sweepOnce,
    async stop() {
      await loop?.stop();
    },
  };
}
