// Paying online from the citizen's lookup in the console's public part (docs/console.md#the-public-part,
// docs/citizens.md#paying-online), with the national payment platform's loopback double, which really
// calls the engine back: the desk asks for the fees on the staff console, the citizen opens the lookup
// the payment request's notice links to, types the secret, pays on the double's page, and coming back
// sees the payment recorded. The refusals read clearly: the platform down, a notice paid at the
// counter meanwhile, a request paid from another tab. Each screen is checked by axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentPlatformDouble, startPaymentPlatformDouble } from '../../doubles/payment-platform-double.js';
import { acceptedHouseholdBusiness, type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack, taken } from '../support/console-stack.js';
import { authAs, getJson, postCommand, postJson } from '../support/engine.js';

const desk = { userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre } as const;
const economyOfficer = { userId: 'chuyenvien.binh', role: 'officer', agencyCode: SAMPLE.economy } as const;

let double: PaymentPlatformDouble;
let stack: ConsoleStack;
beforeAll(async () => {
  double = await startPaymentPlatformDouble();
  stack = await startConsoleStack('citizen-payment', { payment: { double } });
  // The page the province registered for its citizens to come back to: the public lookup.
  double.returnUrl = `${stack.url}cong-khai/tra-cuu`;
});
afterAll(async () => {
  await stack?.close();
  await double?.close();
});

const acceptedDossier = () => acceptedHouseholdBusiness(stack.engine.url, desk);

async function lookUp(page: Page, secret: string) {
  await page.getByLabel('Mã tra cứu').fill(secret);
  await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
}

const paymentsOf = (page: Page) => page.getByRole('region', { name: 'Thanh toán', exact: true });

async function recordedPayments(code: string) {
  const { json } = await getJson(`${stack.engine.url}/dossiers/${code}/events`, await authAs(desk));
  return (json.events as { type: string; data: Record<string, any> }[]).filter((event) => event.type === 'PaymentRecorded').map((event) => event.data);
}

