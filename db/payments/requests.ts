// A dossier's payment requests as its log records them (docs/integrations.md#online-payment), for the
// citizen's payment routes and the platform's confirmation. What became of each request is the
// dossier's own fold (domain/dossier/state.ts `settledPaymentRequests`, read through
// db/dossier-files.ts `dossierObligations`): `paid` once the platform confirmed its payment,
// `settled-otherwise` when the notice it asked for was paid some other way first (at the counter, the
// tax authority's receipt), so it is no longer to be paid online. Read from the dossier's own stream,
// so the answer is the log's, whatever the read models say.
import type { Kysely } from 'kysely';
import type { PaymentRequest } from '../../domain/dossier/state.js';
import { dossierObligations, type RecordedPaymentRequest } from '../dossier-files.js';
import type { Database } from '../schema.js';

export interface LoggedPaymentRequest {
  readonly reference: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  readonly items: RecordedPaymentRequest['items'];
  readonly noticeNumber: string | null;
  readonly note: string | null;
  readonly requestedAt: string;
  readonly status: PaymentRequest['status'];
  /** Online (`paid`) or the other way (`settled-otherwise`), as the receipt states it. */
  readonly paidAt: string | null;
  readonly transactionId: string | null;
  readonly bankCode: string | null;
  readonly receiptNumber: string | null;
}

export async function paymentRequestsOf(db: Kysely<Database>, dossierCode: string): Promise<LoggedPaymentRequest[]> {
  const { requests, payments } = await dossierObligations(db, dossierCode);
  return requests.map((request) => {
    // The platform's payment of this very request (there is one when it is `paid`): its bank and receipt.
    const online = request.status === 'paid' ? payments.find((payment) => payment.platformPayment?.reference === request.reference) : undefined;
    return {
      reference: request.reference,
      purpose: request.purpose,
      amountVnd: request.amountVnd,
      items: request.items,
      noticeNumber: request.noticeNumber,
      note: request.note,
      requestedAt: request.requestedAt,
      status: request.status,
      paidAt: request.paidAt,
      transactionId: request.transactionId,
      bankCode: online?.platformPayment?.bankCode ?? null,
      receiptNumber: online?.receiptNumber ?? null,
    };
  });
}

/** The applicant as the reception recorded them: the receipt prints the payer's name and address. Personal: never stored elsewhere or logged. */
export async function payerOf(db: Kysely<Database>, dossierCode: string): Promise<{ name?: string; address?: string } | undefined> {
  const row = await db.selectFrom('events').select('payload').where('stream_id', '=', dossierCode).where('type', '=', 'DossierReceived').executeTakeFirst();
  const applicant = (row?.payload as { applicant?: { fullName?: string; address?: string } } | undefined)?.applicant;
  if (!applicant) return undefined;
  return { ...(applicant.fullName ? { name: applicant.fullName } : {}), ...(applicant.address ? { address: applicant.address } : {}) };
}
