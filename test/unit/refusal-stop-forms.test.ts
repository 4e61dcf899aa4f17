// Forms 03 (refusal) and 05 (notice of stopping) as the applicant reads them: rendered to PDF from a
// land dossier's events and read back as text, against what the templates of Circular 01/2018/TT-VPCP
// (form 03) and Circular 03/2025/TT-VPCP (form 05) ask for: the agency header and the motto, the
// place and date written the Vietnamese way, the title, the dossier code, the applicant, the
// procedure by its name, the legal basis and every reason, the decision and who signs it.
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../documents/pdf/render-document.js';
import type { DocumentKind } from '../../domain/documents/document-model.js';
import { documentsCalledFor } from '../../domain/documents/documents-called-for.js';
import { dossierDocument } from '../../domain/documents/dossier-documents.js';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import { actor, CATALOGUE, CENTRE, completeComponents, DossierScenario, LAND_OFFICE, LAND_PROCEDURE, pinned } from '../support/dossier-fixtures.js';

const LAND_PROCEDURE_NAME = 'Đăng ký đất đai, tài sản gắn liền với đất và cấp Giấy chứng nhận quyền sử dụng đất lần đầu';
const CENTRE_NAME = 'Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu)';
const LAND_OFFICE_NAME = 'Chi nhánh Văn phòng Đăng ký đất đai khu vực Hòa Bình (dữ liệu mẫu)';
const reception = actor('reception', CENTRE);

/** A land dossier received at the counter, as the API receives it: the centre and the procedure named from the catalogue. */
function received(serial: number, local: string): DossierScenario {
  const code = `${CENTRE}-${local.slice(2, 10).replaceAll('-', '')}-${String(serial).padStart(4, '0')}`;
  const dossier = new DossierScenario(code, LAND_PROCEDURE);
  const centre = CATALOGUE.agencies.find((agency) => agency.code === CENTRE)!;
  const receive: ReceiveDossier = {
    type: 'ReceiveDossier',
    commandId: 'receive',
    actor: reception,
    dossierCode: code,
    agencyCode: CENTRE,
    procedureCode: LAND_PROCEDURE,
    channel: 'counter',
    applicant: { kind: 'citizen', fullName: 'Lê Văn Đức', identityNumber: '038190004321', address: 'Thôn Đông Phú, xã Hòa Bình, tỉnh Phú Thọ', phone: '0912345678' },
    receivedAt: new Date(`${local}+07:00`).toISOString(),
    centre: { name: centre.name, superior: centre.superior!, place: centre.place! },
    procedureName: CATALOGUE.procedures.find((procedure) => procedure.code === LAND_PROCEDURE)!.name,
  };
  dossier.play(receive, local);
  return dossier;
}

function accepted(serial: number): DossierScenario {
  const dossier = received(serial, '2026-03-02T08:30:00');
  dossier.play(dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) }), '2026-03-02T09:00:00');
  return dossier;
}

/** The form's PDF as pdf.js reads it, one line of text. */
async function formText(dossier: DossierScenario, kind: DocumentKind): Promise<string> {
  const request = documentsCalledFor(dossier.dossierCode, dossier.events, 1, {}).find((candidate) => candidate.kind === kind);
  if (!request) throw new Error(`the dossier calls for no ${kind}`);
  const bytes = await renderDocument(dossierDocument(request, dossier.events).model);
  return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.normalize('NFC').replace(/\s+/g, ' ');
}

function expectAll(text: string, expected: readonly string[]) {
  for (const part of expected) expect(text, `the form should say "${part}"`).toContain(part);
}

const MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'];

describe('form 03: the refusal', () => {
  it('at reception: the centre names the applicant, the procedure, the legal basis and every reason, signed by the reception officer', async () => {
    const dossier = received(11, '2026-02-05T14:10:00');
    dossier.play(
      dossier.command('RefuseAtReception', reception, {
        reasons: ['Thửa đất đang có tranh chấp, chưa được giải quyết', 'Thửa đất không thuộc địa bàn xã Hòa Bình'],
        legalBasis: 'Điều 151 Luật Đất đai số 31/2024/QH15',
      }),
      '2026-02-05T14:20:00',
    );
    const text = await formText(dossier, 'form-03');
    expectAll(text, [
      ...MOTTO,
      'UBND XÃ HÒA BÌNH',
      CENTRE_NAME.toUpperCase(),
      // Months 1 and 2 take a leading zero in a dateline (Decree 30/2020/NĐ-CP, Appendix I).
      'Hòa Bình, ngày 05 tháng 02 năm 2026',
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      `Mã hồ sơ: ${dossier.dossierCode}`,
      `${CENTRE_NAME} tiếp nhận hồ sơ của: Ông/Bà: Lê Văn Đức Địa chỉ: Thôn Đông Phú, xã Hòa Bình, tỉnh Phú Thọ Số điện thoại: 0912345678`,
      `Nội dung yêu cầu giải quyết: ${LAND_PROCEDURE_NAME}`,
      `Căn cứ Điều 151 Luật Đất đai số 31/2024/QH15, ${CENTRE_NAME} thông báo không tiếp nhận hồ sơ này với lý do cụ thể như sau:`,
      '1. Thửa đất đang có tranh chấp, chưa được giải quyết',
      '2. Thửa đất không thuộc địa bàn xã Hòa Bình',
      'Xin thông báo để Ông/Bà được biết và thực hiện.',
      'NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên)',
    ]);
    expect(text).not.toContain('Thủ tục hành chính mã');
  });

  it('after appraisal: the competent land office refuses to resolve, with its reasons, signed by its head', async () => {
    const dossier = accepted(12);
    dossier.play(
      dossier.command('RefuseToResolve', actor('head', LAND_OFFICE), { reasons: ['Thửa đất nằm trong khu vực đã có quyết định thu hồi đất'], legalBasis: 'khoản 3 Điều 151 Luật Đất đai số 31/2024/QH15' }),
      '2026-03-10T10:00:00',
    );
    const text = await formText(dossier, 'form-03');
    expectAll(text, [
      ...MOTTO,
      'VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH (DỮ LIỆU MẪU)',
      LAND_OFFICE_NAME.toUpperCase(),
      'Hòa Bình, ngày 10 tháng 3 năm 2026',
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      `Mã hồ sơ: ${dossier.dossierCode}`,
      `${LAND_OFFICE_NAME} thẩm định hồ sơ của: Ông/Bà: Lê Văn Đức`,
      `Nội dung yêu cầu giải quyết: ${LAND_PROCEDURE_NAME}`,
      `Căn cứ khoản 3 Điều 151 Luật Đất đai số 31/2024/QH15, ${LAND_OFFICE_NAME} thông báo không giải quyết hồ sơ này với lý do cụ thể như sau: 1. Thửa đất nằm trong khu vực đã có quyết định thu hồi đất`,
      'THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu)',
    ]);
    expect(text).not.toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });
});

