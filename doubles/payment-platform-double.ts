// A loopback double of the national payment platform v1.0.6 (docs/integrations.md#the-payment-platforms-double):
// a Fastify app on 127.0.0.1 that speaks the contract (domain/payment/platform-contract.ts) and refuses
// what breaks it, as the platform would, and that REALLY calls the engine back when a payment is made.
//
//   POST /init     Authorization: Bearer <token>, the INIT message → {error_code:"0", message:"{\"UrlThanhToan\":…}"}
//                  ({error_code:"01"} MaXacThuc does not check, "05" not the contract, "02" the reference is paid, "99" the fault `refuseInit`);
//   GET  /pay/:reference   the payment page: the amount and a "Thanh toán" button (and "Hủy" to fail it), and
//                  once paid or failed a link back to `returnUrl` (where the partner registered its citizens return);
//   POST /__pay/:reference  pays (JSON {"outcome":"success"|"failure"} or the page's form): the platform's transaction
//                  is made (MaGiaoDich, MaNganHang, ThoiGianGD) and the engine is called back at `callbackUrl`, signed;
//                  answers {reference, transactionId, state, callbacks: [what the engine replied]} once the first callback is answered;
//   POST /query    the QUERY message → {MaLoi:"00", MaThamChieu, TrangThaiGD:"1"|"3"|"4", MaGiaoDich, MaNganHang, SoTien, ThoiGianGD}
//                  ({MaLoi:"02"} unknown reference);
//   POST /receipt  the RECEIPT message → the e-receipt, application/pdf (404 before the payment, or with `receiptNotReady`).
//   A callback that the engine does not take (no answer, HTTP ≠ 200, MaLoi "99") is retried with backoff, 5 times at most.
//
// Faults (POST /__faults with any of the fields, or `faults` at start; DELETE /__faults clears them):
//   dropCallback       the payment is made but no callback goes out (the engine's query sweep must find it);
//   duplicateCallback  each callback is sent twice;
//   wrongAmount        the callback states 1 000 VND more than the payment;
//   badSignature       the callback's MaXacThuc is wrong;
//   fail               payments fail: the callback says MaLoi "24", the query TrangThaiGD 4;
//   pendingQuery       the query answers TrangThaiGD 3 whatever the state;
//   refuseInit         INIT answers error_code "99";
//   receiptNotReady    RECEIPT answers 404;
//   down               every request answers 503 and no callback goes out;
//   slowMs             every answer and callback waits this long first.
// For people and tests: GET /__inspect (transactions, INIT/QUERY/RECEIPT requests counted, callbacks and what the
// engine replied; never the payer, whom the INIT's receipt data names).
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  amountOf,
  CONTRACT_VERSION,
  formatThoiGianGD,
  initRequestSchema,
  queryRequestSchema,
  receiptRequestSchema,
  transactionInfo,
} from '../domain/payment/platform-contract.js';
import { DEFAULT_SWEEP, type PaymentSettings, type PaymentSweepSettings } from '../integrations/payment/payment-config.js';
import { hasValidMaXacThuc, signed } from '../integrations/payment/signature.js';
import { systemPaper } from './interagency-pdf.js';

export const paymentFaultsSchema = z
  .object({
    dropCallback: z.boolean(),
    duplicateCallback: z.boolean(),
    wrongAmount: z.boolean(),
    badSignature: z.boolean(),
    fail: z.boolean(),
    pendingQuery: z.boolean(),
    refuseInit: z.boolean(),
    receiptNotReady: z.boolean(),
    down: z.boolean(),
    slowMs: z.number().int().min(0).max(600_000),
  })
  .strict();
export type PaymentFaults = z.infer<typeof paymentFaultsSchema>;
export const NO_PAYMENT_FAULTS: PaymentFaults = Object.freeze({ dropCallback: false, duplicateCallback: false, wrongAmount: false, badSignature: false, fail: false, pendingQuery: false, refuseInit: false, receiptNotReady: false, down: false, slowMs: 0 });

