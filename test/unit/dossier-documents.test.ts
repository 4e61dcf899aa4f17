// Which documents a dossier's events call for, and what each says: forms 01–06 and the result,
// built from the events alone, in Vietnamese, for a dossier that went through a supplement at
// reception and during processing, the interagency route, a payment and an apology.
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../documents/pdf/render-document.js';
import type { Block, DocumentModel } from '../../domain/documents/document-model.js';
import { documentsCalledFor, type DocumentRequest } from '../../domain/documents/documents-called-for.js';
import { dossierDocument } from '../../domain/documents/dossier-documents.js';
import { CENTRE, LAND_OFFICE } from '../support/dossier-fixtures.js';
import { documentedLandDossier, documentedLandDossierBeforeEResult } from '../support/documented-dossier.js';

const dossier = documentedLandDossier();
const requests = documentsCalledFor(dossier.dossierCode, dossier.events, 1, {});

/** Every piece of text a model holds, in reading order, one string. */
function textOf(model: DocumentModel): string {
  const block = (b: Block): string[] => {
    switch (b.kind) {
      case 'paragraph':
        return [b.text];
      case 'fields':
        return b.rows.map((row) => `${row.label}: ${row.value}`);
      case 'list':
        return [...b.items];
      case 'table':
        return [...b.columns.map((column) => column.header), ...b.rows.flat()];
      case 'space':
        return [];
    }
  };
  return [model.issuer.superior ?? '', model.issuer.name, model.number, model.placeAndDate, model.title, ...(model.subtitle ?? []), ...model.blocks.flatMap(block), ...model.signatures.map((s) => s.title), ...(model.recipients ?? [])].join('\n');
}

const documentOf = (kind: DocumentRequest['kind'], nth = 1) => {
  const request = requests.filter((candidate) => candidate.kind === kind)[nth - 1];
  if (!request) throw new Error(`no ${kind} #${nth}`);
  return dossierDocument(request, dossier.events);
};

describe('the documents a dossier calls for', () => {
  it('calls for each form at its event, numbered per kind, once', () => {
    // The result is the competent body's signed file: the engine renders none of its own.
    expect(requests.map((request) => request.documentId.replace(`${dossier.dossierCode}/`, ''))).toEqual(['form-02/1', 'form-01/1', 'form-02/2', 'form-04/1', 'form-06/1']);
    // A result logged before the e-result (the caller's word) still calls for the engine's result
    // document, so a workflow replaying it issues what it issued then.
    const before = documentedLandDossierBeforeEResult();
    expect(documentsCalledFor(before.dossierCode, before.events, 1, {}).map((request) => request.documentId.replace(`${before.dossierCode}/`, ''))).toEqual(['form-02/1', 'form-01/1', 'form-02/2', 'form-04/1', 'result/1', 'form-06/1']);
    const receivedAt = dossier.events.findIndex((event) => event.type === 'DossierAccepted') + 1;
    expect(requests.find((request) => request.kind === 'form-01')!.forVersion).toBe(receivedAt);
    // Numbering continues from what was already issued.
    expect(documentsCalledFor(dossier.dossierCode, dossier.events.slice(0, 2), 1, { 'form-02': 3 })[0]!.documentId).toBe(`${dossier.dossierCode}/form-02/4`);
  });
});

