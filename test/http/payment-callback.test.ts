// The payment platform's callback and the citizen's payment routes under hostile input
// (docs/integrations.md#online-payment): whatever comes in, the callback answers in the contract's
// shape with a signed reply, and only a callback signed with the partner's secret for this partner
// reaches the database (which here is nowhere: reaching it would fail the test). Sizes, content
// types, the citizen's body and the public rate limit too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatThoiGianGD } from '../../domain/payment/platform-contract.js';
import { nationalPaymentPlatform } from '../../integrations/payment/national-platform.js';
import { hasValidMaXacThuc, signed } from '../../integrations/payment/signature.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const SECRET = 'http-test-payment-secret-of-some-length';
const PARTNER = 'MOTCUA-HTTP';
const CODE = '000.00.31.H38-261203-0001';

let http: HttpApp;
let unconfigured: HttpApp;

beforeAll(async () => {
  // The platform's adapter points where nothing listens: no route under test may call it.
  const platform = nationalPaymentPlatform({ initUrl: 'http://127.0.0.1:1/init', queryUrl: 'http://127.0.0.1:1/query', receiptUrl: 'http://127.0.0.1:1/receipt', partnerCode: PARTNER, secret: SECRET, token: 't', timeoutMs: 500, serviceSuffix: '.01', sweep: { everyMs: 1, minAgeMs: 0, maxAgeMs: 1 } });
  http = await startHttpApp({ payments: { platform, partnerCode: PARTNER, secrets: [SECRET] }, publicRateLimitPerMinute: 2 });
  unconfigured = await startHttpApp();
});
afterAll(async () => {
  await http?.close();
  await unconfigured?.close();
});

function callbackFields(overrides: Record<string, unknown> = {}) {
  return {
    LoaiBanTin: 'CONFIRM',
    MaLoi: '00',
    MaDoiTac: PARTNER,
    MaThamChieu: 'dvc00000031H38261203000v5',
    SoTien: '70000',
    MaTienTe: 'VND',
    MaGiaoDich: 'GD0000000001',
    MaNganHang: 'VCB',
    ThoiGianGD: formatThoiGianGD(new Date()),
    ThongTinGiaoDich: `THANH TOAN HO SO ${CODE}`,
    ...overrides,
  };
}

