// Online payment end to end (docs/integrations.md#online-payment), on the real PostgreSQL and Temporal,
// with the payment platform's loopback double, which really calls the engine back: the citizen starts
// paying a request with the receipt's code and secret, pays on the double's page, and the signed
// callback records the payment on the dossier through the command staff use, with the e-receipt.
// Each hazard of the internet is a case: duplicate and replayed callbacks, an unknown reference, an
// amount that differs, a forged signature, a lost callback (recovered by the query sweep), a failed
// attempt, a receipt not ready yet, and an obligation's payment that resumes the clock.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { formatThoiGianGD, transactionInfo } from '../../domain/payment/platform-contract.js';
import { type PaymentPlatformDouble, startPaymentPlatformDouble } from '../../doubles/payment-platform-double.js';
import { signed } from '../../integrations/payment/signature.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, TEST_LOOKUP_KEY, type TestEngine } from '../support/engine.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';

let engine: TestEngine;
let double: PaymentPlatformDouble;
let centre: string;
let office: string;
let procedureCode: string;

const FEES = [
  { name: 'Lệ phí cấp giấy chứng nhận', amountVnd: 50_000, kind: 'charge' as const },
  { name: 'Phí thẩm định hồ sơ', amountVnd: 20_000, kind: 'fee' as const },
];

beforeAll(async () => {
  double = await startPaymentPlatformDouble();
  engine = await startTestEngine({
    name: 'online-payment',
    documentDirectory: mkdtempSync(path.join(os.tmpdir(), 'motcua-payment-')),
    // The sweep asks about every transaction still waiting, however young: the test runs its rounds.
    payment: { double, sweep: { minAgeMs: 0, maxAgeMs: 3_600_000 } },
  });
  ({ centre, office, procedureCode } = await loadTestProcedure(engine.db, {
    calendar: ROUND_THE_CLOCK,
    series: '999301',
    clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
    stepBudget: { unit: 'working-days', amount: 3 },
    fees: FEES,
  }));
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await double?.close();
});

const reception = () => actor('reception', centre, 'letan.thanhtoan');
const auditor = async () => authAs(actor('auditor', centre, 'kiemtra.thanhtoan'));