/** The double's published development account (the engine's MOTCUA_PAYMENT_* for it). */
export const PAYMENT_DOUBLE_DEFAULTS = Object.freeze({ partnerCode: 'MOTCUA-DEV', secret: 'payment-double-secret-for-development', token: 'payment-double-token' });

export interface PaymentDoubleOptions {
  readonly port?: number;
  readonly partnerCode?: string;
  readonly secret?: string;
  readonly token?: string;
  /** The engine's callback: `<engine>/payment-platform/confirm` (or the contract's /DvcPayment/Confirm). */
  readonly callbackUrl?: string;
  /** Where the citizen goes back after paying (the partner's registered page: the public lookup); none, no link. */
  readonly returnUrl?: string;
  readonly faults?: Partial<PaymentFaults>;
  /** The bank the double's payments are made through. */
  readonly bankCode?: string;
}

export interface PlatformTransaction {
  readonly reference: string;
  readonly dossierCode: string;
  amountVnd: number;
  state: 'pending' | 'paid' | 'failed';
  inits: number;
  transactionId: string | null;
  bankCode: string | null;
  /** ThoiGianGD of the payment. */
  paidAt: string | null;
}

export interface CallbackAttempt {
  readonly at: string;
  readonly reference: string;
  readonly variant: 'callback' | 'duplicate';
  readonly status: number | null;
  /** The engine's MaLoi, and whether its reply's MaXacThuc checks. */
  readonly maLoi: string | null;
  readonly replySigned: boolean | null;
  readonly error?: string;
}

