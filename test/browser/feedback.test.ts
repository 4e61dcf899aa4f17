// Feedback and complaints (PAKN) on the screens (docs/feedback.md): a citizen sends a complaint with
// a scanned letter on the public form (a bad one first, refused with the field named), reception
// finds it in the unit's queue, classifies and accepts it, the centre's head answers and signs it
// (the signed PDF appears) and publishes it, and the citizen reads the answer with the id and the
// secret. Reception enters an item received on paper, with the date on the letter, and asks its
// sender for more, which the sender gives on the public page; asked again, the sender phones, and
// reception enters the reply. The answer encloses a file the citizen downloads with it. Each screen
// is checked by axe.
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { authAs } from '../support/engine.js';
import { pdfOf } from '../support/file-fixtures.js';

const head = { userId: 'giamdoc.hoa', role: 'head', agencyCode: SAMPLE.centre } as const;

let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsoleStack('feedback');
});
afterAll(async () => {
  await stack?.close();
});

/** The complaint the citizen sent: its id and secret, for the later steps. */
const sent = { id: '', secret: '' };

/** Opens a step's form from the item's actions, fills it, sends it and waits for the confirmation. */
async function act(page: Page, action: string, fill: (dialog: Locator) => Promise<void>, status: string): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: action }).waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: 'Gửi' }).click();
  await page.getByRole('status').filter({ hasText: `Đã thực hiện: ${action}. Trạng thái phản ánh: ${status}.` }).waitFor();
}

async function openItem(page: Page, id: string) {
  await page.goto(`${stack.url}feedback/${id}`);
  await page.getByRole('heading', { level: 1, name: `Phản ánh ${id}` }).waitFor();
}

