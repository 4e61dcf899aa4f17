// Reception (Bộ phận Một cửa) on the screens: a dossier received at the counter through the
// receive screen and accepted through the Accept form, with its receipt (lookup secret,
// appointment) and form 01 listed; another sent back for a supplement (form 02), the supplement
// received and the dossier accepted; both found by the search by ID number and by a name typed
// without its marks; the queue showing what waits; axe on every screen and form
// (docs/console.md#reception).
//
// The dossier page and its actions panel are the dossier helper's: this test opens each form from
// the button labelled by reception's texts (reception.action.<command>), as a person does.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { authAs, getJson, receiveDossier } from '../support/engine.js';
import { pdfOf } from '../support/file-fixtures.js';

const HOUSEHOLD_BUSINESS = '2.000720';
const desk = { userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre } as const;

let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsoleStack('reception');
});
afterAll(async () => {
  await stack?.close();
});

async function signedInDesk(): Promise<Page> {
  const page = await stack.newPage();
  await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
  return page;
}

/** Receives a household business dossier through the receive screen; answers its code. */
async function receiveAtCounter(page: Page, applicant: { readonly fullName: string; readonly identityNumber: string; readonly phone: string }): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'Tiếp nhận hồ sơ mới' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ mới' }).waitFor();
  await page.getByLabel('Thủ tục hành chính').selectOption(HOUSEHOLD_BUSINESS);
  await page.getByLabel('Họ và tên', { exact: true }).fill(applicant.fullName);
  await page.getByLabel('Số định danh cá nhân (CCCD)').fill(applicant.identityNumber);
  await page.getByLabel('Số điện thoại (không bắt buộc)').fill(applicant.phone);
  await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
  await page.waitForURL(/\/console\/dossiers\/[^/]+$/);
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
  return code;
}

/** Opens a command's form from the dossier page's button; answers the dialog it opens in. */
async function openForm(page: Page, button: string, heading: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: heading }).waitFor();
  return dialog;
}

