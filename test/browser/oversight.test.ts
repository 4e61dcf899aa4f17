// The heads' and auditors' screens in a real browser. Set up through the API: a household business
// dossier of the sample catalogue returned on time with its signed result, one still at reception,
// and one that went overdue last June with its apology for lateness and its explanation (played
// through the real decider into the log with those June instants, as the reports tests do, since
// the real clock cannot wait for a day to pass). Then, through the screens: the head's dashboard
// shows the API's indicator figures against the targets, for another period and as of an earlier
// instant, with the late dossier; the register prints; the auditor opens a dossier's history,
// its state before acceptance, the changes between two instants, the integrity check and a
// document's verification. Axe checks each screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import { projectDossierReadModels } from '../../db/projections/dossier-read-models.js';
import { catchUpReports } from '../../db/projections/report-projection.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { actor, at, BUSINESS_PROCEDURE, CENTRE, completeComponents, DossierScenario, ECONOMY } from '../support/dossier-fixtures.js';
import { LEGAL_CLOCK } from '../support/dossier-history.js';
import { authAs, getJson, postCommand, postJson, receptionBody } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';

let stack: ConsoleStack;
const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const economyHead = actor('head', ECONOMY, 'truongphong.cuong');
const centreHead = actor('head', CENTRE, 'truongban.hoa');
const auditorActor = actor('auditor', CENTRE, 'thanhtra.minh');

/** Codes: returned on time, still at reception, late last June. */
let returned: string;
let atReception: string;
let late: string;

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const answer = await postCommand(`${stack.engine.url}/dossiers/${code}/${path}`, who, body);
  if (answer.status !== 200) throw new Error(`${path} → ${answer.status}: ${JSON.stringify(answer.json)}`);
  return answer.json;
}

