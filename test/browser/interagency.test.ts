// What staff see of the other agencies' systems on the screens (docs/console.md#steps-carried-out-in-other-systems-and-mirrored-dossiers),
// against the engine as `npm start` runs it with the civil-status system connected by callback: a
// birth registration (the sample's version 2026.2, its step carried out in that system) is received
// and accepted through the API; the system's signed answers (progress, then completed with its
// registration and result file) go to the callback route as the real system's would
// (docs/integrations.md#answers-from-the-systems). The centre's head sees the banner, the follow-up
// row on the centre's queue, the steps with what the system did, the registration on the result and
// the system's answers; an auditor sees the system as the actor of its answers in the history. A ministry's system pushes a mirror (PUT /mirrors/{code}); reception finds
// it marked in the search, filtered, and its page shows its source's facts and takes no action.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import { completeComponents } from '../support/dossier-fixtures.js';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { authAs, postCommand, receiveDossier } from '../support/engine.js';
import { pdfOf } from '../support/file-fixtures.js';
import { issueSignedResult } from '../support/signed-result.js';

const BIRTH = '1.001193';
const SECRET = 'civil-status-callback-secret-of-the-console-test';
const CIVIL_STATUS = 'Hệ thống thông tin đăng ký và quản lý hộ tịch';
const desk = { userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre } as const;
const centreHead = { userId: 'truongban.hoa', role: 'head', agencyCode: SAMPLE.centre } as const;
const justiceHead = { userId: 'truongphong.tuphap', role: 'head', agencyCode: SAMPLE.justice } as const;

let stack: ConsoleStack;
let code: string;