export interface PaymentPlatformDouble {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly partnerCode: string;
  readonly secret: string;
  readonly token: string;
  /** The engine's callback URL (set after start when the engine's address is known only then). */
  callbackUrl: string | undefined;
  /** Where the page sends the citizen back after paying (set after start when known only then). */
  returnUrl: string | undefined;
  faults(next?: Partial<PaymentFaults>): PaymentFaults;
  transactions(): readonly PlatformTransaction[];
  callbacks(reference?: string): readonly CallbackAttempt[];
  requests(): { readonly init: number; readonly query: number; readonly receipt: number; readonly refused: number };
  /** Pays (or fails) a transaction as the citizen's click does, and waits for the first callback's answer. */
  pay(reference: string, outcome?: 'success' | 'failure'): Promise<{ reference: string; transactionId: string | null; state: string; callbacks: CallbackAttempt[] }>;
  /** The engine's settings that reach this double (MOTCUA_PAYMENT_* as a deployment sets them). */
  settings(sweep?: Partial<PaymentSweepSettings>): PaymentSettings;
  /** Sends a transaction's callback again now (as a platform replaying it would). */
  callBackAgain(reference: string): Promise<CallbackAttempt[]>;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPaymentPlatformDouble(options: PaymentDoubleOptions = {}): Promise<PaymentPlatformDouble> {
  const partnerCode = options.partnerCode ?? PAYMENT_DOUBLE_DEFAULTS.partnerCode;
  const secret = options.secret ?? PAYMENT_DOUBLE_DEFAULTS.secret;
  const token = options.token ?? PAYMENT_DOUBLE_DEFAULTS.token;
  const bankCode = options.bankCode ?? 'VCB';
  let faults: PaymentFaults = { ...NO_PAYMENT_FAULTS, ...options.faults };
  const transactions = new Map<string, PlatformTransaction>();
  const attempts: CallbackAttempt[] = [];
  const counts = { init: 0, query: 0, receipt: 0, refused: 0 };
  // Like a real platform's, a transaction id is never given twice, even by two doubles (or two runs)
  // writing to one database: the engine keeps MaGiaoDich unique across every request.
  const instance = randomBytes(4).toString('hex').toUpperCase();
  let serial = 0;
  const pendingCallbacks = new Set<Promise<unknown>>();
  let closed = false;

  const app = Fastify({ logger: false, bodyLimit: 65_536 });
  // The payment page's form.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__')) return;
    if (faults.slowMs > 0) await sleep(faults.slowMs);
    if (faults.down) return reply.code(503).send({ error: 'the payment platform double is down (fault)' });
  });

  const authorised = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (request.headers.authorization === `Bearer ${token}`) return true;
    counts.refused += 1;
    void reply.code(401).send({ error_code: '401', message: 'Thiếu hoặc sai Bearer token' });
    return false;
  };

  const callback = async (transaction: PlatformTransaction, variant: CallbackAttempt['variant']): Promise<CallbackAttempt> => {
    const url = double.callbackUrl;
    const base = { at: new Date().toISOString(), reference: transaction.reference, variant };
    if (!url) return { ...base, status: null, maLoi: null, replySigned: null, error: 'no callbackUrl' };
    const amount = transaction.amountVnd + (faults.wrongAmount ? 1000 : 0);
    const fields = {
      LoaiBanTin: 'CONFIRM',
      MaLoi: transaction.state === 'paid' ? '00' : '24',
      MaDoiTac: partnerCode,
      MaThamChieu: transaction.reference,
      SoTien: String(amount),
      MaTienTe: 'VND',
      MaGiaoDich: transaction.transactionId ?? `GD-FAILED-${transaction.reference}`,
      MaNganHang: transaction.bankCode ?? bankCode,
      ThoiGianGD: transaction.paidAt ?? formatThoiGianGD(new Date()),
      ThongTinGiaoDich: transactionInfo(transaction.dossierCode),
    };
    const body = signed('CALLBACK', fields, secret);
    if (faults.badSignature) body.MaXacThuc = body.MaXacThuc.replace(/^./, (first) => (first === '0' ? '1' : '0'));
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      const reply = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const maLoi = typeof reply?.MaLoi === 'string' ? reply.MaLoi : null;
      return { ...base, status: response.status, maLoi, replySigned: reply ? hasValidMaXacThuc('CALLBACK_REPLY', reply, [secret]) : false };
    } catch (error) {
      return { ...base, status: null, maLoi: null, replySigned: null, error: (error as Error).message };
    }
  };

  /** Calls back, retrying what the engine did not take (no answer, HTTP ≠ 200, MaLoi 99) in the background. */
  const callBack = async (transaction: PlatformTransaction): Promise<CallbackAttempt[]> => {
    if (faults.dropCallback || faults.down) return [];
    const variants: CallbackAttempt['variant'][] = faults.duplicateCallback ? ['callback', 'duplicate'] : ['callback'];
    const first: CallbackAttempt[] = [];
    for (const variant of variants) {
      const attempt = await callback(transaction, variant);
      attempts.push(attempt);
      first.push(attempt);
    }
    const taken = (attempt: CallbackAttempt) => attempt.status === 200 && attempt.maLoi !== '99';
    if (!first.every(taken)) {
      const retrying = (async () => {
        for (let round = 1, wait = 200; round < 5 && !closed; round += 1, wait *= 2) {
          await sleep(wait);
          if (closed || faults.down) continue;
          const attempt = await callback(transaction, 'callback');
          attempts.push(attempt);
          if (taken(attempt)) return;
        }
      })();
      pendingCallbacks.add(retrying);
      void retrying.finally(() => pendingCallbacks.delete(retrying));
    }
    return first;
  };

  const pay = async (reference: string, outcome: 'success' | 'failure' = 'success') => {
    const transaction = transactions.get(reference);
    if (!transaction) throw Object.assign(new Error(`no transaction ${reference} was started (INIT)`), { statusCode: 404 });
    if (transaction.state !== 'paid') {
      if (outcome === 'success' && !faults.fail) {
        serial += 1;
        transaction.state = 'paid';
        transaction.transactionId = `GD${instance}${String(serial).padStart(8, '0')}`;
        transaction.bankCode = bankCode;
        transaction.paidAt = formatThoiGianGD(new Date());
      } else {
        transaction.state = 'failed';
      }
    }
    const callbacks = await callBack(transaction);
    return { reference, transactionId: transaction.transactionId, state: transaction.state, callbacks };
  };

  app.post('/init', async (request, reply) => {
    if (!authorised(request, reply)) return reply;
    counts.init += 1;
    const parsed = initRequestSchema.safeParse(request.body);
    if (!parsed.success) return { error_code: '05', message: `Bản tin không đúng định dạng: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` };
    const message = parsed.data;
    if (message.MaDoiTac !== partnerCode || !hasValidMaXacThuc('INIT', message, [secret])) return { error_code: '01', message: 'Sai mã đối tác hoặc MaXacThuc' };
    if (faults.refuseInit) return { error_code: '99', message: 'Hệ thống đang bận (fault refuseInit)' };
    const existing = transactions.get(message.MaThamChieu);
    if (existing?.state === 'paid') return { error_code: '02', message: 'Mã tham chiếu đã được thanh toán' };
    if (existing) {
      existing.inits += 1;
      existing.state = 'pending';
      existing.amountVnd = amountOf(message.SoTien);
    } else {
      transactions.set(message.MaThamChieu, { reference: message.MaThamChieu, dossierCode: message.ThongTinBienLai.MaHoSo, amountVnd: amountOf(message.SoTien), state: 'pending', inits: 1, transactionId: null, bankCode: null, paidAt: null });
    }
    return { error_code: '0', message: JSON.stringify({ UrlThanhToan: `${double.url}/pay/${encodeURIComponent(message.MaThamChieu)}` }) };
  });

  app.get('/pay/:reference', async (request, reply) => {
    const { reference } = request.params as { reference: string };
    const transaction = transactions.get(reference);
    reply.type('text/html; charset=utf-8');
    if (!transaction) return reply.code(404).send('<!doctype html><meta charset="utf-8"><title>Không tìm thấy giao dịch</title><p>Không tìm thấy giao dịch.</p>');
    const state = { pending: 'Chờ thanh toán', paid: 'Đã thanh toán', failed: 'Thanh toán không thành công' }[transaction.state];
    return `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Nền tảng thanh toán (thử nghiệm)</title>
<h1>Nền tảng thanh toán – bản thử nghiệm</h1>
<p>Hồ sơ <strong>${escapeHtml(transaction.dossierCode)}</strong>, mã tham chiếu ${escapeHtml(reference)}</p>
<p>Số tiền: <strong>${transaction.amountVnd.toLocaleString('vi-VN')} đồng</strong></p>
<p>Trạng thái: ${state}</p>
${transaction.state === 'paid' ? '' : `<form method="post" action="/__pay/${encodeURIComponent(reference)}"><input type="hidden" name="outcome" value="success"><button type="submit">Thanh toán</button></form>
<form method="post" action="/__pay/${encodeURIComponent(reference)}"><input type="hidden" name="outcome" value="failure"><button type="submit">Hủy</button></form>`}
${transaction.state !== 'pending' && double.returnUrl ? `<p><a href="${escapeHtml(double.returnUrl)}">Quay về trang dịch vụ công</a></p>` : ''}
<p><small>Loopback double của motcua: không có giao dịch thật.</small></p></html>`;
  });

  app.post('/__pay/:reference', async (request, reply) => {
    const { reference } = request.params as { reference: string };
    const body = z.object({ outcome: z.enum(['success', 'failure']).default('success') }).safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'outcome must be success or failure' });
    try {
      const paid = await pay(reference, body.data.outcome);
      if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return reply.redirect(`/pay/${encodeURIComponent(reference)}`, 303);
      return paid;
    } catch (error) {
      return reply.code((error as { statusCode?: number }).statusCode ?? 500).send({ error: (error as Error).message });
    }
  });

  app.post('/query', async (request, reply) => {
    if (!authorised(request, reply)) return reply;
    counts.query += 1;
    const parsed = queryRequestSchema.safeParse(request.body);
    if (!parsed.success) return { MaLoi: '05', MoTaLoi: 'Bản tin không đúng định dạng' };
    if (parsed.data.MaDoiTac !== partnerCode || !hasValidMaXacThuc('QUERY', parsed.data, [secret])) return { MaLoi: '01', MoTaLoi: 'Sai MaXacThuc' };
    const transaction = transactions.get(parsed.data.MaThamChieu);
    if (!transaction) return { MaLoi: '02', MoTaLoi: 'Không tìm thấy giao dịch' };
    const state = faults.pendingQuery || transaction.state === 'pending' ? '3' : transaction.state === 'paid' ? '1' : '4';
    return {
      MaLoi: '00',
      MaThamChieu: transaction.reference,
      TrangThaiGD: state,
      SoTien: String(transaction.amountVnd),
      ...(state === '1' ? { MaGiaoDich: transaction.transactionId!, MaNganHang: transaction.bankCode!, ThoiGianGD: transaction.paidAt! } : {}),
      ...(state === '4' ? { MoTaLoi: 'Giao dịch không thành công' } : {}),
    };
  });

  app.post('/receipt', async (request, reply) => {
    if (!authorised(request, reply)) return reply;
    counts.receipt += 1;
    const parsed = receiptRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ MaLoi: '05', MoTaLoi: 'Bản tin không đúng định dạng' });
    if (parsed.data.MaDoiTac !== partnerCode || !hasValidMaXacThuc('RECEIPT', parsed.data, [secret])) return reply.code(400).send({ MaLoi: '01', MoTaLoi: 'Sai MaXacThuc' });
    const transaction = transactions.get(parsed.data.MaThamChieu);
    if (!transaction || transaction.state !== 'paid' || faults.receiptNotReady) return reply.code(404).send({ MaLoi: '02', MoTaLoi: 'Chưa có biên lai' });
    const pdf = await systemPaper('NỀN TẢNG THANH TOÁN (THỬ NGHIỆM)', 'BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ', [
      `Hồ sơ: ${transaction.dossierCode}`,
      `Mã tham chiếu: ${transaction.reference}`,
      `Mã giao dịch: ${transaction.transactionId}`,
      `Ngân hàng: ${transaction.bankCode}`,
      `Số tiền: ${transaction.amountVnd.toLocaleString('vi-VN')} đồng`,
      `Thời gian giao dịch: ${transaction.paidAt}`,
      `Phiên bản giao thức: ${CONTRACT_VERSION}`,
    ]);
    return reply.type('application/pdf').send(Buffer.from(pdf));
  });

  app.get('/__inspect', async () => ({ transactions: [...transactions.values()], callbacks: attempts, requests: counts, faults, callbackUrl: double.callbackUrl ?? null }));
  app.post('/__faults', async (request, reply) => {
    const parsed = paymentFaultsSchema.partial().safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    faults = { ...faults, ...parsed.data };
    return faults;
  });
  app.delete('/__faults', async () => {
    faults = { ...NO_PAYMENT_FAULTS };
    return faults;
  });

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const double: PaymentPlatformDouble = {
    url,
    app,
    partnerCode,
    secret,
    token,
    callbackUrl: options.callbackUrl,
    returnUrl: options.returnUrl,
    faults(next) {
      if (next) faults = { ...faults, ...paymentFaultsSchema.partial().parse(next) };
      return faults;
    },
    transactions: () => [...transactions.values()].map((transaction) => ({ ...transaction })),
    callbacks: (reference) => attempts.filter((attempt) => reference === undefined || attempt.reference === reference),
    requests: () => ({ ...counts }),
    pay,
    settings: (sweep = {}) => ({ initUrl: `${url}/init`, queryUrl: `${url}/query`, receiptUrl: `${url}/receipt`, partnerCode, secret, token, timeoutMs: 10_000, serviceSuffix: '.01', sweep: { ...DEFAULT_SWEEP, ...sweep } }),
    async callBackAgain(reference) {
      const transaction = transactions.get(reference);
      if (!transaction) throw new Error(`no transaction ${reference}`);
      const attempt = await callback(transaction, 'duplicate');
      attempts.push(attempt);
      return [attempt];
    },
    async close() {
      closed = true;
      await Promise.allSettled([...pendingCallbacks]);
      await app.close();
    },
  };
  return double;
}
