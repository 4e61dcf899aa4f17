// Form 03 (phiếu từ chối tiếp nhận giải quyết hồ sơ): refused at reception, or refused after appraisal.
import { agencyOf, applicantFields, issue, procedureName, type FormBuilder } from '../form-parts.js';

/** Form 03: refusal at reception, or refusal to resolve after appraisal. */
export const refusal: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'DossierRefusedAtReception' && trigger.type !== 'ResolutionRefused') throw new RangeError('form 03 is issued on a refusal');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const atReception = trigger.type === 'DossierRefusedAtReception';
  const issuer = agencyOf(context, atReception ? state.agencyCode : (state.accepted?.procedure.competentAgencyCode ?? state.agencyCode));
  return issue(context, issuer, issuedAt, {
    kind: 'form-03',
    paper: 'A5',
    suffix: 'TC',
    title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    blocks: [
      { kind: 'paragraph', text: `${issuer.name} ${atReception ? 'tiếp nhận' : 'thẩm định'} hồ sơ của:` },
      { kind: 'fields', rows: [...applicantFields(applicant), { label: 'Nội dung yêu cầu giải quyết', value: procedureName(context) }] },
      { kind: 'paragraph', indent: true, align: 'justify', text: `Căn cứ ${trigger.data.legalBasis}, ${issuer.name} thông báo không ${atReception ? 'tiếp nhận' : 'giải quyết'} hồ sơ này với lý do cụ thể như sau:` },
      { kind: 'list', numbered: true, items: trigger.data.reasons },
      { kind: 'paragraph', indent: true, text: 'Xin thông báo để Ông/Bà được biết và thực hiện.' },
    ],
    signatures: [atReception ? { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)' } : { title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }],
    subject: `Từ chối hồ sơ ${state.dossierCode}`,
  });
};
