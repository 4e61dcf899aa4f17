import { describe, expect, it } from 'vitest';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { noticeContent, NoticeContentUnavailable } from '../../domain/notifications/notice-content.js';
import { noticeTriggerOf } from '../../domain/notifications/notice-triggers.js';
import { formatVnd, parseTemplate } from '../../domain/notifications/placeholders.js';
import { noticeTemplatesConfigSchema, renderEmail, renderSms, renderZns, toAscii, ZNS_PARAM_CAPS } from '../../domain/notifications/templates.js';
import { DEFAULT_NOTICE_TEMPLATES } from '../../domain/notifications/default-templates.js';
import { foldDossier, newDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { NOTICE_CHANNELS, NOTICE_TRIGGERS, type NoticeTrigger } from '../../domain/outbox/deliveries.js';
import { documentLink, historyFor, NOTICE_CENTRE, NOTICE_DOSSIER } from '../support/notice-history.js';

const options = { lookupSecret: 'ABCDE12345', documentLink };
const contentOf = (trigger: NoticeTrigger, events: DossierEvent[] = historyFor(trigger)) => noticeContent(trigger, events, options);

describe('the notice histories trigger the notice they are named after', () => {
  it.each(NOTICE_TRIGGERS.map((trigger) => [trigger]))('%s', (trigger) => {
    const events = historyFor(trigger);
    const before = events.length > 1 ? (foldDossier(newDossier(NOTICE_DOSSIER), events.slice(0, -1)) as ReceivedDossier) : undefined;
    expect(noticeTriggerOf(events.at(-1)!, before)).toBe(trigger);
  });
});

describe('notice content: the facts each notice needs, from the events', () => {
  it('the reception: dossier code, lookup secret, procedure and unit, the time', () => {
    const content = contentOf('received');
    expect(content).toMatchObject({ dossierCode: NOTICE_DOSSIER, lookupSecret: 'ABCDE12345', procedureName: 'Đăng ký khai sinh', unitName: 'Bộ phận Một cửa UBND xã Hòa Bình', agencyCode: NOTICE_CENTRE, at: '2026-12-02T01:30:00Z' });
    expect(content.recipient).toMatchObject({ fullName: 'Trần Thị Bình', email: 'binh@example.vn', representative: false });
  });

  it('the lookup secret is in the reception notice only', () => {
    expect(contentOf('accepted').lookupSecret).toBeUndefined();
    expect(contentOf('accepted').appointment).toBe('2026-12-09T10:00:00Z');
  });

  it('a supplement request lists the missing items; a refusal its reasons and legal basis', () => {
    expect(contentOf('supplement-requested').missing).toHaveLength(2);
    expect(contentOf('refused').refusal).toEqual({ reasons: ['Không thuộc thẩm quyền giải quyết của xã'], legalBasis: 'Luật Hộ tịch 2014, Điều 13', atReception: true });
  });

  it('an obligation: amount and notice number; a payment link only when the deployment has one', () => {
    expect(contentOf('financial-obligation').obligation).toEqual({ amountVnd: 1_250_000, noticeNumber: 'TB-2026-001' });
    const withLink = noticeContent('financial-obligation', historyFor('financial-obligation'), { ...options, paymentLink: (code, notice) => `https://pay.example.vn/${code}/${notice}` });
    expect(withLink.obligation?.paymentLink).toBe(`https://pay.example.vn/${NOTICE_DOSSIER}/TB-2026-001`);
  });

  it('a payment request: its reference, amount and items; a payment link only when the deployment has one', () => {
    expect(contentOf('payment-requested').paymentRequest).toEqual({ reference: 'dvc0000101H992612020001v3', amountVnd: 100_000, items: ['Lệ phí đăng ký hộ kinh doanh'] });
    const withLink = noticeContent('payment-requested', historyFor('payment-requested'), { ...options, paymentRequestLink: (code, reference) => `https://pay.example.vn/${code}/${reference}` });
    expect(withLink.paymentRequest?.paymentLink).toBe(`https://pay.example.vn/${NOTICE_DOSSIER}/dvc0000101H992612020001v3`);
  });

  it('the apology: the apologising agency, the new appointment, the signed letter by its digest', () => {
    const content = contentOf('apology');
    expect(content.apology).toMatchObject({ kind: 'form-04', agencyName: 'Phòng Tư pháp huyện Hòa Bình', newAppointment: '2026-12-16T10:00:00Z', previousAppointment: '2026-12-09T10:00:00Z', letterLink: documentLink(NOTICE_DOSSIER, 'a'.repeat(64)) });
    expect(content.appointment).toBe('2026-12-16T10:00:00Z');
  });

  it('results: early or not; returned: the method', () => {
    expect(contentOf('result-ready-early').result).toEqual({ early: true, resultCode: `${NOTICE_DOSSIER}-KQ1` });
    expect(contentOf('result-ready').result?.early).toBe(false);
    expect(contentOf('result-returned').returned).toEqual({ method: 'post' });
  });

  it('the representative is told when there is one', () => {
    const content = contentOf('received', historyFor('received', { representative: { fullName: 'Lê Văn Cường', email: 'cuong@example.vn' } }));
    expect(content.recipient).toMatchObject({ fullName: 'Lê Văn Cường', email: 'cuong@example.vn', representative: true });
  });

  it('refuses a trigger the last event does not carry, and a history without reception', () => {
    expect(() => contentOf('apology', historyFor('accepted'))).toThrow(NoticeContentUnavailable);
    expect(() => contentOf('received', [])).toThrow(NoticeContentUnavailable);
  });
});

describe('every trigger renders on every channel', () => {
  const cases = NOTICE_TRIGGERS.flatMap((trigger) => NOTICE_CHANNELS.map((channel) => [trigger, channel] as const));
  it.each(cases)('%s × %s', (trigger, channel) => {
    const content = contentOf(trigger);
    if (channel === 'email') {
      const email = renderEmail(content);
      expect(email.subject).toContain(NOTICE_DOSSIER);
      expect(email.subject).not.toMatch(/[\r\n]/);
      expect(email.text).toContain('Kính gửi Ông/Bà Trần Thị Bình,');
      expect(email.text).toMatch(/Hòa Bình/);
      expect(email.text).not.toMatch(/\{[A-Za-z]+\}/);
      expect(email.html).toContain('<html lang="vi">');
    } else if (channel === 'sms') {
      const sms = renderSms(content);
      expect(sms.text).toMatch(/^[\x20-\x7E]+$/);
      expect(sms.text).toContain(NOTICE_DOSSIER);
      expect(sms.multipart).toBe(sms.septets > 160);
    } else {
      const zns = renderZns(content);
      expect(zns.templateData.ma_ho_so).toBe(NOTICE_DOSSIER);
      for (const [name, param] of Object.entries(DEFAULT_NOTICE_TEMPLATES[trigger].zns.params)) {
        expect([...zns.templateData[name]!].length).toBeLessThanOrEqual(ZNS_PARAM_CAPS[param.type]);
      }
    }
  });

  it('short notices fit one SMS part with the sample unit', () => {
    for (const trigger of ['received', 'accepted', 'supplement-requested', 'refused', 'financial-obligation', 'payment-requested', 'result-ready', 'result-ready-early', 'result-returned'] as const) {
      expect(renderSms(contentOf(trigger)).parts, trigger).toBe(1);
    }
    // A link makes the apology longer than one part: flagged, sent concatenated.
    expect(renderSms(contentOf('apology'))).toMatchObject({ multipart: true, parts: 2 });
  });
});

describe('Vietnamese with its diacritics, ASCII in SMS', () => {
  it('writes the e-mail in Vietnamese with correct diacritics', () => {
    const email = renderEmail(contentOf('received'));
    expect(email.subject).toBe(`Hồ sơ ${NOTICE_DOSSIER} đã được tiếp nhận`);
    expect(email.text).toContain('Bộ phận Một cửa UBND xã Hòa Bình đã tiếp nhận hồ sơ của Ông/Bà lúc 08 giờ 30 phút, ngày 02/12/2026.');
    expect(email.text).toContain('Mã tra cứu: ABCDE12345');
  });

  it('toAscii removes every diacritic, đ and Đ included', () => {
    expect(toAscii('Đăng ký khai sinh – Hồ sơ đã được tiếp nhận “ngay”…')).toBe('Dang ky khai sinh - Ho so da duoc tiep nhan "ngay"...');
    expect(toAscii('ẮẰẲẴẶắằẳẵặ ƯỨỪỬỮỰ ơớờởỡợ ỳýỷỹỵ')).toBe('AAAAAaaaaa UUUUUU oooooo yyyyy');
    expect(toAscii('名前 😀')).toBe('?? ?');
  });

  it('the SMS reads as the registered ASCII templates do', () => {
    expect(renderSms(contentOf('received')).text).toBe(`Bo phan Mot cua UBND xa Hoa Binh da tiep nhan ho so ${NOTICE_DOSSIER} luc 08:30 02/12/2026. Ma tra cuu: ABCDE12345`);
  });

  it('the obligation says how to pay, and that online payment does not exist yet', () => {
    const content = contentOf('financial-obligation');
    expect(renderEmail(content).text).toContain('Số tiền: 1.250.000 đồng');
    expect(renderEmail(content).text).toContain('Hệ thống chưa hỗ trợ thanh toán trực tuyến');
    expect(renderSms(content).text).toContain('1.250.000 VND');
    expect(renderSms(content).text).toContain('Chua co thanh toan truc tuyen');
    expect(formatVnd(50_000)).toBe('50.000 đồng');
  });

  it('the payment request says what to pay, its reference, and how to pay it online', () => {
    const content = contentOf('payment-requested');
    const email = renderEmail(content);
    expect(email.subject).toBe(`Hồ sơ ${NOTICE_DOSSIER}: đề nghị thanh toán trực tuyến 100.000 đồng`);
    expect(email.text).toContain('- Số tiền: 100.000 đồng\n- Mã thanh toán: dvc0000101H992612020001v3');
    expect(email.text).toContain('Lệ phí đăng ký hộ kinh doanh');
    expect(email.text).toContain('Nền tảng thanh toán của Cổng Dịch vụ công quốc gia');
    expect(renderSms(content).text).toContain('can thanh toan 100.000 VND');
    const linked = noticeContent('payment-requested', historyFor('payment-requested'), { ...options, paymentRequestLink: () => 'https://dichvucong.example.vn/tt/abc' });
    expect(renderEmail(linked).text).toContain('Thanh toán trực tuyến tại https://dichvucong.example.vn/tt/abc (mã thanh toán dvc0000101H992612020001v3).');
  });

  it('the apology links the signed letter; in HTML as an anchor', () => {
    const email = renderEmail(contentOf('apology'));
    const link = documentLink(NOTICE_DOSSIER, 'a'.repeat(64));
    expect(email.text).toContain(`Văn bản xin lỗi đã ký số: ${link}`);
    expect(email.html).toContain(`<a href="${link}">`);
    expect(email.text).toContain('Thời gian hẹn trả mới: 17 giờ 00 phút, ngày 16/12/2026');
    expect(email.text).toContain('văn bản xin lỗi số 07/PXL (lúc 10 giờ 00 phút, ngày 08/12/2026)');
  });
});

describe('hostile text', () => {
  it('escapes HTML in names and reasons in the HTML e-mail, and keeps them as text in the text body', () => {
    const events = historyFor('supplement-requested');
    events[0] = historyFor('received', {}).map((event) => (event.type === 'DossierReceived' ? { ...event, data: { ...event.data, centre: { name: 'UBND <script>alert(1)</script> & "xã"' } } } : event))[0]!;
    const last = events.at(-1)!;
    if (last.type === 'SupplementRequestedAtReception') events[events.length - 1] = { ...last, data: { ...last.data, missing: [{ description: '<img src=x onerror=alert(1)>', reason: 'dòng 1\ndòng 2\r\nSubject: injected' }] } };
    const email = renderEmail(contentOf('supplement-requested', events));
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('UBND &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;xã&quot;');
    expect(email.text).toContain('- <img src=x onerror=alert(1)>: dòng 1 dòng 2 Subject: injected');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("refuses a subject that would carry a name, the lookup secret or a signed link: the subject is kept in the delivery's record", () => {
    for (const subject of ['Kính gửi {tenNguoiNhan}: hồ sơ {maHoSo}', 'Hồ sơ {maHoSo}, mã tra cứu {maTraCuu}', 'Thư xin lỗi {linkVanBan}']) {
      const parsed = noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject } } } });
      expect(parsed.success, subject).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain("kept in the delivery's record");
    }
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject: 'Hồ sơ {maHoSo} ({tenThuTuc}) tại {tenDonVi}, hẹn trả {ngayHenTra}' } } } }).success).toBe(true);
    // The built-in subjects carry none of it.
    for (const trigger of NOTICE_TRIGGERS) expect(DEFAULT_NOTICE_TEMPLATES[trigger].email.subject).not.toMatch(/\{(tenNguoiNhan|maTraCuu|link\w+)\}/);
  });

  it('keeps the subject on one line whatever the names hold', () => {
    const config = noticeTemplatesConfigSchema.parse({ default: { received: { email: { subject: 'Hồ sơ {maHoSo} tại {tenDonVi}' } } } });
    const events = [{ ...historyFor('received')[0]!, data: { ...(historyFor('received')[0]!.data as object), centre: { name: 'A\r\nBcc: evil@example.com' } } } as DossierEvent];
    expect(renderEmail(contentOf('received', events), config).subject).toBe(`Hồ sơ ${NOTICE_DOSSIER} tại A Bcc: evil@example.com`);
  });

  it('truncates a very long list with a count, in e-mail and SMS', () => {
    const events = historyFor('supplement-requested');
    const last = events.at(-1)!;
    if (last.type !== 'SupplementRequestedAtReception') throw new Error('fixture');
    const missing = Array.from({ length: 25 }, (_, index) => ({ description: `Giấy tờ ${index + 1} ${'x'.repeat(500)}`, reason: 'thiếu' }));
    events[events.length - 1] = { ...last, data: { ...last.data, missing } };
    const content = contentOf('supplement-requested', events);
    const email = renderEmail(content);
    expect(email.text.match(/^- /gm)).toHaveLength(11);
    expect(email.text).toContain('- … và 15 mục khác');
    expect(email.text).toContain('(25 mục)');
    const zns = renderZns(content);
    expect([...zns.templateData.noi_dung!].length).toBeLessThanOrEqual(200);
    expect(zns.templateData.noi_dung).toContain('… và 22 mục khác');
    expect(renderSms(content).text).toContain('(25 muc)');
  });

  it('cuts ZNS values to their caps: a name of 30, an address of 200', () => {
    const long = 'Nguyễn Thị Phương Thảo Minh Khai Hoàng Long Bảo Ngọc';
    const events = historyFor('received', { fullName: long });
    const zns = renderZns(contentOf('received', events));
    expect([...zns.templateData.ten_khach_hang!]).toHaveLength(30);
    expect(zns.templateData.ten_khach_hang!.endsWith('…')).toBe(true);
  });
});

