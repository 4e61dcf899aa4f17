// The one path of the national payment platform's confirmation into a dossier (docs/integrations.md#online-payment),
// taken by a verified callback (api/routes/payments.ts) and by the query sweep (worker/payment-sweep.ts)
// alike. The confirmation must name a transaction the engine started (its reference), for the
// request's amount exactly; it is recorded on the dossier as RecordPayment by the role
// `payment-platform`, command id `payment/<reference>`, through the path staff commands take
// (api/commands/send-dossier-command.ts), so a second confirmation of the same payment (a duplicate
// or replayed callback, a query racing the callback) finds the command in the log and changes
// nothing. The e-receipt is fetched first and recorded with the payment; when the platform has none
// to give yet, the payment is recorded without it and the sweep fetches it later onto the
// transaction (served at GET /dossiers/{code}/files/{sha256} either way).
import { Readable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { sendDossierCommand } from '../api/commands/send-dossier-command.js';
import { findDossierSummary } from '../db/dossier-summary.js';
import { paymentRequestsOf } from '../db/payments/requests.js';
import { findTransaction, markConfirmed, markPaidTwice, referenceOfTransactionId, setOutcome, setReceipt, TransactionIdTaken } from '../db/payments/transactions.js';
import type { Database } from '../db/schema.js';
import type { DocumentStore } from '../documents/document-store.js';
import { stageAndInspect } from '../documents/files/receive-file.js';
import type { StoredFile } from '../domain/files/file-model.js';
import type { PaymentPlatform } from '../integrations/payment/port.js';

export interface PaymentConfirmationDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  readonly store: DocumentStore;
  readonly platform: PaymentPlatform;
  readonly now?: () => Date;
}

/** The platform's word that a transaction succeeded, from a verified callback or a query's answer. */
export interface PlatformConfirmation {
  readonly reference: string;
  readonly transactionId: string;
  readonly bankCode: string;
  readonly amountVnd: number;
  /** ThoiGianGD as an instant (ISO 8601). */
  readonly paidAt: string;
  readonly via: 'callback' | 'query';
}

export type ConfirmationOutcome =
  | { readonly kind: 'recorded'; readonly receipt: boolean }
  /** Recorded before, with this transaction: nothing done. */
  | { readonly kind: 'already-recorded' }
  /** Another attempt paid the request first: this payment is kept on its transaction with a refund due, not recorded on the dossier. */
  | { readonly kind: 'paid-twice'; readonly reason: string }
  | { readonly kind: 'unknown-reference' }
  | { readonly kind: 'amount-mismatch'; readonly expectedVnd: number }
  /** The request is settled by another transaction, or the transaction id is another request's. */
  | { readonly kind: 'conflict'; readonly reason: string }
  /** The dossier's rules refused it (its code): nothing recorded. */
  | { readonly kind: 'refused'; readonly code: string; readonly reason: string }
  /** The service could not record it now (Temporal, the database): the platform or the sweep tries again. */
  | { readonly kind: 'retry-later'; readonly reason: string };

/** The actor an online payment is recorded by. */
export const PAYMENT_PLATFORM_USER = 'payment-platform:national';

export function paymentCommandId(reference: string): string {
  return `payment/${reference}`;
}

const RECEIPT_RULES = { accept: ['application/pdf' as const], maxBytes: 10 * 1024 * 1024, maxPages: 50 };

/** Fetches the e-receipt and stores it (checked like any PDF that comes in); undefined when the platform has none to give now. */
export async function fetchReceipt(deps: Pick<PaymentConfirmationDeps, 'platform' | 'store' | 'log' | 'now'>, reference: string): Promise<StoredFile | undefined> {
  try {
    const bytes = await deps.platform.receipt(reference, deps.now?.() ?? new Date());
    const checked = await stageAndInspect(deps.store, Readable.from([bytes]), RECEIPT_RULES, { field: 'receipt' });
    try {
      await deps.store.commit(checked.staged, checked.inspected.mediaType);
    } catch (error) {
      await deps.store.discard(checked.staged).catch(() => undefined);
      throw error;
    }
    return { ...checked.inspected, name: `bien-lai-${reference}.pdf` };
  } catch (error) {
    deps.log.warn({ reference, reason: (error as Error).message }, 'payment receipt not fetched now; the sweep fetches it later');
    return undefined;
  }
}