describe('form 05: the notice of stopping', () => {
  it('stops at the applicant\'s request: the date and reason of the request, the decision and its reason, the papers and fees, signed by the competent head', async () => {
    const dossier = accepted(13);
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Gia đình thỏa thuận lại việc phân chia thửa đất' }), '2026-03-09T15:00:00');
    dossier.play(dossier.command('DecideWithdrawal', actor('head', LAND_OFFICE), { approved: true, reason: 'Hồ sơ chưa có kết quả giải quyết, người nộp tự nguyện đề nghị dừng' }), '2026-03-11T10:00:00');
    const text = await formText(dossier, 'form-05');
    expectAll(text, [
      ...MOTTO,
      LAND_OFFICE_NAME.toUpperCase(),
      'Hòa Bình, ngày 11 tháng 3 năm 2026',
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      `Mã hồ sơ: ${dossier.dossierCode}`,
      'Kính gửi: Ông/Bà Lê Văn Đức',
      `Ngày 09/03/2026, ${LAND_OFFICE_NAME} nhận được đề nghị dừng giải quyết hồ sơ mã ${dossier.dossierCode} (${LAND_PROCEDURE_NAME}) của Ông/Bà, lý do: Gia đình thỏa thuận lại việc phân chia thửa đất.`,
      `Sau khi xem xét, ${LAND_OFFICE_NAME} đồng ý dừng giải quyết hồ sơ. Lý do: Hồ sơ chưa có kết quả giải quyết, người nộp tự nguyện đề nghị dừng.`,
      `Ông/Bà liên hệ ${CENTRE_NAME} để nhận lại hồ sơ (nếu có); phí, lệ phí đã nộp được xử lý theo quy định của pháp luật về phí, lệ phí.`,
      `Nơi nhận: - Như trên; - ${CENTRE_NAME}; - Lưu: VT.`,
      'THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu)',
    ]);
  });

  it('refuses to stop: the dossier goes on, and nothing is handed back', async () => {
    const dossier = accepted(14);
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Chưa thống nhất với đồng sở hữu' }), '2026-03-09T15:00:00');
    dossier.play(dossier.command('DecideWithdrawal', actor('head', LAND_OFFICE), { approved: false, reason: 'Giấy chứng nhận đã được ký, chỉ chờ trả kết quả' }), '2026-03-12T16:45:00');
    const text = await formText(dossier, 'form-05');
    expectAll(text, [
      'Hòa Bình, ngày 12 tháng 3 năm 2026',
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      `Sau khi xem xét, ${LAND_OFFICE_NAME} không đồng ý dừng giải quyết hồ sơ; hồ sơ tiếp tục được giải quyết theo quy định. Lý do: Giấy chứng nhận đã được ký, chỉ chờ trả kết quả.`,
    ]);
    expect(text).not.toContain('nhận lại hồ sơ');
    expect(text).not.toContain('đồng ý dừng giải quyết hồ sơ. Lý do');
  });

  it('before acceptance: the receiving centre decides, names the procedure, and does not send itself a copy', async () => {
    const dossier = received(15, '2026-01-06T08:00:00');
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Nộp nhầm thủ tục' }), '2026-01-06T08:20:00');
    dossier.play(dossier.command('DecideWithdrawal', actor('head', CENTRE), { approved: true, reason: 'Hồ sơ chưa được tiếp nhận giải quyết' }), '2026-01-06T09:00:00');
    const text = await formText(dossier, 'form-05');
    expectAll(text, [
      CENTRE_NAME.toUpperCase(),
      'Hòa Bình, ngày 06 tháng 01 năm 2026',
      `Ngày 06/01/2026, ${CENTRE_NAME} nhận được đề nghị dừng giải quyết hồ sơ mã ${dossier.dossierCode} (${LAND_PROCEDURE_NAME}) của Ông/Bà, lý do: Nộp nhầm thủ tục.`,
      'Nơi nhận: - Như trên; - Lưu: VT.',
    ]);
  });
});