async function receive(): Promise<string> {
  const received = await postJson(`${stack.engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(reception));
  expect(received.status).toBe(201);
  return received.json.dossierCode;
}

/** A dossier accepted on Thu 25 June 2026, overdue on 30 June, apologised for on 1 July and explained on 2 July. */
async function lateLastJune(): Promise<string> {
  const scenario = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-25T08:30:00', 901);
  scenario.accept('2026-06-25T09:00:00');
  const byReception = scenario.events.length;
  const actors = new Map<number, ReturnType<typeof actor>>();
  const play = (who: ReturnType<typeof actor>, command: Parameters<DossierScenario['play']>[0], local: string) => {
    const from = scenario.events.length;
    scenario.play(command, local);
    for (let index = from; index < scenario.events.length; index += 1) actors.set(index, who);
  };
  play(LEGAL_CLOCK, scenario.command('MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'overdue' }), '2026-06-30T09:01:00');
  play(economyHead, scenario.command('IssueLatenessApology', economyHead, { reason: 'Chờ xác minh', newAppointment: new Date(at('2026-07-03T09:00:00')).toISOString() }), '2026-07-01T09:00:00');
  play(economyOfficer, scenario.command('RecordLatenessExplanation', economyOfficer, { reason: 'Nghỉ ốm' }), '2026-07-02T09:00:00');
  const events = scenario.events.map((event: DossierEvent, index): NewEvent => ({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { actor: index < byReception ? actor('reception', CENTRE) : actors.get(index)!, commandId: `june-${index + 1}` },
    occurredAt: event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at,
  }));
  await appendToStream(stack.engine.db, scenario.dossierCode, 0, events, [projectDossierReadModels]);
  return scenario.dossierCode;
}

/** Asks again until `done` holds (setup runs outside a test, where expect.poll cannot). */
async function until<T>(ask: () => Promise<T>, done: (answer: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await ask();
    if (done(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const vietnamToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const percent = (value: number | null) => (value === null ? '—' : `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} %`);

/** What the page's scripts see, for the few checks made inside the page (the tests compile without the DOM's types). */
interface InPage {
  document: { getElementById(id: string): { textContent: string | null } | null; activeElement: unknown };
  print: () => void;
  printed: number;
}

interface Indicator { id: string; value: number | null; numerator: number; denominator: number; target: { target: number } | null; meetsTarget: boolean | null }

async function indicatorsFor(query: string): Promise<{ projection: { pendingEvents: number }; groups: { counts: Record<string, number>; indicators: Indicator[] }[] }> {
  const answer = await getJson(`${stack.engine.url}/reports/indicators?${query}`, await authAs(centreHead));
  expect(answer.status).toBe(200);
  return answer.json;
}

beforeAll(async () => {
  stack = await startConsoleStack('oversight');
  returned = await receive();
  await command(returned, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
  await command(returned, 'complete-step', economyOfficer, { stepId: 'business-registration', outcome: 'approved' });
  const result = await issueSignedResult(stack.engine.url, returned, economyHead, 'HKD-0001');
  expect(result.status).toBe(200);
  await command(returned, 'return-result', reception, { method: 'counter', applicantNotifiedInAdvance: true });
  const auditorHeaders = await authAs(auditorActor);
  await until(async () => ((await getJson(`${stack.engine.url}/dossiers/${returned}/documents`, auditorHeaders)).json.items as { kind: string }[]).map((item) => item.kind), (kinds) => kinds.includes('form-01') && kinds.includes('result'), 'the receipt and the result issued');
  atReception = await receive();
  late = await lateLastJune();
  // The test engine's worker runs no report projector (npm start's does, each second): project the log
  // up to now, as the reports tests do, so the screens read every event.
  const month = `from=${vietnamToday().slice(0, 8)}01&to=${vietnamToday()}`;
  await until(async () => {
    await catchUpReports(stack.engine.db);
    const report = await indicatorsFor(month);
    return { pending: report.projection.pendingEvents, resolved: report.groups[0]?.counts.resolved };
  }, (figures) => figures.pending === 0 && figures.resolved === 1, 'the reporting projection caught up');
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

/** The indicator cards a head reads first, by their Vietnamese titles. */
const CHARTS = {
  'on-time-rate-766': 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn (theo Quyết định 766)',
  'online-submission-rate': 'Tỷ lệ hồ sơ nộp trực tuyến',
  'digitisation-rate': 'Tỷ lệ số hóa hồ sơ, kết quả',
  'data-reuse-rate': 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa',
  'e-result-rate': 'Tỷ lệ cấp kết quả điện tử',
  satisfaction: 'Mức độ hài lòng',
} as const;

describe('a head', () => {
  it('reads the Decision 766 figures against the targets, for another period and as of an earlier instant, with the late dossiers', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'head', agency: SAMPLE.centre, user: centreHead.userId, name: 'Trưởng ban Hòa' });
    expect(new URL(page.url()).pathname).toBe('/console/dashboard');
    await page.getByRole('heading', { level: 1, name: 'Kết quả giải quyết TTHC theo Quyết định 766' }).waitFor();

    // This month by default: every card shows the API's value, its numerator and denominator, and the target.
    const today = vietnamToday();
    const monthEnd = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const month = (await indicatorsFor(`from=${today.slice(0, 8)}01&to=${monthEnd}&agency=${CENTRE}`)).groups[0]!.indicators;
    const card = (title: string) => page.locator('figure.indicator').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
    for (const [id, title] of Object.entries(CHARTS)) {
      const indicator = month.find((candidate) => candidate.id === id)!;
      await expect.poll(() => card(title).textContent()).toContain(`${percent(indicator.value)} (${indicator.numerator}/${indicator.denominator} hồ sơ)`);
      // Result, target, verdict: the card's three figures.
      expect(await card(title).getByRole('definition').allTextContents()).toEqual([
        `${percent(indicator.value)} (${indicator.numerator}/${indicator.denominator} hồ sơ)`,
        indicator.target ? percent(indicator.target.target) : 'Chưa giao chỉ tiêu',
        indicator.value === null ? 'Chưa có hồ sơ để tính' : indicator.meetsTarget === null ? 'Chưa giao chỉ tiêu' : indicator.meetsTarget ? 'Đạt chỉ tiêu' : 'Chưa đạt chỉ tiêu',
      ]);
      // The chart speaks the same figures, its target line labelled.
      const chart = card(title).getByRole('img');
      expect(await chart.count()).toBe(1);
      await expect.poll(async () => (await chart.evaluate((svg) => (globalThis as unknown as InPage).document.getElementById(svg.getAttribute('aria-labelledby')!)?.textContent)) ?? '').toContain(`${title}: ${percent(indicator.value)}`);
      if (indicator.target) expect(await chart.locator('text').textContent()).toBe(`Chỉ tiêu ${percent(indicator.target.target)}`);
    }
    // The sample commune's on-time target (98 %) on the 766 rate; the one dossier returned this month came back early.
    expect(month.find((indicator) => indicator.id === 'on-time-rate-766')?.target?.target).toBe(98);
    expect(await page.getByRole('row', { name: /Đã giải quyết/ }).getByRole('cell').textContent()).toBe('1');
    // How many of them are mirrors of dossiers handled on a ministry's system, as the API counts them.
    const counts = (await indicatorsFor(`from=${today.slice(0, 8)}01&to=${monthEnd}&agency=${CENTRE}`)).groups[0]!.counts;
    expect(await page.getByRole('row', { name: 'Trong đó: đồng bộ từ hệ thống bộ, ngành (tiếp nhận)' }).getByRole('cell').textContent()).toBe(String(counts.acceptedMirrored));
    expect(await page.getByRole('row', { name: 'Trong đó: đồng bộ từ hệ thống bộ, ngành (giải quyết)' }).getByRole('cell').textContent()).toBe(String(counts.resolvedMirrored));
    await expectAccessible(page, "the head's dashboard");

    // Last June, chosen by hand: the late dossier with its apology and explanation, linking to its page.
    await page.getByLabel('Kỳ', { exact: true }).selectOption('custom');
    await page.getByLabel('Từ ngày').fill('2026-06-01');
    await page.getByLabel('Đến ngày').fill('2026-06-30');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Số liệu của' }).textContent()).toContain('từ 01/06/2026 đến 30/06/2026');
    const lateRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: late }) });
    await expect.poll(() => lateRow.textContent()).toContain('Đã xin lỗi lúc 09:00, 01/07/2026');
    expect(await lateRow.textContent()).toContain('Đã giải trình lúc 09:00, 02/07/2026');
    // Overdue from its due time, 09:00 on 30 June (the alert came a minute later).
    expect(await lateRow.textContent()).toContain('09:00, 30/06/2026');
    expect(await page.getByRole('link', { name: late }).getAttribute('href')).toBe(`/console/dossiers/${late}`);
    const june = (await getJson(`${stack.engine.url}/reports/lateness?from=2026-06-01&to=2026-06-30`, await authAs(centreHead))).json;
    const summary = page.getByRole('table', { name: 'Tổng hợp theo cơ quan' }).getByRole('row', { name: new RegExp(ECONOMY.replaceAll('.', '\\.')) });
    expect((await summary.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([june.groups[0].late, june.groups[0].apologised, june.groups[0].notApologised, june.groups[0].explained].map(String));
    const juneOnTime = (await indicatorsFor(`from=2026-06-01&to=2026-06-30&agency=${CENTRE}`)).groups[0]!.indicators.find((indicator) => indicator.id === 'on-time-rate-766')!;
    expect(await card(CHARTS['on-time-rate-766']).textContent()).toContain(`${percent(juneOnTime.value)} (${juneOnTime.numerator}/${juneOnTime.denominator} hồ sơ)`);
    await expectAccessible(page, "the head's dashboard for June with a late dossier");

    // As of noon on 30 June the dossier was overdue and neither apologised for nor explained yet.
    await page.getByLabel('Số liệu tính đến thời điểm').fill('2026-06-30T12:00:00');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => lateRow.textContent()).toContain('Chưa xin lỗi');
    expect(await lateRow.textContent()).toContain('Chưa giải trình');
    expect(await page.getByRole('status').filter({ hasText: 'Số liệu của' }).textContent()).toContain('tính đến 12:00, 30/06/2026');
  });

  it('prints the register (form 07) of the month with every dossier received', async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'head', agency: SAMPLE.centre, user: centreHead.userId, name: 'Trưởng ban Hòa' });
    await page.getByRole('navigation').getByRole('link', { name: 'Sổ theo dõi' }).click();
    await page.getByRole('heading', { level: 2, name: 'SỔ THEO DÕI HỒ SƠ' }).waitFor();
    const register = page.getByRole('table');
    await expect.poll(() => register.getByRole('rowheader').allTextContents()).toEqual([returned, atReception]);
    expect(await register.getByRole('columnheader').allTextContents()).toEqual(['STT', 'Mã hồ sơ', 'Tên TTHC', 'Tổ chức, cá nhân; địa chỉ, số điện thoại', 'Cơ quan chủ trì giải quyết', 'Nhận hồ sơ; hẹn trả kết quả', 'Chuyển cơ quan giải quyết; nhận kết quả', 'Trả kết quả', 'Ghi chú']);
    expect(await register.getByRole('row', { name: new RegExp(returned) }).textContent()).toContain('Đã trả kết quả');
    expect(await register.getByRole('row', { name: new RegExp(atReception) }).textContent()).toContain('Mới đăng ký');
    await expectAccessible(page, 'the register');

    // On paper: the form alone, without the header and the filters.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'In sổ' }).isVisible()).toBe(false);
    expect(await page.getByRole('banner').first().isVisible()).toBe(false);
    expect(await register.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    // The Print button opens the browser's print dialog (replaced here by a recorder: headless Chromium has none).
    await page.evaluate(() => {
      const window = globalThis as unknown as InPage;
      window.printed = 0;
      window.print = () => {
        window.printed += 1;
      };
    });
    await page.getByRole('button', { name: 'In sổ' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as InPage).printed)).toBe(1);
  });
});

describe('an auditor', () => {
  it("opens a dossier's history: actors, the state before acceptance, the changes between two instants, integrity and a document's verification", async () => {
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'auditor', agency: SAMPLE.centre, user: auditorActor.userId, name: 'Thanh tra Minh' });
    expect(new URL(page.url()).pathname).toBe('/console/audit');
    await page.getByRole('link', { name: returned }).waitFor();
    expect(await page.getByRole('link', { name: late }).count()).toBe(1);
    await expectAccessible(page, "the auditor's start screen");
    await page.getByLabel('Mã hồ sơ').fill(returned);
    await page.getByRole('button', { name: 'Mở lịch sử' }).click();
    await page.getByRole('heading', { level: 1, name: `Lịch sử hồ sơ ${returned}` }).waitFor();

    // The timeline: each line with who (user, role, agency), when, the command and the event.
    const history = (await getJson(`${stack.engine.url}/dossiers/${returned}/events`, await authAs(auditorActor))).json.events as { streamVersion: number; type: string; occurredAt: string; metadata: { commandId: string } }[];
    const timeline = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Người thực hiện' }) });
    await expect.poll(() => timeline.getByRole('row').count()).toBe(history.length + 1);
    const accepted = history.find((event) => event.type === 'DossierAccepted')!;
    const acceptedRow = timeline.getByRole('row').nth(accepted.streamVersion);
    expect(await acceptedRow.textContent()).toContain('letan.an — Bộ phận Một cửa, 000.01.01.H99');
    expect(await acceptedRow.textContent()).toContain(accepted.metadata.commandId);
    expect(await acceptedRow.textContent()).toContain('Tiếp nhận hồ sơ hợp lệ (mẫu 01)');
    expect(await timeline.getByRole('row').filter({ hasText: 'StepCompleted' }).textContent()).toContain('chuyenvien.binh — Chuyên viên, 000.03.01.H99');

    // Integrity: the hash chain recomputed by the API.
    await expect.poll(() => page.getByText(/^Toàn vẹn:/).textContent()).toBe(`Toàn vẹn: ${history.length} sự kiện, chuỗi băm khớp, không có phiên bản nào bị sửa sau khi ghi.`);
    await expectAccessible(page, "a dossier's audit view");

    // The state just after the reception, before the acceptance.
    await page.getByLabel('Xem trạng thái tại').selectOption('v1');
    await page.getByRole('button', { name: 'Xem trạng thái' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'phiên bản 1' }).textContent()).toContain('trạng thái Mới đăng ký (received)');

    // An instant typed by hand, a minute before the reception: nothing yet.
    await page.getByLabel('Xem trạng thái tại').selectOption('custom');
    const beforeReception = new Date(Date.parse(history[0]!.occurredAt) - 60_000 + 7 * 3_600_000).toISOString().slice(0, 19);
    await page.getByLabel('Xem trạng thái tại: ngày giờ').fill(beforeReception);
    await page.getByRole('button', { name: 'Xem trạng thái' }).click();
    await expect.poll(() => page.getByText(/chưa được tiếp nhận/).count()).toBe(1);

    // The changes from the reception to the return, field by field.
    const diffSection = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Thay đổi giữa hai thời điểm' }) }).last();
    await page.getByLabel('Từ thời điểm', { exact: true }).selectOption('v1');
    await page.getByLabel('Đến thời điểm', { exact: true }).selectOption(`v${history[history.length - 1]!.streamVersion}`);
    await page.getByRole('button', { name: 'So sánh' }).click();
    await expect.poll(() => diffSection.getByRole('status').textContent()).toContain(`${history.length - 1} sự kiện`);
    const statusRow = diffSection.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'status', exact: true }) });
    expect(await statusRow.getByRole('cell').allTextContents()).toEqual(['received', 'returned']);
    expect(await diffSection.getByRole('listitem').count()).toBe(history.length - 1);
    await expectAccessible(page, 'the state at an instant and the changes between two');

    // Verification of the receipt and the result: the screen says what the API's verification says.
    const documents = (await getJson(`${stack.engine.url}/dossiers/${returned}/documents`, await authAs(auditorActor))).json.items as { kind: string; number: string; sha256: string }[];
    for (const kind of ['form-01', 'result']) {
      const issued = documents.find((candidate) => candidate.kind === kind)!;
      const bytes = new Uint8Array(await (await fetch(`${stack.engine.url}/documents/${issued.sha256}`, { headers: await authAs(auditorActor) })).arrayBuffer());
      const expected = (await (await fetch(`${stack.engine.url}/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes })).json()) as { valid: boolean; signer?: { subject: string }; signedByAgency: { agencyCode: string } | null };
      // Both are signed by an agency's certificate the engine trusts: the engine's own receipt, the office's result.
      expect({ kind, valid: expected.valid }).toEqual({ kind, valid: true });
      await page.getByRole('button', { name: `Xác thực ${issued.number}` }).click();
      const verdict = page.getByRole('heading', { name: `Kết quả xác thực ${issued.number}: ${expected.valid ? 'Hợp lệ' : 'Không hợp lệ'}` });
      await verdict.waitFor();
      const panel = page.locator('.verification').filter({ has: verdict });
      expect(await panel.evaluate((element) => element === (globalThis as unknown as InPage).document.activeElement)).toBe(true);
      if (expected.signer) expect(await panel.textContent()).toContain(expected.signer.subject);
      if (expected.signedByAgency) expect(await panel.textContent()).toContain(expected.signedByAgency.agencyCode);
    }
    expect(documents.some((candidate) => candidate.kind === 'form-01')).toBe(true);
    await expectAccessible(page, "a dossier's documents verified");
  });
});
