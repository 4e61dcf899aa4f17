// The documents a dossier's events call for, and what each says: forms 01–06 of Circular
// 03/2025/TT-VPCP and the result, built from the events alone (domain.md §3). The same events
// always give the same model, so the rendered and signed document is reproducible.
//
// The form layouts follow the field lists of Circular 01/2018 as rebuilt in domain.md §3.2; the
// Circular 03/2025 Appendix I layouts were not available to check (domain.md §7.2).
import type { Agency } from '../catalogue/agency.js';
import type { ProcedureVersion } from '../catalogue/procedure.js';
import { formatVietnameseLongDate, formatVietnameseMoment, formatVietnameseShortDate, vietnamDateOf } from '../calendar/vietnam-time.js';
import type { Classification } from '../clock/on-time-classification.js';
import type { Applicant, SubmittedComponent } from '../dossier/commands.js';
import type { DossierEvent } from '../dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState, type ReceivedDossier } from '../dossier/state.js';
import type { Block, DocumentKind, DocumentModel, SignatureBox } from './document-model.js';

/** A document to issue: which, for which event (its stream version), and its number in the dossier. */
export interface DocumentRequest {
  readonly kind: DocumentKind;
  /** `<dossier code>/<kind>/<n>`: the same on every retry. */
  readonly documentId: string;
  /** The stream version of the event that calls for it; the document is built from the events up to it. */
  readonly forVersion: number;
}

const CALLED_FOR: Partial<Record<DossierEvent['type'], readonly DocumentKind[]>> = {
  DossierAccepted: ['form-01'],
  SupplementRequestedAtReception: ['form-02'],
  SupplementRequested: ['form-02'],
  DossierRefusedAtReception: ['form-03'],
  ResolutionRefused: ['form-03'],
  ApologyIssued: ['form-04'],
  WithdrawalDecided: ['form-05'],
  // The result comes with the control slip as it stood when the work was done.
  ResultIssued: ['result', 'form-06'],
};

/**
 * The documents that newly appended events call for. `firstVersion` is the stream version of the
 * first of them; `issued` counts the documents of each kind already issued or requested.
 */
export function documentsCalledFor(dossierCode: string, events: readonly DossierEvent[], firstVersion: number, issued: Readonly<Partial<Record<DocumentKind, number>>>): DocumentRequest[] {
  const counts: Partial<Record<DocumentKind, number>> = { ...issued };
  return events.flatMap((event, index) =>
    (CALLED_FOR[event.type] ?? []).map((kind) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      return { kind, documentId: `${dossierCode}/${kind}/${counts[kind]}`, forVersion: firstVersion + index };
    }),
  );
}

export interface DossierDocument {
  readonly model: DocumentModel;
  /** The agency that issues and signs it. */
  readonly issuerAgencyCode: string;
  /** The instant it is issued (the event's): its date and its signing time. */
  readonly issuedAt: string;
}

/** The document a request names, from the dossier's events up to `request.forVersion`. */
export function dossierDocument(request: DocumentRequest, events: readonly DossierEvent[]): DossierDocument {
  if (events.length < request.forVersion) throw new RangeError(`${request.documentId} is for version ${request.forVersion}, but only ${events.length} events were given`);
  const upTo = events.slice(0, request.forVersion);
  let state: DossierState = newDossier(dossierCodeOf(request));
  for (const event of upTo) state = evolveDossier(state, event);
  if (!isReceived(state)) throw new RangeError(`${request.documentId}: the dossier was never received`);
  const trigger = upTo[upTo.length - 1]!;
  const received = upTo.find((event) => event.type === 'DossierReceived');
  if (!received || received.type !== 'DossierReceived') throw new RangeError(`${request.documentId}: no DossierReceived event`);
  const context: Context = { request, state, events: upTo, applicant: received.data.applicant, sequence: Number(request.documentId.split('/').pop()) };
  const build = BUILDERS[request.kind];
  return build(context, trigger);
}

function dossierCodeOf(request: DocumentRequest): string {
  return request.documentId.split('/')[0]!;
}

interface Context {
  readonly request: DocumentRequest;
  readonly state: ReceivedDossier;
  readonly events: readonly DossierEvent[];
  readonly applicant: Applicant;
  readonly sequence: number;
}

type Builder = (context: Context, trigger: DossierEvent) => DossierDocument;

const at = (event: DossierEvent): string => (event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at);
const moment = (iso: string) => formatVietnameseMoment(new Date(iso));
const day = (iso: string) => formatVietnameseShortDate(new Date(iso));