async function confirm(app: HttpApp, payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }, url = '/payment-platform/confirm') {
  return app.app.inject({ method: 'POST', url, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

describe('POST /payment-platform/confirm (and /DvcPayment/Confirm)', () => {
  it('refuses what is not the contract with 400, naming the field, before anything else', async () => {
    const someHash = 'a'.repeat(64);
    const cases: [unknown, string][] = [
      [[], 'body'],
      ['"just text"', 'body'],
      ['42', 'body'],
      [{}, 'MaXacThuc'],
      [{ ...callbackFields() }, 'MaXacThuc'],
      [{ ...callbackFields({ SoTien: '-70000' }), MaXacThuc: someHash }, 'SoTien'],
      [{ ...callbackFields({ SoTien: 1e21 }), MaXacThuc: someHash }, 'SoTien'],
      [{ ...callbackFields({ MaThamChieu: "dvc1'; DROP TABLE payment_transactions; --" }), MaXacThuc: someHash }, 'MaThamChieu'],
      [{ ...callbackFields({ ThongTinGiaoDich: 'a\r\nSet-Cookie: x' }), MaXacThuc: someHash }, 'ThongTinGiaoDich'],
      [{ ...callbackFields({ ThoiGianGD: '20261203250000' }), MaXacThuc: someHash }, 'ThoiGianGD'],
      [{ ...callbackFields({ MaTienTe: 'USD' }), MaXacThuc: someHash }, 'MaTienTe'],
      // A signed INIT or QUERY sent back is no callback; a '|' in a signed field could re-split the signed text.
      [signed('CALLBACK', callbackFields({ LoaiBanTin: 'INIT' }), SECRET), 'LoaiBanTin'],
      [signed('CALLBACK', callbackFields({ MaGiaoDich: 'GD1|VCB', MaNganHang: 'X' }), SECRET), 'MaGiaoDich'],
      [signed('CALLBACK', callbackFields({ ThongTinGiaoDich: 'THANH TOAN|HO SO' }), SECRET), 'ThongTinGiaoDich'],
    ];
    for (const [body, field] of cases) {
      const answer = await confirm(http, body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (field !== 'body') expect(answer.body, JSON.stringify(body)).toContain(field);
    }
  });

  it('answers a well-formed callback in the contract\'s shape, its reply signed with the partner secret', async () => {
    const answer = await confirm(http, signed('CALLBACK', callbackFields(), 'not-the-secret'));
    expect(answer.statusCode).toBe(200);
    const reply = answer.json();
    expect(reply).toMatchObject({ MaLoi: '01', MoTaLoi: expect.any(String), MaDoiTac: PARTNER, ThoiGianGD: expect.stringMatching(/^\d{14}$/) });
    expect(hasValidMaXacThuc('CALLBACK_REPLY', reply, [SECRET])).toBe(true);
  });

  it('answers a forged or corrupted signature, or another partner, with MaLoi 01 and logs it without the payload', async () => {
    const forged = signed('CALLBACK', callbackFields(), 'a-secret-the-forger-guessed');
    const altered = { ...signed('CALLBACK', callbackFields(), SECRET), SoTien: '1000' };
    const otherPartner = signed('CALLBACK', callbackFields({ MaDoiTac: 'SOMEONE-ELSE' }), SECRET);
    for (const [body, url] of [[forged, '/payment-platform/confirm'], [altered, '/DvcPayment/Confirm'], [otherPartner, '/payment-platform/confirm']] as const) {
      const answer = await confirm(http, body, undefined, url);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ MaLoi: '01' });
    }
    const logs = http.logs();
    expect(logs).toContain('forged or corrupted; nothing changed');
    expect(logs).not.toContain(forged.MaXacThuc);
    expect(logs).not.toContain('THANH TOAN HO SO');
  });

  it('refuses every callback when online payment is not configured', async () => {
    const answer = await confirm(unconfigured, signed('CALLBACK', callbackFields(), SECRET));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ MaLoi: '01', MaDoiTac: '' });
  });

  it('refuses a body over 16 KiB, another content type, and JSON that does not parse', async () => {
    expect((await confirm(http, { ...callbackFields(), padding: 'x'.repeat(20_000) })).statusCode).toBe(413);
    expect((await confirm(http, 'MaLoi=00', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    expect((await confirm(http, '{"MaLoi": "00",', { 'content-type': 'application/json' })).statusCode).toBe(400);
  });
});

describe("the citizen's payment routes", () => {
  it('refuse a body that is not theirs: unknown fields, a secret or reference of the wrong shape, too large', async () => {
    // Each from an address of its own: a malformed body counts against the limit too (it is judged before the body).
    let address = 0;
    const post = (payload: unknown) => http.app.inject({ method: 'POST', url: `/lookup/${CODE}/payments`, remoteAddress: `203.0.113.${(address += 1)}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expect((await post({ secret: 'ABCDEFGHJK', reference: 'dvc1v2', amountVnd: 1 })).statusCode).toBe(400);
    expect((await post({ secret: '<script>', reference: 'dvc1v2' })).statusCode).toBe(400);
    expect((await post({ secret: 'ABCDEFGHJK', reference: '../../etc/passwd' })).statusCode).toBe(400);
    expect((await post({ secret: 'ABCDEFGHJK', reference: 'a'.repeat(51) })).statusCode).toBe(400);
    expect((await post({ secret: 'ABCDEFGHJK', reference: 'dvc1v2', pad: 'x'.repeat(5000) })).statusCode).toBe(413);
    expect((await http.app.inject({ method: 'GET', url: `/lookup/${CODE}/payments?secret=${encodeURIComponent('<b>')}` })).statusCode).toBe(400);
  });

  it('limit the starts of a payment per address', async () => {
    const post = () => http.app.inject({ method: 'POST', url: `/lookup/${CODE}/payments`, remoteAddress: '198.51.100.9', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ secret: 'ABCDEFGHJK', reference: 'dvc1v2' }) });
    // The first two reach the (absent) database; the third is refused before.
    await post();
    await post();
    const third = await post();
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ type: 'urn:motcua:problem:rate-limited' });
  });

  it("keep the staff's list of a dossier's payments for staff", async () => {
    expect((await http.app.inject({ method: 'GET', url: `/dossiers/${CODE}/payments` })).statusCode).toBe(401);
    expect((await http.app.inject({ method: 'GET', url: `/dossiers/${CODE}/payments`, headers: await http.authAs('admin') })).statusCode).toBe(403);
  });
});

describe('the public payment routes under a flood', () => {
  it('limit malformed bodies too: the limit is judged before the body is read', async () => {
    const flood = async (inject: () => Promise<{ statusCode: number }>, times: number) => {
      const statuses: number[] = [];
      for (let index = 0; index < times; index += 1) statuses.push((await inject()).statusCode);
      return statuses;
    };
    const callbacks = await flood(() => http.app.inject({ method: 'POST', url: '/payment-platform/confirm', remoteAddress: '198.51.100.77', headers: { 'content-type': 'application/json' }, payload: '{}' }), 301);
    expect(callbacks.slice(0, 300).every((status) => status === 400)).toBe(true);
    expect(callbacks[300]).toBe(429);
    // The starts are limited to a third of the public limit (2 here): one a minute.
    const starts = await flood(() => http.app.inject({ method: 'POST', url: `/lookup/${CODE}/payments`, remoteAddress: '198.51.100.78', headers: { 'content-type': 'application/json' }, payload: '{"secret":"x"}' }), 2);
    expect(starts).toEqual([400, 429]);
  });
});
