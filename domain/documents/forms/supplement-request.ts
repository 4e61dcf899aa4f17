// Form 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): everything missing in one list, at reception or during processing.
import type { ReceivedDossier } from '../../dossier/state.js';
import type { Block } from '../document-model.js';
import { agencyOf, applicantFields, issue, moment, procedureName, type FormBuilder } from '../form-parts.js';

/** Form 02: everything to supplement, in one list; at reception or during processing. */
export const supplementRequest: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'SupplementRequestedAtReception' && trigger.type !== 'SupplementRequested') throw new RangeError('form 02 is issued on a supplement request');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const duringProcessing = trigger.type === 'SupplementRequested';
  const issuer = agencyOf(context, duringProcessing ? stepAgency(state, trigger.data.stepId) : state.agencyCode);
  const centre = agencyOf(context, state.agencyCode);
  const blocks: Block[] = [
    { kind: 'fields', rows: [{ label: 'Hồ sơ của', value: applicant.fullName }, ...applicantFields(applicant).slice(1), { label: 'Nội dung yêu cầu giải quyết', value: procedureName(context) }] },
    {
      kind: 'paragraph',
      indent: true,
      align: 'justify',
      text: `Sau khi xem xét, đối chiếu thành phần hồ sơ${duringProcessing ? ' trong quá trình thẩm định' : ' khi tiếp nhận'}, ${issuer.name} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`,
    },
    { kind: 'list', numbered: true, items: trigger.data.missing.map((item) => `${item.description}: ${item.reason}`) },
  ];
  if (trigger.type === 'SupplementRequested' && trigger.data.reasonForAnotherRequest) {
    blocks.push({ kind: 'paragraph', text: `Lý do yêu cầu bổ sung lần ${trigger.data.requestNumber}: ${trigger.data.reasonForAnotherRequest}.` });
  }
  if (duringProcessing) {
    blocks.push({ kind: 'paragraph', indent: true, align: 'justify', text: `Thời gian giải quyết hồ sơ tạm dừng từ ${moment(issuedAt)} cho đến khi Ông/Bà nộp đủ hồ sơ bổ sung.` });
  }
  blocks.push({ kind: 'paragraph', indent: true, align: 'justify', text: `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${centre.name} để được hướng dẫn.` });
  return issue(context, issuer, issuedAt, {
    kind: 'form-02',
    paper: 'A5',
    suffix: 'YCBS',
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    blocks,
    signatures: [{ title: 'NGƯỜI HƯỚNG DẪN', hint: '(Ký và ghi rõ họ tên)' }],
    subject: `Yêu cầu bổ sung hồ sơ ${state.dossierCode}`,
  });
};

function stepAgency(state: ReceivedDossier, stepId: string): string {
  const runs = state.steps.filter((step) => step.stepId === stepId);
  return runs[runs.length - 1]?.agencyCode ?? state.agencyCode;
}
