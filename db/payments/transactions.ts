// The online payments' transactions with the national payment platform (docs/integrations.md#online-payment;
// the table: db/migrations/2026-12-07T12-00_payment-transactions.ts, 2026-12-07T12-30_payment-attempts.ts).
// A row is one attempt (one INIT, its own MaThamChieu: domain/payment/attempts.ts) to pay a request,
// created when the citizen starts paying, and moves once: to `thanh-cong` when the platform confirmed
// it (a verified callback or a query's answer), recorded on the dossier or, when another attempt had
// paid the request first, kept here with a refund due; or to `that-bai` when the platform says it
// failed. Once `thanh-cong`, the platform's messages about it change nothing but the callbacks' count.
import { type Kysely, sql } from 'kysely';
import type { StoredFile } from '../../domain/files/file-model.js';
import { attemptReference, nextPaymentStart } from '../../domain/payment/attempts.js';
import type { Database, PaymentTransactionsTable } from '../schema.js';
import type { Selectable } from 'kysely';

export type TransactionState = 'khoi-tao' | 'thanh-cong' | 'that-bai';

export interface PaymentTransaction {
  /** This attempt's MaThamChieu. */
  readonly reference: string;
  /** The payment request it pays, and which attempt it is (1, 2, …). */
  readonly requestReference: string;
  readonly attempt: number;
  /** Why its money is owed back: the request was paid by another attempt. */
  readonly refundDue: string | null;
  readonly dossierCode: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  readonly state: TransactionState;
  readonly paymentUrl: string | null;
  readonly inits: number;
  readonly transactionId: string | null;
  readonly bankCode: string | null;
  readonly paidAt: Date | null;
  readonly createdAt: Date;
  readonly initiatedAt: Date;
  readonly confirmedAt: Date | null;
  readonly confirmedVia: 'callback' | 'query' | null;
  readonly callbackCount: number;
  readonly lastCallbackAt: Date | null;
  readonly lastOutcome: string | null;
  readonly queriedAt: Date | null;
  readonly queryCount: number;
  readonly receiptFile: StoredFile | null;
}

function transactionOf(row: Selectable<PaymentTransactionsTable>): PaymentTransaction {
  return {
    reference: row.reference,
    requestReference: row.request_reference,
    attempt: row.attempt,
    refundDue: row.refund_due,
    dossierCode: row.dossier_code,
    purpose: row.purpose,
    amountVnd: Number(row.amount_vnd),
    state: row.state,
    paymentUrl: row.payment_url,
    inits: row.inits,
    transactionId: row.transaction_id,
    bankCode: row.bank_code,
    paidAt: row.paid_at,
    createdAt: row.created_at,
    initiatedAt: row.initiated_at,
    confirmedAt: row.confirmed_at,
    confirmedVia: row.confirmed_via,
    callbackCount: row.callback_count,
    lastCallbackAt: row.last_callback_at,
    lastOutcome: row.last_outcome,
    queriedAt: row.queried_at,
    queryCount: row.query_count,
    receiptFile: row.receipt_file,
  };
}

export async function findTransaction(db: Kysely<Database>, reference: string): Promise<PaymentTransaction | undefined> {
  const row = await db.selectFrom('payment_transactions').selectAll().where('reference', '=', reference).executeTakeFirst();
  return row ? transactionOf(row) : undefined;
}

export async function transactionsOf(db: Kysely<Database>, dossierCode: string): Promise<PaymentTransaction[]> {
  const rows = await db.selectFrom('payment_transactions').selectAll().where('dossier_code', '=', dossierCode).orderBy('created_at').execute();
  return rows.map(transactionOf);
}

export type PaymentStart =
  | { readonly kind: 'paid' }
  /** The page to send the citizen to; `fresh` when this start made the INIT. */
  | { readonly kind: 'page'; readonly reference: string; readonly paymentUrl: string; readonly fresh: boolean };

/**
 * The citizen starts paying a request: single-flight per request (a transaction-scoped advisory lock
 * on its reference, held across the INIT, so two starts at once make one INIT and the second gets
 * its page). The latest attempt's page again while it waits and is younger than `pageValidityMs`;
 * otherwise (none yet, failed, no page, too old) a new attempt with its own MaThamChieu, INITed by
 * `init`. An INIT that fails leaves no attempt (the transaction rolls back) and throws.
 */
