// A land dossier processed on the screens: set up fast through the API (received and accepted at the
// Hòa Bình centre, the commune's verification done), then the land office's officer finds it in the
// queue and completes the land registration, the tax office notifies the financial obligation and,
// once reception has recorded the payment on its form, completes its step; the land office's head
// apologises with a new appointment (form 04) and issues the signed result; reception returns it on
// its form. Each screen is checked for what a person sees and by axe (docs/console.md#actions).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { authAs, getJson, postCommand, receiveDossier } from '../support/engine.js';
import { signedResult } from '../support/signed-result.js';

const LAND_PROCEDURE = '1.004227';
const desk = { userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre } as const;
const economyOfficer = { userId: 'chuyenvien.binh', role: 'officer', agencyCode: SAMPLE.economy } as const;

let stack: ConsoleStack;
let code: string;

beforeAll(async () => {
  stack = await startConsoleStack('processing');
  const url = stack.engine.url;
  code = await receiveDossier(url, desk, SAMPLE.centre, LAND_PROCEDURE);
  const components = [
    { componentId: 'application', form: 'original' },
    { componentId: 'land-use-papers', form: 'certified-copy' },
    { componentId: 'tax-declaration', form: 'original' },
    { componentId: 'identity', form: 'photocopy' },
  ];
  await expectTaken(postCommand(`${url}/dossiers/${code}/accept`, desk, { components }));
  await expectTaken(postCommand(`${url}/dossiers/${code}/complete-step`, economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }));
});

afterAll(async () => {
  await stack?.close();
});

async function expectTaken(answer: Promise<{ status: number; json: unknown }>) {
  const { status, json } = await answer;
  if (status !== 200) throw new Error(`the set-up command answered ${status}: ${JSON.stringify(json)}`);
}

async function openDossier(page: Page) {
  await page.goto(`${stack.url}dossiers/${code}`);
  await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
}

/** Opens an action's form from the actions panel, fills it with `fill`, sends it and waits for the confirmation. */
async function act(page: Page, action: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, heading = action): Promise<string> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: heading }).waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: 'Gửi' }).click();
  const done = page.getByRole('status').filter({ hasText: `Đã thực hiện: ${action}.` });
  await done.waitFor();
  // The focus moves to the confirmation, so a screen reader reads it and Tab goes on from there.
  await expect.poll(() => page.locator(':focus').textContent()).toContain(`Đã thực hiện: ${action}.`);
  return (await done.textContent()) ?? '';
}

function historyText(page: Page) {
  return page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Nội dung' }) }).last().textContent();
}