function agencyOf(context: Context, code: string): Agency {
  const pinned = context.state.accepted?.agencies.find((agency) => agency.code === code);
  if (pinned) return pinned;
  // Before acceptance only the receiving centre is known, as reception pinned it (older events lack
  // that, and the centre is then named by its code).
  const centre = code === context.state.agencyCode ? context.state.centre : undefined;
  return { code, name: centre?.name ?? code, ...(centre?.superior ? { superior: centre.superior } : {}), ...(centre?.place ? { place: centre.place } : {}), kind: 'one-stop-centre', parentCode: null, calendarId: 'vn-civil-service', schedule: { weeklyRestDays: ['saturday', 'sunday'], officeHours: [] } };
}

function procedureName(context: Context): string {
  return context.state.accepted?.procedure.name ?? `Thủ tục hành chính mã ${context.state.procedureCode}`;
}

/** The QR code's content (Circular 01/2023): dossier code, procedure code, applicant's identifier. */
function qrOf(context: Context): string {
  return [context.state.dossierCode, context.state.procedureCode, context.applicant.identityNumber].join('|');
}

function header(context: Context, issuer: Agency, issuedAt: string, suffix: string) {
  return {
    issuer: { ...(issuer.superior ? { superior: issuer.superior } : {}), name: issuer.name },
    // Numbered within the dossier, whose code the document carries under its title.
    number: `Số: ${String(context.sequence).padStart(2, '0')}/${suffix}`,
    placeAndDate: `${issuer.place ? `${issuer.place}, ` : ''}${formatVietnameseLongDate(new Date(issuedAt))}`,
    qr: qrOf(context),
  };
}

interface FormParts {
  readonly kind: DocumentKind;
  readonly paper: DocumentModel['paper'];
  /** The number's suffix (TNHS, YCBS, …). */
  readonly suffix: string;
  readonly title: string;
  /** Under the title; the dossier code by default. */
  readonly subtitle?: readonly string[];
  readonly blocks: readonly Block[];
  readonly signatures: readonly SignatureBox[];
  readonly recipients?: readonly string[];
  /** The PDF's subject line. */
  readonly subject: string;
  readonly number?: string;
}

/** A document issued by `issuer` at `issuedAt`: the common parts (header, QR, metadata) around a form's own. */
function issue(context: Context, issuer: Agency, issuedAt: string, parts: FormParts): DossierDocument {
  const { suffix, subject, number, subtitle, ...own } = parts;
  return {
    issuerAgencyCode: issuer.code,
    issuedAt,
    model: {
      ...header(context, issuer, issuedAt, suffix),
      ...(number ? { number } : {}),
      subtitle: subtitle ?? [`Mã hồ sơ: ${context.state.dossierCode}`],
      ...own,
      metadata: { issuedAt, documentId: context.request.documentId, subject },
    },
  };
}

function applicantFields(applicant: Applicant): { label: string; value: string }[] {
  return [
    { label: applicant.kind === 'organisation' ? 'Tổ chức' : 'Ông/Bà', value: applicant.fullName },
    ...(applicant.address ? [{ label: 'Địa chỉ', value: applicant.address }] : []),
    ...(applicant.phone ? [{ label: 'Số điện thoại', value: applicant.phone }] : []),
    ...(applicant.email ? [{ label: 'Thư điện tử', value: applicant.email }] : []),
  ];
}

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

const MARK_LABEL: Record<Classification, string> = { early: 'Trước hạn', 'on-time': 'Đúng hạn', late: 'Quá hạn' };

function budgetText(procedure: ProcedureVersion): string {
  const { amount, unit } = procedure.clock.budget as { amount: number; unit: string };
  const units: Record<string, string> = { 'working-days': 'ngày làm việc', 'working-hours': 'giờ làm việc', 'calendar-days': 'ngày', 'same-day': 'trong ngày' };
  return unit === 'same-day' ? 'Trả kết quả trong ngày' : `${amount} ${units[unit] ?? unit}`;
}