beforeAll(async () => {
  stack = await startConsoleStack('interagency', {
    interagency: { systems: { 'civil-status': { callbackSecret: SECRET, answers: 'callback', holdMinutes: 10, baseUrl: 'http://127.0.0.1:1', token: 'unused', pollSeconds: 30 } } },
  });
  code = await receiveDossier(stack.engine.url, desk, SAMPLE.centre, BIRTH);
  const accepted = await postCommand(`${stack.engine.url}/dossiers/${code}/accept`, desk, { components: completeComponents(BIRTH) });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${JSON.stringify(accepted.json)}`);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

/** The civil-status system's answers, signed and posted as its callback; each must be applied. */
async function systemAnswers(...answers: Record<string, unknown>[]) {
  const body = JSON.stringify({ answers: answers.map((answer) => ({ dossierCode: code, stepId: 'civil-status', run: 1, at: new Date().toISOString(), ...answer })) });
  const response = await fetch(`${stack.engine.url}/interagency/civil-status/answers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-motcua-signature': signAnswerCallback(SECRET, body) }, body });
  const json = (await response.json()) as { results?: { outcome: string }[] };
  expect(response.status, JSON.stringify(json)).toBe(200);
  expect(json.results?.map((result) => result.outcome)).toEqual(answers.map(() => 'applied'));
}

async function openDossier(page: Page, dossierCode: string) {
  await page.goto(`${stack.url}dossiers/${dossierCode}`);
  await page.getByRole('heading', { level: 1, name: `Hồ sơ ${dossierCode}` }).waitFor();
}

describe('a step carried out in the civil-status system', () => {
  it("shows the centre's head the banner, the follow-up row on the queue and what the system did, then the registration on the result", async () => {
    await systemAnswers({ answerId: 'ht-1', sequence: 1, kind: 'progress', status: 'Đang ghi sổ' });

    const page = await stack.newPage();
    await stack.signIn(page, { role: 'head', agency: SAMPLE.centre, user: centreHead.userId, name: 'Trưởng ban Hòa' });

    // The centre's queue: the follow-up item, marked as waiting for the system, due as the API says.
    await page.goto(`${stack.url}queue`);
    const row = page.getByRole('row').filter({ hasText: code });
    await row.first().waitFor();
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain(`Theo dõi ${CIVIL_STATUS}`);
    await expect.poll(() => row.textContent()).toContain(`Chờ ${CIVIL_STATUS}`);
    await expect.poll(() => row.textContent()).toMatch(/Trong hạn|Sắp đến hạn|Quá hạn/);
    await expectAccessible(page, "the centre's queue with a follow-up row");

    // The dossier: the banner, and the step's row naming the system with its progress.
    await row.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await page.getByRole('status').filter({ hasText: `Đang chờ ${CIVIL_STATUS} trả lời` }).waitFor();
    const slip = page.getByRole('region', { name: 'Phiếu kiểm soát quá trình giải quyết (mẫu 06)' });
    const step = slip.getByRole('row').filter({ hasText: 'civil-status' });
    await expect.poll(() => step.textContent()).toContain(CIVIL_STATUS);
    await expect.poll(() => step.textContent()).toContain('Đang ghi sổ');
    // The system's answers, read-only, for the heads of the agencies taking part.
    const answers = page.getByRole('region', { name: 'Trả lời của hệ thống các cơ quan' });
    await expect.poll(() => answers.getByRole('row').filter({ hasText: 'Tiến độ' }).textContent()).toContain('Đã áp dụng');
    await expectAccessible(page, 'a dossier waiting for the civil-status system');

    // The system completes the step with its registration and result file; the justice office's head issues the result.
    const result = await pdfOf(1);
    await systemAnswers({
      answerId: 'ht-2',
      sequence: 2,
      kind: 'completed',
      registration: { number: '77/2026', book: 'Sổ đăng ký khai sinh 01/2026' },
      file: { name: 'trich-luc-khai-sinh.pdf', mediaType: 'application/pdf', contentBase64: result.toString('base64') },
    });
    const issued = await issueSignedResult(stack.engine.url, code, justiceHead, 'GKS-77');
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);

    await openDossier(page, code);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Đang chờ' }).count()).toBe(0);
    const registration = `${CIVIL_STATUS}: số 77/2026, Sổ đăng ký khai sinh 01/2026`;
    await expect.poll(() => page.getByRole('region', { name: 'Phiếu kiểm soát quá trình giải quyết (mẫu 06)' }).getByRole('row').filter({ hasText: 'civil-status' }).textContent()).toContain(registration);
    // The registration the result carries, in the summary.
    await expect.poll(() => page.locator('.facts').first().textContent()).toContain(registration);
    // The result file opens with the session's token, as the dossier's other files do.
    const [view] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Mở tệp kết quả trich-luc-khai-sinh.pdf' }).click()]);
    await expect.poll(() => view.url()).toMatch(/^blob:/);
    await view.close();
    await expect.poll(() => page.getByRole('region', { name: 'Trả lời của hệ thống các cơ quan' }).getByRole('row').filter({ hasText: 'Hoàn thành' }).textContent()).toContain('Đã áp dụng');
    await expectAccessible(page, 'a dossier whose step the civil-status system completed');

    // The auditor's view of the dossier: the system as the actor of its answers, and the answers themselves.
    const audit = await stack.newPage();
    await stack.signIn(audit, { role: 'auditor', agency: SAMPLE.centre, user: 'thanhtra.minh', name: 'Thanh tra Minh' });
    await audit.goto(`${stack.url}audit/${code}`);
    const progressed = audit.getByRole('row').filter({ hasText: 'interagency/civil-status/ht-1' });
    await expect.poll(() => progressed.textContent()).toContain('system:civil-status — Hệ thống của cơ quan khác');
    const listed = audit.getByRole('region', { name: 'Trả lời của hệ thống các cơ quan' }).getByRole('row');
    await expect.poll(() => listed.count()).toBe(3);
    await expect.poll(() => listed.filter({ hasText: 'Hoàn thành' }).textContent()).toContain('Hệ thống gửi đến');
    await expectAccessible(audit, "the audit of a dossier with a system's answers");
  }, 180_000);
});