async function command(code: string, route: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${route}`, who, body);
  if (result.status !== 200) throw new Error(`${route} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

/** A dossier received and accepted at the test centre. */
async function acceptedDossier(): Promise<string> {
  const { locality: _locality, ...body } = receptionBody(centre, { procedureCode });
  const received = await postJson(`${engine.url}/dossiers`, body, await authAs(reception()));
  expect(received.status).toBe(201);
  const code = received.json.dossierCode as string;
  await command(code, 'accept', reception(), { components: [] });
  return code;
}

async function citizenPayments(code: string) {
  const answer = await getJson(`${engine.url}/lookup/${code}/payments?secret=${lookupSecretFor(TEST_LOOKUP_KEY, code)}`);
  expect(answer.status).toBe(200);
  return answer.json;
}

/** A dossier with its fees requested: its code and the request's reference. */
async function feesRequested(): Promise<{ code: string; reference: string }> {
  const code = await acceptedDossier();
  await command(code, 'request-payment', reception(), { purpose: 'fees', note: 'Lệ phí và phí của thủ tục' });
  const { requests } = await citizenPayments(code);
  expect(requests).toHaveLength(1);
  return { code, reference: requests[0].reference };
}

/** The citizen starts paying: the double's page. */
async function startPaying(code: string, reference: string) {
  return postJson(`${engine.url}/lookup/${code}/payments`, { secret: lookupSecretFor(TEST_LOOKUP_KEY, code), reference });
}

async function events(code: string): Promise<{ type: string; data: Record<string, any> }[]> {
  return (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events;
}

async function payments(code: string) {
  return (await getJson(`${engine.url}/dossiers/${code}/payments`, await auditor())).json;
}

async function transactionOf(code: string, reference: string) {
  return (await payments(code)).transactions.find((transaction: { reference: string }) => transaction.reference === reference);
}

/** A callback the test signs itself, as the platform would. */
function callbackBody(fields: Partial<Record<string, string>>, secret = double.secret) {
  return signed(
    'CALLBACK',
    {
      LoaiBanTin: 'CONFIRM',
      MaLoi: '00',
      MaDoiTac: double.partnerCode,
      MaThamChieu: 'dvcUNKNOWN0001v9',
      SoTien: '70000',
      MaTienTe: 'VND',
      MaGiaoDich: 'GD-TEST-UNKNOWN',
      MaNganHang: 'VCB',
      ThoiGianGD: formatThoiGianGD(new Date()),
      ThongTinGiaoDich: transactionInfo('000.00.00.H00-000000-0000'),
      ...fields,
    },
    secret,
  );
}

describe('paying a fees request online', () => {
  it('pays on the double\'s page: the signed callback records PaymentRecorded with the platform\'s transaction and the e-receipt', async () => {
    const { code, reference } = await feesRequested();
    expect(reference).toMatch(/^dvc[A-Za-z0-9]+$/);
    const before = await citizenPayments(code);
    expect(before).toMatchObject({ onlinePayment: true, requests: [{ reference, purpose: 'fees', amountVnd: 70_000, status: 'pending', online: null }] });

    const started = await startPaying(code, reference);
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ reference, amountVnd: 70_000 });
    expect(started.json.paymentUrl).toBe(`${double.url}/pay/${reference}`);
    // Again: the same page, not a second INIT.
    const again = await startPaying(code, reference);
    expect(again.json.paymentUrl).toBe(started.json.paymentUrl);
    expect(double.requests().init).toBeGreaterThanOrEqual(1);
    const page = await fetch(started.json.paymentUrl);
    expect(await page.text()).toContain('Thanh toán');

    const paid = await double.pay(reference);
    expect(paid.callbacks).toEqual([expect.objectContaining({ status: 200, maLoi: '00', replySigned: true })]);

    const recorded = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({ amountVnd: 70_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: paid.transactionId, platformPayment: { reference, transactionId: paid.transactionId, bankCode: 'VCB' }, resumedClock: false });
    expect(recorded[0]!.data.paidAt).toMatch(/\+07:00$/);
    expect(recorded[0]!.data.receiptFile).toMatchObject({ mediaType: 'application/pdf' });

    const transaction = await transactionOf(code, reference);
    expect(transaction).toMatchObject({ state: 'thanh-cong', transactionId: paid.transactionId, confirmedVia: 'callback', callbackCount: 1, receipt: { sha256: recorded[0]!.data.receiptFile.sha256 } });
    const receipt = await fetch(`${engine.url}${transaction.receipt.href}`, { headers: await auditor() });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toContain('application/pdf');
    expect(Buffer.from(await receipt.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    expect((await citizenPayments(code)).requests).toMatchObject([{ reference, status: 'paid', online: { state: 'thanh-cong', paymentUrl: null } }]);
    expect((await startPaying(code, reference)).status).toBe(409);
    // The applicant's name went to the platform for the receipt, never to the logs.
    expect(engine.logs.text).not.toContain('Nguyễn Thị Hoa');
  });

  it('records a duplicate and a replayed callback once', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ duplicateCallback: true });
    try {
      const paid = await double.pay(reference);
      expect(paid.callbacks.map((attempt) => attempt.maLoi)).toEqual(['00', '00']);
    } finally {
      double.faults({ duplicateCallback: false });
    }
    const [replayed] = await double.callBackAgain(reference);
    expect(replayed).toMatchObject({ status: 200, maLoi: '00' });
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(1);
    const settled = await transactionOf(code, reference);
    expect(settled).toMatchObject({ state: 'thanh-cong', callbackCount: 3, lastOutcome: 'payment recorded (callback)' });
    expect(engine.logs.text).toContain('already recorded, nothing changed');
    // A replay, even of another amount or a failure, changes nothing of the paid row but the count.
    double.faults({ wrongAmount: true });
    try {
      expect((await double.callBackAgain(reference))[0]).toMatchObject({ maLoi: '00' });
    } finally {
      double.faults({ wrongAmount: false });
    }
    const after = await transactionOf(code, reference);
    expect(after).toEqual({ ...settled, callbackCount: 4 });
  });

  it('answers MaLoi 02 to a callback for a reference no payment was started with, at both paths', async () => {
    for (const route of ['/payment-platform/confirm', '/DvcPayment/Confirm']) {
      const answer = await postJson(`${engine.url}${route}`, callbackBody({}));
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ MaLoi: '02', MaDoiTac: double.partnerCode });
      expect(answer.json.MaXacThuc).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('refuses a callback whose amount differs from the request (MaLoi 03), and takes the right one after', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ wrongAmount: true });
    try {
      const paid = await double.pay(reference);
      expect(paid.callbacks).toEqual([expect.objectContaining({ status: 200, maLoi: '03' })]);
    } finally {
      double.faults({ wrongAmount: false });
    }
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(0);
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'khoi-tao', callbackCount: 1 });
    expect((await transactionOf(code, reference)).lastOutcome).toContain('amount-mismatch');
    const [right] = await double.callBackAgain(reference);
    expect(right).toMatchObject({ maLoi: '00' });
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(1);
  });

  it('changes nothing on a forged callback (MaLoi 01), and logs it', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ badSignature: true });
    try {
      const paid = await double.pay(reference);
      expect(paid.callbacks).toEqual([expect.objectContaining({ status: 200, maLoi: '01' })]);
    } finally {
      double.faults({ badSignature: false });
    }
    // Signed with another secret, for the right amount: forged too.
    const forged = await postJson(`${engine.url}/payment-platform/confirm`, callbackBody({ MaThamChieu: reference, MaGiaoDich: 'GD-FORGED' }, 'not-the-partner-secret-at-all'));
    expect(forged.json).toMatchObject({ MaLoi: '01' });
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(0);
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'khoi-tao', callbackCount: 0, transactionId: null });
    expect(engine.logs.text).toContain('forged or corrupted; nothing changed');
  });
});

