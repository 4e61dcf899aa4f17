// Online payment through the national payment platform v1.0.6 (docs/integrations.md#online-payment):
// - the citizen, with the receipt's code and lookup secret and no account, sees the dossier's payment
//   requests (GET /lookup/{code}/payments) and starts paying one (POST /lookup/{code}/payments): the
//   engine asks the platform for a payment page (INIT) and answers its address;
// - the platform confirms a payment: api/routes/payment-callback.ts;
// - staff see the transactions of a dossier (GET /dossiers/{code}/payments); the receipts are files
//   of the dossier (GET /dossiers/{code}/files/{sha256}).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agencyNames, latestProcedureName } from '../../db/catalogue.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { type LoggedPaymentRequest, payerOf, paymentRequestsOf } from '../../db/payments/requests.js';
import { type PaymentTransaction, startPaymentAttempt, transactionsOf } from '../../db/payments/transactions.js';
import { DEFAULT_PAGE_VALIDITY_MS, offeredPage } from '../../domain/payment/attempts.js';
import type { Database } from '../../db/schema.js';
import { referenceSchema } from '../../domain/payment/platform-contract.js';
import { type PaymentPlatform, PaymentPlatformRefused, PaymentPlatformUnavailable } from '../../integrations/payment/port.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { isLookupSecret } from '../auth/lookup-secret.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams, lookupSecretQuery } from '../request-schemas.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

/** The national payment platform as the API reaches it; absent, online payment is not offered. */
export interface PaymentPlatformConnection {
  readonly platform: PaymentPlatform;
  /** MaDoiTac. */
  readonly partnerCode: string;
  /** The secrets a callback's MaXacThuc may be made with: the current first (it signs the replies), then the previous one during a rotation. */
  readonly secrets: readonly [string, ...string[]];
  /** How long a payment page is offered again before a new attempt (MOTCUA_PAYMENT_PAGE_MINUTES; 15 min). */
  readonly pageValidityMs?: number;
}

export interface PaymentRoutesDeps {
  readonly db: Kysely<Database>;
  readonly lookupKey: string;
  readonly payments?: PaymentPlatformConnection;
  /** Starts of a payment a minute per address (reads: three times as many). */
  readonly publicRateLimitPerMinute: number;
}

const itemSchema = z.object({ name: z.string(), amountVnd: z.number().int(), kind: z.enum(['fee', 'charge', 'obligation']).nullable() });
const citizenRequestSchema = z.object({
  reference: z.string().describe('MaThamChieu: what POST /lookup/{code}/payments names'),
  purpose: z.enum(['fees', 'obligation']),
  amountVnd: z.number().int(),
  items: z.array(itemSchema),
  note: z.string().nullable(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'paid', 'settled-otherwise', 'cancelled']).describe('cancelled: the dossier closed before it was paid, nothing to pay; pending: to be paid (online or at the centre); paid: paid online; settled-otherwise: the notice it asked for was paid some other way first (at the centre, to the tax authority), nothing to pay online'),
  paidAt: z.string().nullable().describe('When it was paid, online or the other way'),
  online: z
    .object({ state: z.enum(['khoi-tao', 'thanh-cong', 'that-bai']), paymentUrl: z.string().nullable().describe('The payment page, while the payment is under way and the request still pending') })
    .nullable()
    .describe('The online payment started, if any'),
});

