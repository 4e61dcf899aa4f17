// A feedback item's history as people read it: one line per event, in English (the API's language)
// and Vietnamese (the staff's), as domain/dossier/event-labels.ts does for a dossier's.
import type { EventLabel } from '../dossier/event-labels.js';
import type { FeedbackCategory, FeedbackChannel, FeedbackClock, FeedbackEvent } from './events.js';

const CHANNELS: Readonly<Record<FeedbackChannel, string>> = {
  'online-form': 'biểu mẫu trực tuyến',
  paper: 'văn bản giấy',
  phone: 'điện thoại',
  email: 'thư điện tử',
  'in-person': 'trực tiếp',
  'national-pakn': 'Hệ thống PAKN quốc gia',
};
const CATEGORIES: Readonly<Record<FeedbackCategory, string>> = { regulation: 'quy định hành chính', procedure: 'thủ tục hành chính', 'staff-conduct': 'hành vi, thái độ của cán bộ' };
const CLOCKS: Readonly<Record<FeedbackClock, readonly [string, string]>> = {
  refuse: ['refusal', 'từ chối tiếp nhận'],
  'info-request': ['first request for information', 'đề nghị bổ sung lần đầu'],
  answer: ['answer', 'trả lời'],
  publish: ['publication', 'công khai'],
};

export function feedbackEventLabel(event: FeedbackEvent): EventLabel {
  switch (event.type) {
    case 'FeedbackReceived':
      return { en: `Received by ${event.data.agencyCode} (${event.data.channel})`, vi: `Tiếp nhận phản ánh, kiến nghị tại ${event.data.agencyCode} (${CHANNELS[event.data.channel]})` };
    case 'FeedbackClassified':
      return { en: `Classified: ${event.data.category}${event.data.dossierCode ? `, about dossier ${event.data.dossierCode}` : ''}`, vi: `Phân loại: ${CATEGORIES[event.data.category]}${event.data.dossierCode ? `, liên quan hồ sơ ${event.data.dossierCode}` : ''}` };
    case 'FeedbackAccepted':
      return { en: `Accepted for handling by ${event.data.handlerAgencyCode}`, vi: `Tiếp nhận xử lý tại ${event.data.handlerAgencyCode}` };
    case 'FeedbackTransferred':
      return event.data.outside
        ? { en: `Transferred outside the engine to ${event.data.toAgencyName ?? event.data.toAgencyCode}`, vi: `Chuyển đến ${event.data.toAgencyName ?? event.data.toAgencyCode} (ngoài hệ thống)` }
        : { en: `Transferred to ${event.data.toAgencyCode}`, vi: `Chuyển đến ${event.data.toAgencyName ?? event.data.toAgencyCode}` };
    case 'FeedbackRefused':
      return { en: 'Refused', vi: 'Từ chối tiếp nhận' };
    case 'FeedbackInformationRequested':
      return { en: `More information asked of the sender${event.data.first ? ' (first request)' : ''}`, vi: `Đề nghị người gửi bổ sung thông tin${event.data.first ? ' (lần đầu)' : ''}` };
    case 'FeedbackInformationProvided': {
      const files = event.data.attachments.length;
      const channel = event.data.channel;
      // A reply staff entered says how it came; the sender's own (online, or before staff could enter one) does not.
      return channel === undefined || channel === 'online-form'
        ? { en: `Information provided by the sender (${files} file(s))`, vi: `Người gửi đã bổ sung thông tin (${files} tệp)` }
        : { en: `Information from the sender entered by staff (${channel}, ${files} file(s))`, vi: `Cán bộ nhập thông tin bổ sung của người gửi (${CHANNELS[channel]}, ${files} tệp)` };
    }
    case 'FeedbackAnswered':
      return { en: `Answered, signed by ${event.data.signer.fullName}${event.data.publish ? '' : ' (not to be published)'}`, vi: `Đã trả lời, ${event.data.signer.title} ${event.data.signer.fullName} ký${event.data.publish ? '' : ' (không công khai)'}` };
    case 'FeedbackAnswerDocumentIssued':
      return { en: `Signed answer issued (${event.data.documentId})`, vi: `Phát hành văn bản trả lời có chữ ký số (${event.data.documentId})` };
    case 'FeedbackPublished':
      return { en: 'Answer published', vi: 'Đã công khai kết quả trả lời' };
    case 'FeedbackDeadlineAlerted': {
      const [en, vi] = CLOCKS[event.data.clock];
      return event.data.alert === 'overdue' ? { en: `Overdue: ${en}`, vi: `Quá hạn ${vi}` } : { en: `Due soon: ${en}`, vi: `Sắp đến hạn ${vi}` };
    }
    case 'FeedbackReactionsRecorded':
      return { en: `Reactions on the national portal: ${event.data.likes} like(s), ${event.data.dislikes} dislike(s)`, vi: `Đánh giá trên Cổng quốc gia: ${event.data.likes} thích, ${event.data.dislikes} không thích` };
    case 'FeedbackLinkedToNational':
      return { en: `Linked to the national PAKN system (${event.data.externalId})`, vi: `Liên kết với Hệ thống PAKN quốc gia (${event.data.externalId})` };
  }
}