describe('a request no longer to be paid', () => {
  it('is cancelled when the dossier closes: the citizen cannot start it, and a payment the platform still confirms is recorded with a refund due', async () => {
    const { code, reference } = await feesRequested();
    expect((await startPaying(code, reference)).status).toBe(200);
    await command(code, 'request-withdrawal', reception(), { reason: 'Công dân không còn nhu cầu' });
    await command(code, 'decide-withdrawal', actor('head', office, 'truongphong.thanhtoan'), { approved: true, reason: 'Đồng ý dừng giải quyết' });
    expect((await citizenPayments(code)).requests).toMatchObject([{ reference, status: 'cancelled' }]);
    const refused = await startPaying(code, reference);
    expect(refused.status).toBe(409);
    expect(refused.json.type).toBe('urn:motcua:problem:payment-request-cancelled');
    // The page opened before the dossier closed is paid all the same: the platform took the money.
    const paid = await double.pay(reference);
    expect(paid.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    const recorded = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({ resumedClock: false, refundDue: 'dossier-closed', platformPayment: { reference } });
    const summary = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(summary.status).toBe('stopped');
    expect(summary.obligations.requests).toMatchObject([{ reference, status: 'paid', refundDue: 'dossier-closed' }]);
  });

  it('is settled when staff record the fees paid at the counter (the citizen sees it so)', async () => {
    const { code, reference } = await feesRequested();
    await command(code, 'record-payment', reception(), { amountVnd: 70_000, method: 'counter', receiptNumber: 'BL-QUAY-1' });
    const summary = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(summary.obligations.requests).toMatchObject([{ reference, status: 'settled-otherwise' }]);
    expect((await citizenPayments(code)).requests).toMatchObject([{ reference, status: 'settled-otherwise' }]);
  });
});

describe('the query sweep', () => {
  it('recovers a payment whose callback was lost', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ dropCallback: true });
    try {
      const paid = await double.pay(reference);
      expect(paid.callbacks).toEqual([]);
    } finally {
      double.faults({ dropCallback: false });
    }
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(0);
    const round = await engine.paymentSweep!.sweepOnce();
    expect(round.recorded).toBeGreaterThanOrEqual(1);
    const recorded = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({ platformPayment: { reference }, receiptFile: { mediaType: 'application/pdf' } });
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'thanh-cong', confirmedVia: 'query', callbackCount: 0 });
    // A late callback after the sweep changes nothing.
    const [late] = await double.callBackAgain(reference);
    expect(late).toMatchObject({ maLoi: '00' });
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(1);
  });

  it('marks a failed transaction that-bai; the citizen starts again and pays', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ fail: true });
    try {
      const failed = await double.pay(reference);
      expect(failed).toMatchObject({ state: 'failed' });
      expect(failed.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    } finally {
      double.faults({ fail: false });
    }
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'khoi-tao', callbackCount: 1 });
    await engine.paymentSweep!.sweepOnce();
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'that-bai' });
    // Again: a new attempt, with a MaThamChieu of its own (the contract wants it unique per INIT).
    const again = await startPaying(code, reference);
    expect(again.status).toBe(200);
    const second = `${reference}x2`;
    expect(again.json).toMatchObject({ reference, paymentUrl: `${double.url}/pay/${second}` });
    expect(await transactionOf(code, second)).toMatchObject({ requestReference: reference, attempt: 2, state: 'khoi-tao', inits: 2 });
    expect(await transactionOf(code, reference)).toMatchObject({ attempt: 1, state: 'that-bai' });
    const paid = await double.pay(second);
    expect(paid.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    expect(await transactionOf(code, second)).toMatchObject({ state: 'thanh-cong' });
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded').map((event) => event.data.platformPayment)).toEqual([{ reference, transactionId: paid.transactionId, bankCode: 'VCB' }]);
    expect((await citizenPayments(code)).requests).toMatchObject([{ reference, status: 'paid', online: { state: 'thanh-cong' } }]);
  });

  it('makes a new attempt once the page is older than its validity; the old page paid still records the request, and the second payment is kept as owed back', async () => {
    const { code, reference } = await feesRequested();
    const first = await startPaying(code, reference);
    expect(first.json.paymentUrl).toBe(`${double.url}/pay/${reference}`);
    // The page has waited longer than MOTCUA_PAYMENT_PAGE_MINUTES (15 min by default).
    await sql`UPDATE payment_transactions SET initiated_at = now() - interval '16 minutes' WHERE reference = ${reference}`.execute(engine.db);
    expect((await citizenPayments(code)).requests).toMatchObject([{ reference, online: { state: 'khoi-tao', paymentUrl: null } }]);
    const inits = double.requests().init;
    const second = await startPaying(code, reference);
    expect(second.status).toBe(200);
    expect(second.json.paymentUrl).toBe(`${double.url}/pay/${reference}x2`);
    expect(double.requests().init).toBe(inits + 1);
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'khoi-tao', lastOutcome: `superseded by attempt 2 (${reference}x2)` });
    // The citizen pays on the old page after all: the request is paid by it.
    const old = await double.pay(reference);
    expect(old.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    // And on the new one too: the platform took the money twice; recorded once on the dossier.
    const twice = await double.pay(`${reference}x2`);
    expect(twice.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    const recorded = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded.map((event) => event.data.platformPayment)).toEqual([{ reference, transactionId: old.transactionId, bankCode: 'VCB' }]);
    expect(await transactionOf(code, `${reference}x2`)).toMatchObject({ state: 'thanh-cong', transactionId: twice.transactionId, refundDue: expect.stringContaining(`paid by transaction ${old.transactionId} first`) });
    expect(engine.logs.text).toContain('online payment paid twice');
    expect((await startPaying(code, reference)).status).toBe(409);
  });

  it('starts a request once when the citizen starts it twice at the same moment', async () => {
    const { code, reference } = await feesRequested();
    const inits = double.requests().init;
    double.faults({ slowMs: 300 });
    let both;
    try {
      both = await Promise.all([startPaying(code, reference), startPaying(code, reference)]);
    } finally {
      double.faults({ slowMs: 0 });
    }
    expect(both.map((answer) => answer.status)).toEqual([200, 200]);
    expect(both[0]!.json.paymentUrl).toBe(both[1]!.json.paymentUrl);
    expect(double.requests().init).toBe(inits + 1);
    expect((await payments(code)).transactions).toHaveLength(1);
  });

  it('records a payment whose receipt is not ready, and fetches the receipt later', async () => {
    const { code, reference } = await feesRequested();
    await startPaying(code, reference);
    double.faults({ receiptNotReady: true });
    try {
      await double.pay(reference);
    } finally {
      double.faults({ receiptNotReady: false });
    }
    const [recorded] = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded!.data.receiptFile).toBeUndefined();
    expect(await transactionOf(code, reference)).toMatchObject({ state: 'thanh-cong', receipt: null });
    const round = await engine.paymentSweep!.sweepOnce();
    expect(round.receipts).toBeGreaterThanOrEqual(1);
    const transaction = await transactionOf(code, reference);
    expect(transaction.receipt).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const receipt = await fetch(`${engine.url}${transaction.receipt.href}`, { headers: await auditor() });
    expect(receipt.status).toBe(200);
  });
});