describe('template configuration', () => {
  it('a unit has its own wording; other units keep the deployment’s', () => {
    const config = noticeTemplatesConfigSchema.parse({
      default: { accepted: { sms: { text: 'Hồ sơ {maHoSo} đã tiếp nhận tại {tenDonVi} lúc {thoiGian}' } } },
      units: { [NOTICE_CENTRE]: { accepted: { email: { subject: 'UBND xã Hòa Bình: hồ sơ {maHoSo}' } } } },
    });
    const content = contentOf('accepted');
    expect(renderEmail(content, config).subject).toBe(`UBND xã Hòa Bình: hồ sơ ${NOTICE_DOSSIER}`);
    expect(renderEmail(content, config).text).toBe(renderEmail(content).text);
    expect(renderSms(content, config).text).toBe(`Ho so ${NOTICE_DOSSIER} da tiep nhan tai Bo phan Mot cua UBND xa Hoa Binh luc 08:45 02/12/2026`);
    expect(renderEmail({ ...content, agencyCode: '000.09.09.H99' }, config).subject).toBe(`Hồ sơ ${NOTICE_DOSSIER} đã được tiếp nhận giải quyết`);
  });

  it('refuses unknown placeholders and stray braces at load', () => {
    const unknown = noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject: 'Hồ sơ {maHoSo} {hoTen}' } } } });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('unknown placeholder {hoTen}');
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject: 'Hồ sơ {maHoSo' } } } }).success).toBe(false);
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject: 'Hồ sơ {{maHoSo}}' } } } }).success).toBe(false);
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { email: { subject: 'Hồ sơ {constructor}' } } } }).success).toBe(false);
  });

  it('refuses a body without the agency, the dossier and a time (Decree 224/2026 art. 15(1)(g))', () => {
    const result = noticeTemplatesConfigSchema.safeParse({ units: { [NOTICE_CENTRE]: { received: { sms: { text: 'Hồ sơ {maHoSo} đã tiếp nhận' } } } } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('{tenDonVi}, {thoiGian}');
  });

  it('refuses an unknown trigger, channel, ZNS type or a unit code that is not one', () => {
    expect(noticeTemplatesConfigSchema.safeParse({ default: { paid: {} } }).success).toBe(false);
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { fax: {} } } }).success).toBe(false);
    expect(noticeTemplatesConfigSchema.safeParse({ default: { received: { zns: { params: { ma: { value: '{maHoSo}', type: 'phone' } } } } } }).success).toBe(false);
    expect(noticeTemplatesConfigSchema.safeParse({ units: { 'not a code': {} } }).success).toBe(false);
  });

  it('the built-in templates parse and name what the law asks', () => {
    for (const trigger of NOTICE_TRIGGERS) {
      const { email, sms } = DEFAULT_NOTICE_TEMPLATES[trigger];
      expect(noticeTemplatesConfigSchema.safeParse({ default: { [trigger]: { email, sms } } }).success).toBe(true);
      expect('parts' in parseTemplate(email.text)).toBe(true);
    }
  });
});

describe('from the decider’s own events', () => {
  it('the acceptance notice of a real reception and acceptance names the pinned procedure, the centre and the appointment', async () => {
    const { DossierScenario, BUSINESS_PROCEDURE } = await import('../support/dossier-fixtures.js');
    const scenario = DossierScenario.received(BUSINESS_PROCEDURE);
    scenario.accept('2026-03-02T09:00:00');
    const upToAcceptance = scenario.events.slice(0, scenario.events.findIndex((event) => event.type === 'DossierAccepted') + 1);
    const before = foldDossier(newDossier(scenario.dossierCode), upToAcceptance.slice(0, -1)) as ReceivedDossier;
    expect(noticeTriggerOf(upToAcceptance.at(-1)!, before)).toBe('accepted');
    const content = noticeContent('accepted', upToAcceptance, options);
    expect(content.procedureName).toBe(scenario.received.accepted!.procedure.name);
    expect(content.unitName).toBe(scenario.received.centre!.name);
    expect(content.appointment).toBe(scenario.received.accepted!.appointment);
    const email = renderEmail(content);
    expect(email.text).toContain(`Thời gian hẹn trả kết quả: `);
    expect(email.text).toContain(scenario.received.centre!.name);
  });
});