describe('a mirror of a dossier handled on a ministry’s system', () => {
  it('is marked in the search, kept or left out by the filter, and its page shows its source and takes no action', async () => {
    const identityNumber = `0790${String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;
    const mirrorCode = `G01.BCA-261102-${String(randomBytes(4).readUInt32BE(0)).padStart(10, '0')}`;
    const ministry = { userId: 'bca-dichvucong', role: 'ministry-system' as const, agencyCode: SAMPLE.centre };
    const push = {
      sourceUpdatedAt: '2026-11-06T15:00:00+07:00',
      procedureCode: '1.001612',
      procedureName: 'Cấp đổi giấy phép lái xe',
      agencyCode: SAMPLE.centre,
      handlingUnitName: 'Phòng CSGT',
      channel: 'online',
      applicant: { kind: 'citizen', fullName: 'Lê Văn Gương', identityNumber },
      submittedAt: '2026-11-02T08:30:00+07:00',
      acceptedAt: '2026-11-02T09:00:00+07:00',
      appointmentAt: '2026-11-09T17:00:00+07:00',
      status: 4,
      paidOnline: true,
      feeBearing: true,
      progress: [
        { at: '2026-11-02T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 },
        { at: '2026-11-06T15:00:00+07:00', unitName: 'Phòng CSGT', handlerName: 'Trần Văn Bình', action: 'Thẩm định hồ sơ', status: 4 },
      ],
    };
    const pushed = await fetch(`${stack.engine.url}/mirrors/${mirrorCode}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await authAs(ministry)) }, body: JSON.stringify(push) });
    expect(pushed.status, await pushed.clone().text()).toBe(201);

    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: desk.userId, name: 'Lễ tân An' });
    await page.goto(`${stack.url}search`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByLabel('Số giấy tờ tùy thân hoặc mã số doanh nghiệp').check();
    await page.getByRole('searchbox').fill(identityNumber);

    // Only the engine's own: the mirror is left out.
    await page.getByLabel('Nguồn hồ sơ').selectOption('own');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Không tìm thấy' }).waitFor();

    // Only mirrors: found, marked with its source.
    await page.getByLabel('Nguồn hồ sơ').selectOption('mirrored');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: mirrorCode });
    await expect.poll(() => row.textContent()).toContain('Đồng bộ từ test-ministry');
    await expectAccessible(page, 'the search with a mirrored dossier');

    // Found by its code too, the ministry's own (not a province's).
    await page.getByLabel('Mã hồ sơ', { exact: true }).check();
    await page.getByRole('searchbox').fill(mirrorCode);
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: mirrorCode }).textContent()).toContain('Đồng bộ từ test-ministry');

    await row.getByRole('link', { name: mirrorCode }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${mirrorCode}` }).waitFor();
    await page.getByRole('note').filter({ hasText: 'Hồ sơ đồng bộ từ test-ministry' }).waitFor();
    await expect.poll(() => page.getByRole('note').textContent()).toContain('đây là bản đồng bộ chỉ để theo dõi và thống kê');
    const progress = page.getByRole('region', { name: 'Quá trình xử lý ở hệ thống nguồn' });
    await expect.poll(() => progress.getByRole('row').filter({ hasText: 'Thẩm định hồ sơ' }).textContent()).toContain('Trần Văn Bình');
    await expect.poll(() => page.getByRole('region', { name: 'Quá trình xử lý ở hệ thống nguồn' }).getByRole('row').count()).toBe(3);
    // No action here: the panel says why, with the API's reason.
    const actions = page.locator('.actions-card');
    await expect.poll(() => actions.textContent()).toContain('Hồ sơ này không xử lý trên phần mềm này.');
    await expect.poll(() => actions.textContent()).toContain('DOSSIER_MIRRORED');
    expect(await actions.getByRole('button').count()).toBe(0);
    await expectAccessible(page, 'the page of a mirrored dossier');
  }, 120_000);
});
