// The "done when": a newcomer opens the address `npm start` prints, signs in as the sample
// reception desk and takes a dossier through to its returned result with nothing but the screens.
// The stack is `npm start`'s (local sign-in, the sample catalogue, the trial's signing of a sample
// decision); no API call is made in the flow: every step is a person reading a screen and pressing
// the button labelled for what they want, as docs/console.md#signing-in describes.
//
// The dossier is a household business registration (2.000720), the sample catalogue's simplest
// procedure with a result of its own: received and accepted at the Hòa Bình centre (000.01.01.H99),
// its one step done by the commune's economic office (000.03.01.H99), whose head signs the result;
// the centre returns it.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';

let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsoleStack('newcomer');
});
afterAll(async () => {
  await stack?.close();
});

/** Fills the local sign-in screen by what it shows: the role's and the unit's names. */
async function signInOnScreen(page: Page, as: { readonly role: string; readonly agency: string; readonly user: string; readonly name: string }) {
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  // The screen says it is the trial's local sign-in.
  await page.getByRole('note').filter({ hasText: 'Đăng nhập cục bộ của bản chạy thử' }).waitFor();
  await page.getByLabel('Vai trò').selectOption({ label: as.role });
  await page.getByLabel('Đơn vị').selectOption({ label: as.agency });
  await page.getByLabel('Tên đăng nhập').fill(as.user);
  await page.getByLabel('Họ và tên').fill(as.name);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByText(`Đăng nhập: ${as.name} — ${as.role}`).waitFor();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
}

/** Opens an action from the dossier page's button; answers its dialog. */
async function openAction(page: Page, button: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Hủy' }).waitFor();
  return dialog;
}

async function confirmation(page: Page, action: string): Promise<string> {
  const done = page.getByRole('status').filter({ hasText: `Đã thực hiện: ${action}.` });
  await done.waitFor();
  return (await done.textContent()) ?? '';
}

function history(page: Page) {
  return page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Nội dung' }) }).last();
}

/** The row of the queue on screen that names the dossier. */
function queueRow(page: Page, code: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: code }) });
}