describe("paying online from the citizen's lookup", () => {
  it('staff ask for the fees; the citizen pays them on the platform and, coming back, sees them paid', async () => {
    const { code, secret } = await acceptedDossier();
    // The desk asks for the fees on the dossier's page.
    const staff = await stack.newPage();
    await stack.signIn(staff, { role: 'reception', agency: SAMPLE.centre, user: desk.userId, name: 'Lễ tân An' });
    await staff.goto(`${stack.url}dossiers/${code}`);
    await staff.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await staff.getByRole('button', { name: 'Yêu cầu thanh toán trực tuyến', exact: true }).click();
    const dialog = staff.getByRole('dialog');
    await dialog.getByLabel('Khoản cần thanh toán').selectOption('fees');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await staff.getByRole('status').filter({ hasText: 'Đã thực hiện: Yêu cầu thanh toán trực tuyến.' }).waitFor();

    // The citizen follows the notice's link: the code is filled in, the secret typed from the receipt.
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai/tra-cuu?ma=${encodeURIComponent(code)}`);
    expect(await page.getByLabel('Mã hồ sơ').inputValue()).toBe(code);
    await lookUp(page, secret);
    const payments = paymentsOf(page);
    const row = payments.getByRole('row').filter({ hasText: 'Lệ phí đăng ký hộ kinh doanh' });
    await row.getByText('Chưa thanh toán').waitFor();
    expect(await row.textContent()).toContain('100.000 đ');
    expect(await row.textContent()).toContain('Phí, lệ phí');
    await expectAccessible(page, 'the payments on the lookup');

    // To the platform's page (the double's), and pay there: it calls the engine back, signed.
    await row.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await page.waitForURL(`${double.url}/pay/**`);
    await page.getByText('100.000 đồng').waitFor();
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    await page.getByText('Trạng thái: Đã thanh toán').waitFor();
    const [recorded] = await recordedPayments(code);
    expect(recorded).toMatchObject({ amountVnd: 100_000, method: 'online', platformPayment: { transactionId: expect.any(String) } });

    // Back to the lookup from the platform's page: the same dossier, paid.
    await page.getByRole('link', { name: 'Quay về trang dịch vụ công' }).click();
    await page.getByRole('heading', { level: 2, name: code }).waitFor();
    const paid = paymentsOf(page).getByRole('row').filter({ hasText: 'Lệ phí đăng ký hộ kinh doanh' });
    await paid.getByText('Đã thanh toán trực tuyến').waitFor();
    expect(await paid.getByRole('button').count()).toBe(0);
    expect(await paid.textContent()).toMatch(/\d{2}:\d{2}, \d{2}\/\d{2}\/\d{4}/);
    await expectAccessible(page, 'a paid request on the lookup');
    expect(page.url()).not.toContain(secret);
    // Remembered for that round trip only: opened again, the lookup asks for the secret.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Tra cứu và đánh giá hồ sơ' }).waitFor();
    expect(await page.getByLabel('Mã tra cứu').inputValue()).toBe('');
    expect(await page.getByRole('heading', { level: 2, name: code }).count()).toBe(0);
  });

  it('says so when the platform is down, when the notice was paid at the counter meanwhile, and when it was paid from another tab', async () => {
    const { code, secret } = await acceptedDossier();
    await taken(postCommand(`${stack.engine.url}/dossiers/${code}/request-payment`, desk, { purpose: 'fees' }));
    await taken(postCommand(`${stack.engine.url}/dossiers/${code}/request-financial-obligation`, economyOfficer, { stepId: 'business-registration', noticeNumber: '15/TB-CCT', amountVnd: 300_000 }));
    await taken(postCommand(`${stack.engine.url}/dossiers/${code}/request-payment`, desk, { purpose: 'obligation' }));
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai/tra-cuu?ma=${encodeURIComponent(code)}`);
    await lookUp(page, secret);
    const payments = paymentsOf(page);
    const fees = payments.getByRole('row').filter({ hasText: 'Lệ phí đăng ký hộ kinh doanh' });
    const obligation = payments.getByRole('row').filter({ hasText: '15/TB-CCT' });
    await obligation.getByText('Chưa thanh toán').waitFor();
    expect(await obligation.textContent()).toContain('Nghĩa vụ tài chính');

    // The platform does not answer: nothing happens but the message.
    double.faults({ down: true });
    try {
      await fees.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
      await payments.getByRole('alert').filter({ hasText: 'Nền tảng thanh toán tạm thời không phản hồi' }).waitFor();
      await expectAccessible(page, 'the platform unavailable');
    } finally {
      double.faults({ down: false });
    }
    expect(page.url()).toContain('/cong-khai/tra-cuu');

    // The notice is paid at the counter while the page is open: paying it online is refused, and the
    // page shows it settled.
    await taken(postCommand(`${stack.engine.url}/dossiers/${code}/record-payment`, desk, { amountVnd: 300_000, method: 'counter', receiptNumber: 'BL-15' }));
    await obligation.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await payments.getByRole('alert').filter({ hasText: 'Khoản này đã được nộp bằng hình thức khác' }).waitFor();
    await obligation.getByText('Đã nộp bằng hình thức khác').waitFor();
    expect(await obligation.getByRole('button').count()).toBe(0);

    // The fees paid from another tab: this one's button is refused, and the page shows them paid.
    const reference = (await getJson(`${stack.engine.url}/lookup/${code}/payments?secret=${secret}`)).json.requests.find((request: { purpose: string }) => request.purpose === 'fees').reference;
    expect((await postJson(`${stack.engine.url}/lookup/${code}/payments`, { secret, reference })).status).toBe(200);
    await double.pay(reference);
    await fees.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await payments.getByRole('alert').filter({ hasText: 'Khoản này đã được thanh toán' }).waitFor();
    await fees.getByText('Đã thanh toán trực tuyến').waitFor();
    await expectAccessible(page, 'the refusals on the lookup');
    expect((await recordedPayments(code)).map((payment) => payment.method).sort()).toEqual(['counter', 'online']);
  });
});
