// The national payment platform's callback (IPN) of a payment (docs/integrations.md#online-payment):
// POST /payment-platform/confirm, and the same at the contract's own path POST /DvcPayment/Confirm.
// Anonymous: believed only when its MaXacThuc checks with the partner's secret and it names this
// engine's partner code. A body that is not the contract is refused 400 (a problem, like every
// invalid request); any other is answered 200 in the contract's shape {MaLoi, MoTaLoi, MaDoiTac,
// ThoiGianGD, MaXacThuc}. A forged, malformed or replayed callback changes nothing
// and is logged (the reference and the reason, nothing personal); a success goes through the
// confirmation path the query sweep takes too (activities/payment-confirmation.ts).
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { confirmPayment, type ConfirmationOutcome } from '../../activities/payment-confirmation.js';
import { findTransaction, recordCallback } from '../../db/payments/transactions.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { amountOf, CALLBACK_REPLY_CODES, type Callback, type CallbackReplyCode, callbackReplySchema, callbackSchema, formatThoiGianGD, parseThoiGianGD } from '../../domain/payment/platform-contract.js';
import { hasValidMaXacThuc, signed } from '../../integrations/payment/signature.js';
import { problemSchema } from '../problem-details.js';
import type { PaymentPlatformConnection } from './payments.js';

export interface PaymentCallbackRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  readonly payments?: PaymentPlatformConnection;
}

/** The contract's path of the callback, registered as an alias of ours. */
export const CONTRACT_CALLBACK_PATH = '/DvcPayment/Confirm';
export const CALLBACK_PATH = '/payment-platform/confirm';


/** The callback's body as the route declares it: the contract's fields (others the platform adds are ignored), with an example. */
const callbackBody = callbackSchema
  .describe('The platform\'s callback (IPN). MaXacThuc = lowercase hex SHA-256 of LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|MaNganHang|ThoiGianGD|ThongTinGiaoDich|<partner secret>')
  .meta({
    examples: [
      {
        LoaiBanTin: 'CONFIRM',
        MaLoi: '00',
        MaDoiTac: 'MOTCUA-DEV',
        MaThamChieu: 'dvc0000101H992612030001v6',
        SoTien: '70000',
        MaTienTe: 'VND',
        MaGiaoDich: 'GD0000000001',
        MaNganHang: 'VCB',
        ThoiGianGD: '20261203140501',
        ThongTinGiaoDich: 'THANH TOAN HO SO 000.01.01.H99-261203-0001',
        MaXacThuc: '5f0c2b7d0a8e4f1e9a3c6b2d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012',
      },
    ],
  });

/** The reply code a confirmation's outcome is answered with, and the log line's words. */
function replyCodeOf(outcome: ConfirmationOutcome): CallbackReplyCode {
  switch (outcome.kind) {
    case 'recorded':
    case 'already-recorded':
    // Taken: kept on its transaction with a refund due (docs/integrations.md#the-callback).
    case 'paid-twice':
      return '00';
    case 'unknown-reference':
      return '02';
    case 'amount-mismatch':
      return '03';
    case 'conflict':
    case 'refused':
      return '04';
    case 'retry-later':
      return '99';
  }
}


export const paymentCallbackRoutes: FastifyPluginAsyncZod<PaymentCallbackRoutesDeps> = async (app, deps) => {
  const { db, payments } = deps;

  const callback = async (message: Callback, log: FastifyBaseLogger) => {
    const partnerCode = payments?.partnerCode ?? '';
    const reply = (code: CallbackReplyCode) => {
      const fields = { MaLoi: code, MoTaLoi: CALLBACK_REPLY_CODES[code], MaDoiTac: partnerCode, ThoiGianGD: formatThoiGianGD(new Date()) };
      return payments ? signed('CALLBACK_REPLY', fields, payments.secrets[0]) : { ...fields, MaXacThuc: '' };
    };
    if (!payments || message.MaDoiTac !== payments.partnerCode || !hasValidMaXacThuc('CALLBACK', message, payments.secrets)) {
      log.warn({ reference: message.MaThamChieu, reason: payments ? (message.MaDoiTac !== payments.partnerCode ? 'another partner code' : 'MaXacThuc does not check') : 'online payment not configured' }, 'payment callback refused: forged or corrupted; nothing changed');
      return reply('01');
    }
    const transaction = await findTransaction(db, message.MaThamChieu);
    if (!transaction) {
      log.warn({ reference: message.MaThamChieu }, 'payment callback refused: no payment was started with this reference');
      return reply('02');
    }
    if (message.MaLoi !== '00') {
      // The platform tells of a failed attempt: kept, nothing else changes (the citizen may try again on
      // the same page; the query sweep settles the transaction's state from the platform's own answer).
      await recordCallback(db, message.MaThamChieu, message, `the platform reported MaLoi ${message.MaLoi}`, transaction.state === 'thanh-cong');
      log.info({ reference: message.MaThamChieu, platformCode: message.MaLoi }, 'payment callback: the platform reports a failed attempt');
      return reply('00');
    }
    const paidAt = parseThoiGianGD(message.ThoiGianGD)!;
    const outcome = await confirmPayment(
      { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log, store: deps.store, platform: payments.platform },
      { reference: message.MaThamChieu, transactionId: message.MaGiaoDich, bankCode: message.MaNganHang, amountVnd: amountOf(message.SoTien), paidAt, via: 'callback' },
    );
    const code = replyCodeOf(outcome);
    await recordCallback(db, message.MaThamChieu, message, outcome.kind === 'recorded' ? `payment recorded (callback)` : `callback: ${outcome.kind}${'reason' in outcome ? `: ${outcome.reason.slice(0, 200)}` : ''}`, transaction.state === 'thanh-cong');
    if (outcome.kind === 'already-recorded') log.info({ reference: message.MaThamChieu }, 'payment callback again (a duplicate or replay): already recorded, nothing changed');
    else if (outcome.kind !== 'recorded') log.warn({ reference: message.MaThamChieu, outcome: outcome.kind, ...('code' in outcome ? { code: outcome.code } : {}) }, 'payment callback not recorded');
    return reply(code);
  };

  for (const url of [CALLBACK_PATH, CONTRACT_CALLBACK_PATH]) {
    app.post(
      url,
      {
        schema: {
          summary: url === CALLBACK_PATH ? 'The national payment platform confirms a payment (callback, IPN); verified by its MaXacThuc' : `The contract's own path of POST ${CALLBACK_PATH}`,
          description: 'Anonymous: believed only when MaXacThuc checks. Answered 200 in the contract\'s shape: MaLoi 00 taken (also again: idempotent on MaThamChieu and MaGiaoDich), 01 signature, 02 unknown reference, 03 amount differs, 04 not valid for the request, 99 try again later. A body that is not the contract (a field missing or malformed) is refused with 400 and changes nothing (docs/integrations.md#online-payment).',
          tags: ['payments'],
          security: [],
          body: callbackBody,
          response: { 200: callbackReplySchema, 400: problemSchema, 413: problemSchema, 415: problemSchema, 429: problemSchema },
        },
        bodyLimit: 16_384,
        config: { access: { public: true }, rateLimit: { max: 300, timeWindow: '1 minute', hook: 'onRequest' } },
      },
      async (request) => callback(request.body, request.log),
    );
  }
};
