// Form 05 (thông báo dừng giải quyết hồ sơ): the decision on the applicant's request to stop.
import type { Block } from '../document-model.js';
import { agencyOf, day, issue, procedureName, type FormBuilder } from '../form-parts.js';

/** Form 05: the decision on the applicant's request to stop (withdraw) the dossier. */
export const stopNotice: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'WithdrawalDecided') throw new RangeError('form 05 is issued on a decision to stop');
  const { state, applicant, events } = context;
  const issuedAt = trigger.data.at;
  const issuer = agencyOf(context, state.accepted?.procedure.competentAgencyCode ?? state.agencyCode);
  const centre = agencyOf(context, state.agencyCode);
  const requested = [...events].reverse().find((event) => event.type === 'WithdrawalRequested');
  const request = requested?.type === 'WithdrawalRequested' ? requested.data : undefined;
  const blocks: Block[] = [
    { kind: 'paragraph', align: 'center', text: `Kính gửi: ${applicant.kind === 'organisation' ? '' : 'Ông/Bà '}${applicant.fullName}` },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: `${request ? `Ngày ${day(request.at)}, ` : ''}${issuer.name} nhận được đề nghị dừng giải quyết hồ sơ mã ${state.dossierCode} (${procedureName(context)}) của Ông/Bà${request ? `, lý do: ${request.reason}` : ''}.`,
    },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: trigger.data.approved
        ? `Sau khi xem xét, ${issuer.name} đồng ý dừng giải quyết hồ sơ. Lý do: ${trigger.data.reason}.`
        : `Sau khi xem xét, ${issuer.name} không đồng ý dừng giải quyết hồ sơ; hồ sơ tiếp tục được giải quyết theo quy định. Lý do: ${trigger.data.reason}.`,
    },
  ];
  if (trigger.data.approved) {
    blocks.push({ kind: 'paragraph', indent: true, align: 'justify', text: `Ông/Bà liên hệ ${centre.name} để nhận lại hồ sơ (nếu có); phí, lệ phí đã nộp được xử lý theo quy định của pháp luật về phí, lệ phí.` });
  }
  return issue(context, issuer, issuedAt, {
    kind: 'form-05',
    paper: 'A5',
    suffix: 'TBDGQ',
    title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    blocks,
    signatures: [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }],
    // The receiving centre gets a copy, unless it decided itself (before acceptance).
    recipients: ['Như trên;', ...(centre.code === issuer.code ? [] : [`${centre.name};`]), 'Lưu: VT.'],
    subject: `Dừng giải quyết hồ sơ ${state.dossierCode}`,
  });
};