export async function confirmPayment(deps: PaymentConfirmationDeps, confirmation: PlatformConfirmation): Promise<ConfirmationOutcome> {
  const { db, log } = deps;
  // `reference` is the attempt's MaThamChieu; the dossier knows the request's (domain/payment/attempts.ts).
  const { reference, transactionId } = confirmation;
  const transaction = await findTransaction(db, reference);
  if (!transaction) return { kind: 'unknown-reference' };
  // A settled attempt first: a replay of its confirmation changes nothing (the callback's count aside).
  if (transaction.state === 'thanh-cong') {
    return transaction.transactionId === transactionId ? { kind: 'already-recorded' } : { kind: 'conflict', reason: `the request is already settled by another transaction` };
  }
  if (confirmation.amountVnd !== transaction.amountVnd) {
    await setOutcome(db, reference, `refused: the platform confirmed ${confirmation.amountVnd} VND, the request is for ${transaction.amountVnd} VND`);
    return { kind: 'amount-mismatch', expectedVnd: transaction.amountVnd };
  }
  const owner = await referenceOfTransactionId(db, transactionId);
  if (owner !== undefined && owner !== reference) return { kind: 'conflict', reason: 'the transaction id is another payment request\'s' };
  const summary = await findDossierSummary(db, transaction.dossierCode);
  if (!summary) return { kind: 'refused', code: 'DOSSIER_NOT_FOUND', reason: `dossier ${transaction.dossierCode} is not found` };
  const requestReference = transaction.requestReference;
  const paidBy = async () => (await paymentRequestsOf(db, transaction.dossierCode)).find((request) => request.reference === requestReference && request.status === 'paid')?.transactionId ?? undefined;
  const paidTwice = async (other: string): Promise<ConfirmationOutcome> => {
    const reason = `request ${requestReference} was paid by transaction ${other} first; transaction ${transactionId} (attempt ${reference}) is owed back to the applicant`;
    await markPaidTwice(db, reference, { transactionId, bankCode: confirmation.bankCode, paidAt: confirmation.paidAt, via: confirmation.via }, reason);
    log.error({ reference, requestReference, dossierCode: transaction.dossierCode, via: confirmation.via }, 'online payment paid twice: a second attempt of a paid request was paid; kept on its transaction with a refund due');
    return { kind: 'paid-twice', reason };
  };
  const earlier = await paidBy();
  if (earlier !== undefined && earlier !== transactionId) return paidTwice(earlier);

  const receiptFile = await fetchReceipt(deps, reference);
  let sent;
  try {
    sent = await sendDossierCommand(
      { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: deps.log as FastifyBaseLogger },
      {
        type: 'RecordPayment',
        // The request's, whichever attempt paid it: the dossier records one payment of a request.
        commandId: paymentCommandId(requestReference),
        dossierCode: transaction.dossierCode,
        actor: { userId: PAYMENT_PLATFORM_USER, role: 'payment-platform', agencyCode: summary.agency_code },
        amountVnd: transaction.amountVnd,
        method: 'online',
        onlineGateway: 'national-portal',
        receiptNumber: transactionId,
        paidAt: confirmation.paidAt,
        platformPayment: { reference: requestReference, transactionId, bankCode: confirmation.bankCode },
        ...(receiptFile ? { receiptFile } : {}),
      },
    );
  } catch (error) {
    log.warn({ reference, dossierCode: transaction.dossierCode, reason: (error as Error).message }, 'online payment not recorded now; the platform or the query sweep confirms it again');
    await setOutcome(db, reference, `not recorded yet: ${(error as Error).message.slice(0, 300)}`);
    return { kind: 'retry-later', reason: (error as Error).message };
  }
  if (sent.kind === 'unknown-dossier') return { kind: 'refused', code: 'DOSSIER_NOT_FOUND', reason: `dossier ${transaction.dossierCode} is not found` };
  // Whichever way it was answered, the log says which transaction paid the request: another
  // attempt's (its confirmation raced this one under the same command id) makes this one paid twice.
  const recordedBy = await paidBy();
  if (recordedBy !== undefined && recordedBy !== transactionId) return paidTwice(recordedBy);
  if (sent.kind === 'refused') {
    if (recordedBy === transactionId) {
      await confirmed(deps, confirmation, receiptFile);
      return { kind: 'already-recorded' };
    }
    const code = sent.problem.code ?? sent.problem.type;
    await setOutcome(db, reference, `refused by the dossier: ${code}`);
    return { kind: 'refused', code, reason: sent.problem.detail ?? sent.problem.title };
  }
  await confirmed(deps, confirmation, receiptFile);
  log.info({ reference, requestReference, dossierCode: transaction.dossierCode, via: confirmation.via, streamVersion: sent.answer.streamVersion, receipt: receiptFile !== undefined }, 'online payment recorded');
  return { kind: 'recorded', receipt: receiptFile !== undefined };
}

async function confirmed(deps: PaymentConfirmationDeps, confirmation: PlatformConfirmation, receiptFile: StoredFile | undefined): Promise<void> {
  try {
    await markConfirmed(deps.db, confirmation.reference, { transactionId: confirmation.transactionId, bankCode: confirmation.bankCode, paidAt: confirmation.paidAt, via: confirmation.via, ...(receiptFile ? { receiptFile } : {}) });
  } catch (error) {
    if (!(error instanceof TransactionIdTaken)) throw error;
    deps.log.error({ reference: confirmation.reference }, 'online payment recorded on the dossier, but its transaction id is another request\'s in the transactions table; look into it');
  }
}

/** Fetches the receipts still due of confirmed transactions (the sweep's second half). */
export async function fetchDueReceipt(deps: Pick<PaymentConfirmationDeps, 'db' | 'platform' | 'store' | 'log' | 'now'>, reference: string): Promise<boolean> {
  const file = await fetchReceipt(deps, reference);
  if (!file) return false;
  await setReceipt(deps.db, reference, file);
  return true;
}