describe('a land dossier processed on the screens', () => {
  it('the land office finds it in its queue and completes its step', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'officer', agency: SAMPLE.landOffice, user: 'vpdk.dung', name: 'Chuyên viên Dũng' });
    expect(new URL(page.url()).pathname).toBe('/console/queue');
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ cần xử lý' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: code }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Kiểm tra hồ sơ, đo đạc');
    expect(await row.textContent()).toContain('Trong hạn');
    expect(await row.textContent()).toContain('Chưa phân công');
    await expectAccessible(page, "the land office's queue");
    await page.setViewportSize({ width: 800, height: 1280 });
    await expectAccessible(page, "the land office's queue on a tablet");
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.getByLabel('Chỉ hồ sơ quá hạn').check();
    await expect.poll(() => page.getByText('Không có hồ sơ nào khớp bộ lọc.').count()).toBe(1);
    await page.getByLabel('Chỉ hồ sơ quá hạn').uncheck();

    await page.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await expect.poll(() => page.getByText('Đang xử lý').first().count()).toBe(1);
    await page.getByRole('heading', { name: 'Thời hạn giải quyết theo quy định' }).waitFor();
    await expect.poll(() => page.getByText('Thời hạn: 20 ngày làm việc').count()).toBe(1);
    await expect.poll(() => page.getByText('Nghỉ cuối tuần').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('row', { name: /Giấy tờ về quyền sử dụng đất/ }).textContent()).toContain('Bản sao chứng thực');
    await expect.poll(() => page.getByRole('rowheader', { name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)' }).count()).toBe(1);
    await expectAccessible(page, 'the dossier page');

    // Esc closes a form and gives the focus back to its button.
    await page.getByRole('button', { name: 'Hoàn thành bước xử lý' }).click();
    await page.getByRole('dialog').getByLabel('Kết quả thẩm định').waitFor();
    await expectAccessible(page, 'the complete-step form');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Hoàn thành bước xử lý');

    const done = await act(page, 'Hoàn thành bước xử lý', async (dialog) => {
      expect(await dialog.textContent()).toContain('land-registration');
      await dialog.getByLabel('Kết quả thẩm định').selectOption('approved');
      await dialog.getByLabel('Ghi chú').fill('Đã đo đạc, hồ sơ hợp lệ');
    });
    expect(done).toContain('Trạng thái hồ sơ: Đang xử lý');
    await expect.poll(() => historyText(page)).toContain('Hoàn thành bước land-registration (đạt)');
    await expect.poll(() => page.getByText('Bạn không có thao tác nào với hồ sơ này lúc này.').count()).toBe(1);
  });

  it('the tax office notifies the obligation and, once it is paid, completes its step', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'officer', agency: SAMPLE.taxOffice, user: 'thue.giang', name: 'Cán bộ thuế Giang' });
    await page.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    const notified = await act(page, 'Thông báo nghĩa vụ tài chính', async (dialog) => {
      await dialog.getByLabel('Số thông báo').fill('125/TB-CCT');
      await dialog.getByLabel('Số tiền (đồng)').fill('12500000');
    });
    expect(notified).toContain('Trạng thái hồ sơ: Chờ thực hiện nghĩa vụ tài chính');
    await expect.poll(() => historyText(page)).toContain('Thông báo nghĩa vụ tài chính số 125/TB-CCT, 12500000 đồng');
    await expect.poll(() => page.getByText('Tạm dừng tính thời gian').count()).toBe(1);

    // The applicant pays at the counter: reception finds the dossier waiting for it on its queue and
    // records the payment on its form.
    const counter = await stack.newPage();
    await stack.signIn(counter, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    const waiting = counter.getByRole('row').filter({ has: counter.getByRole('link', { name: code }) });
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('Chờ nộp nghĩa vụ tài chính');
    await waiting.getByRole('link', { name: code }).click();
    await counter.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    const paid = await act(counter, 'Ghi nhận thanh toán', async (dialog) => {
      await dialog.getByLabel('Số tiền (đồng)').fill('12.500.000');
      await dialog.getByLabel('Hình thức thanh toán').selectOption({ label: 'Nộp tại quầy' });
      await dialog.getByLabel('Số biên lai').fill('BL-0001');
    }, 'Ghi nhận thanh toán phí, lệ phí, nghĩa vụ tài chính');
    expect(paid).toContain('Trạng thái hồ sơ: Đang xử lý');
    await expect.poll(() => historyText(counter)).toContain('12500000');
    // The dossier's page shows the notice and the receipt (the tax system's would carry their files).
    const obligations = counter.getByRole('region', { name: 'Nghĩa vụ tài chính' });
    await expect.poll(() => obligations.textContent()).toContain('Chứng từ nộp tiền số BL-0001: 12.500.000 đ');
    expect(await obligations.textContent()).toContain('Thông báo số 125/TB-CCT: 12.500.000 đ');

    await openDossier(page);
    const completed = await act(page, 'Hoàn thành bước xử lý', async (dialog) => {
      await dialog.getByLabel('Ghi chú').fill('Đã nộp đủ nghĩa vụ tài chính');
    });
    expect(completed).toContain('Trạng thái hồ sơ: Đang xử lý');
    await expect.poll(() => historyText(page)).toContain('Hoàn thành bước tax-assessment (đạt)');
  });

  it("the land office's head apologises with a new appointment (form 04) and issues the signed result", async () => {
    // The last step (certificate-issuance) is the land office's again, done through the API.
    await expectTaken(postCommand(`${stack.engine.url}/dossiers/${code}/complete-step`, { userId: 'vpdk.dung', role: 'officer', agencyCode: SAMPLE.landOffice }, { stepId: 'certificate-issuance', outcome: 'approved' }));
    const { json: before } = await getJson(`${stack.engine.url}/dossiers/${code}`, await authAs(desk));
    const newAppointment = new Date(Date.parse(before.due) + 7 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);

    const page = await stack.newPage();
    await stack.signIn(page, { role: 'head', agency: SAMPLE.landOffice, user: 'giamdoc.em', name: 'Giám đốc Em' });
    await openDossier(page);
    // Sent empty, the form names what is missing; with an appointment before the due date, the rules
    // refuse it and the form shows their rule; corrected, it is recorded.
    await page.getByRole('button', { name: 'Xin lỗi và hẹn lại ngày trả (mẫu 04)' }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('button', { name: 'Gửi' }).click();
    await expect.poll(() => form.getByText('Vui lòng nhập lý do.').count()).toBe(1);
    await form.getByLabel('Lý do').fill('Phải xác minh thêm nguồn gốc sử dụng đất');
    await form.getByLabel('Ngày hẹn trả mới').fill(new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10));
    await form.getByRole('button', { name: 'Gửi' }).click();
    const refusal = form.getByRole('alert').filter({ hasText: 'Căn cứ' });
    await refusal.waitFor();
    // The refusal reads in Vietnamese first; the API's own detail follows, labelled as the system's.
    const refused = (await refusal.textContent()) ?? '';
    expect(refused).toContain('Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại. Vui lòng chọn ngày hẹn muộn hơn.');
    expect(refused).toContain('Chi tiết từ hệ thống');
    expect(refused).toContain('NEW_APPOINTMENT_NOT_LATER');
    // The same form, corrected, is a new request (a new idempotency key after a refusal).
    await form.getByLabel('Ngày hẹn trả mới').fill(newAppointment);
    await form.getByLabel('Giờ hẹn').fill('09:00');
    await form.getByRole('button', { name: 'Gửi' }).click();
    const confirmation = page.getByRole('status').filter({ hasText: 'Đã thực hiện: Xin lỗi và hẹn lại ngày trả (mẫu 04).' });
    await confirmation.waitFor();
    const apologised = (await confirmation.textContent()) ?? '';
    expect(apologised).toContain('Trạng thái hồ sơ: Đang xử lý');
    const [year, month, day] = newAppointment.split('-');
    await expect.poll(() => page.getByText('Hạn gia hạn (mẫu 04)').count()).toBe(1);
    await expect.poll(() => page.locator('dl').textContent()).toContain(`09:00, ${day}/${month}/${year}`);
    await expect.poll(() => historyText(page)).toContain('Văn bản xin lỗi (mẫu 04) của 000.20.99.H99');

    const pdf = Buffer.from(await signedResult(SAMPLE.landOffice, 'CS 01234'));
    const issued = await act(page, 'Ban hành kết quả', async (dialog) => {
      await dialog.getByLabel('Tệp kết quả đã ký số (PDF)').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: pdf });
      await dialog.getByLabel('Số, ký hiệu văn bản').fill('CS 01234');
    });
    expect(issued).toContain('Trạng thái hồ sơ: Đã xử lý xong');
    await expect.poll(() => page.locator('dl').textContent()).toContain(`${code}-KQ1`);
    await expect.poll(() => historyText(page)).toContain(`Ban hành kết quả ${code}-KQ1`);
    // The result is listed among the documents; the receipt and the apology (form 04) the engine issued beside the commands too.
    await expect.poll(
      async () => {
        await openDossier(page);
        return page.getByRole('rowheader').allTextContents();
      },
      { timeout: 20_000 },
    ).toEqual(expect.arrayContaining(['Kết quả giải quyết', 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)']));
    // The result opens as a PDF fetched with the person's token (a plain link would carry none).
    const [view] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: `Mở ${code}-KQ1` }).click()]);
    await expect.poll(() => view.url()).toMatch(/^blob:/);
    await view.close();
    await expectAccessible(page, 'the dossier page with its result');
    await page.setViewportSize({ width: 800, height: 1280 });
    await expectAccessible(page, 'the dossier page on a tablet');
  });

  it('reception returns the result on its form and reads it on the dossier page', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    const ready = page.getByRole('row').filter({ has: page.getByRole('link', { name: code }) });
    await ready.waitFor();
    expect(await ready.textContent()).toContain('Chờ trả kết quả');
    await ready.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    const returned = await act(page, 'Trả kết quả', async (dialog) => {
      await dialog.getByLabel('Trực tiếp tại Bộ phận Một cửa').check();
      await dialog.getByLabel('Đã báo trước cho người nộp (cần khi trả trước ngày hẹn)').check();
      await expectAccessible(page, 'the return-result form');
    });
    expect(returned).toContain('Trạng thái hồ sơ: Đã trả kết quả');
    await expect.poll(() => page.getByText('Đã trả kết quả').first().count()).toBe(1);
    await expect.poll(() => historyText(page)).toContain('Trả kết quả (trực tiếp)');
  });
});