/** Form 01: receipt and appointment. */
const receipt: Builder = (context, trigger) => {
  if (trigger.type !== 'DossierAccepted') throw new RangeError('form 01 is issued on acceptance');
  const { state, applicant } = context;
  const issuedAt = trigger.data.at;
  const centre = agencyOf(context, state.agencyCode);
  const procedure = trigger.data.procedure;
  const components = trigger.data.components.map((submitted, index) => {
    const definition = procedure.components.find((component) => component.id === submitted.componentId);
    const notes = [submitted.digitised ? 'Đã số hóa' : '', submitted.reusedFromData ? 'Lấy từ dữ liệu điện tử' : ''].filter(Boolean).join('; ');
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

/** Form 02: everything to supplement, in one list; at reception or during processing. */
const supplementRequest: Builder = (context, trigger) => {
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

/** Form 03: refusal at reception, or refusal to resolve after appraisal. */
const refusal: Builder = (context, trigger) => {
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

/** Form 04: apology and the new appointment, before the due time. */
const apology: Builder = (context, trigger) => {
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

/** Form 05: the decision on the applicant's request to stop (withdraw) the dossier. */
const stopNotice: Builder = (context, trigger) => {
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
    recipients: ['Như trên;', `${centre.name};`, 'Lưu: VT.'],
    subject: `Dừng giải quyết hồ sơ ${state.dossierCode}`,
  });
};

/** Form 06: the process control slip, one row per hand-over, with each node's mark. */
const controlSlip: Builder = (context, trigger) => {
  const { state } = context;
  const issuedAt = at(trigger);
  const centre = agencyOf(context, state.agencyCode);
  const name = (code: string) => agencyOf(context, code).name;
  const rows = state.steps.map((step) => {
    const finishedAt = step.status === 'active' ? null : (step.clock[step.clock.length - 1]?.at ?? null);
    const note = { active: 'Đang giải quyết', completed: 'Đã xử lý xong', 'sent-back': 'Chuyển lại bước trước', stopped: 'Dừng cùng hồ sơ' }[step.status];
    return [
      `Giao: ${name(step.fromAgencyCode)}. Nhận: ${name(step.agencyCode)} (${step.task})`,
      `${moment(step.startedAt)}${finishedAt ? `; xong: ${moment(finishedAt)}` : ''}`,
      step.mark ? MARK_LABEL[step.mark.mark] : '',
      note,
    ];
  });
  const competent = state.accepted?.procedure.competentAgencyCode ?? state.agencyCode;
  const cooperating = [...new Set(state.steps.map((step) => step.agencyCode))].filter((code) => code !== competent).map(name);
  return issue(context, centre, issuedAt, {
    kind: 'form-06',
    paper: 'A4',
    suffix: 'KSQT',
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    // The receipt it goes with, when the engine issued one (dossiers accepted before documents have none).
    subtitle: [`Mã hồ sơ: ${state.dossierCode}`, ...((state.documents ?? []).includes(`${state.dossierCode}/form-01/1`) ? ['(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 01/TNHS)'] : [])],
    blocks: [
      { kind: 'fields', rows: [
        { label: 'Cơ quan giải quyết hồ sơ', value: name(competent) },
        { label: 'Cơ quan phối hợp giải quyết', value: cooperating.length > 0 ? cooperating.join('; ') : 'Không' },
      ] },
      {
        kind: 'table',
        columns: [{ header: 'TÊN CƠ QUAN', width: 0.38 }, { header: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', width: 0.3 }, { header: 'KẾT QUẢ GIẢI QUYẾT (trước hạn/đúng hạn/quá hạn)', width: 0.16 }, { header: 'GHI CHÚ', width: 0.16 }],
        rows,
      },
    ],
    signatures: [],
    subject: `Phiếu kiểm soát hồ sơ ${state.dossierCode}`,
  });
};

const RESULT_TITLE: Record<ProcedureVersion['resultType'], string> = {
  certificate: 'GIẤY CHỨNG NHẬN',
  decision: 'QUYẾT ĐỊNH',
  'certified-copy': 'BẢN SAO CHỨNG THỰC',
  registration: 'GIẤY CHỨNG NHẬN ĐĂNG KÝ',
  'written-confirmation': 'VĂN BẢN XÁC NHẬN',
};

/** The result: one template for every procedure, titled by the procedure's kind of result. */
const result: Builder = (context, trigger) => {
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

function stepAgency(state: ReceivedDossier, stepId: string): string {
  const runs = state.steps.filter((step) => step.stepId === stepId);
  return runs[runs.length - 1]?.agencyCode ?? state.agencyCode;
}

const BUILDERS: Record<DocumentKind, Builder> = {
  'form-01': receipt,
  'form-02': supplementRequest,
  'form-03': refusal,
  'form-04': apology,
  'form-05': stopNotice,
  'form-06': controlSlip,
  // The register is a unit's, not a dossier's: db/reports builds it for a period.
  'form-07': () => {
    throw new RangeError('form 07 (the register) is built for a unit and a period, not for one dossier');
  },
  result,
};
