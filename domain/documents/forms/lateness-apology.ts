// The apology for lateness (văn bản xin lỗi vì hồ sơ quá hạn): the letter a late dossier's applicant
// receives once the appointment has passed, with the reason and, while the result is not ready, a
// new appointment. Circular 03/2025/TT-VPCP has no form of its own for it (form 04 is the apology
// with a request to extend, before the due date); this letter follows form 04's layout.
import type { ReceivedDossier } from '../../dossier/state.js';
import type { Block } from '../document-model.js';
import { agencyOf, applicantFields, day, issue, moment, procedureName, type FormBuilder } from '../form-parts.js';

/** The apology for lateness, signed by the head of the agency responsible for the delay. */
export const latenessApology: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'LatenessApologyIssued') throw new RangeError('the apology for lateness is issued with a LatenessApologyIssued event');
  const { state, applicant } = context;
  const { at: issuedAt, reason, missedAppointment, newAppointment, sequence } = trigger.data;
  const issuer = agencyOf(context, trigger.data.agencyCode);
  const centre = agencyOf(context, state.agencyCode);
  const you = applicant.kind === 'organisation' ? 'Quý tổ chức' : 'Ông/Bà';
  const blocks: Block[] = [
    { kind: 'paragraph', align: 'center', text: `Kính gửi: ${applicant.kind === 'organisation' ? '' : 'Ông/Bà '}${applicant.fullName}` },
    { kind: 'fields', rows: applicantFields(applicant).slice(1) },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: `Ngày ${day(state.accepted!.at)}, ${centre.name} tiếp nhận hồ sơ đề nghị ${procedureName(context)} của ${you}, mã hồ sơ ${state.dossierCode}; thời gian hẹn trả kết quả: ${moment(missedAppointment)}.`,
    },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: `${issuer.name} đã không trả kết quả giải quyết hồ sơ cho ${you} đúng thời gian đã hẹn${sequence > 1 ? ' (kể cả thời gian hẹn lại)' : ''}. Lý do: ${reason}.`,
    },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: newAppointment
        ? `Sự chậm trễ này đã gây phiền hà cho ${you}. ${issuer.name} thành thật xin lỗi ${you} và hẹn trả kết quả vào ${moment(newAppointment)}.`
        : `Sự chậm trễ này đã gây phiền hà cho ${you}. ${issuer.name} thành thật xin lỗi ${you}. ${whereItStands(state, you, centre.name)}`,
    },
    { kind: 'paragraph', indent: true, text: `Rất mong nhận được sự thông cảm của ${you}.` },
  ];
  return issue(context, issuer, issuedAt, {
    kind: 'lateness-apology',
    paper: 'A5',
    suffix: 'XLQH',
    title: 'VĂN BẢN XIN LỖI VÌ HỒ SƠ QUÁ HẠN GIẢI QUYẾT',
    blocks,
    signatures: [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }],
    recipients: ['Như trên;', `${centre.name};`, 'Lưu: VT.'],
    subject: `Xin lỗi vì hồ sơ ${state.dossierCode} quá hạn`,
  });
};

/**
 * What became of a late dossier that needs no new appointment, as of the letter: withdrawn at the
 * applicant's request, its result (or the written refusal) ready to collect, or already handed over.
 */
function whereItStands(state: ReceivedDossier, you: string, centreName: string): string {
  const what = state.outcome === 'refusal' ? 'Văn bản trả lời về việc không giải quyết hồ sơ' : 'Kết quả giải quyết hồ sơ';
  if (state.status === 'stopped') return `Hồ sơ đã được dừng giải quyết theo đề nghị rút hồ sơ của ${you} ngày ${day(state.closedAt!)}.`;
  if (state.status === 'returned') return `${what} đã được trả cho ${you} ngày ${day(state.closedAt!)}.`;
  return `${what} đã có; ${you} nhận ${state.outcome === 'refusal' ? 'văn bản' : 'kết quả'} tại ${centreName} hoặc theo hình thức đã đăng ký.`;
}