/** Accepts through the Accept form (with a scan of the application when given) and reads the receipt it shows; closes it. */
async function acceptThroughForm(page: Page, code: string, scan?: Buffer): Promise<{ secret: string; receipt: string }> {
  const dialog = await openForm(page, 'Tiếp nhận hồ sơ', 'Tiếp nhận hồ sơ (mẫu 01)');
  if (scan) await dialog.getByLabel('Bản quét của “Giấy đề nghị đăng ký hộ kinh doanh”').setInputFiles({ name: 'don-de-nghi.pdf', mimeType: 'application/pdf', buffer: scan });
  // Prefilled from the procedure: the required papers ticked, each in the catalogue's form.
  expect(await dialog.getByLabel('Đã nhận “Giấy đề nghị đăng ký hộ kinh doanh”').isChecked()).toBe(true);
  expect(await dialog.getByLabel('Hình thức của “Giấy tờ pháp lý của cá nhân chủ hộ kinh doanh”').inputValue()).toBe('photocopy');
  expect(await dialog.getByLabel('Đã nhận “Biên bản họp thành viên hộ gia đình (nếu các thành viên cùng đăng ký)”').isChecked()).toBe(false);
  await expectAccessible(page, 'the Accept form');
  await dialog.getByRole('button', { name: 'Tiếp nhận và lập giấy hẹn' }).click();
  await dialog.getByRole('heading', { name: `Đã tiếp nhận hồ sơ ${code}.` }).waitFor();
  // Form 01 is made by the dossier's workflow just after: the receipt lists it once it is there.
  await dialog.getByRole('button', { name: 'Mở để in mẫu 01 (PDF, có mã QR)' }).waitFor({ timeout: 30_000 });
  const secret = ((await dialog.locator('.reception-secret').textContent()) ?? '').trim();
  const receipt = (await dialog.textContent()) ?? '';
  await expectAccessible(page, 'the receipt after acceptance');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), dialog.getByRole('button', { name: 'Mở để in mẫu 01 (PDF, có mã QR)' }).click()]);
  await expect.poll(() => tab.url()).toMatch(/^blob:/);
  await tab.close();
  await dialog.getByRole('button', { name: 'Đóng' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Tiếp nhận hồ sơ.' }).waitFor();
  return { secret, receipt };
}

describe('reception at the counter', () => {
  let first: string;
  let second: string;

  it('receives a dossier on the screen, accepts it and gives the receipt with form 01', async () => {
    const page = await signedInDesk();
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ tại Bộ phận Một cửa' }).waitFor();
    await expectAccessible(page, 'the reception queue');

    await page.getByRole('navigation').getByRole('link', { name: 'Tiếp nhận hồ sơ mới' }).click();
    // Nothing filled: the screen names each missing field before anything is sent.
    await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Chưa gửi được' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Thủ tục hành chính');
    expect(await summary.textContent()).toContain('Số định danh cá nhân (CCCD)');
    await page.getByLabel('Thủ tục hành chính').selectOption(HOUSEHOLD_BUSINESS);
    // The procedure's papers, each with its form and whether it can be reused from data.
    const papers = page.getByRole('row').filter({ hasText: 'Giấy tờ pháp lý của cá nhân chủ hộ kinh doanh' });
    expect(await papers.textContent()).toContain('Bản chụp');
    expect(await papers.textContent()).toMatch(/Có\s*Có$/);
    await page.getByLabel('Có người được ủy quyền nộp thay').check();
    await page.getByLabel('Họ và tên người được ủy quyền').waitFor();
    await expectAccessible(page, 'the receive screen');
    await page.getByLabel('Có người được ủy quyền nộp thay').uncheck();

    first = await receiveAtCounter(page, { fullName: 'Nguyễn Văn Ẩn', identityNumber: '001090077001', phone: '0912 345 001' });
    await expectAccessible(page, 'the new dossier page');
    const { secret, receipt } = await acceptThroughForm(page, first, await pdfOf(1));
    expect(secret).toMatch(/^[0-9A-Z -]{6,40}$/);
    expect(receipt).toContain('Mã tra cứu in trên giấy tiếp nhận');
    expect(receipt).toContain('Ngày hẹn trả kết quả');
    expect(receipt).not.toMatch(/Ngày hẹn trả kết quả\s*—/);
    expect(receipt).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)');

    // The dossier page lists form 01 among its documents; the API says the same.
    await expect.poll(() => page.getByRole('rowheader').allTextContents(), { timeout: 20_000 }).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)');
    const { json } = await getJson(`${stack.engine.url}/dossiers/${first}`, await authAs(desk));
    expect(json).toMatchObject({ applicant: { fullName: 'Nguyễn Văn Ẩn' } });
    // The scan attached on the Accept form is the application's file.
    const files = await getJson(`${stack.engine.url}/dossiers/${first}/files`, await authAs(desk));
    expect(files.json.items).toEqual([expect.objectContaining({ componentId: 'application', mediaType: 'application/pdf', pages: 1 })]);
    // Accepted, and handed at once to the route's first step.
    expect(['accepted', 'in-processing']).toContain(json.status);
    expect(json.appointment).toEqual(expect.any(String));
  });

  it('asks for a supplement at reception (form 02), receives it and then accepts', async () => {
    const page = await signedInDesk();
    second = await receiveAtCounter(page, { fullName: 'Trần Thị Bích Ngọc', identityNumber: '001190077002', phone: '0912 345 002' });

    let dialog = await openForm(page, 'Hướng dẫn bổ sung hồ sơ', 'Hướng dẫn bổ sung, hoàn thiện hồ sơ (mẫu 02)');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Chưa gửi được' }).waitFor();
    await dialog.getByLabel('Thành phần hồ sơ').selectOption('application');
    expect(await dialog.getByLabel('Nội dung cần bổ sung').inputValue()).toBe('Giấy đề nghị đăng ký hộ kinh doanh');
    await dialog.getByLabel('Lý do').fill('Chưa có chữ ký của chủ hộ');
    await dialog.getByRole('button', { name: 'Thêm dòng' }).click();
    await dialog.getByLabel('Nội dung cần bổ sung').nth(1).fill('Bản sao hợp đồng thuê địa điểm kinh doanh');
    await dialog.getByLabel('Lý do').nth(1).fill('Địa điểm kinh doanh không thuộc sở hữu của chủ hộ');
    await expectAccessible(page, 'the supplement form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Hướng dẫn bổ sung hồ sơ.' }).waitFor();

    // The queue shows it waiting for the applicant.
    await page.getByRole('navigation').getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
    const waiting = page.getByRole('row').filter({ has: page.getByRole('link', { name: second }) });
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('Chờ công dân bổ sung');
    await expectAccessible(page, 'the queue with a dossier awaiting its supplement');
    await waiting.getByRole('link', { name: second }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${second}` }).waitFor();

    dialog = await openForm(page, 'Nhận hồ sơ bổ sung', 'Nhận hồ sơ bổ sung');
    await dialog.getByLabel('Đã nhận “Giấy đề nghị đăng ký hộ kinh doanh”').check();
    await dialog.getByLabel('Ghi chú').fill('Đã bổ sung chữ ký và hợp đồng thuê');
    await expectAccessible(page, 'the supplement received form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Nhận hồ sơ bổ sung.' }).waitFor();

    const { secret } = await acceptThroughForm(page, second);
    expect(secret.length).toBeGreaterThan(5);
    const { json } = await getJson(`${stack.engine.url}/dossiers/${second}/events`, await authAs(desk));
    const types = (json.events as { type: string }[]).map((event) => event.type);
    expect(types.filter((type) => ['SupplementRequestedAtReception', 'SupplementProvided', 'DossierAccepted'].includes(type))).toEqual(['SupplementRequestedAtReception', 'SupplementProvided', 'DossierAccepted']);
    const requested = (json.events as { type: string; data: { missing: { description: string; reason: string }[] } }[]).find((event) => event.type === 'SupplementRequestedAtReception')!;
    expect(requested.data.missing).toEqual([
      expect.objectContaining({ componentId: 'application', description: 'Giấy đề nghị đăng ký hộ kinh doanh', reason: 'Chưa có chữ ký của chủ hộ' }),
      expect.objectContaining({ description: 'Bản sao hợp đồng thuê địa điểm kinh doanh', reason: 'Địa điểm kinh doanh không thuộc sở hữu của chủ hộ' }),
    ]);
  });

  it('refuses a dossier at reception (form 03) with its reasons and legal basis', async () => {
    // Set up through the API; the refusal goes through the screen.
    const code = await receiveDossier(stack.engine.url, desk, SAMPLE.centre, HOUSEHOLD_BUSINESS);
    const page = await signedInDesk();
    await page.goto(`${stack.url}dossiers/${code}`);
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    const dialog = await openForm(page, 'Từ chối tiếp nhận', 'Từ chối tiếp nhận hồ sơ (mẫu 03)');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    const summary = dialog.getByRole('alert').filter({ hasText: 'Chưa gửi được' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Căn cứ pháp lý');
    await dialog.getByLabel('Lý do từ chối 1').fill('Hộ kinh doanh đã đăng ký tại xã khác');
    await dialog.getByRole('button', { name: 'Thêm dòng' }).click();
    await dialog.getByLabel('Lý do từ chối 2').fill('Ngành nghề kinh doanh không được phép');
    await dialog.getByLabel('Căn cứ pháp lý').fill('Nghị định 01/2021/NĐ-CP, Điều 87');
    await expectAccessible(page, 'the refusal form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Từ chối tiếp nhận.' }).waitFor();
    const { json } = await getJson(`${stack.engine.url}/dossiers/${code}`, await authAs(desk));
    expect(json.status).toBe('refused-at-reception');
  });

  it('records a fee paid at the counter and the applicant\'s request to withdraw; no evaluation while it is processed', async () => {
    const page = await signedInDesk();
    await page.goto(`${stack.url}dossiers/${first}`);
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${first}` }).waitFor();
    let dialog = await openForm(page, 'Ghi nhận thanh toán', 'Ghi nhận thanh toán phí, lệ phí, nghĩa vụ tài chính');
    await dialog.getByLabel('Số tiền (đồng)').fill('100 nghìn');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    const summary = dialog.getByRole('alert').filter({ hasText: 'Chưa gửi được' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Phải là số tiền nguyên dương, tính bằng đồng.');
    expect(await summary.textContent()).toContain('Số biên lai');
    await dialog.getByLabel('Số tiền (đồng)').fill('100.000');
    await dialog.getByLabel('Số biên lai').fill('BL-2026-0001');
    await expectAccessible(page, 'the payment form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Ghi nhận thanh toán.' }).waitFor();

    // The applicant's evaluation opens once the dossier is finished: not offered while it is processed
    // (a paper evaluation form is entered on a finished dossier: test/browser/citizen-public.test.ts).
    expect(await page.getByRole('button', { name: 'Nhập phiếu đánh giá giấy', exact: true }).count()).toBe(0);

    dialog = await openForm(page, 'Ghi nhận đề nghị rút hồ sơ', 'Ghi nhận đề nghị rút hồ sơ');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Chưa gửi được' }).waitFor();
    await dialog.getByLabel('Lý do').fill('Hộ gia đình đổi địa điểm kinh doanh');
    await expectAccessible(page, 'the withdrawal request form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Ghi nhận đề nghị rút hồ sơ.' }).waitFor();

    const { json } = await getJson(`${stack.engine.url}/dossiers/${first}/events`, await authAs(desk));
    const events = json.events as { type: string; data: Record<string, unknown> }[];
    expect(events.find((event) => event.type === 'WithdrawalRequested')?.data).toMatchObject({ reason: 'Hộ gia đình đổi địa điểm kinh doanh' });
    expect(events.find((event) => event.type === 'PaymentRecorded')?.data).toMatchObject({ amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-2026-0001' });
    expect(events.some((event) => event.type === 'EvaluationRecorded')).toBe(false);
  });

  it('finds each by the ID number, by a name typed without marks, and by its code', async () => {
    const page = await signedInDesk();
    await page.getByRole('navigation').getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tra cứu hồ sơ' }).waitFor();
    await expectAccessible(page, 'the search screen');
    const results = () => page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Người nộp' }) });

    await page.getByLabel('Số giấy tờ tùy thân hoặc mã số doanh nghiệp').check();
    await page.getByLabel('Nội dung tìm').fill('001190077002');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await results().getByRole('link', { name: second }).waitFor();
    expect(await results().getByRole('row').count()).toBe(2);
    expect(await results().textContent()).toContain('Trần Thị Bích Ngọc');

    await page.getByLabel('Họ tên người nộp').check();
    await page.getByLabel('Nội dung tìm').fill('nguyen van an');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await results().getByRole('link', { name: first }).waitFor();
    expect(await results().textContent()).toContain('Nguyễn Văn Ẩn');
    expect(await results().textContent()).not.toContain(second);
    await expectAccessible(page, 'the search results');

    // A name that is nobody's, and an ID number typed wrong, each say so.
    await page.getByLabel('Nội dung tìm').fill('hoang thi khong co');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByText('Không tìm thấy hồ sơ nào.').waitFor();
    await page.getByLabel('Số giấy tờ tùy thân hoặc mã số doanh nghiệp').check();
    await page.getByLabel('Nội dung tìm').fill('12%');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByText('Số giấy tờ có 6 đến 20 chữ số, chữ cái hoặc dấu gạch ngang.').waitFor();

    await page.getByLabel('Mã hồ sơ', { exact: true }).check();
    await page.getByLabel('Nội dung tìm').fill(first);
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await results().getByRole('link', { name: first }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${first}` }).waitFor();
  });
});
