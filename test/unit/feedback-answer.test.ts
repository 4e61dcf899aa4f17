// The signed answer to a feedback item (domain/documents/forms/feedback-answer.ts): what it says,
// built from the item's events alone, and that it lays out and signs as the dossiers' forms do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeDocument } from '../../documents/pdf/render-document.js';
import { loadAgencySigner, loadTrustAnchors } from '../../documents/signing/keystore.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { signPdf } from '../../documents/signing/pades-signer.js';
import { verifyPdfSignature } from '../../documents/signing/verify-signature.js';
import { answeringAgencyCode, feedbackAnswerDocument } from '../../domain/documents/forms/feedback-answer.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';

const ID = 'PAKN-000.01.01.H99-261203-0001';
const UNIT = { code: '000.01.01.H99', name: 'UBND xã Hòa Bình', superior: 'UBND HUYỆN TÂN LẠC', place: 'Hòa Bình' };

const events: FeedbackEvent[] = [
  {
    type: 'FeedbackReceived',
    schemaVersion: 1,
    data: {
      at: '2026-12-03T02:00:00.000Z',
      feedbackId: ID,
      agencyCode: UNIT.code,
      channel: 'online-form',
      submitter: { fullName: 'Nguyễn Thị Hoa', address: 'Thôn Đồng, xã Hòa Bình' },
      title: 'Thời gian chờ tại Bộ phận Một cửa quá lâu',
      content: 'Ngày 01/12 tôi chờ hơn hai giờ mới được tiếp nhận hồ sơ.\nĐề nghị bố trí thêm người tiếp nhận vào buổi sáng.',
      attachments: [],
      dossierCode: '000.01.01.H99-261201-0007',
      sentAt: '2026-12-03T01:55:00.000Z',
      calendarVersion: 'vn-civil-service@2026',
      limits: { refuse: 2, infoRequest: 5, answer: 15, publish: 2 },
    },
  },
  { type: 'FeedbackClassified', schemaVersion: 1, data: { at: '2026-12-03T03:00:00.000Z', category: 'staff-conduct' } },
  { type: 'FeedbackAccepted', schemaVersion: 1, data: { at: '2026-12-03T03:10:00.000Z', handlerAgencyCode: UNIT.code } },
  {
    type: 'FeedbackAnswered',
    schemaVersion: 1,
    data: {
      at: '2026-12-08T04:00:00.000Z',
      answer: 'Từ ngày 10/12/2026, Bộ phận Một cửa bố trí thêm một công chức tiếp nhận vào buổi sáng thứ Hai và thứ Ba.\nXin cảm ơn Bà đã phản ánh.',
      signer: { userId: 'lanhdao.minh', fullName: 'Trần Văn Minh', title: 'Chủ tịch UBND xã' },
      legalBasis: 'Nghị định 20/2008/NĐ-CP',
      attachments: [],
      publish: true,
    },
  },
];

describe('the answer to a feedback item', () => {
  const document = feedbackAnswerDocument(ID, events, events.length, UNIT);
  const text = JSON.stringify(document.model);

  it('says who it answers, what they sent and what the unit answers, in Vietnamese', () => {
    expect(document.model.title).toBe('VĂN BẢN TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ');
    expect(text).toContain('Kính gửi: Ông/Bà Nguyễn Thị Hoa');
    expect(text).toContain('Thời gian chờ tại Bộ phận Một cửa quá lâu');
    expect(text).toContain('liên quan đến hồ sơ mã số 000.01.01.H99-261201-0007');
    expect(text).toContain('Căn cứ Nghị định 20/2008/NĐ-CP, UBND xã Hòa Bình trả lời như sau:');
    expect(text).toContain('bố trí thêm một công chức');
    expect(document.model.signatures).toEqual([{ title: 'CHỦ TỊCH UBND XÃ', hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: 'Trần Văn Minh' }]);
    expect(document.model.placeAndDate).toBe('Hòa Bình, ngày 08 tháng 12 năm 2026');
  });

  it('is dated and identified by the answer, so the same events give the same document', () => {
    expect(document.issuedAt).toBe('2026-12-08T04:00:00.000Z');
    expect(document.documentId).toBe(`${ID}/TL`);
    expect(document.signer).toBe('Trần Văn Minh, Chủ tịch UBND xã');
    expect(feedbackAnswerDocument(ID, events, events.length, UNIT)).toEqual(document);
  });

  it('is not built before the answer, nor from a stream that is not an item', () => {
    expect(() => feedbackAnswerDocument(ID, events, 3, UNIT)).toThrow(/no answer up to version 3/);
    expect(() => feedbackAnswerDocument(ID, events.slice(1), 3, UNIT)).toThrow(/does not open with FeedbackReceived/);
  });

  it('is issued by the unit that handled the item: the latest transfer inside the province', () => {
    const transferred: FeedbackEvent[] = [...events.slice(0, 2), { type: 'FeedbackTransferred', schemaVersion: 1, data: { at: '2026-12-03T04:00:00.000Z', toAgencyCode: '000.30.99.H99', outside: false, reason: 'Thuộc thẩm quyền' } }];
    expect(answeringAgencyCode(events, 4)).toBe(UNIT.code);
    expect(answeringAgencyCode(transferred, 3)).toBe('000.30.99.H99');
  });

  describe('laid out and signed', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'motcua-feedback-answer-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('verifies with the project verifier under the unit key', async () => {
      ensureLocalPki({ dir: work, agencies: [UNIT], passphrase: 'thu-nghiem', now: new Date('2025-01-01T00:00:00Z') });
      const signer = await loadAgencySigner(work, UNIT.code, 'thu-nghiem');
      const pdf = await composeDocument(document.model);
      const signed = await signPdf(pdf, signer, { signingTime: new Date(document.issuedAt), reason: 'Trả lời phản ánh, kiến nghị', location: 'Hòa Bình', name: UNIT.name });
      const report = await verifyPdfSignature(signed, loadTrustAnchors([path.join(work, 'ca.pem')]));
      expect(report.valid, report.reasons.join('; ')).toBe(true);
      expect(report.signer?.subject).toContain(UNIT.code);
    });
  });
});
