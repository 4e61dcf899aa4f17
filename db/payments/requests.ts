// A dossier's payment requests as its log records them (docs/integrations.md#online-payment): each
// PaymentRequested, settled when a PaymentRecorded carries the platform's confirmation of its
// reference. Read from the dossier's own stream, so the answer is the log's, whatever the read models say.
import type { Kysely } from 'kysely';
import type { PaymentRecorded, PaymentRequested } from '../../domain/dossier/events.js';
import type { Database } from '../schema.js';

export interface LoggedPaymentRequest {
  readonly reference: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  readonly items: PaymentRequested['data']['items'];
  readonly note: string | null;
  readonly requestedAt: string;
  readonly status: 'pending' | 'paid';
  readonly paidAt: string | null;
  readonly transactionId: string | null;
  readonly bankCode: string | null;
  readonly receiptNumber: string | null;
}

export async function paymentRequestsOf(db: Kysely<Database>, dossierCode: string): Promise<LoggedPaymentRequest[]> {
  const rows = await db.selectFrom('events').select(['type', 'payload']).where('stream_id', '=', dossierCode).where('type', 'in', ['PaymentRequested', 'PaymentRecorded']).orderBy('stream_version').execute();
  const requests = new Map<string, LoggedPaymentRequest>();
  for (const row of rows) {
    if (row.type === 'PaymentRequested') {
      const data = row.payload as PaymentRequested['data'];
      requests.set(data.reference, { reference: data.reference, purpose: data.purpose, amountVnd: data.amountVnd, items: data.items, note: data.note ?? null, requestedAt: data.at, status: 'pending', paidAt: null, transactionId: null, bankCode: null, receiptNumber: null });
      continue;
    }
    const data = row.payload as PaymentRecorded['data'];
    const settled = data.platformPayment ? requests.get(data.platformPayment.reference) : undefined;
    if (!settled || !data.platformPayment) continue;
    requests.set(settled.reference, { ...settled, status: 'paid', paidAt: data.paidAt ?? data.at, transactionId: data.platformPayment.transactionId, bankCode: data.platformPayment.bankCode ?? null, receiptNumber: data.receiptNumber });
  }
  return [...requests.values()];
}

/** The applicant as the reception recorded them: the receipt prints the payer's name and address. Personal: never stored elsewhere or logged. */
export async function payerOf(db: Kysely<Database>, dossierCode: string): Promise<{ name?: string; address?: string } | undefined> {
  const row = await db.selectFrom('events').select('payload').where('stream_id', '=', dossierCode).where('type', '=', 'DossierReceived').executeTakeFirst();
  const applicant = (row?.payload as { applicant?: { fullName?: string; address?: string } } | undefined)?.applicant;
  if (!applicant) return undefined;
  return { ...(applicant.fullName ? { name: applicant.fullName } : {}), ...(applicant.address ? { address: applicant.address } : {}) };
}