describe('paying a financial obligation online', () => {
  it('settles the pending notice and resumes the clock, as a payment staff record does', async () => {
    const code = await acceptedDossier();
    await command(code, 'request-financial-obligation', actor('officer', office, 'chuyenvien.thue'), { stepId: 'review', noticeNumber: '77/TB-TEST', amountVnd: 1_250_000 });
    expect((await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json).toMatchObject({ status: 'awaiting-financial-obligation', clockState: 'paused' });
    await command(code, 'request-payment', reception(), { purpose: 'obligation' });
    const { requests } = await citizenPayments(code);
    expect(requests).toMatchObject([{ purpose: 'obligation', amountVnd: 1_250_000, status: 'pending' }]);
    const { reference } = requests[0];
    expect((await startPaying(code, reference)).status).toBe(200);
    const paid = await double.pay(reference);
    expect(paid.callbacks).toEqual([expect.objectContaining({ maLoi: '00' })]);
    const [recorded] = (await events(code)).filter((event) => event.type === 'PaymentRecorded');
    expect(recorded!.data).toMatchObject({ amountVnd: 1_250_000, resumedClock: true, platformPayment: { reference } });
    expect((await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json).toMatchObject({ status: 'in-processing', clockState: 'running' });
  });

  it('is not paid online once the notice was paid at the counter: the citizen is told so, and the page started before is no longer offered', async () => {
    const code = await acceptedDossier();
    await command(code, 'request-financial-obligation', actor('officer', office, 'chuyenvien.thue'), { stepId: 'review', noticeNumber: '78/TB-TEST', amountVnd: 900_000 });
    await command(code, 'request-payment', reception(), { purpose: 'obligation' });
    const [request] = (await citizenPayments(code)).requests;
    // The citizen opened the payment page, then paid at the counter instead.
    expect((await startPaying(code, request.reference)).status).toBe(200);
    const inits = double.requests().init;
    await command(code, 'record-payment', reception(), { amountVnd: 900_000, method: 'counter', receiptNumber: 'BL-78' });
    const counter = (await events(code)).filter((event) => event.type === 'PaymentRecorded');

    const { requests } = await citizenPayments(code);
    expect(requests).toMatchObject([{ reference: request.reference, status: 'settled-otherwise', paidAt: counter[0]!.data.at, online: { state: 'khoi-tao', paymentUrl: null } }]);
    const refused = await startPaying(code, request.reference);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ type: 'urn:motcua:problem:payment-settled-otherwise', title: 'Already paid another way' });
    expect(refused.json.detail).toContain('78/TB-TEST');
    // The platform was not asked again, and the dossier has the counter's payment only.
    expect(double.requests().init).toBe(inits);
    expect(counter.map((event) => event.data)).toMatchObject([{ method: 'counter', receiptNumber: 'BL-78' }]);
    expect((await events(code)).filter((event) => event.type === 'PaymentRecorded')).toHaveLength(1);
  });
});
