// The online payments' transactions with the national payment platform (docs/integrations.md#online-payment;
// the table: db/migrations/2026-12-07T12-00_payment-transactions.ts). A row is created when the
// citizen starts paying a request, and moves once: to `thanh-cong` when the platform's confirmation
// (a verified callback or a query's answer) has been recorded on the dossier, or to `that-bai`
// when the platform says the transaction failed (a new INIT of the same request starts it again).
import { type Kysely, sql } from 'kysely';
import type { StoredFile } from '../../domain/files/file-model.js';
import type { Database, PaymentTransactionsTable } from '../schema.js';
import type { Selectable } from 'kysely';

export type TransactionState = 'khoi-tao' | 'thanh-cong' | 'that-bai';

export interface PaymentTransaction {
  readonly reference: string;
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

/**
 * The transaction of a request the citizen starts paying: created in `khoi-tao`, or the one there
 * is. One that failed starts again (`khoi-tao`, another INIT counted); one in `khoi-tao` or
 * `thanh-cong` is answered as it is, for the caller to reuse its page or say it is paid.
 */
export async function openTransaction(db: Kysely<Database>, request: { reference: string; dossierCode: string; purpose: 'fees' | 'obligation'; amountVnd: number }): Promise<{ transaction: PaymentTransaction; fresh: boolean }> {
  const inserted = await db
    .insertInto('payment_transactions')
    .values({ reference: request.reference, dossier_code: request.dossierCode, purpose: request.purpose, amount_vnd: request.amountVnd })
    .onConflict((conflict) => conflict.column('reference').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { transaction: transactionOf(inserted), fresh: true };
  const restarted = await db
    .updateTable('payment_transactions')
    .set({ state: 'khoi-tao', payment_url: null, inits: sql<number>`inits + 1`, initiated_at: sql<Date>`now()`, last_outcome: 'initiated again after a failure' })
    .where('reference', '=', request.reference)
    .where('state', '=', 'that-bai')
    .returningAll()
    .executeTakeFirst();
  if (restarted) return { transaction: transactionOf(restarted), fresh: true };
  return { transaction: (await findTransaction(db, request.reference))!, fresh: false };
}

export async function setPaymentUrl(db: Kysely<Database>, reference: string, paymentUrl: string): Promise<void> {
  await db.updateTable('payment_transactions').set({ payment_url: paymentUrl }).where('reference', '=', reference).execute();
}

/** A callback kept for whoever looks into the payment: its body (the platform's fields) and what was made of it. */
export async function recordCallback(db: Kysely<Database>, reference: string, body: unknown, outcome: string): Promise<void> {
  await db
    .updateTable('payment_transactions')
    .set({ callback_count: sql<number>`callback_count + 1`, last_callback: JSON.stringify(body), last_callback_at: sql<Date>`now()`, last_outcome: outcome })
    .where('reference', '=', reference)
    .execute();
}

export async function setOutcome(db: Kysely<Database>, reference: string, outcome: string): Promise<void> {
  await db.updateTable('payment_transactions').set({ last_outcome: outcome }).where('reference', '=', reference).execute();
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
