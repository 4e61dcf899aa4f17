// Form 01 (giấy tiếp nhận hồ sơ và hẹn trả kết quả): issued on acceptance, with the appointment.
import { digitisedComponents, reusedComponents } from '../../dossier/component-files.js';
import type { ProcedureVersion } from '../../catalogue/procedure.js';
import { vietnamDateOf } from '../../calendar/vietnam-time.js';
import type { SubmittedComponent } from '../../dossier/commands.js';
import type { Block } from '../document-model.js';
import { agencyOf, applicantFields, issue, moment, type FormBuilder } from '../form-parts.js';

const FORM_LABEL: Record<SubmittedComponent['form'], string> = {
  original: 'Bản chính',
  'certified-copy': 'Bản sao chứng thực',
  photocopy: 'Bản chụp',
};

const CHANNEL_RETURN: Record<string, string> = {
  counter: 'Bộ phận Một cửa (trực tiếp)',
  online: 'Cổng Dịch vụ công (trực tuyến)',
  post: 'Dịch vụ bưu chính công ích',
};

function budgetText(procedure: ProcedureVersion): string {
  const { amount, unit } = procedure.clock.budget as { amount: number; unit: string };
  const units: Record<string, string> = { 'working-days': 'ngày làm việc', 'working-hours': 'giờ làm việc', 'calendar-days': 'ngày', 'same-day': 'trong ngày' };
  return unit === 'same-day' ? 'Trả kết quả trong ngày' : `${amount} ${units[unit] ?? unit}`;
}

/** Form 01: receipt and appointment. */
export const receipt: FormBuilder = (context, trigger) => {
  if (trigger.type !== 'DossierAccepted') throw new RangeError('form 01 is issued on acceptance');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const centre = agencyOf(context, state.agencyCode);
  const procedure = trigger.data.procedure;
  // From the components' files (and, in dossiers accepted before them, the flags staff ticked).
  const digitised = digitisedComponents(state.files ?? []);
  const reused = reusedComponents(state.files ?? []);
  const components = trigger.data.components.map((submitted, index) => {
    const definition = procedure.components.find((component) => component.id === submitted.componentId);
    const notes = [
      submitted.digitised || digitised.has(submitted.componentId) ? 'Đã số hóa' : '',
      submitted.reusedFromData || reused.has(submitted.componentId) ? 'Lấy từ dữ liệu điện tử' : '',
    ].filter(Boolean).join('; ');
    return [String(index + 1), definition?.name ?? submitted.componentId, FORM_LABEL[submitted.form], String(definition?.count ?? 1), notes];
  });
  const serial = state.dossierCode.split('-').pop()!;
  const blocks: Block[] = [
    { kind: 'paragraph', text: `${centre.name} tiếp nhận hồ sơ của:` },
    { kind: 'fields', rows: [...applicantFields(applicant), { label: 'Nội dung yêu cầu giải quyết', value: procedure.name }] },
    { kind: 'paragraph', text: '1. Thành phần hồ sơ nộp gồm:' },
    { kind: 'table', columns: [{ header: 'STT', width: 0.08 }, { header: 'Tên giấy tờ', width: 0.4 }, { header: 'Hình thức', width: 0.2 }, { header: 'Số lượng', width: 0.13 }, { header: 'Ghi chú', width: 0.19 }], rows: components },
    { kind: 'paragraph', text: '2. Số lượng hồ sơ: 01 bộ.' },
    { kind: 'paragraph', text: `3. Thời gian giải quyết hồ sơ theo quy định là: ${budgetText(procedure)}.` },
    { kind: 'paragraph', text: `4. Thời gian nhận hồ sơ: ${moment(issuedAt)}.` },
    { kind: 'paragraph', text: `5. Thời gian trả kết quả giải quyết hồ sơ: ${moment(trigger.data.appointment)}.` },
    { kind: 'paragraph', text: `6. Đăng ký nhận kết quả tại: ${CHANNEL_RETURN[state.channel] ?? state.channel}.` },
    { kind: 'paragraph', text: `Vào Sổ theo dõi hồ sơ, Quyển số: ${vietnamDateOf(new Date(issuedAt)).year}, Số thứ tự: ${serial}.`, italic: true },
  ];
  return issue(context, centre, issuedAt, {
    kind: 'form-01',
    paper: 'A5',
    suffix: 'TNHS',
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    subtitle: [`Mã hồ sơ: ${state.dossierCode}`, '(Liên: 01 lưu tại Bộ phận Một cửa; 01 giao người nộp hồ sơ)'],
    blocks,
    signatures: [
      { title: 'NGƯỜI NỘP HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: applicant.fullName },
      { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)' },
    ],
    subject: `Tiếp nhận hồ sơ ${state.dossierCode}`,
  });
};
