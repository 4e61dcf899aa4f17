// The commands about money on a dossier: a financial obligation's notice (the clock stops), a
// payment request the applicant pays online through the national payment platform, and the record
// of a payment, at the counter or confirmed by the platform (docs/rules.md#payment-requests-and-online-payments).
import { z } from 'zod';
import { freeText } from '../text.js';
import { dossierCommand, stepCommand, text } from './command-envelope.js';
import { systemAnswerFields } from './interagency-commands.js';

/** A tax or fee notice: the clock stops until the applicant pays (status 6). */
export const requestFinancialObligationSchema = stepCommand('RequestFinancialObligation', {
  noticeNumber: freeText({ max: 100 }),
  amountVnd: z.number().int().positive(),
  ...systemAnswerFields.financialObligation,
});

export const recordPaymentSchema = dossierCommand('RecordPayment', {
  amountVnd: z.number().int().positive(),
  method: z.enum(['counter', 'bank-transfer', 'post', 'online']),
  /** DuocThanhToanTrucTuyen: 1 = national portal, 2 = a ministry or provincial gateway. */
  onlineGateway: z.enum(['national-portal', 'provincial']).optional(),
  receiptNumber: freeText({ max: 100 }),
  ...systemAnswerFields.payment,
});

/**
 * A payment request (yêu cầu thanh toán) the applicant pays online through the national payment
 * platform (docs/integrations.md#online-payment): the procedure's fees and charges from the pinned
 * catalogue version (`fees`), or the financial obligation pending on the dossier (`obligation`).
 */
export const requestPaymentSchema = dossierCommand('RequestPayment', {
  purpose: z.enum(['fees', 'obligation']),
  /** Told to the applicant with the request, e.g. what the fee is for. */
  note: text(1000).optional(),
});
