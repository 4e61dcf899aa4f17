// Form 04 (văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết): the apology and the new appointment.
import { agencyOf, applicantFields, day, issue, moment, procedureName, type FormBuilder } from '../form-parts.js';

/** Form 04: apology and the new appointment, before the due time. */
export const apology: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'ApologyIssued') throw new RangeError('form 04 is issued with an apology');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const issuer = agencyOf(context, trigger.data.agencyCode);
  const centre = agencyOf(context, state.agencyCode);
  return issue(context, issuer, issuedAt, {
    kind: 'form-04',
    paper: 'A5',
    suffix: 'XL',
    title: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ',
    blocks: [
      { kind: 'paragraph', align: 'center', text: `Kính gửi: ${applicant.kind === 'organisation' ? '' : 'Ông/Bà '}${applicant.fullName}` },
      { kind: 'fields', rows: applicantFields(applicant).slice(1) },
      {
        kind: 'paragraph',
        indent: true,
        align: 'justify',
        text: `Ngày ${day(state.accepted!.at)}, ${centre.name} tiếp nhận hồ sơ đề nghị ${procedureName(context)} của Ông/Bà, mã hồ sơ ${state.dossierCode}; thời gian hẹn trả kết quả: ${moment(trigger.data.originalDue)}.`,
      },
      { kind: 'paragraph', indent: true, align: 'justify', text: `Tuy nhiên, đến nay ${issuer.name} chưa thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn. Lý do: ${trigger.data.reason}.` },
      {
        kind: 'paragraph',
        indent: true,
        align: 'justify',
        text: `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${issuer.name} thành thật xin lỗi Ông/Bà và xin gia hạn thời gian trả kết quả đến ${moment(trigger.data.newAppointment)}.`,
      },
      { kind: 'paragraph', indent: true, text: 'Rất mong nhận được sự thông cảm của Ông/Bà.' },
    ],
    signatures: [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }],
    recipients: ['Như trên;', `${centre.name};`, 'Lưu: VT.'],
    subject: `Xin lỗi và gia hạn hồ sơ ${state.dossierCode}`,
  });
};
