// The payment platform's double holds the engine to the v1.0.6 contract (doubles/payment-platform-double.ts),
// and the engine's adapter (integrations/payment/national-platform.ts) speaks it: INIT, QUERY and
// RECEIPT through the adapter against the double, the double's refusals of a wrong token or
// signature, and the adapter's reading of a refusal, an outage and an answer outside the contract.
// No engine: the double's callbacks go to a listener of the test's own.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatThoiGianGD } from '../../domain/payment/platform-contract.js';
import { type PaymentPlatformDouble, startPaymentPlatformDouble } from '../../doubles/payment-platform-double.js';
import { initMessage, nationalPaymentPlatform } from '../../integrations/payment/national-platform.js';
import { type PaymentInit, PaymentPlatformRefused, PaymentPlatformUnavailable } from '../../integrations/payment/port.js';
import { hasValidMaXacThuc, signed } from '../../integrations/payment/signature.js';

let double: PaymentPlatformDouble;
let engine: Server;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  // The engine's callback, as far as the double can tell: it takes everything and answers 00, signed.
  engine = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(signed('CALLBACK_REPLY', { MaLoi: '00', MoTaLoi: 'Thành công', MaDoiTac: double.partnerCode, ThoiGianGD: formatThoiGianGD(new Date()) }, double.secret)));
    });
  });
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  double = await startPaymentPlatformDouble({ callbackUrl: `http://127.0.0.1:${(engine.address() as AddressInfo).port}/payment-platform/confirm` });
});
afterAll(async () => {
  await double?.close();
  await new Promise((resolve) => engine?.close(resolve));
});

const request = (reference: string): PaymentInit => ({
  reference,
  dossierCode: '000.01.01.H99-261203-0001',
  amountVnd: 100_000,
  procedure: { code: '2.000720', name: 'Đăng ký thành lập hộ kinh doanh' },
  unit: { code: '000.01.01.H99', name: 'Bộ phận Một cửa' },
  items: [{ name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100_000 }],
  payer: { name: 'Nguyễn Văn A' },
  clientIp: '203.0.113.9',
  at: new Date(),
});

describe('the adapter against the double', () => {
  it('starts a payment, finds it pending, paid after the click with its receipt, and the callback signed', async () => {
    const platform = nationalPaymentPlatform(double.settings());
    const { paymentUrl } = await platform.init(request('dvcADAPTER1v6'));
    expect(paymentUrl).toBe(`${double.url}/pay/dvcADAPTER1v6`);
    expect(await platform.query('dvcADAPTER1v6', new Date())).toEqual({ state: 'pending' });
    // The page sends the citizen back to the partner's page only once the payment is over.
    double.returnUrl = 'https://dvc.example.vn/tra-cuu?x="<b>"';
    expect(await (await fetch(paymentUrl)).text()).not.toContain('Quay về trang dịch vụ công');
    await expect(platform.receipt('dvcADAPTER1v6', new Date())).rejects.toBeInstanceOf(PaymentPlatformUnavailable);
    const paid = await double.pay('dvcADAPTER1v6');
    expect(paid.callbacks).toEqual([expect.objectContaining({ status: 200, maLoi: '00', replySigned: true })]);
    const callback = received.at(-1)!;
    expect(callback).toMatchObject({ MaThamChieu: 'dvcADAPTER1v6', SoTien: '100000', MaLoi: '00', MaDoiTac: double.partnerCode });
    expect(hasValidMaXacThuc('CALLBACK', callback, [double.secret])).toBe(true);
    expect(await (await fetch(paymentUrl)).text()).toContain('<a href="https://dvc.example.vn/tra-cuu?x=&#34;&#60;b&#62;&#34;">Quay về trang dịch vụ công</a>');
    double.returnUrl = undefined;
    expect(await platform.query('dvcADAPTER1v6', new Date())).toMatchObject({ state: 'success', transactionId: paid.transactionId, bankCode: 'VCB', amountVnd: 100_000, paidAt: expect.stringMatching(/\+07:00$/) });
    const pdf = await platform.receipt('dvcADAPTER1v6', new Date());
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    // Paid: a second INIT of the reference is refused by the platform.
    await expect(platform.init(request('dvcADAPTER1v6'))).rejects.toMatchObject({ name: 'PaymentPlatformRefused', platformCode: '02' });
  });

  it('reads a failed payment as failed, a refused INIT as refused, an outage and a wrong secret as unavailable or refused', async () => {
    const platform = nationalPaymentPlatform(double.settings());
    await platform.init(request('dvcADAPTER2v6'));
    double.faults({ fail: true });
    try {
      expect(await double.pay('dvcADAPTER2v6')).toMatchObject({ state: 'failed' });
    } finally {
      double.faults({ fail: false });
    }
    expect(await platform.query('dvcADAPTER2v6', new Date())).toMatchObject({ state: 'failed' });
    double.faults({ refuseInit: true });
    await expect(platform.init(request('dvcADAPTER3v6'))).rejects.toBeInstanceOf(PaymentPlatformRefused);
    double.faults({ refuseInit: false, down: true });
    await expect(platform.init(request('dvcADAPTER3v6'))).rejects.toBeInstanceOf(PaymentPlatformUnavailable);
    await expect(platform.query('dvcADAPTER2v6', new Date())).rejects.toBeInstanceOf(PaymentPlatformUnavailable);
    double.faults({ down: false });
    const wrongSecret = nationalPaymentPlatform({ ...double.settings(), secret: 'a-secret-the-platform-never-gave' });
    await expect(wrongSecret.init(request('dvcADAPTER4v6'))).rejects.toMatchObject({ platformCode: '01' });
    const wrongToken = nationalPaymentPlatform({ ...double.settings(), token: 'not-the-token' });
    await expect(wrongToken.init(request('dvcADAPTER4v6'))).rejects.toBeInstanceOf(PaymentPlatformUnavailable);
    const slow = nationalPaymentPlatform({ ...double.settings(), timeoutMs: 100 });
    double.faults({ slowMs: 400 });
    try {
      await expect(slow.query('dvcADAPTER2v6', new Date())).rejects.toThrow(/did not answer/);
    } finally {
      double.faults({ slowMs: 0 });
    }
  });
});

describe("the double's contract", () => {
  it('refuses an INIT without the token, off the schema, or with a MaXacThuc that does not check', async () => {
    const message = initMessage(double.settings(), request('dvcCONTRACT1v6'));
    const post = (body: unknown, token = double.token) => fetch(`${double.url}/init`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect((await post(message, 'wrong')).status).toBe(401);
    expect(await (await post({ ...message, PhienBan: '1.0.5' })).json()).toMatchObject({ error_code: '05' });
    expect(await (await post({ ...message, SoTien: '100001' })).json()).toMatchObject({ error_code: '01' });
    expect(await (await post({ ...message, ThoiGianGD: formatThoiGianGD(new Date(Date.now() + 1000)) })).json()).toMatchObject({ error_code: '01' });
    expect(await (await post(message)).json()).toMatchObject({ error_code: '0' });
    expect(double.requests().refused).toBeGreaterThanOrEqual(1);
  });

  it('takes only known faults', async () => {
    const refused = await fetch(`${double.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loseEverything: true }) });
    expect(refused.status).toBe(400);
    const cleared = await fetch(`${double.url}/__faults`, { method: 'DELETE' });
    expect(await cleared.json()).toMatchObject({ dropCallback: false, down: false, slowMs: 0 });
  });
});