describe('a newcomer takes a dossier from the counter to its returned result on the screens alone', () => {
  it('reception receives and accepts, the economic office completes its step, its head issues the result and reception returns it', async () => {
    const page = await stack.newPage();
    // The address `npm start` prints is the API's; its root leads to the console's sign-in.
    await page.goto(`${stack.engine.url}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/');
    await page.getByLabel('Đơn vị').locator('option', { hasText: SAMPLE.economy }).waitFor({ state: 'attached' });
    const agencies = await page.getByLabel('Đơn vị').locator('option').allTextContents();
    const centre = agencies.find((label) => label.endsWith(`(${SAMPLE.centre})`));
    const economy = agencies.find((label) => label.endsWith(`(${SAMPLE.economy})`));
    expect(centre, `the sign-in offers the sample centre: ${agencies.join(' | ')}`).toBeDefined();
    expect(economy, `the sign-in offers the economic office: ${agencies.join(' | ')}`).toBeDefined();
    await expectAccessible(page, 'the sign-in screen');

    // 1. Reception (Bộ phận Một cửa) receives the dossier at the counter and accepts it (form 01).
    await signInOnScreen(page, { role: 'Bộ phận Một cửa', agency: centre!, user: 'letan.an', name: 'Lễ tân An' });
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ tại Bộ phận Một cửa' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Tiếp nhận hồ sơ mới' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ mới' }).waitFor();
    await page.getByLabel('Thủ tục hành chính').selectOption({ label: 'Đăng ký thành lập hộ kinh doanh (2.000720)' });
    await page.getByLabel('Họ và tên', { exact: true }).fill('Phạm Thị Hoa');
    await page.getByLabel('Số định danh cá nhân (CCCD)').fill('001190088123');
    await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
    await page.waitForURL(/\/console\/dossiers\/[^/]+$/);
    const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(code.startsWith(`${SAMPLE.centre}-`)).toBe(true);
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await expect.poll(() => page.locator('.dossier-badges').textContent()).toContain('Mới đăng ký');

    let dialog = await openAction(page, 'Tiếp nhận hồ sơ');
    await dialog.getByRole('heading', { name: 'Tiếp nhận hồ sơ (mẫu 01)' }).waitFor();
    // The procedure's required papers come ticked: the newcomer only confirms.
    expect(await dialog.getByLabel('Đã nhận “Giấy đề nghị đăng ký hộ kinh doanh”').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Tiếp nhận và lập giấy hẹn' }).click();
    await dialog.getByRole('heading', { name: `Đã tiếp nhận hồ sơ ${code}.` }).waitFor();
    expect(await dialog.textContent()).toContain('Ngày hẹn trả kết quả');
    // Form 01 with its QR code, to print for the applicant.
    await dialog.getByRole('button', { name: 'Mở để in mẫu 01 (PDF, có mã QR)' }).waitFor({ timeout: 30_000 });
    const [form01] = await Promise.all([page.context().waitForEvent('page'), dialog.getByRole('button', { name: 'Mở để in mẫu 01 (PDF, có mã QR)' }).click()]);
    await expect.poll(() => form01.url()).toMatch(/^blob:/);
    await form01.close();
    await dialog.getByRole('button', { name: 'Đóng' }).click();
    expect(await confirmation(page, 'Tiếp nhận hồ sơ')).toMatch(/Trạng thái hồ sơ: (Được tiếp nhận|Đang xử lý)/);
    await expect.poll(() => page.getByRole('rowheader').allTextContents(), { timeout: 20_000 }).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)');
    await signOut(page);

    // 2. The economic office's officer finds it in the queue and completes the step.
    // Signed out, the next person starts from their own role's first screen: the officer's queue.
    await signInOnScreen(page, { role: 'Chuyên viên', agency: economy!, user: 'chuyenvien.binh', name: 'Chuyên viên Bình' });
    expect(new URL(page.url()).pathname).toBe('/console/queue');
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ cần xử lý' }).waitFor();
    let row = queueRow(page, code);
    await row.waitFor();
    expect(await row.textContent()).toContain('Thẩm định hồ sơ, cấp Giấy chứng nhận đăng ký hộ kinh doanh');
    await row.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    dialog = await openAction(page, 'Hoàn thành bước xử lý');
    // The step is named by its task, as the queue showed it.
    expect(await dialog.textContent()).toContain('Thẩm định hồ sơ, cấp Giấy chứng nhận đăng ký hộ kinh doanh');
    expect(await dialog.getByLabel('Kết quả thẩm định').inputValue()).toBe('approved');
    await dialog.getByLabel('Ghi chú').fill('Hồ sơ hợp lệ');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    expect(await confirmation(page, 'Hoàn thành bước xử lý')).toContain('Trạng thái hồ sơ: Đang xử lý');
    await expect.poll(() => history(page).textContent()).toContain('Hoàn thành bước');
    await expect.poll(() => page.getByText('Bạn không có thao tác nào với hồ sơ này lúc này.').count()).toBe(1);
    await signOut(page);

    // 3. The office's head, the competent body, signs and issues the result: on the trial, the
    // sample decision the form offers, signed with the trial's keystore.
    await signInOnScreen(page, { role: 'Lãnh đạo', agency: economy!, user: 'truongphong.cuong', name: 'Trưởng phòng Cường' });
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/dashboard');
    await page.getByRole('navigation').getByRole('link', { name: 'Hồ sơ cần xử lý' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ cần xử lý' }).waitFor();
    row = queueRow(page, code);
    await row.waitFor();
    expect(await row.textContent()).toContain('Ký, ban hành kết quả');
    await row.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    dialog = await openAction(page, 'Ban hành kết quả');
    await dialog.getByRole('button', { name: 'Dùng quyết định mẫu ký thử (chỉ bản chạy thử)' }).click();
    await dialog.getByText(`Tệp đã chọn: ${code}-ket-qua-mau.pdf`).waitFor();
    await dialog.getByLabel('Số, ký hiệu văn bản').fill('15/QĐ-UBND');
    await expectAccessible(page, 'the issue-result form with the sample decision');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    expect(await confirmation(page, 'Ban hành kết quả')).toContain('Trạng thái hồ sơ: Đã xử lý xong');
    await expect.poll(() => page.locator('dl').textContent()).toContain(`${code}-KQ1`);
    await expect.poll(() => history(page).textContent()).toContain(`Ban hành kết quả ${code}-KQ1`);
    await signOut(page);

    // 4. Reception sees it waiting to be returned and hands it over.
    await signInOnScreen(page, { role: 'Bộ phận Một cửa', agency: centre!, user: 'letan.an', name: 'Lễ tân An' });
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ tại Bộ phận Một cửa' }).waitFor();
    row = queueRow(page, code);
    await row.waitFor();
    expect(await row.textContent()).toContain('Chờ trả kết quả');
    await row.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    dialog = await openAction(page, 'Trả kết quả');
    // Returned before the appointment without telling the applicant first: the refusal says why.
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'EARLY_RETURN_NOT_NOTIFIED' });
    await refusal.waitFor();
    const refused = (await refusal.textContent()) ?? '';
    expect(refused).toContain('Trả kết quả trước ngày hẹn phải báo trước cho người nộp.');
    expect(refused).toContain('Chi tiết từ hệ thống');
    expect(refused).toContain('Căn cứ');
    await dialog.getByLabel('Đã báo trước cho người nộp (cần khi trả trước ngày hẹn)').check();
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    expect(await confirmation(page, 'Trả kết quả')).toContain('Trạng thái hồ sơ: Đã trả kết quả');
    await expect.poll(() => page.locator('.dossier-badges').textContent()).toContain('Đã trả kết quả');
    await expect.poll(() => history(page).textContent()).toContain('Trả kết quả (trực tiếp)');
    const story = (await history(page).textContent()) ?? '';
    for (const moment of ['Tiếp nhận', 'Hoàn thành bước', `Ban hành kết quả ${code}-KQ1`, 'Trả kết quả (trực tiếp)']) expect(story).toContain(moment);
    await expectAccessible(page, 'the returned dossier');
  });
});