export async function startPaymentAttempt(
  db: Kysely<Database>,
  request: { reference: string; dossierCode: string; purpose: 'fees' | 'obligation'; amountVnd: number },
  options: { pageValidityMs: number; now?: Date },
  init: (attemptReference: string) => Promise<string>,
): Promise<PaymentStart> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`payment-start:${request.reference}`}, 0))`.execute(trx);
    const latest = await trx.selectFrom('payment_transactions').selectAll().where('request_reference', '=', request.reference).orderBy('attempt', 'desc').limit(1).executeTakeFirst();
    const decision = nextPaymentStart(latest ? { attempt: latest.attempt, state: latest.state, paymentUrl: latest.payment_url, initiatedAt: latest.initiated_at } : undefined, options.now ?? new Date(), options.pageValidityMs);
    if (decision.kind === 'paid') return { kind: 'paid' };
    if (decision.kind === 'same-page') return { kind: 'page', reference: latest!.reference, paymentUrl: decision.paymentUrl, fresh: false };
    const reference = attemptReference(request.reference, decision.attempt);
    await trx
      .insertInto('payment_transactions')
      .values({ reference, request_reference: request.reference, attempt: decision.attempt, inits: decision.attempt, dossier_code: request.dossierCode, purpose: request.purpose, amount_vnd: request.amountVnd })
      .execute();
    const paymentUrl = await init(reference);
    await trx.updateTable('payment_transactions').set({ payment_url: paymentUrl }).where('reference', '=', reference).execute();
    if (latest && latest.state === 'khoi-tao') {
      // Its page is not offered again, but it may still be paid: the callback or the sweep confirms it.
      await trx.updateTable('payment_transactions').set({ last_outcome: `superseded by attempt ${decision.attempt} (${reference})` }).where('reference', '=', latest.reference).where('state', '=', 'khoi-tao').execute();
    }
    return { kind: 'page', reference, paymentUrl, fresh: true };
  });
}

/**
 * A callback kept for whoever looks into the payment: its body (the platform's fields) and what was
 * made of it. One about an attempt already `thanh-cong` when it came (`settledBefore`: a duplicate, a
 * replay) is only counted: the kept callback and outcome stay those of the confirmation.
 */
export async function recordCallback(db: Kysely<Database>, reference: string, body: unknown, outcome: string, settledBefore = false): Promise<void> {
  if (settledBefore) {
    await db.updateTable('payment_transactions').set({ callback_count: sql<number>`callback_count + 1` }).where('reference', '=', reference).execute();
    return;
  }
  await db
    .updateTable('payment_transactions')
    .set({ callback_count: sql<number>`callback_count + 1`, last_callback: JSON.stringify(body), last_callback_at: sql<Date>`now()`, last_outcome: outcome })
    .where('reference', '=', reference)
    .execute();
}

/** What became of the latest message about a transaction still to settle (a settled one keeps its own). */
export async function setOutcome(db: Kysely<Database>, reference: string, outcome: string): Promise<void> {
  await db.updateTable('payment_transactions').set({ last_outcome: outcome }).where('reference', '=', reference).where('state', '<>', 'thanh-cong').execute();
}

/**
 * An attempt the platform confirmed after another attempt had paid its request: kept here, with the
 * platform's transaction, as a refund due; not recorded on the dossier.
 */
export async function markPaidTwice(db: Kysely<Database>, reference: string, confirmation: { transactionId: string; bankCode: string; paidAt: string; via: 'callback' | 'query' }, refundDue: string): Promise<void> {
  await db
    .updateTable('payment_transactions')
    .set({ state: 'thanh-cong', transaction_id: confirmation.transactionId, bank_code: confirmation.bankCode, paid_at: confirmation.paidAt, confirmed_at: sql<Date>`now()`, confirmed_via: confirmation.via, refund_due: refundDue, last_outcome: `paid twice: ${refundDue}` })
    .where('reference', '=', reference)
    .where('state', '<>', 'thanh-cong')
    .execute();
}

export class TransactionIdTaken extends Error {
  override readonly name = 'TransactionIdTaken';
}

/**
 * The platform's confirmation, once the dossier has recorded the payment. Idempotent: a row already
 * confirmed with the same transaction id is left as it is. Throws TransactionIdTaken when the
 * transaction id is another reference's.
 */
export async function markConfirmed(db: Kysely<Database>, reference: string, confirmation: { transactionId: string; bankCode: string; paidAt: string; via: 'callback' | 'query'; receiptFile?: StoredFile }): Promise<void> {
  try {
    await db
      .updateTable('payment_transactions')
      .set({
        state: 'thanh-cong',
        transaction_id: confirmation.transactionId,
        bank_code: confirmation.bankCode,
        paid_at: confirmation.paidAt,
        confirmed_at: sql<Date>`now()`,
        confirmed_via: confirmation.via,
        last_outcome: `payment recorded on the dossier (${confirmation.via})`,
        ...(confirmation.receiptFile ? { receipt_file: JSON.stringify(confirmation.receiptFile), receipt_sha256: confirmation.receiptFile.sha256 } : {}),
      })
      .where('reference', '=', reference)
      .where('state', '<>', 'thanh-cong')
      .execute();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new TransactionIdTaken(`transaction ${confirmation.transactionId} is already another payment request's`);
    throw error;
  }
}

