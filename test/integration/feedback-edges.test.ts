// The PAKN edges on the real PostgreSQL and Temporal: a citizen's item through the public form with
// attachments, followed with its secret, asked for and given more information, answered by the head
// with a signed document that verifies with the project's verifier, published, and read back by the
// citizen; an item staff enter on the sender's behalf (retried under one Idempotency-Key), its
// sender's reply by phone entered by staff, and an answer enclosing a file; an item a
// citizen sent on the national portal, pulled by the inbox from the national PAKN double (once, even
// served twice), its reactions recorded; and every change pushed to that double.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackIndicatorCounts, findFeedback, loadFeedback } from '../../db/feedback/feedback-queries.js';
import { storeCalendarAmendment } from '../../db/calendar-amendments.js';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { calendarAmendmentSchema } from '../../domain/calendar/calendar-schemas.js';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { feedbackCalendar, workingDaysWindow } from '../../domain/feedback/feedback-clock.js';
import { swapAmendmentFromToday } from '../support/swap-amendment.js';
import { feedbackIdOfExternal, listHeldPaknItems, paknCursorOf, retryHeldPaknItem } from '../../db/national-pakn.js';
import { loadTrustAnchors } from '../../documents/signing/keystore.js';
import { verifyPdfSignature } from '../../documents/signing/verify-signature.js';
import { type NationalPaknDouble, startNationalPaknDouble } from '../../doubles/national-pakn-double.js';
import { isReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { referenceNationalPakn } from '../../integrations/pakn/reference-adapter.js';
import { startNationalPaknInbox } from '../../worker/national-pakn-inbox.js';
import { authAs, getJson, postJson, registerCentre, startTestEngine, type TestEngine } from '../support/engine.js';
import { pdfOf, png } from '../support/file-fixtures.js';
import { testSigningSettings } from '../support/test-pki.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';
import { createLogger } from '../../platform/logger.js';

/** A unit code of the four-group shape a feedback id names, no other test uses. */
const unitCode = () => `${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}.${String(randomBytes(1)[0]! % 100).padStart(2, '0')}.02.H${String(randomBytes(1)[0]! % 100).padStart(2, '0')}`;

let engine: TestEngine;
let double: NationalPaknDouble;
let unit: string;
const reception = () => authAs({ userId: 'letan.hoa', role: 'reception', agencyCode: unit });
const head = () => authAs({ userId: 'lanhdao.minh', role: 'head', agencyCode: unit });

beforeAll(async () => {
  double = await startNationalPaknDouble();
  engine = await startTestEngine({
    name: 'feedback-edges',
    // The inbox's cursors are a database's: its own, so no other file's double moves them.
    databaseUrl: await databaseOfItsOwn(),
    documentDirectory: mkdtempSync(path.join(tmpdir(), 'motcua-feedback-edges-')),
    nationalPakn: referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 5_000 }),
  });
  unit = await registerCentre(engine.db, unitCode());
});
afterAll(async () => {
  await engine?.close();
  await double?.close();
});

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let tries = 0; tries < 150; tries += 1) {
    last = await read();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: never happened; last seen ${JSON.stringify(last).slice(0, 2000)}`);
}

type Part = string | { bytes: Uint8Array; name: string; type: string };
async function postForm(url: string, parts: [string, Part][], headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const response = await fetch(url, { method: 'POST', body: form, headers });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any, headers: response.headers };
}

const command = async (id: string, step: string, body: unknown, who: Record<string, string>) => {
  const answer = await postJson(`${engine.url}/feedback/${id}/${step}`, body, who);
  expect(answer.status, `${step}: ${JSON.stringify(answer.json)}`).toBe(200);
  return answer.json;
};

describe('a citizen\'s item through the public form', () => {
  let id: string;
  let secret: string;
  const photo = png();

  it('is received with its attachments and answers its id and lookup secret', async () => {
    const scan = await pdfOf(1);
    const sent = await postForm(`${engine.url}/feedback`, [
      ['agencyCode', unit],
      ['fullName', 'Nguyễn Thị Hoa'],
      ['phone', '0912345678'],
      ['address', 'Thôn Đồng, xã Hòa Bình'],
      ['title', 'Thời gian chờ tại Bộ phận Một cửa quá lâu'],
      ['content', 'Ngày 01/12 tôi chờ hơn hai giờ mới được tiếp nhận hồ sơ.'],
      ['attachment', { bytes: photo, name: 'ảnh-hàng-chờ.png', type: 'image/png' }],
      ['attachment', { bytes: scan, name: 'don.pdf', type: 'application/pdf' }],
    ]);
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    id = sent.json.feedbackId;
    secret = sent.json.lookupSecret;
    expect(id.startsWith(`PAKN-${unit}-`)).toBe(true);
    expect(sent.json).toMatchObject({ status: 'waiting-to-receive', nationalLabel: 'Tiếp nhận ở địa phương' });
    expect(sent.headers.get('location')).toBe(`/lookup/feedback/${id}`);

    const staffView = await getJson(`${engine.url}/feedback/${id}`, await reception());
    expect(staffView.status).toBe(200);
    expect(staffView.json).toMatchObject({ channel: 'online-form', submitter: { fullName: 'Nguyễn Thị Hoa', phone: '0912345678' } });
    expect(staffView.json.attachments.map((file: { mediaType: string; name: string }) => [file.mediaType, file.name])).toEqual([['image/png', 'ảnh-hàng-chờ.png'], ['application/pdf', 'don.pdf']]);
    const file = await fetch(`${engine.url}/feedback/${id}/files/${staffView.json.attachments[0].sha256}`, { headers: await reception() });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('is followed with the secret, which tells nothing about the sender; a wrong secret is an unknown item', async () => {
    const view = await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret.toLowerCase()}`);
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ feedbackId: id, status: 'waiting-to-receive', question: null, answer: null });
    expect(JSON.stringify(view.json)).not.toMatch(/Hoa|0912345678|Thôn Đồng/);
    const wrong = await getJson(`${engine.url}/lookup/feedback/${id}?secret=AAAAAAAAAA`);
    const unknown = await getJson(`${engine.url}/lookup/feedback/${id.replace(/\d{4}$/, '9999')}?secret=${secret}`);
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect(wrong.json.detail).toBe(unknown.json.detail);
  });

  it('is classified, accepted, asked for information, and the citizen gives it with the secret', async () => {
    await command(id, 'classify', { category: 'staff-conduct' }, await reception());
    const offered = await getJson(`${engine.url}/feedback/${id}/actions`, await reception());
    expect(offered.json.actions.map((action: { command: string }) => action.command)).toEqual(expect.arrayContaining(['accept', 'refuse', 'transfer', 'request-information']));
    expect(offered.json.unavailable.map((action: { command: string }) => action.command)).toContain('publish');
    // The answer is the head's: neither offered nor refused to reception.
    expect(JSON.stringify(offered.json)).not.toContain('"answer"');
    await command(id, 'accept', {}, await reception());
    await command(id, 'request-information', { question: 'Đề nghị Bà cho biết mã hồ sơ đã nộp.' }, await reception());
    const asked = await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret}`);
    expect(asked.json).toMatchObject({ status: 'awaiting-information', nationalLabel: 'PA chờ bổ sung', question: 'Đề nghị Bà cho biết mã hồ sơ đã nộp.' });
    const wrong = await postForm(`${engine.url}/lookup/feedback/${id}/information`, [['secret', 'AAAAAAAAAA'], ['content', 'Mã hồ sơ 000.01.01.H99-261201-0007']]);
    expect(wrong.status).toBe(404);
    const given = await postForm(`${engine.url}/lookup/feedback/${id}/information`, [['secret', secret], ['content', 'Mã hồ sơ 000.01.01.H99-261201-0007'], ['attachment', { bytes: png(), name: 'bien-nhan.png', type: 'image/png' }]]);
    expect(given.status, JSON.stringify(given.json)).toBe(200);
    expect(given.json).toMatchObject({ status: 'in-processing', nationalLabel: 'PAKN đã bổ sung', question: null });
    // The same reply sent again (a retry after a timeout) is the same command: the first one's answer, nothing recorded twice.
    const retried = await postForm(`${engine.url}/lookup/feedback/${id}/information`, [['secret', secret], ['content', 'Mã hồ sơ 000.01.01.H99-261201-0007'], ['attachment', { bytes: png(), name: 'bien-nhan.png', type: 'image/png' }]]);
    expect(retried.status, JSON.stringify(retried.json)).toBe(200);
    expect(retried.json.status).toBe('in-processing');
    const staffView = await getJson(`${engine.url}/feedback/${id}`, await reception());
    expect(staffView.json.information).toMatchObject([{ question: 'Đề nghị Bà cho biết mã hồ sơ đã nộp.', reply: 'Mã hồ sơ 000.01.01.H99-261201-0007' }]);
    expect(staffView.json.information[0].attachments).toHaveLength(1);
  });

  it('shows the sender\'s contacts to reception and the head of the holding unit and to auditors; to others masked, the name too for a complaint about staff', async () => {
    const officer = await authAs({ userId: 'chuyenvien.lan', role: 'officer', agencyCode: unit });
    const auditor = await authAs({ userId: 'thanhtra.an', role: 'auditor', agencyCode: '000.00.00.H99' });
    const whole = { fullName: 'Nguyễn Thị Hoa', phone: '0912345678', address: 'Thôn Đồng, xã Hòa Bình', email: null };
    for (const who of [await reception(), await head(), auditor]) {
      expect((await getJson(`${engine.url}/feedback/${id}`, who)).json.submitter).toEqual(whole);
      expect((await getJson(`${engine.url}/feedback/${id}/events`, who)).json.events[0].data.submitter).toMatchObject({ fullName: 'Nguyễn Thị Hoa', phone: '0912345678' });
    }
    // Classified staff-conduct above: the officer may be the person it is about.
    const masked = await getJson(`${engine.url}/feedback/${id}`, officer);
    expect(masked.status).toBe(200);
    expect(masked.json.submitter).toEqual({ fullName: '***', phone: '***', address: '***', email: null });
    const events = await getJson(`${engine.url}/feedback/${id}/events`, officer);
    expect(JSON.stringify(events.json)).not.toMatch(/Hoa|0912345678|Thôn Đồng/);
  });

  it('is answered by the head with a signed document that verifies, shown to the citizen once published', async () => {
    expect((await getJson(`${engine.url}/feedback/${id}/actions`, await head())).json.actions.map((action: { command: string }) => action.command)).toContain('answer');
    await command(id, 'answer', { answer: 'Từ ngày 10/12/2026, Bộ phận Một cửa bố trí thêm một công chức tiếp nhận vào buổi sáng.\nXin cảm ơn Bà.', signer: { fullName: 'Trần Văn Minh', title: 'Chủ tịch UBND xã' }, legalBasis: 'Nghị định 20/2008/NĐ-CP', publish: true }, await head());
    const headers = await head();
    const answered = await eventually(() => getJson(`${engine.url}/feedback/${id}`, headers), (view) => view.json.answer?.document === true, 'the signed answer recorded');
    expect(answered.json).toMatchObject({ status: 'answered-awaiting-publication', nationalLabel: 'PAKN chờ công khai', answerDetails: { documentId: `${id}/TL` } });
    const pdf = await fetch(`${engine.url}/feedback/${id}/answer.pdf`, { headers: await head() });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const report = await verifyPdfSignature(new Uint8Array(await pdf.arrayBuffer()), loadTrustAnchors(testSigningSettings().trustAnchorFiles));
    expect(report.valid, report.reasons.join('; ')).toBe(true);
    expect(report.signer?.subject).toContain(unit);

    const beforePublication = await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret}`);
    expect(beforePublication.json.answer).toBeNull();
    expect((await fetch(`${engine.url}/lookup/feedback/${id}/answer.pdf?secret=${secret}`)).status).toBe(404);

    await command(id, 'publish', {}, await reception());
    const published = await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret}`);
    expect(published.json).toMatchObject({ status: 'published', nationalLabel: 'PAKN đã công khai', answer: { signer: 'Trần Văn Minh, Chủ tịch UBND xã', document: true } });
    const citizenPdf = await fetch(`${engine.url}/lookup/feedback/${id}/answer.pdf?secret=${secret}`);
    expect(citizenPdf.status).toBe(200);
    expect((await citizenPdf.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('is pushed to the national PAKN system at each change, created there on its first push', async () => {
    const last = await eventually(
      async () => double.pushes().filter((push) => push.body.MaPAKNDonVi === id),
      (pushes) => pushes.some((push) => push.body.TrangThai === 'PAKN đã công khai'),
      'the publication pushed',
    );
    expect(last[0]!.body.MaPAKN).toBeUndefined();
    const externalId = [...double.statuses().values()].find((status) => status.MaPAKNDonVi === id)?.MaPAKN;
    expect(externalId).toMatch(/^QG-/);
    expect(double.statuses().get(externalId!)).toMatchObject({ TrangThai: 'PAKN đã công khai', CongKhai: '1', LinhVuc: 'staff-conduct', NguoiTraLoi: 'Trần Văn Minh, Chủ tịch UBND xã' });
    expect(last.slice(1).every((push) => push.body.MaPAKN === externalId)).toBe(true);
    expect(await feedbackIdOfExternal(engine.db, externalId!)).toBe(id);
  });

  it('is followed up only by its sender (its secret) once answered, and only then counted unsatisfactory (766 §5.3)', async () => {
    const fields: [string, Part][] = [['agencyCode', unit], ['fullName', 'Nguyễn Thị Hoa'], ['title', 'Chưa hài lòng với câu trả lời'], ['content', 'Buổi sáng vẫn phải chờ lâu.']];
    // Another unit's item, or anyone's: an id is sequential, naming it proves nothing.
    const unproven = await postForm(`${engine.url}/feedback`, [...fields, ['followUpOf', id]]);
    expect(unproven.status).toBe(400);
    expect(unproven.json.errors.map((error: { field: string }) => error.field)).toEqual(['body.followUpSecret']);
    const wrongSecret = await postForm(`${engine.url}/feedback`, [...fields, ['followUpOf', id], ['followUpSecret', 'AAAAAAAAAA']]);
    expect(wrongSecret.status).toBe(400);
    // An item not answered yet has nothing to be dissatisfied with.
    const fresh = await postForm(`${engine.url}/feedback`, fields);
    expect(fresh.status).toBe(201);
    const early = await postForm(`${engine.url}/feedback`, [...fields, ['followUpOf', fresh.json.feedbackId], ['followUpSecret', fresh.json.lookupSecret]]);
    expect(early.status).toBe(400);
    expect(early.json.errors.map((error: { field: string }) => error.field)).toEqual(['body.followUpOf']);
    // Staff name it from the record, but an unanswered item is refused to them too.
    const staffEarly = await postJson(`${engine.url}/feedback-intake`, { channel: 'phone', fullName: 'Nguyễn Thị Hoa', title: 'Gọi điện', content: 'Chưa hài lòng.', followUpOf: fresh.json.feedbackId }, await reception());
    expect(staffEarly.status).toBe(400);

    const followUp = await postForm(`${engine.url}/feedback`, [...fields, ['followUpOf', id], ['followUpSecret', secret]]);
    expect(followUp.status, JSON.stringify(followUp.json)).toBe(201);
    expect((await getJson(`${engine.url}/feedback/${followUp.json.feedbackId}`, await reception())).json.followUpOf).toBe(id);
    const now = new Date();
    const period = { from: new Date(now.getTime() - 30 * 86_400_000), to: new Date(now.getTime() + 86_400_000) };
    expect(await feedbackIndicatorCounts(engine.db, period as never, [unit])).toMatchObject({ followedUp: 1 });
  });
});

describe('an item staff enter on the sender\'s behalf', () => {
  it('keeps the day the sender sent it, and is received once under one Idempotency-Key', async () => {
    const sentAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const parts: [string, Part][] = [['channel', 'paper'], ['sentAt', sentAt], ['fullName', 'Phạm Văn Lâm'], ['title', 'Kiến nghị về thủ tục cấp giấy phép xây dựng'], ['content', 'Đề nghị công khai rõ thời hạn giải quyết.']];
    const key = `intake-${randomBytes(4).toString('hex')}`;
    const first = await postForm(`${engine.url}/feedback-intake`, parts, { ...(await reception()), 'idempotency-key': key });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const again = await postForm(`${engine.url}/feedback-intake`, parts, { ...(await reception()), 'idempotency-key': key });
    expect(again.json.feedbackId).toBe(first.json.feedbackId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The replay derives the secret again (it is never kept): the item's own, the same as the first answer's.
    expect(again.json.lookupSecret).toBe(first.json.lookupSecret);
    const view = await getJson(`${engine.url}/feedback/${first.json.feedbackId}`, await reception());
    expect(view.json).toMatchObject({ channel: 'paper', sentAt, receivingAgencyCode: unit, submitter: { fullName: 'Phạm Văn Lâm' } });
    const list = await getJson(`${engine.url}/feedback?open=true`, await reception());
    expect(list.json.items.map((row: { feedbackId: string }) => row.feedbackId)).toContain(first.json.feedbackId);
    expect(JSON.stringify(list.json)).not.toContain('Phạm Văn Lâm');
  });
});

describe("an item's reply that came by phone, and an answer that encloses a file", () => {
  it('takes the reply staff enter with the channel and a file, once under one Idempotency-Key; the answer\'s file reaches the sender only once published', async () => {
    const intake = await postJson(`${engine.url}/feedback-intake`, { channel: 'email', fullName: 'Vũ Thị Thu', title: 'Kiến nghị về giờ làm việc', content: 'Đề nghị mở cửa sáng thứ Bảy.' }, await reception());
    expect(intake.status, JSON.stringify(intake.json)).toBe(201);
    const { feedbackId: id, lookupSecret: secret } = intake.json as { feedbackId: string; lookupSecret: string };
    await command(id, 'request-information', { question: 'Đề nghị Bà cho biết Bà thường đến vào giờ nào.' }, await reception());
    expect((await getJson(`${engine.url}/feedback/${id}/actions`, await reception())).json.actions.map((action: { command: string }) => action.command)).toContain('provide-information');

    const note = png();
    const parts: [string, Part][] = [['channel', 'phone'], ['content', 'Bà Thu gọi điện: thường đến sau 17 giờ.'], ['attachment', { bytes: note, name: 'ghi-chep.png', type: 'image/png' }]];
    const key = `reply-${randomBytes(4).toString('hex')}`;
    const given = await postForm(`${engine.url}/feedback/${id}/provide-information`, parts, { ...(await reception()), 'idempotency-key': key });
    expect(given.status, JSON.stringify(given.json)).toBe(200);
    expect(given.json).toMatchObject({ status: 'waiting-to-receive', nationalLabel: 'Phản ánh đã bổ sung', events: ['FeedbackInformationProvided'] });
    const again = await postForm(`${engine.url}/feedback/${id}/provide-information`, parts, { ...(await reception()), 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.streamVersion).toBe(given.json.streamVersion);
    const otherFile = await postForm(`${engine.url}/feedback/${id}/provide-information`, [...parts.slice(0, 2), ['attachment', { bytes: await pdfOf(1), name: 'khac.pdf', type: 'application/pdf' }]], { ...(await reception()), 'idempotency-key': key });
    expect(otherFile.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // Not waiting for information any more: the rules refuse a second reply.
    const late = await postForm(`${engine.url}/feedback/${id}/provide-information`, parts, await reception());
    expect(late.status).toBe(422);
    expect(late.json).toMatchObject({ code: 'FEEDBACK_STEP_NOT_ALLOWED' });
    const staffView = await getJson(`${engine.url}/feedback/${id}`, await reception());
    expect(staffView.json.information).toMatchObject([{ reply: 'Bà Thu gọi điện: thường đến sau 17 giờ.', channel: 'phone', attachments: [{ name: 'ghi-chep.png', mediaType: 'image/png' }] }]);

    await command(id, 'classify', { category: 'procedure' }, await reception());
    await command(id, 'accept', {}, await reception());
    const plan = await pdfOf(2);
    const answered = await postForm(
      `${engine.url}/feedback/${id}/answer`,
      [['answer', 'Từ tháng 01/2027, Bộ phận Một cửa làm việc sáng thứ Bảy.'], ['signer.fullName', 'Trần Văn Minh'], ['signer.title', 'Chủ tịch UBND xã'], ['publish', 'true'], ['attachment', { bytes: plan, name: 'lich-lam-viec.pdf', type: 'application/pdf' }]],
      await head(),
    );
    expect(answered.status, JSON.stringify(answered.json)).toBe(200);
    const headers = await head();
    const withDocument = await eventually(() => getJson(`${engine.url}/feedback/${id}`, headers), (view) => view.json.answer?.document === true, 'the signed answer recorded');
    expect(withDocument.json.answer.attachments).toMatchObject([{ name: 'lich-lam-viec.pdf', mediaType: 'application/pdf' }]);
    const sha = withDocument.json.answer.attachments[0].sha256 as string;
    expect(Buffer.from(await (await fetch(`${engine.url}/feedback/${id}/files/${sha}`, { headers })).arrayBuffer()).equals(plan)).toBe(true);

    // Before publication the sender sees no answer, and its file is not theirs to download.
    expect((await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret}`)).json.answer).toBeNull();
    expect((await fetch(`${engine.url}/lookup/feedback/${id}/files/${sha}?secret=${secret}`)).status).toBe(404);
    // Nor is a file of the item's that is not the answer's (the reply's note), ever.
    const noteSha = staffView.json.information[0].attachments[0].sha256 as string;

    await command(id, 'publish', {}, await reception());
    const published = await getJson(`${engine.url}/lookup/feedback/${id}?secret=${secret}`);
    expect(published.json.answer).toMatchObject({ attachments: [{ sha256: sha, name: 'lich-lam-viec.pdf' }] });
    const download = await fetch(`${engine.url}/lookup/feedback/${id}/files/${sha}?secret=${secret}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(plan)).toBe(true);
    expect((await fetch(`${engine.url}/lookup/feedback/${id}/files/${noteSha}?secret=${secret}`)).status).toBe(404);
    expect((await fetch(`${engine.url}/lookup/feedback/${id}/files/${sha}?secret=AAAAAAAAAA`)).status).toBe(404);
  });
});

describe('an item sent on the national portal', () => {
  it('is pulled by the inbox once, even served twice, and its reactions are recorded', async () => {
    const inbox = startNationalPaknInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, pakn: referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 5_000 }), logger: createLogger({ level: 'silent' }), loops: false });
    try {
      const externalId = double.send({
        MaDonVi: unit,
        HoTen: 'Đỗ Thị Mai',
        Email: 'mai@example.vn',
        TieuDe: 'Phản ánh về phí chứng thực',
        NoiDung: 'Tôi bị thu phí chứng thực cao hơn quy định.',
        NgayGui: '20261202090000',
        TepDinhKem: [
          { TenTep: 'bien-lai.png', NoiDungBase64: png().toString('base64') },
          { TenTep: 'bang-tinh.xlsx', NoiDungBase64: Buffer.from('PK\u0003\u0004 not accepted').toString('base64') },
        ],
      });
      double.faults({ duplicate: true });
      expect((await inbox.pollOnce()).received).toBeGreaterThanOrEqual(1);
      double.faults({ duplicate: false });
      const feedbackId = await feedbackIdOfExternal(engine.db, externalId);
      expect(feedbackId).toBeDefined();
      const loaded = await loadFeedback(engine.db, feedbackId!);
      expect(loaded && isReceivedFeedback(loaded.state) ? { channel: loaded.state.channel, externalId: loaded.state.externalId, sentAt: loaded.state.sentAt } : null).toEqual({ channel: 'national-pakn', externalId, sentAt: '2026-12-02T02:00:00.000Z' });
      const received = loaded!.events[0]!;
      expect(received.type === 'FeedbackReceived' ? received.data.attachments.map((file) => file.name) : []).toEqual(['bien-lai.png']);
      expect(await inbox.pollOnce()).toEqual({ received: 0, reactions: 0, held: 0 });
      expect((await engine.db.selectFrom('feedback_summary').select('feedback_id').where('external_id', '=', externalId).execute()).length).toBe(1);

      double.react({ MaPAKN: externalId, SoLuotThich: 2, SoLuotKhongThich: 5 });
      expect((await inbox.pollOnce()).reactions).toBe(1);
      const reacted = await loadFeedback(engine.db, feedbackId!);
      expect(reacted && isReceivedFeedback(reacted.state) ? [reacted.state.likes, reacted.state.dislikes] : null).toEqual([2, 5]);
    } finally {
      await inbox.stop();
    }
  });

  it('keeps its cursor when the system is down or answers what is not the wire, and receives the page once it is back', async () => {
    const inbox = startNationalPaknInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, pakn: referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 5_000 }), logger: createLogger({ level: 'silent' }), loops: false });
    try {
      const before = await paknCursorOf(engine.db, 'items');
      const externalId = double.send({ MaDonVi: unit, HoTen: 'Vũ Văn Tâm', TieuDe: 'Phản ánh khi hệ thống gián đoạn', NoiDung: 'Nội dung.', NgayGui: '20261203080000' });
      for (const fault of [{ down: true }, { malformed: true }]) {
        double.faults(fault);
        await expect(inbox.pollOnce()).rejects.toMatchObject({ name: 'NationalPaknUnavailable' });
        double.faults({ down: false, malformed: false });
        expect(await paknCursorOf(engine.db, 'items')).toBe(before);
        expect(await feedbackIdOfExternal(engine.db, externalId)).toBeUndefined();
      }
      expect((await inbox.pollOnce()).received).toBe(1);
      expect(await feedbackIdOfExternal(engine.db, externalId)).toMatch(new RegExp(`^PAKN-${unit.replace(/\./g, '\\.')}-`));
    } finally {
      await inbox.stop();
    }
  });

  it('holds an item reception refuses instead of losing it, tries it again, and takes a national clock a little ahead', async () => {
    const inboxWith = (heldRetryMs?: number) =>
      startNationalPaknInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, pakn: referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 5_000 }), logger: createLogger({ level: 'silent' }), loops: false, ...(heldRetryMs !== undefined ? { heldRetryMs } : {}) });
    const inbox = inboxWith();
    const giveUp = inboxWith(0);
    try {
      // NgayGui in Vietnam time (UTC+7), yyyyMMddHHmmss: 20 minutes ahead of the engine's clock.
      const ahead = new Date(Date.now() + 20 * 60_000 + 7 * 3_600_000).toISOString().replace(/[-T:]/g, '').slice(0, 14);
      const newUnit = unitCode();
      const forNewUnit = double.send({ MaDonVi: newUnit, HoTen: 'Lý Văn Sơn', TieuDe: 'Phản ánh gửi đơn vị mới thành lập', NoiDung: 'Nội dung.', NgayGui: '20261203080000' });
      const early = double.send({ MaDonVi: unit, HoTen: 'Lý Thị Hằng', TieuDe: 'Gửi khi đồng hồ lệch', NoiDung: 'Nội dung.', NgayGui: ahead });
      expect(await inbox.pollOnce()).toEqual({ received: 1, reactions: 0, held: 1 });
      expect(await feedbackIdOfExternal(engine.db, early)).toBeDefined();
      expect(await feedbackIdOfExternal(engine.db, forNewUnit)).toBeUndefined();
      expect(await listHeldPaknItems(engine.db, 'held')).toEqual([expect.objectContaining({ externalId: forNewUnit, agencyCode: newUnit, refusalCode: 'UNKNOWN_FEEDBACK_UNIT', tries: 1 })]);
      // The cursor moved past it, but it is tried again at the next round, and kept.
      expect(await inbox.pollOnce()).toEqual({ received: 0, reactions: 0, held: 0 });
      expect(await listHeldPaknItems(engine.db, 'held')).toEqual([expect.objectContaining({ externalId: forNewUnit, tries: 2 })]);
      // Past the time it is tried for, it is left to the operator, who puts it back once the unit is added.
      await giveUp.pollOnce();
      expect(await listHeldPaknItems(engine.db, 'expired')).toEqual([expect.objectContaining({ externalId: forNewUnit })]);
      await registerCentre(engine.db, newUnit);
      expect(await inbox.pollOnce()).toMatchObject({ received: 0 });
      expect(await retryHeldPaknItem(engine.db, forNewUnit)).toBe(true);
      expect(await inbox.pollOnce()).toMatchObject({ received: 1 });
      const feedbackId = await feedbackIdOfExternal(engine.db, forNewUnit);
      expect(feedbackId).toMatch(new RegExp(`^PAKN-${newUnit.replace(/\./g, '\\.')}-`));
      expect(await listHeldPaknItems(engine.db)).toEqual([expect.objectContaining({ externalId: forNewUnit, state: 'received', feedbackId })]);
      const loaded = await loadFeedback(engine.db, feedbackId!);
      expect(loaded && isReceivedFeedback(loaded.state) ? [loaded.state.channel, loaded.state.title] : null).toEqual(['national-pakn', 'Phản ánh gửi đơn vị mới thành lập']);
    } finally {
      await inbox.stop();
      await giveUp.stop();
    }
  });
});

describe('an item received after a calendar amendment was loaded as data', () => {
  it('pins the amendment on its reception, and its answer clock skips the day the amendment gives off', async () => {
    const now = Date.now();
    const today = isoOfCivilDay(civilDayOfInstant(now));
    // A working day two or more days ahead given off (test/support/swap-amendment.ts): within the answer's 15 working days.
    const amendment = calendarAmendmentSchema.parse(swapAmendmentFromToday({ sequence: 9 }));
    expect(await storeCalendarAmendment(engine.db, VIETNAM_CIVIL_SERVICE_CALENDAR, amendment, 'test', today)).toMatchObject({ kind: 'stored' });
    const sent = await postForm(`${engine.url}/feedback`, [['agencyCode', unit], ['fullName', 'Hồ Văn Nam'], ['title', 'Gửi sau khi có lịch nghỉ bù'], ['content', 'Nội dung.']]);
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const loaded = await loadFeedback(engine.db, sent.json.feedbackId);
    const received = loaded!.events[0]!;
    expect(received.type === 'FeedbackReceived' ? received.data : null).toMatchObject({ calendarVersion: amendment.version, calendarAmendments: [amendment] });
    const row = await findFeedback(engine.db, sent.json.feedbackId);
    const withoutIt = workingDaysWindow(feedbackCalendar(holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, now).version), received.data.at, 15).due;
    expect(row!.answer_due_at!.getTime()).toBeGreaterThan(Date.parse(withoutIt));
  });
});