const transactionSchema = z.object({
  reference: z.string().describe("This attempt's MaThamChieu: the request's reference for the first attempt, then the request's reference and x<n>"),
  requestReference: z.string().describe('The payment request it pays'),
  attempt: z.number().int(),
  refundDue: z.string().nullable().describe('Paid after another attempt had paid the request: why the money is owed back to the applicant'),
  purpose: z.enum(['fees', 'obligation']),
  amountVnd: z.number().int(),
  state: z.enum(['khoi-tao', 'thanh-cong', 'that-bai']).describe('khoi-tao: started, waiting for the platform; thanh-cong: confirmed and recorded; that-bai: failed'),
  inits: z.number().int().describe('How many times the citizen started paying it'),
  transactionId: z.string().nullable().describe("MaGiaoDich: the platform's transaction"),
  bankCode: z.string().nullable(),
  paidAt: z.string().nullable(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  confirmedVia: z.enum(['callback', 'query']).nullable(),
  callbackCount: z.number().int(),
  lastCallbackAt: z.string().nullable(),
  lastOutcome: z.string().nullable(),
  queryCount: z.number().int(),
  queriedAt: z.string().nullable(),
  receipt: z.object({ sha256: z.string(), size: z.number().int(), href: z.string().describe('GET it with a dossier reader\'s token') }).nullable(),
});


function notFoundForCitizen(reply: FastifyReply) {
  return sendProblem(reply, {
    type: 'urn:motcua:problem:dossier-not-found',
    title: 'Dossier not found',
    status: 404,
    detail: 'No dossier matches this code and lookup secret. Check both on the receipt (form 01).',
  });
}

function describeTransaction(code: string, transaction: PaymentTransaction) {
  return {
    reference: transaction.reference,
    requestReference: transaction.requestReference,
    attempt: transaction.attempt,
    refundDue: transaction.refundDue,
    purpose: transaction.purpose,
    amountVnd: transaction.amountVnd,
    state: transaction.state,
    inits: transaction.inits,
    transactionId: transaction.transactionId,
    bankCode: transaction.bankCode,
    paidAt: transaction.paidAt?.toISOString() ?? null,
    createdAt: transaction.createdAt.toISOString(),
    confirmedAt: transaction.confirmedAt?.toISOString() ?? null,
    confirmedVia: transaction.confirmedVia,
    callbackCount: transaction.callbackCount,
    lastCallbackAt: transaction.lastCallbackAt?.toISOString() ?? null,
    lastOutcome: transaction.lastOutcome,
    queryCount: transaction.queryCount,
    queriedAt: transaction.queriedAt?.toISOString() ?? null,
    receipt: transaction.receiptFile ? { sha256: transaction.receiptFile.sha256, size: transaction.receiptFile.size, href: `/dossiers/${code}/files/${transaction.receiptFile.sha256}` } : null,
  };
}

function citizenView(request: LoggedPaymentRequest, transaction: PaymentTransaction | undefined) {
  return {
    reference: request.reference,
    purpose: request.purpose,
    amountVnd: request.amountVnd,
    items: request.items.map((item) => ({ name: item.name, amountVnd: item.amountVnd, kind: item.kind ?? null })),
    note: request.note,
    requestedAt: request.requestedAt,
    status: request.status,
    paidAt: request.paidAt,
    online: transaction ? { state: transaction.state, paymentUrl: transaction.state === 'khoi-tao' && request.status === 'pending' ? transaction.paymentUrl : null } : null,
  };
}

export const paymentRoutes: FastifyPluginAsyncZod<PaymentRoutesDeps> = async (app, deps) => {
  const { db, lookupKey, payments } = deps;

  app.get(
    '/lookup/:code/payments',
    {
      schema: {
        summary: "The dossier's payment requests and their status, for the citizen with the receipt's code and secret; no token, no personal data",
        tags: ['citizens'],
        security: [],
        params: dossierCodeParams,
        querystring: lookupSecretQuery,
        response: { 200: z.object({ dossierCode: z.string(), onlinePayment: z.boolean().describe('Whether the engine is connected to the payment platform'), requests: z.array(citizenRequestSchema) }), 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config: { access: { public: true }, rateLimit: { max: deps.publicRateLimitPerMinute * 3, timeWindow: '1 minute', hook: 'onRequest' } },
    },
    async (request, reply) => {
      const { code } = request.params;
      // The secret first, by its HMAC alone: a guess costs no query and answers like an unknown code.
      if (!isLookupSecret(lookupKey, code, request.query.secret) || !(await findDossierSummary(db, code))) return notFoundForCitizen(reply);
      const [requests, transactions] = await Promise.all([paymentRequestsOf(db, code), transactionsOf(db, code)]);
      // The latest attempt of each request, its page only while it is still offered (domain/payment/attempts.ts).
      const byReference = new Map(transactions.map((transaction) => [transaction.requestReference, { ...transaction, paymentUrl: offeredPage(transaction, new Date(), payments?.pageValidityMs ?? DEFAULT_PAGE_VALIDITY_MS) }]));
      return { dossierCode: code, onlinePayment: payments !== undefined, requests: requests.map((item) => citizenView(item, byReference.get(item.reference))) };
    },
  );

  app.post(
    '/lookup/:code/payments',
    {
      schema: {
        summary: "Start paying a payment request online: answers the national payment platform's page to send the citizen to; no token",
        description: 'The secret travels in the body. Again for a request being paid: the same page. Only a pending request is paid: one already paid (409 payment-already-made) or settled some other way (409 payment-settled-otherwise) is not. Not connected to the payment platform: 404.',
        tags: ['citizens'],
        security: [],
        params: dossierCodeParams,
        body: z.object({ secret: lookupSecretQuery.shape.secret, reference: referenceSchema.describe('The payment request\'s reference, from GET /lookup/{code}/payments') }).strict().meta({ examples: [{ secret: '7KQ2M9XH4D', reference: 'dvc0000101H992612030001v6' }] }),
        response: {
          200: z.object({ dossierCode: z.string(), reference: z.string(), amountVnd: z.number().int(), paymentUrl: z.string().describe('UrlThanhToan: send the citizen there') }),
          400: problemSchema,
          404: problemSchema,
          409: problemSchema,
          429: problemSchema,
          502: problemSchema,
          503: problemSchema,
        },
      },
      bodyLimit: 4096,
      config: { access: { public: true }, rateLimit: { max: deps.publicRateLimitPerMinute, timeWindow: '1 minute', hook: 'onRequest' } },
    },
    async (request, reply) => {
      const { code } = request.params;
      const { reference } = request.body;
      const summary = isLookupSecret(lookupKey, code, request.body.secret) ? await findDossierSummary(db, code) : undefined;
      if (!summary) return notFoundForCitizen(reply);
      if (!payments) {
        return sendProblem(reply, { type: 'urn:motcua:problem:online-payment-not-offered', title: 'Online payment not offered', status: 404, detail: 'This engine is not connected to the national payment platform; pay at the one-stop centre (docs/citizens.md#paying-online).' });
      }
      const paymentRequest = (await paymentRequestsOf(db, code)).find((item) => item.reference === reference);
      if (!paymentRequest) {
        return sendProblem(reply, { type: 'urn:motcua:problem:payment-request-not-found', title: 'Payment request not found', status: 404, detail: `Dossier ${code} has no payment request ${reference}; list them with GET /lookup/${code}/payments.` });
      }
      const alreadyPaid = () => sendProblem(reply, { type: 'urn:motcua:problem:payment-already-made', title: 'Already paid', status: 409, detail: `Payment request ${reference} of dossier ${code} is paid${paymentRequest.paidAt ? ` (${paymentRequest.paidAt})` : ''}; nothing more to pay.` });
      // Only a pending request is paid online; what became of it is the dossier's own fold (db/payments/requests.ts).
      switch (paymentRequest.status) {
        case 'pending':
          break;
        case 'paid':
          return alreadyPaid();
        case 'settled-otherwise':
          return sendProblem(reply, {
            type: 'urn:motcua:problem:payment-settled-otherwise',
            title: 'Already paid another way',
            status: 409,
            detail: `Payment request ${reference} of dossier ${code} is no longer to be paid online: the notice it asked for${paymentRequest.noticeNumber ? ` (${paymentRequest.noticeNumber})` : ''} was paid another way${paymentRequest.paidAt ? ` on ${paymentRequest.paidAt}` : ''} (at the one-stop centre or to the tax authority); nothing more to pay. Ask the one-stop centre if this is not so.`,
          });
        case 'cancelled':
          return sendProblem(reply, { type: 'urn:motcua:problem:payment-request-cancelled', title: 'Payment request cancelled', status: 409, detail: `Payment request ${reference} of dossier ${code} was cancelled when the dossier closed; nothing is to be paid on it (docs/rules.md#payment-requests-and-online-payments).` });
        default: {
          const status: never = paymentRequest.status;
          return sendProblem(reply, { type: 'urn:motcua:problem:payment-request-not-pending', title: 'Not to be paid', status: 409, detail: `Payment request ${reference} of dossier ${code} is ${String(status)}, not pending; nothing to pay online.` });
        }
      }
      const [procedureName, units, payer] = await Promise.all([latestProcedureName(db, summary.procedure_code), agencyNames(db, [summary.agency_code]), payerOf(db, code)]);
      try {
        // One start at a time per request; the page again while young, else a new attempt (db/payments/transactions.ts).
        const started = await startPaymentAttempt(db, { reference, dossierCode: code, purpose: paymentRequest.purpose, amountVnd: paymentRequest.amountVnd }, { pageValidityMs: payments.pageValidityMs ?? DEFAULT_PAGE_VALIDITY_MS }, async (attempt) =>
          (await payments.platform.init({
            reference: attempt,
            dossierCode: code,
            amountVnd: paymentRequest.amountVnd,
            procedure: { code: summary.procedure_code, name: procedureName ?? summary.procedure_code },
            unit: { code: summary.agency_code, name: units.get(summary.agency_code) ?? summary.agency_code },
            items: paymentRequest.items,
            ...(payer ? { payer } : {}),
            clientIp: request.ip,
            at: new Date(),
          })).paymentUrl,
        );
        if (started.kind === 'paid') return alreadyPaid();
        const { paymentUrl } = started;
        if (started.fresh) request.log.info({ dossierCode: code, reference, attempt: started.reference }, 'online payment started');
        return { dossierCode: code, reference, amountVnd: paymentRequest.amountVnd, paymentUrl };
      } catch (error) {
        if (!(error instanceof PaymentPlatformRefused) && !(error instanceof PaymentPlatformUnavailable)) throw error;
        request.log.warn({ dossierCode: code, reference, reason: (error as Error).message }, 'online payment not started: the payment platform');
        if (error instanceof PaymentPlatformRefused) {
          return sendProblem(reply, { type: 'urn:motcua:problem:payment-platform-refused', title: 'The payment platform refused', status: 502, detail: `The national payment platform refused to start this payment (its code ${error.platformCode}); try again later or pay at the one-stop centre.` });
        }
        reply.header('retry-after', '30');
        return sendProblem(reply, { type: 'urn:motcua:problem:payment-platform-unavailable', title: 'Payment platform unavailable', status: 503, detail: 'The national payment platform did not answer; try again in a minute.' });
      }
    },
  );

  app.get(
    '/dossiers/:code/payments',
    {
      schema: {
        summary: "The dossier's online payments: its payment requests and the platform's transactions (state, MaGiaoDich, callbacks, receipt)",
        tags: ['payments'],
        params: dossierCodeParams,
        response: { 200: z.object({ dossierCode: z.string(), requests: z.array(citizenRequestSchema.extend({ transactionId: z.string().nullable(), receiptNumber: z.string().nullable() })), transactions: z.array(transactionSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { code } = request.params;
      if (!(await findDossierSummary(db, code))) return dossierNotFound(reply, code);
      if (!(await agencyTakesPart(db, callerOf(request), code))) return notYourDossier(reply, code);
      const [requests, transactions] = await Promise.all([paymentRequestsOf(db, code), transactionsOf(db, code)]);
      const byReference = new Map(transactions.map((transaction) => [transaction.requestReference, transaction]));
      return {
        dossierCode: code,
        requests: requests.map((item) => ({ ...citizenView(item, byReference.get(item.reference)), transactionId: item.transactionId, receiptNumber: item.receiptNumber })),
        transactions: transactions.map((transaction) => describeTransaction(code, transaction)),
      };
    },
  );
};