describe('feedback and complaints on the screens', () => {
  it('a citizen sends a complaint with a scanned letter; a bad form is refused with the field named', async () => {
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai/phan-anh?don-vi=${SAMPLE.centre}`);
    await page.getByRole('heading', { level: 1, name: 'Gửi phản ánh, kiến nghị' }).waitFor();
    expect(await page.getByLabel(/Mã đơn vị nhận phản ánh/).inputValue()).toBe(SAMPLE.centre);
    await expectAccessible(page, 'the public feedback form');

    // Nothing filled in: each required field says so, and nothing is sent.
    await page.getByLabel(/Mã đơn vị nhận phản ánh/).fill('');
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByText('Vui lòng nhập họ và tên.').waitFor();
    await page.getByText('Vui lòng nhập nội dung phản ánh, kiến nghị.').waitFor();
    expect(await page.getByLabel(/Mã đơn vị nhận phản ánh/).getAttribute('aria-invalid')).toBe('true');

    // An e-mail that is not one: the API refuses the form, the field is marked with its message.
    await page.getByLabel(/Mã đơn vị nhận phản ánh/).fill(SAMPLE.centre);
    await page.getByLabel(/Họ và tên/).fill('Nguyễn Thị Lan');
    await page.getByLabel(/Số điện thoại/).fill('0912 345 678');
    await page.getByLabel(/Thư điện tử/).fill('lan-khong-phai-thu');
    await page.getByLabel(/Tiêu đề/).fill('Chờ lâu tại bộ phận một cửa');
    await page.getByLabel(/Nội dung phản ánh, kiến nghị/).fill('Sáng 01/12/2026 tôi chờ hơn hai giờ để nộp hồ sơ đăng ký hộ kinh doanh.\nĐề nghị bố trí thêm cán bộ tiếp nhận.');
    await page.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'don-phan-anh.pdf', mimeType: 'application/pdf', buffer: await pdfOf(1) });
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Thông tin nhập chưa hợp lệ' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('body.email');
    await expect.poll(() => page.getByLabel(/Thư điện tử/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the refused feedback form');

    await page.getByLabel(/Thư điện tử/).fill('lan.nguyen@example.vn');
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    const receipt = page.getByRole('heading', { level: 1, name: 'Phản ánh của Ông/Bà đã được gửi và tiếp nhận.' });
    await receipt.waitFor();
    const values = await page.locator('.feedback-receipt dd').allTextContents();
    sent.id = values[0]!;
    sent.secret = values[1]!;
    expect(sent.id).toMatch(/^PAKN-000\.01\.01\.H99-\d{6}-\d{4}$/);
    expect(sent.secret.length).toBeGreaterThan(5);
    expect(values[2]).toBe('Tiếp nhận ở địa phương');
    await expectAccessible(page, "the form's receipt");
  });

  it('reception finds it in the queue, classifies and accepts it', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    await page.getByRole('navigation').getByRole('link', { name: 'Phản ánh, kiến nghị' }).click();
    await page.getByRole('heading', { level: 1, name: 'Phản ánh, kiến nghị của đơn vị' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: sent.id }) });
    await row.waitFor();
    const text = await row.textContent();
    for (const expected of ['Chờ lâu tại bộ phận một cửa', 'Chờ tiếp nhận', 'Tiếp nhận ở địa phương', 'Chưa phân loại', 'Biểu mẫu trực tuyến', 'Hạn từ chối tiếp nhận', 'Trong hạn']) expect(text).toContain(expected);
    await expectAccessible(page, "the unit's feedback queue");
    await page.getByLabel('Chỉ phản ánh quá hạn').check();
    await page.getByText('Không có phản ánh nào khớp bộ lọc.').waitFor();
    await page.getByLabel('Chỉ phản ánh quá hạn').uncheck();

    await page.getByRole('link', { name: sent.id }).click();
    await page.getByRole('heading', { level: 1, name: `Phản ánh ${sent.id}` }).waitFor();
    const facts = page.getByRole('region', { name: 'Nội dung phản ánh' });
    await expect.poll(() => facts.textContent()).toContain('Nguyễn Thị Lan');
    expect(await facts.textContent()).toContain('lan.nguyen@example.vn');
    await facts.getByRole('button', { name: 'Tải don-phan-anh.pdf' }).waitFor();
    const clocks = page.getByRole('region', { name: 'Thời hạn giải quyết' });
    expect(await clocks.getByRole('row', { name: /Hạn từ chối tiếp nhận/ }).textContent()).toContain('Hạn gần nhất');
    // Reception does not sign an answer: not offered at all.
    expect(await page.getByRole('button', { name: 'Trả lời và ký' }).count()).toBe(0);
    await expectAccessible(page, 'the feedback item page');

    // Accepting before classifying is refused by the rules, and the panel says why.
    await page.getByText('Thao tác chưa thực hiện được lúc này').click();
    await page.getByText(/FEEDBACK_NOT_CLASSIFIED/).waitFor();

    await act(page, 'Phân loại', async (dialog) => {
      await dialog.getByRole('combobox', { name: /Phân loại/ }).selectOption('procedure');
    }, 'Chờ tiếp nhận');
    await act(page, 'Tiếp nhận xử lý', async () => {}, 'Đang xử lý');
    await expect.poll(() => page.getByRole('region', { name: 'Lịch sử xử lý' }).textContent()).toContain('Tiếp nhận xử lý tại 000.01.01.H99');
    expect(await page.getByRole('region', { name: 'Lịch sử xử lý' }).textContent()).toContain('Phân loại: thủ tục hành chính');
  });

  it("the centre's head answers and signs it, the signed answer appears, and the answer is published", async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'head', agency: SAMPLE.centre, user: head.userId, name: 'Trần Thị Hòa' });
    await openItem(page, sent.id);
    await act(
      page,
      'Trả lời và ký',
      async (dialog) => {
        await dialog.getByLabel(/Nội dung trả lời/).fill('Từ ngày 10/12/2026, Trung tâm bố trí thêm một công chức tiếp nhận hồ sơ vào buổi sáng.');
        await dialog.getByLabel(/Căn cứ pháp lý/).fill('Nghị định 20/2008/NĐ-CP');
        expect(await dialog.getByLabel(/Họ và tên người ký/).inputValue()).toBe('Trần Thị Hòa');
        await dialog.getByLabel(/Chức vụ người ký/).fill('Giám đốc Trung tâm');
        // What the answer encloses goes with it, as a multipart form.
        await dialog.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'ke-hoach-bo-tri.pdf', mimeType: 'application/pdf', buffer: await pdfOf(1) });
        await expectAccessible(page, 'the answer form');
      },
      'Đã trả lời, chờ công khai',
    );
    const answer = page.getByRole('region', { name: 'Trả lời', exact: true });
    // The workflow signs and records the answer a few seconds after it is given.
    await answer.getByRole('button', { name: 'Mở văn bản trả lời (PDF)' }).waitFor({ timeout: 60_000 });
    expect(await answer.textContent()).toContain('Trần Thị Hòa, Giám đốc Trung tâm');
    expect(await answer.textContent()).toContain('Tài liệu kèm theo văn bản trả lời');
    await answer.getByRole('button', { name: 'Tải ke-hoach-bo-tri.pdf' }).waitFor();
    const pdf = await fetch(`${stack.engine.url}/feedback/${sent.id}/answer.pdf`, { headers: await authAs(head) });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.reload();
    await act(page, 'Công khai kết quả trả lời', async () => {}, 'Đã công khai');
    await expect.poll(() => answer.textContent()).toContain('Công khai lúc');
    await expect.poll(() => page.getByText('Bạn không có thao tác nào với phản ánh này lúc này.').count()).toBe(1);
  });

  it('the citizen follows it with the id and the secret and reads the published answer', async () => {
    const page = await stack.newPage();
    await page.goto(`${stack.url}cong-khai/phan-anh/tra-cuu`);
    await page.getByRole('heading', { level: 1, name: 'Theo dõi phản ánh, kiến nghị' }).waitFor();
    await page.getByLabel('Mã phản ánh').fill(sent.id);
    await page.getByLabel('Mã tra cứu').fill('SAI-MA-TRA-CUU');
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByText('Không tìm thấy phản ánh với mã phản ánh và mã tra cứu này.', { exact: false }).waitFor();

    await page.getByLabel('Mã tra cứu').fill(sent.secret);
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Chờ lâu tại bộ phận một cửa' }).waitFor();
    expect(await page.locator('.public-facts').first().textContent()).toContain('PAKN đã công khai');
    const answer = page.getByRole('region', { name: 'Kết quả trả lời' });
    expect(await answer.textContent()).toContain('bố trí thêm một công chức tiếp nhận');
    expect(await answer.textContent()).toContain('Trần Thị Hòa, Giám đốc Trung tâm');
    await expectAccessible(page, 'the published answer on the public page');
    const download = page.waitForEvent('download');
    await answer.getByRole('button', { name: 'Tải văn bản trả lời (PDF)' }).click();
    expect((await download).suggestedFilename()).toBe(`tra-loi-${sent.id}.pdf`);
    // What the answer encloses, published with it.
    const enclosed = page.waitForEvent('download');
    await answer.getByRole('button', { name: 'Tải ke-hoach-bo-tri.pdf' }).click();
    const saved = await enclosed;
    expect(saved.suggestedFilename()).toBe('ke-hoach-bo-tri.pdf');
    expect(Buffer.from(await readFile((await saved.path())!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(page.url()).not.toContain(sent.secret);
  });

  it('reception enters an item received on paper, with the date on the letter, and its sender answers a request for information', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    await page.goto(`${stack.url}feedback`);
    await page.getByRole('link', { name: 'Nhập phản ánh nhận qua giấy, điện thoại, thư điện tử' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nhập phản ánh, kiến nghị nhận trực tiếp' }).waitFor();
    await expectAccessible(page, 'the intake form');
    // The letter is dated the day before (Vietnam time): the clocks start there.
    const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel(/Nhận qua/).selectOption('paper');
    await page.getByLabel(/Ngày gửi/).fill(yesterday);
    await page.getByLabel(/^Giờ/).fill('09:30');
    await page.getByLabel(/Họ và tên/).fill('Lê Văn Bình');
    await page.getByLabel(/Địa chỉ/).fill('Thôn Đông, xã Hòa Bình');
    await page.getByLabel(/Tiêu đề/).fill('Kiến nghị niêm yết phí, lệ phí');
    await page.getByLabel(/Nội dung phản ánh, kiến nghị/).fill('Đề nghị niêm yết công khai mức phí, lệ phí đăng ký hộ kinh doanh tại bộ phận một cửa.');
    await page.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'thu-kien-nghi.pdf', mimeType: 'application/pdf', buffer: await pdfOf(2) });
    await page.getByRole('button', { name: 'Tiếp nhận phản ánh' }).click();
    const done = page.getByRole('heading', { level: 1, name: /^Đã tiếp nhận phản ánh PAKN-/ });
    await done.waitFor();
    const id = /PAKN-\S+?(?=\.$)/.exec((await done.textContent()) ?? '')![0];
    const secret = ((await page.locator('.feedback-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^\S{6,}$/);
    await expectAccessible(page, "the intake's receipt");

    await page.getByRole('link', { name: 'Mở phản ánh' }).click();
    await page.getByRole('heading', { level: 1, name: `Phản ánh ${id}` }).waitFor();
    const facts = page.getByRole('region', { name: 'Nội dung phản ánh' });
    await expect.poll(() => facts.textContent()).toContain('Văn bản giấy');
    const [year, month, day] = yesterday.split('-');
    expect(await facts.textContent()).toContain(`09:30, ${day}/${month}/${year}`);
    await facts.getByRole('button', { name: 'Tải thu-kien-nghi.pdf' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Lịch sử xử lý' }).textContent()).toContain('(văn bản giấy)');

    // Reception asks the sender for more; the sender answers on the public page with the secret given them.
    await act(page, 'Đề nghị bổ sung thông tin', (dialog) => dialog.getByLabel(/Nội dung đề nghị bổ sung/).fill('Đề nghị Ông cho biết tên thủ tục cần niêm yết phí.'), 'Chờ người gửi bổ sung');
    const citizen = await stack.newPage();
    await citizen.goto(`${stack.url}cong-khai/phan-anh/tra-cuu?ma=${id}`);
    await citizen.getByLabel('Mã tra cứu').fill(secret);
    await citizen.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    const question = citizen.getByRole('region', { name: 'Đơn vị đề nghị Ông/Bà bổ sung thông tin' });
    await question.getByText('Đề nghị Ông cho biết tên thủ tục cần niêm yết phí.').waitFor();
    expect(await citizen.locator('.public-facts').first().textContent()).toContain('PA chờ bổ sung');
    await expectAccessible(citizen, 'the request for information on the public page');
    await question.getByLabel(/Thông tin bổ sung/).fill('Thủ tục đăng ký thành lập hộ kinh doanh.');
    await question.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'bo-sung.pdf', mimeType: 'application/pdf', buffer: await pdfOf(1) });
    await question.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click();
    await citizen.getByRole('status').filter({ hasText: 'Đã gửi thông tin bổ sung.' }).waitFor();
    await expect.poll(() => citizen.locator('.public-facts').first().textContent()).toContain('Phản ánh đã bổ sung');

    await page.reload();
    const exchanged = page.getByRole('region', { name: 'Thông tin bổ sung' });
    await expect.poll(() => exchanged.textContent()).toContain('Thủ tục đăng ký thành lập hộ kinh doanh.');
    await exchanged.getByRole('button', { name: 'Tải bo-sung.pdf' }).waitFor();

    // Asked again, the sender answers by phone: reception enters the reply, with the note they took.
    await act(page, 'Đề nghị bổ sung thông tin', (dialog) => dialog.getByLabel(/Nội dung đề nghị bổ sung/).fill('Đề nghị Ông cho biết địa điểm niêm yết Ông đã xem.'), 'Chờ người gửi bổ sung');
    await act(
      page,
      'Nhập thông tin bổ sung của người gửi',
      async (dialog) => {
        // Sent without saying how it came: the form asks for it first.
        await dialog.getByLabel(/Nội dung người gửi bổ sung/).fill('Ông Bình gọi điện: đã xem bảng niêm yết tại tầng 1 Trung tâm.');
        await dialog.getByRole('button', { name: 'Gửi' }).click();
        await expect.poll(() => dialog.getByLabel(/Người gửi bổ sung qua/).getAttribute('aria-invalid')).toBe('true');
        await dialog.getByLabel(/Người gửi bổ sung qua/).selectOption('phone');
        await dialog.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'ghi-chep-cuoc-goi.pdf', mimeType: 'application/pdf', buffer: await pdfOf(1) });
        await expectAccessible(page, "the form for the sender's reply entered by staff");
      },
      'Chờ tiếp nhận',
    );
    await expect.poll(() => exchanged.textContent()).toContain('Ông Bình gọi điện: đã xem bảng niêm yết tại tầng 1 Trung tâm.');
    expect(await exchanged.textContent()).toContain('Nhận qua: Điện thoại');
    await exchanged.getByRole('button', { name: 'Tải ghi-chep-cuoc-goi.pdf' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Lịch sử xử lý' }).textContent()).toContain('Cán bộ nhập thông tin bổ sung của người gửi (điện thoại, 1 tệp)');
  });
});
