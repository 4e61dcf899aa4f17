// The signed answer to a feedback item (văn bản trả lời phản ánh, kiến nghị): what the unit answers
// the citizen, built from the item's events alone, so the same events give the same document (and the
// same signed bytes). Decree 20/2008/NĐ-CP art. 14 and Decision 31/2021/QĐ-TTg ch. 6: an answer given
// through the national PAKN system is as valid as a paper one; this is the paper the engine keeps and
// the citizen can download. The unit's name, superior and place come from the catalogue (the
// activity reads them); the signer is the head who answered (FeedbackAnswered.signer).
import type { Agency } from '../../catalogue/agency.js';
import { formatVietnameseLongDate, formatVietnameseShortDate } from '../../calendar/vietnam-time.js';
import type { FeedbackAnswered, FeedbackChannel, FeedbackEvent, FeedbackReceived } from '../../feedback/events.js';
import type { DocumentModel } from '../document-model.js';

/** How the citizen sent it, as the answer says it. */
const CHANNEL_WORDS: Record<FeedbackChannel, string> = {
  'online-form': 'qua Cổng dịch vụ công của đơn vị',
  paper: 'bằng văn bản',
  phone: 'qua điện thoại',
  email: 'qua thư điện tử',
  'in-person': 'trực tiếp tại đơn vị',
  'national-pakn': 'qua Hệ thống tiếp nhận, trả lời phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia',
};

export interface FeedbackAnswerDocument {
  readonly model: DocumentModel;
  /** The instant the answer was given: the document's date and its signing time. */
  readonly issuedAt: string;
  /** The document's stable id: `<feedback id>/TL`. */
  readonly documentId: string;
  /** Who signed, as the item's log records it: "<full name>, <title>". */
  readonly signer: string;
  /** The unit that answers and signs. */
  readonly issuerAgencyCode: string;
}

/** The issuer as the catalogue knows it; a unit the catalogue lacks is named by its code. */
export type AnswerIssuer = Pick<Agency, 'code' | 'name'> & Partial<Pick<Agency, 'superior' | 'place'>>;

/**
 * The answer document of an item, from its events up to `upToVersion` (the version its answer was
 * recorded at, or later). The answer is the latest FeedbackAnswered among them; the issuer is the
 * unit that handled it then.
 */
export function feedbackAnswerDocument(feedbackId: string, events: readonly FeedbackEvent[], upToVersion: number, issuer: AnswerIssuer): FeedbackAnswerDocument {
  if (events.length < upToVersion) throw new RangeError(`${feedbackId}: the answer is asked for version ${upToVersion}, but only ${events.length} events were given`);
  const upTo = events.slice(0, upToVersion);
  const received = upTo[0];
  if (!received || received.type !== 'FeedbackReceived') throw new RangeError(`${feedbackId}: the stream does not open with FeedbackReceived`);
  const answered = [...upTo].reverse().find((event): event is FeedbackAnswered => event.type === 'FeedbackAnswered');
  if (!answered) throw new RangeError(`${feedbackId}: no answer up to version ${upToVersion}`);
  return buildAnswer(feedbackId, received, answered, issuer);
}

/** The unit handling the item when it was answered: the latest transfer inside the province, else the receiving unit. */
export function answeringAgencyCode(events: readonly FeedbackEvent[], upToVersion: number): string {
  let code = '';
  for (const event of events.slice(0, upToVersion)) {
    if (event.type === 'FeedbackReceived') code = event.data.agencyCode;
    if (event.type === 'FeedbackAccepted') code = event.data.handlerAgencyCode;
    if (event.type === 'FeedbackTransferred' && !event.data.outside) code = event.data.toAgencyCode;
  }
  return code;
}

function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function buildAnswer(feedbackId: string, received: FeedbackReceived, answered: FeedbackAnswered, issuer: AnswerIssuer): FeedbackAnswerDocument {
  const { submitter, title, content, sentAt, channel, dossierCode } = received.data;
  const { answer, signer, legalBasis } = answered.data;
  const issuedAt = answered.data.at;
  const documentId = `${feedbackId}/TL`;
  const quoted = content.length > 1500 ? `${content.slice(0, 1500).trimEnd()}…` : content;
  const model: DocumentModel = {
    kind: 'feedback-answer',
    paper: 'A4',
    issuer: { ...(issuer.superior ? { superior: issuer.superior } : {}), name: issuer.name },
    number: `Số: ${feedbackId.replace(/^PAKN-/, '')}/TL-PAKN`,
    placeAndDate: `${issuer.place ? `${issuer.place}, ` : ''}${formatVietnameseLongDate(new Date(issuedAt))}`,
    qr: [feedbackId, issuer.code].join('|'),
    title: 'VĂN BẢN TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ',
    subtitle: [`Mã phản ánh, kiến nghị: ${feedbackId}`],
    blocks: [
      { kind: 'paragraph', align: 'center', text: `Kính gửi: Ông/Bà ${submitter.fullName}` },
      ...(submitter.address ? [{ kind: 'fields' as const, rows: [{ label: 'Địa chỉ', value: submitter.address }] }] : []),
      {
        kind: 'paragraph',
        indent: true,
        align: 'justify',
        text: `Ngày ${formatVietnameseShortDate(new Date(sentAt))}, ${issuer.name} nhận được phản ánh, kiến nghị của Ông/Bà gửi ${CHANNEL_WORDS[channel]} về việc: “${title}”${dossierCode ? `, liên quan đến hồ sơ mã số ${dossierCode}` : ''}. Nội dung như sau:`,
      },
      ...paragraphs(quoted).map((line) => ({ kind: 'paragraph' as const, indent: true, italic: true, align: 'justify' as const, text: line })),
      { kind: 'paragraph', indent: true, align: 'justify', text: `${legalBasis ? `Căn cứ ${legalBasis}, ` : ''}${issuer.name} trả lời như sau:` },
      ...paragraphs(answer).map((line) => ({ kind: 'paragraph' as const, indent: true, align: 'justify' as const, text: line })),
      {
        kind: 'paragraph',
        indent: true,
        align: 'justify',
        text: `Trường hợp chưa đồng ý với nội dung trả lời, Ông/Bà có thể gửi phản ánh, kiến nghị tiếp theo, ghi rõ mã ${feedbackId}.`,
      },
      { kind: 'paragraph', indent: true, text: `${issuer.name} trả lời để Ông/Bà được biết.` },
    ],
    signatures: [{ title: signer.title.toLocaleUpperCase('vi'), hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: signer.fullName }],
    recipients: ['Như trên;', 'Lưu: VT.'],
    metadata: { issuedAt, documentId, subject: `Trả lời phản ánh, kiến nghị ${feedbackId}` },
  };
  return { model, issuedAt, documentId, signer: `${signer.fullName}, ${signer.title}`, issuerAgencyCode: issuer.code };
}
