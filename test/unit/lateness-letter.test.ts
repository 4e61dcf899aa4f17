// The apology for lateness as the applicant reads it: a letter in Vietnamese from the agency that
// caused the delay, naming the appointment it missed, the reason and the new appointment (or that
// the result is ready), signed by its head and printed as a PDF like the forms.
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../documents/pdf/render-document.js';
import type { DocumentModel } from '../../domain/documents/document-model.js';
import { documentsCalledFor } from '../../domain/documents/documents-called-for.js';
import { dossierDocument } from '../../domain/documents/dossier-documents.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, DossierScenario, ECONOMY } from '../support/dossier-fixtures.js';
import { lateBusiness } from '../support/typical-documents.js';
import { verifiedResult } from '../support/result-fields.js';

function lettersOf(dossier: ReturnType<typeof lateBusiness>) {
  return documentsCalledFor(dossier.dossierCode, dossier.events, 1, {})
    .filter((request) => request.kind === 'lateness-apology')
    .map((request) => ({ request, ...dossierDocument(request, dossier.events) }));
}

function textOf(model: DocumentModel): string {
  return [model.title, ...(model.subtitle ?? []), ...model.blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.text] : block.kind === 'fields' ? block.rows.map((row) => `${row.label}: ${row.value}`) : [])), ...model.signatures.map((box) => box.title), ...(model.recipients ?? [])].join('\n');
}

describe('the apology for lateness', () => {
  it('is called for by the apology and signed by the agency responsible for the delay, with the appointment missed, the reason and the new appointment', () => {
    const dossier = lateBusiness();
    const [letter, ...others] = lettersOf(dossier);
    expect(others).toEqual([]);
    expect(letter!.request.documentId).toBe(`${dossier.dossierCode}/lateness-apology/1`);
    expect(letter!.issuerAgencyCode).toBe(ECONOMY);
    const { model } = letter!;
    expect(model).toMatchObject({ kind: 'lateness-apology', paper: 'A5', title: 'VĂN BẢN XIN LỖI VÌ HỒ SƠ QUÁ HẠN GIẢI QUYẾT', number: 'Số: 01/XLQH', placeAndDate: 'Hòa Bình, ngày 05 tháng 3 năm 2026' });
    const text = textOf(model);
    expect(text).toContain(`Mã hồ sơ: ${dossier.dossierCode}`);
    expect(text).toContain('Kính gửi: Ông/Bà Trần Thị Bình');
    expect(text).toContain('tiếp nhận hồ sơ đề nghị Đăng ký thành lập hộ kinh doanh của Ông/Bà');
    expect(text).toContain('thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 05/03/2026.');
    expect(text).toContain('đã không trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời gian đã hẹn. Lý do: Phải chờ ý kiến của cơ quan thuế về mã số thuế của hộ kinh doanh.');
    expect(text).toContain('thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào 09 giờ 00 phút, ngày 10/03/2026.');
    expect(model.signatures).toEqual([{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }]);
    expect(model.recipients).toEqual(['Như trên;', 'Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu);', 'Lưu: VT.']);
  });

  it('once the result is ready, says so instead of giving a new appointment; a second letter names the appointment missed again', () => {
    const dossier = lateBusiness();
    const economyHead = actor('head', ECONOMY);
    dossier.play(
      dossier.command('IssueLatenessApology', economyHead, { reason: 'Cơ quan thuế chưa trả lời', newAppointment: '2026-03-12T09:00:00+07:00' }),
      '2026-03-10T10:00:00',
    );
    dossier.play(dossier.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'business-registration', outcome: 'approved' }), '2026-03-13T08:00:00');
    dossier.play(dossier.command('IssueResult', economyHead, verifiedResult('HKD-7', economyHead.agencyCode, 'c'.repeat(64))), '2026-03-13T09:00:00');
    dossier.play(dossier.command('IssueLatenessApology', economyHead, { reason: 'Cơ quan thuế trả lời chậm' }), '2026-03-13T10:00:00');
    const [, second, third] = lettersOf(dossier);
    expect(second!.model.number).toBe('Số: 02/XLQH');
    expect(textOf(second!.model)).toContain('thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 10/03/2026.');
    expect(textOf(second!.model)).toContain('đúng thời gian đã hẹn (kể cả thời gian hẹn lại). Lý do: Cơ quan thuế chưa trả lời.');
    const last = textOf(third!.model);
    expect(last).toContain('thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 12/03/2026.');
    expect(last).toContain('Kết quả giải quyết hồ sơ đã có; Ông/Bà nhận kết quả tại Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu) hoặc theo hình thức đã đăng ký.');
    expect(last).not.toContain('hẹn trả kết quả vào');
  });

  it('for a late dossier withdrawn at the applicant’s request, says it was stopped, not that a result awaits', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-02T08:30:00', 7005);
    dossier.accept('2026-03-02T09:00:00');
    const economyHead = actor('head', ECONOMY);
    dossier.play(dossier.command('RequestWithdrawal', actor('reception', CENTRE), { reason: 'Công dân không còn nhu cầu' }), '2026-03-06T09:00:00');
    dossier.play(dossier.command('DecideWithdrawal', economyHead, { approved: true, reason: 'Đồng ý dừng giải quyết' }), '2026-03-06T10:00:00');
    dossier.play(dossier.command('IssueLatenessApology', economyHead, { reason: 'Chuyên viên thụ lý nghỉ ốm' }), '2026-03-06T11:00:00');
    const text = textOf(lettersOf(dossier)[0]!.model);
    expect(text).toContain('Hồ sơ đã được dừng giải quyết theo đề nghị rút hồ sơ của Ông/Bà ngày 06/03/2026.');
    expect(text).not.toContain('Kết quả giải quyết hồ sơ đã có');
    expect(text).not.toContain('nhận kết quả');
  });

  it('for a late result already returned, says when it was handed over, not where to collect it', () => {
    const dossier = lateBusiness();
    const economyHead = actor('head', ECONOMY);
    dossier.play(dossier.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'business-registration', outcome: 'approved' }), '2026-03-11T08:00:00');
    dossier.play(dossier.command('IssueResult', economyHead, verifiedResult('HKD-8', economyHead.agencyCode, 'c'.repeat(64))), '2026-03-11T08:30:00');
    dossier.play(dossier.command('ReturnResult', actor('reception', CENTRE), { method: 'counter', applicantNotifiedInAdvance: true }), '2026-03-11T09:00:00');
    dossier.play(dossier.command('IssueLatenessApology', economyHead, { reason: 'Chậm trả kết quả' }), '2026-03-11T10:00:00');
    const last = textOf(lettersOf(dossier).at(-1)!.model);
    expect(last).toContain('Kết quả giải quyết hồ sơ đã được trả cho Ông/Bà ngày 11/03/2026.');
    expect(last).not.toContain('nhận kết quả tại');
  });

  it('prints with its Vietnamese wording intact', async () => {
    const [letter] = lettersOf(lateBusiness());
    const bytes = await renderDocument(letter!.model);
    const text = (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.normalize('NFC').replace(/\s+/g, ' ');
    for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'VĂN BẢN XIN LỖI VÌ HỒ SƠ QUÁ HẠN GIẢI QUYẾT', 'thành thật xin lỗi', 'THỦ TRƯỞNG CƠ QUAN']) expect(text).toContain(expected);
  }, 60_000);
});
