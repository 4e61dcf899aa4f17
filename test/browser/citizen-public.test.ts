// The console's public part, without signing in (docs/console.md#the-public-part): a citizen looks
// up a finished dossier with the code and the secret on the receipt and evaluates it there; a unit's
// procedures, one procedure's page and the unit's published results. Reception enters a paper
// evaluation form, with its reference, on another finished dossier. Each screen is checked by axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedHouseholdBusiness, type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack, taken } from '../support/console-stack.js';
import { authAs, getJson, postCommand } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';

const desk = { userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre } as const;
const economyOfficer = { userId: 'chuyenvien.binh', role: 'officer', agencyCode: SAMPLE.economy } as const;
const economyHead = { userId: 'truongphong.cuong', role: 'head', agencyCode: SAMPLE.economy } as const;

let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsoleStack('citizen-public');
});
afterAll(async () => {
  await stack?.close();
});

/** A household business dossier received, accepted, resolved and returned through the API; its code and lookup secret. */
async function finishedDossier(): Promise<{ code: string; secret: string }> {
  const url = stack.engine.url;
  const { code, secret } = await acceptedHouseholdBusiness(url, desk);
  await taken(postCommand(`${url}/dossiers/${code}/complete-step`, economyOfficer, { stepId: 'business-registration', outcome: 'approved' }));
  await taken(issueSignedResult(url, code, economyHead, `HKD-${code.slice(-4)}`));
  await taken(postCommand(`${url}/dossiers/${code}/return-result`, desk, { method: 'counter', applicantNotifiedInAdvance: true }));
  return { code, secret };
}

async function lookUp(page: Page, code: string, secret: string) {
  await page.getByLabel('Mã hồ sơ').fill(code);
  await page.getByLabel('Mã tra cứu').fill(secret);
  await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
}

describe('the public part, without signing in', () => {
  it('a citizen looks up a finished dossier and evaluates it, once', async () => {
    const { code, secret } = await finishedDossier();
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai/tra-cuu`);
    await page.getByRole('heading', { level: 1, name: 'Tra cứu và đánh giá hồ sơ' }).waitFor();
    await expectAccessible(page, 'the public lookup');

    // A wrong secret: not found, and nothing to evaluate.
    await lookUp(page, code, 'ABCDE12345');
    await page.getByText('Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này.').waitFor();

    await lookUp(page, code, secret.toLowerCase());
    await page.getByRole('heading', { level: 2, name: code }).waitFor();
    expect(await page.locator('.public-facts').textContent()).toContain('Đã trả kết quả');
    const evaluation = page.getByRole('region', { name: 'Đánh giá mức độ hài lòng' });
    await evaluation.getByText(/Mời bạn đánh giá việc giải quyết hồ sơ/).waitFor();
    await evaluation.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await evaluation.getByRole('alert').filter({ hasText: 'Hãy chọn một mức độ hài lòng.' }).waitFor();
    await evaluation.getByLabel('Rất hài lòng').check();
    await evaluation.getByLabel('Ý kiến góp ý (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình');
    await expectAccessible(page, 'the evaluation form');
    await evaluation.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await evaluation.getByRole('status').filter({ hasText: 'Cảm ơn bạn đã đánh giá.' }).waitFor();
    await evaluation.getByText(/Đã ghi nhận đánh giá: Rất hài lòng/).waitFor();
    expect(await evaluation.textContent()).toContain('bạn đánh giá trực tuyến');
    expect(await evaluation.getByRole('button', { name: 'Gửi đánh giá' }).count()).toBe(0);
    // The secret never went into the page's address.
    expect(page.url()).not.toContain(secret);

    const { json } = await getJson(`${stack.engine.url}/dossiers/${code}/events`, await authAs(desk));
    const recorded = (json.events as { type: string; data: Record<string, unknown> }[]).filter((event) => event.type === 'EvaluationRecorded');
    expect(recorded.map((event) => event.data)).toMatchObject([{ rating: 'very-satisfied', source: 'online', comment: 'Cán bộ hướng dẫn tận tình' }]);
  });

  it("shows a unit's procedures, a procedure's papers and fees, and the unit's results", async () => {
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai`);
    await page.getByLabel('Mã đơn vị').fill(SAMPLE.centre);
    await page.getByRole('button', { name: 'Thủ tục hành chính' }).click();
    await page.getByRole('heading', { level: 1, name: /^Thủ tục hành chính của Bộ phận Một cửa UBND xã Hòa Bình/ }).waitFor();
    await expectAccessible(page, "the unit's procedures");
    await page.getByRole('link', { name: 'Đăng ký thành lập hộ kinh doanh' }).click();
    await page.getByRole('heading', { level: 1, name: 'Đăng ký thành lập hộ kinh doanh' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Giấy đề nghị đăng ký hộ kinh doanh');
    expect(text).toContain('Lệ phí đăng ký hộ kinh doanh');
    expect(text).toContain('3 ngày làm việc');
    expect(text).toContain('Nghị định 01/2021/NĐ-CP, Điều 87');
    await expectAccessible(page, "a procedure's page");

    await page.getByRole('navigation', { name: 'Trang công khai' }).getByRole('link', { name: 'Kết quả giải quyết' }).click();
    await page.getByRole('heading', { level: 1, name: /^Kết quả giải quyết thủ tục hành chính của/ }).waitFor();
    await page.getByRole('table').getByRole('cell', { name: '5.4' }).waitFor();
    await expectAccessible(page, "the unit's results");
    // A period under way is not published: the page says so.
    await page.getByLabel('Kỳ công bố').fill('2999-01');
    await page.getByRole('button', { name: 'Xem kết quả' }).click();
    await page.getByText('Kỳ này chưa kết thúc nên chưa công bố kết quả').waitFor();
  });
});

describe('a paper evaluation form, entered by reception', () => {
  it('is entered with its reference on a finished dossier, and refused without it', async () => {
    const { code } = await finishedDossier();
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: desk.userId, name: 'Lễ tân An' });
    await page.goto(`${stack.url}dossiers/${code}`);
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await page.getByRole('button', { name: 'Nhập phiếu đánh giá giấy', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Nhập phiếu đánh giá giấy' }).waitFor();
    await dialog.getByLabel('Hài lòng', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    const summary = dialog.getByRole('alert').filter({ hasText: 'Chưa gửi được' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Số phiếu đánh giá');
    await dialog.getByLabel('Số phiếu đánh giá').fill('PĐG-2026/0042');
    await expectAccessible(page, 'the paper evaluation form');
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Nhập phiếu đánh giá giấy.' }).waitFor();
    const { json } = await getJson(`${stack.engine.url}/dossiers/${code}/events`, await authAs(desk));
    expect((json.events as { type: string; data: Record<string, unknown> }[]).find((event) => event.type === 'EvaluationRecorded')?.data).toMatchObject({ rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-2026/0042' });
  });
});
