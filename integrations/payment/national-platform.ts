// The adapter of the national payment platform v1.0.6 (docs/integrations.md#online-payment): INIT,
// QUERY and RECEIPT as JSON POSTs with the bearer token, each signed with MaXacThuc, each within
// the configured timeout. A reply outside the contract is the platform being unavailable (retried
// by the caller), never guessed at; a refusal keeps the platform's code and message.
import { z } from 'zod';
import {
  amountOf,
  CONTRACT_VERSION,
  formatThoiGianGD,
  initReplyMessageSchema,
  initReplySchema,
  parseThoiGianGD,
  queryReplySchema,
  transactionInfo,
} from '../../domain/payment/platform-contract.js';
import { callbackSecrets, type PaymentSettings } from './payment-config.js';
import { type PaymentInit, type PaymentPlatform, PaymentPlatformRefused, PaymentPlatformUnavailable, type PaymentStatus } from './port.js';
import { signed } from './signature.js';

/** The fees of a request as the receipt lists them: phí and lệ phí in PhiLePhi, an obligation in DSKhoanNop. */
function receiptLines(items: PaymentInit['items']) {
  const fees = items.filter((item) => item.kind !== 'obligation');
  const others = items.filter((item) => item.kind === 'obligation');
  return {
    // [guess] LoaiPhiLePhi 1 = phí, 2 = lệ phí; an item of no kind is a lệ phí, as most procedures' fees are.
    PhiLePhi: fees.map((item, index) => ({ LoaiPhiLePhi: item.kind === 'fee' ? ('1' as const) : ('2' as const), MaPhiLePhi: String(index + 1), TenPhiLePhi: item.name.slice(0, 500), SoTien: String(item.amountVnd) })),
    DSKhoanNop: others.map((item) => ({ NoiDung: item.name.slice(0, 500), SoTien: String(item.amountVnd) })),
  };
}

/** The INIT message for a request (without sending it): the double's tests build it the same way. */
export function initMessage(settings: Pick<PaymentSettings, 'partnerCode' | 'secret' | 'serviceSuffix' | 'beneficiary'>, request: PaymentInit) {
  const fields = {
    LoaiBanTin: 'INIT' as const,
    PhienBan: CONTRACT_VERSION,
    MaDoiTac: settings.partnerCode,
    MaThamChieu: request.reference,
    SoTien: String(request.amountVnd),
    LoaiHinhThanhToan: 'PAY' as const,
    MaKenhThanhToan: '1' as const,
    MaThietBi: '1' as const,
    NgonNgu: 'vi-VN' as const,
    MaTienTe: 'VND' as const,
    MaNganHang: 'PAYMENT' as const,
    ThongTinGiaoDich: transactionInfo(request.dossierCode),
    ThoiGianGD: formatThoiGianGD(request.at),
    Ip: request.clientIp,
  };
  const line = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/gu, ' ');
  return {
    ...signed('INIT', fields, settings.secret),
    ThongTinBienLai: {
      MaDichVu: '2' as const,
      MaDVC: `${request.procedure.code}${settings.serviceSuffix}`,
      TenDVC: line(request.procedure.name).slice(0, 1000),
      MaTTHC: request.procedure.code,
      TenTTHC: line(request.procedure.name).slice(0, 1000),
      MaDonVi: request.unit.code,
      TenDonVi: line(request.unit.name).slice(0, 500),
      MaHoSo: request.dossierCode,
      ...(settings.beneficiary ? { TKThuHuong: settings.beneficiary.account, MaNHThuHuong: settings.beneficiary.bankCode, TenTKThuHuong: settings.beneficiary.name } : {}),
      NoiDungThanhToan: transactionInfo(request.dossierCode),
      ...(request.payer?.name ? { HoTenNguoiNop: line(request.payer.name).slice(0, 200) } : {}),
      ...(request.payer?.address ? { DiaChiNguoiNop: line(request.payer.address).slice(0, 500) } : {}),
      ...receiptLines(request.items),
    },
  };
}

export function nationalPaymentPlatform(settings: PaymentSettings): PaymentPlatform {
  const post = async (url: string, body: unknown, what: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/pdf', authorization: `Bearer ${settings.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : (error as Error).message;
      throw new PaymentPlatformUnavailable(`the payment platform's ${what} did not answer: ${reason}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new PaymentPlatformUnavailable(`the payment platform answered ${what} with HTTP ${response.status}`);
    }
    return response;
  };
  const json = async <T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> => {
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new PaymentPlatformUnavailable(`the payment platform's ${what} answer is not its contract (${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')})`);
    return parsed.data;
  };
  const lookup = (type: 'QUERY' | 'RECEIPT', reference: string, at: Date) =>
    signed(type, { LoaiBanTin: type, PhienBan: CONTRACT_VERSION, MaDoiTac: settings.partnerCode, MaThamChieu: reference, ThoiGianGD: formatThoiGianGD(at) }, settings.secret);

  return {
    async init(request) {
      const reply = await json(await post(settings.initUrl, initMessage(settings, request), 'INIT'), initReplySchema, 'INIT');
      if (reply.error_code !== '0') throw new PaymentPlatformRefused(reply.error_code, `the payment platform refused INIT with error_code ${reply.error_code}: ${reply.message.slice(0, 300)}`);
      let message: unknown;
      try {
        message = JSON.parse(reply.message);
      } catch {
        throw new PaymentPlatformUnavailable("the payment platform's INIT answer has a message that is not JSON");
      }
      const parsed = initReplyMessageSchema.safeParse(message);
      if (!parsed.success) throw new PaymentPlatformUnavailable("the payment platform's INIT answer names no UrlThanhToan");
      return { paymentUrl: parsed.data.UrlThanhToan };
    },
    async query(reference, at): Promise<PaymentStatus> {
      const reply = await json(await post(settings.queryUrl, lookup('QUERY', reference, at), 'QUERY'), queryReplySchema, 'QUERY');
      if (reply.MaLoi !== '00') return { state: 'pending' };
      if (reply.TrangThaiGD === '4') return { state: 'failed', reason: reply.MoTaLoi ?? 'TrangThaiGD 4' };
      if (reply.TrangThaiGD !== '1') return { state: 'pending' };
      if (!reply.MaGiaoDich || !reply.MaNganHang) throw new PaymentPlatformUnavailable("the payment platform's QUERY answer says success but names no MaGiaoDich or MaNganHang");
      return { state: 'success', transactionId: reply.MaGiaoDich, bankCode: reply.MaNganHang, amountVnd: reply.SoTien === undefined ? undefined : amountOf(reply.SoTien), paidAt: reply.ThoiGianGD ? parseThoiGianGD(reply.ThoiGianGD) : undefined };
    },
    async receipt(reference, at) {
      const response = await post(settings.receiptUrl, lookup('RECEIPT', reference, at), 'RECEIPT');
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new PaymentPlatformUnavailable("the payment platform's RECEIPT answer is not a PDF");
      return bytes;
    },
  };
}

/** What the API is given of the platform (api/routes/payments.ts): the adapter, the partner code, the callbacks' secrets. */
export function paymentConnectionOf(settings: PaymentSettings, platform: PaymentPlatform = nationalPaymentPlatform(settings)) {
  const [current, ...previous] = callbackSecrets(settings);
  return { platform, partnerCode: settings.partnerCode, secrets: [current!, ...previous] as [string, ...string[]], ...(settings.pageValidityMs ? { pageValidityMs: settings.pageValidityMs } : {}) };
}