/** The reference a transaction id was confirmed for, if any. */
export async function referenceOfTransactionId(db: Kysely<Database>, transactionId: string): Promise<string | undefined> {
  const row = await db.selectFrom('payment_transactions').select('reference').where('transaction_id', '=', transactionId).executeTakeFirst();
  return row?.reference;
}

export async function markFailed(db: Kysely<Database>, reference: string, outcome: string): Promise<void> {
  await db.updateTable('payment_transactions').set({ state: 'that-bai', last_outcome: outcome }).where('reference', '=', reference).where('state', '=', 'khoi-tao').execute();
}

export async function markQueried(db: Kysely<Database>, reference: string, outcome: string): Promise<void> {
  await db.updateTable('payment_transactions').set({ queried_at: sql<Date>`now()`, query_count: sql<number>`query_count + 1`, last_outcome: outcome }).where('reference', '=', reference).execute();
}

/**
 * The transactions the query sweep asks the platform about: still `khoi-tao`, initiated between
 * `maxAgeMs` and `minAgeMs` ago, and not asked about within the last `minAgeMs` (oldest first).
 */
export async function transactionsToQuery(db: Kysely<Database>, now: Date, window: { minAgeMs: number; maxAgeMs: number }, limit: number): Promise<PaymentTransaction[]> {
  const youngest = new Date(now.getTime() - window.minAgeMs);
  const oldest = new Date(now.getTime() - window.maxAgeMs);
  const rows = await db
    .selectFrom('payment_transactions')
    .selectAll()
    .where('state', '=', 'khoi-tao')
    .where('initiated_at', '<=', youngest)
    .where('initiated_at', '>=', oldest)
    .where((where) => where.or([where('queried_at', 'is', null), where('queried_at', '<=', youngest)]))
    .orderBy('initiated_at')
    .limit(limit)
    .execute();
  return rows.map(transactionOf);
}

/** Confirmed transactions whose receipt is still to be fetched. */
export async function receiptsDue(db: Kysely<Database>, limit: number): Promise<PaymentTransaction[]> {
  const rows = await db.selectFrom('payment_transactions').selectAll().where('state', '=', 'thanh-cong').where('receipt_sha256', 'is', null).orderBy('confirmed_at').limit(limit).execute();
  return rows.map(transactionOf);
}

export async function setReceipt(db: Kysely<Database>, reference: string, file: StoredFile): Promise<void> {
  await db.updateTable('payment_transactions').set({ receipt_file: JSON.stringify(file), receipt_sha256: file.sha256 }).where('reference', '=', reference).execute();
}

/** The e-receipt of one of the dossier's online payments with this digest, if any. */
export async function paymentReceiptWithDigest(db: Kysely<Database>, dossierCode: string, sha256: string): Promise<StoredFile | undefined> {
  const row = await db.selectFrom('payment_transactions').select('receipt_file').where('dossier_code', '=', dossierCode).where('receipt_sha256', '=', sha256).executeTakeFirst();
  return row?.receipt_file ?? undefined;
}