describe('what each document says', () => {
  it('form 01: the receipt names the applicant, the papers, the time limit, reception and appointment, on A5, with the QR at the top', () => {
    const { model, issuerAgencyCode } = documentOf('form-01');
    expect(issuerAgencyCode).toBe(CENTRE);
    expect(model).toMatchObject({ paper: 'A5', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', issuer: { superior: 'UBND xã Hòa Bình' }, qr: `${dossier.dossierCode}|1.004227|038190001234` });
    const text = textOf(model);
    expect(text).toContain(`Mã hồ sơ: ${dossier.dossierCode}`);
    expect(text).toContain('Ông/Bà: Trần Thị Bình');
    expect(text).toContain('3. Thời gian giải quyết hồ sơ theo quy định là: 20 ngày làm việc.');
    expect(text).toContain('4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 03/03/2026.');
    expect(text).toMatch(/5\. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày \d\d\/\d\d\/2026\./);
    expect(model.placeAndDate).toBe('Hòa Bình, ngày 03 tháng 3 năm 2026');
  });

  it('form 02: everything missing in one list, at reception by the centre and during processing by the step\'s office, with the pause', () => {
    const atReception = documentOf('form-02', 1);
    expect(atReception.issuerAgencyCode).toBe(CENTRE);
    // Before acceptance pins the route's agencies, the centre is named as reception pinned it.
    expect(atReception.model).toMatchObject({ issuer: { superior: 'UBND xã Hòa Bình', name: 'Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu)' }, placeAndDate: 'Hòa Bình, ngày 02 tháng 3 năm 2026' });
    expect(textOf(atReception.model)).toContain('Ông/Bà liên hệ Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu) để được hướng dẫn.');
    expect(textOf(atReception.model)).toContain('Đơn đăng ký biến động đất đai: Thiếu chữ ký của người sử dụng đất');
    const duringProcessing = documentOf('form-02', 2);
    expect(duringProcessing.issuerAgencyCode).toBe('000.03.01.H99');
    expect(textOf(duringProcessing.model)).toContain('Sơ đồ thửa đất: Không khớp với hiện trạng sử dụng');
    expect(textOf(duringProcessing.model)).toContain('Thời gian giải quyết hồ sơ tạm dừng từ 10 giờ 00 phút, ngày 04/03/2026');
  });

  it('form 04: the apology names the original appointment, the reason and the new one, signed by the land office', () => {
    const { model, issuerAgencyCode } = documentOf('form-04');
    expect(issuerAgencyCode).toBe(LAND_OFFICE);
    const text = textOf(model);
    expect(model.title).toBe('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Lý do: Phải xác minh thêm nguồn gốc sử dụng đất.');
    expect(text).toContain('thành thật xin lỗi Ông/Bà và xin gia hạn thời gian trả kết quả đến 09 giờ 00 phút, ngày 15/04/2026.');
    expect(model.recipients).toContain('Lưu: VT.');
  });

  it('form 06: one row per step run across the interagency route, with each node\'s mark', () => {
    const { model } = documentOf('form-06');
    expect(model.paper).toBe('A4');
    const table = model.blocks.find((block) => block.kind === 'table');
    const sample = (name: string) => `${name} (dữ liệu mẫu)`;
    const [centre, economy, land, tax] = ['Bộ phận Một cửa UBND xã Hòa Bình', 'Phòng Kinh tế xã Hòa Bình', 'Chi nhánh Văn phòng Đăng ký đất đai khu vực Hòa Bình', 'Thuế cơ sở khu vực Hòa Bình'].map(sample);
    expect(table?.kind === 'table' && table.rows.map((row) => row[0]!.replace(/ \([^()]*\)$/, ''))).toEqual([
      `Giao: ${centre}. Nhận: ${economy}`,
      `Giao: ${economy}. Nhận: ${land}`,
      `Giao: ${land}. Nhận: ${tax}`,
      `Giao: ${tax}. Nhận: ${land}`,
    ]);
    // Each node judged against its own budget: the certificate issuance had 4 working days from 19 March and took until 8 April.
    expect(table?.kind === 'table' && table.rows.map((row) => row[2])).toEqual(['Trước hạn', 'Trước hạn', 'Trước hạn', 'Quá hạn']);
  });

  it('the result of a dossier resolved before the e-result: titled by the kind of result, numbered with the result code, signed by the competent agency', () => {
    const before = documentedLandDossierBeforeEResult();
    const request = documentsCalledFor(before.dossierCode, before.events, 1, {}).find((candidate) => candidate.kind === 'result')!;
    const { model, issuerAgencyCode } = dossierDocument(request, before.events);
    expect(issuerAgencyCode).toBe(LAND_OFFICE);
    expect(model).toMatchObject({ paper: 'A4', title: 'GIẤY CHỨNG NHẬN', number: `Số: ${dossier.dossierCode}-KQ1` });
    expect(textOf(model)).toContain('Số định danh cá nhân: 038190001234');
  });

  it('gives the same model for the same events, and refuses a request past the events given', () => {
    expect(documentOf('form-01')).toEqual(documentOf('form-01'));
    const request = requests[requests.length - 1]!;
    expect(() => dossierDocument(request, dossier.events.slice(0, 3))).toThrow(/only 3 events/);
  });
});

describe('the documents as PDF', () => {
  it('prints each form of the dossier with its Vietnamese wording intact, the same bytes each time', async () => {
    const expectations: Record<string, string[]> = {
      'form-02/1': ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', 'Đơn đăng ký biến động đất đai: Thiếu chữ ký của người sử dụng đất', 'NGƯỜI HƯỚNG DẪN'],
      'form-01/1': ['GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', 'Trần Thị Bình', 'Bản chính', 'Đã số hóa'],
      'form-02/2': ['Sơ đồ thửa đất: Không khớp với hiện trạng sử dụng', 'tạm dừng'],
      'form-04/1': ['VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ', 'Phải xác minh thêm nguồn gốc sử dụng đất', 'Nơi nhận:'],
      'result/1': ['GIẤY CHỨNG NHẬN', 'Số định danh cá nhân: 038190001234', 'THỦ TRƯỞNG CƠ QUAN'],
      'form-06/1': ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Thuế cơ sở khu vực Hòa Bình', 'Trước hạn'],
    };
    for (const request of requests) {
      const key = request.documentId.replace(`${dossier.dossierCode}/`, '');
      const { model } = dossierDocument(request, dossier.events);
      const bytes = await renderDocument(model);
      expect(Buffer.from(await renderDocument(model)).equals(Buffer.from(bytes))).toBe(true);
      const text = (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.normalize('NFC').replace(/\s+/g, ' ');
      // The result names the dossier in its grounds; the forms under their title.
      const code = key.startsWith('result') ? dossier.dossierCode : `Mã hồ sơ: ${dossier.dossierCode}`;
      for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', code, ...(expectations[key] ?? [])]) {
        expect(text, `${key} should say "${expected}"`).toContain(expected);
      }
    }
  }, 60_000);
});
