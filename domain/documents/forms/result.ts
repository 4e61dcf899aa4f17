// The result document: one template for every procedure, titled by the kind of result it is.
import type { ProcedureVersion } from '../../catalogue/procedure.js';
import type { SignatureBox } from '../document-model.js';
import { agencyOf, applicantFields, issue, moment, type FormBuilder } from '../form-parts.js';

const RESULT_TITLE: Record<ProcedureVersion['resultType'], string> = {
  certificate: 'GIẤY CHỨNG NHẬN',
  decision: 'QUYẾT ĐỊNH',
  'certified-copy': 'BẢN SAO CHỨNG THỰC',
  registration: 'GIẤY CHỨNG NHẬN ĐĂNG KÝ',
  'written-confirmation': 'VĂN BẢN XÁC NHẬN',
};

/** The result: one template for every procedure, titled by the procedure's kind of result. */
export const result: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'ResultIssued') throw new RangeError('the result is issued with ResultIssued');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const procedure = state.accepted!.procedure;
  const issuer = agencyOf(context, procedure.competentAgencyCode);
  const signatures: SignatureBox[] = [{ title: 'THỦ TRƯỞNG CƠ QUAN', hint: '(Đã ký số)' }];
  return issue(context, issuer, issuedAt, {
    kind: 'result',
    paper: 'A4',
    suffix: 'KQ',
    number: `Số: ${trigger.data.resultCode}`,
    title: RESULT_TITLE[procedure.resultType],
    subtitle: [procedure.name],
    blocks: [
      { kind: 'paragraph', indent: true, align: 'justify', text: `Căn cứ ${procedure.legalBasis};` },
      { kind: 'paragraph', indent: true, align: 'justify', text: `Căn cứ hồ sơ mã ${state.dossierCode} tiếp nhận ${moment(state.accepted!.at)} và kết quả thẩm định;` },
      { kind: 'paragraph', align: 'center', bold: true, text: `${issuer.name.toLocaleUpperCase('vi')} ${procedure.resultType === 'decision' ? 'QUYẾT ĐỊNH' : 'CHỨNG NHẬN'}:` },
      { kind: 'fields', rows: [
        ...applicantFields(applicant).slice(0, 2),
        { label: applicant.kind === 'organisation' ? 'Mã số doanh nghiệp/thuế' : 'Số định danh cá nhân', value: applicant.identityNumber },
        { label: 'Nội dung', value: procedure.name },
        { label: 'Văn bản số', value: trigger.data.document.reference },
        { label: 'Mã kết quả', value: trigger.data.resultCode },
      ] },
      { kind: 'paragraph', indent: true, align: 'justify', italic: true, text: 'Văn bản điện tử này được ký số và có giá trị pháp lý như văn bản giấy (Nghị định số 45/2020/NĐ-CP). Tra cứu bằng mã kết quả tại Bộ phận Một cửa hoặc cổng dịch vụ công.' },
    ],
    signatures,
    recipients: ['Tổ chức, cá nhân có tên trên;', `${agencyOf(context, state.agencyCode).name};`, 'Lưu: VT.'],
    subject: `Kết quả ${trigger.data.resultCode}`,
  });
};
