// A dossier's history as people read it: one line per event, in English (the API's language) and
// Vietnamese (the auditors' and the forms'), with the detail that matters for that event.
import type { FileOrigin } from '../files/file-model.js';
import type { DossierEvent } from './events.js';
import { INTERAGENCY_SYSTEM_NAMES } from '../interagency/systems.js';

export interface EventLabel {
  readonly en: string;
  readonly vi: string;
}

const MARKS = { early: ['early', 'trước hạn'], 'on-time': ['on time', 'đúng hạn'], late: ['late', 'quá hạn'] } as const;

export function eventLabel(event: DossierEvent): EventLabel {
  switch (event.type) {
    case 'DossierReceived':
      return { en: `Received (${event.data.channel}) for procedure ${event.data.procedureCode}`, vi: `Tiếp nhận hồ sơ (${{ counter: 'trực tiếp', online: 'trực tuyến', post: 'bưu chính' }[event.data.channel]}), thủ tục ${event.data.procedureCode}` };
    case 'SupplementRequestedAtReception':
      return { en: `Supplement requested at reception (form 02), ${event.data.missing.length} item(s)`, vi: `Yêu cầu bổ sung hồ sơ khi tiếp nhận (mẫu 02), ${event.data.missing.length} nội dung` };
    case 'DossierRefusedAtReception':
      return { en: 'Refused at reception (form 03)', vi: 'Từ chối tiếp nhận hồ sơ (mẫu 03)' };
    case 'DossierAccepted':
      return { en: `Accepted (form 01), appointment ${event.data.appointment}`, vi: `Tiếp nhận hồ sơ hợp lệ (mẫu 01), hẹn trả ${event.data.appointment}` };
    case 'StepHandedOff':
      return { en: `Step ${event.data.stepId} (run ${event.data.run}) handed over to the ${event.data.system} system${event.data.reference ? ` (its reference ${event.data.reference})` : ''}`, vi: `Đã chuyển bước ${event.data.stepId} sang ${INTERAGENCY_SYSTEM_NAMES[event.data.system]}${event.data.reference ? ` (số tham chiếu ${event.data.reference})` : ''}` };
    case 'ExternalProgressReported':
      return { en: `The ${event.data.system} system reports step ${event.data.stepId}: ${event.data.status}`, vi: `${INTERAGENCY_SYSTEM_NAMES[event.data.system]} báo tiến độ bước ${event.data.stepId}: ${event.data.status}` };
    case 'StepStarted':
      return { en: `Step ${event.data.stepId} (run ${event.data.run}) handed from ${event.data.fromAgencyCode} to ${event.data.agencyCode}`, vi: `Chuyển hồ sơ từ ${event.data.fromAgencyCode} đến ${event.data.agencyCode}: ${event.data.task}` };
    case 'HandlerAssigned':
      return { en: `Handler ${event.data.handlerUserId} assigned to step ${event.data.stepId}`, vi: `Phân công ${event.data.handlerUserId} xử lý bước ${event.data.stepId}` };
    case 'StepCompleted': {
      const { answeredBy, registration } = event.data;
      const by = answeredBy ? { en: ` by the ${answeredBy} system`, vi: ` trên ${INTERAGENCY_SYSTEM_NAMES[answeredBy]}` } : { en: '', vi: '' };
      const registered = registration ? { en: `, registration ${registration.number}`, vi: `, số đăng ký ${registration.number}` } : { en: '', vi: '' };
      return { en: `Step ${event.data.stepId} completed (${event.data.outcome})${by.en}${registered.en}, ${MARKS[event.data.mark][0]}`, vi: `Hoàn thành bước ${event.data.stepId} (${event.data.outcome === 'approved' ? 'đạt' : 'không đạt'})${by.vi}${registered.vi}, ${MARKS[event.data.mark][1]}` };
    }
    case 'StepSentBack': {
      const { answeredBy } = event.data;
      return { en: `Step ${event.data.stepId} sent back to stage ${event.data.toStageIndex + 1}${answeredBy ? ` by the ${answeredBy} system` : ''}`, vi: `Chuyển trả bước ${event.data.stepId} về bước trước${answeredBy ? ` (${INTERAGENCY_SYSTEM_NAMES[answeredBy]})` : ''}: ${event.data.reason}` };
    }
    case 'ConsultationRequested':
      return { en: `Consultation ${event.data.consultationId} asked of ${event.data.bodyAgencyCode}, reply by ${event.data.replyBy}`, vi: `Lấy ý kiến ${event.data.bodyAgencyCode}, hạn trả lời ${event.data.replyBy}` };
    case 'ConsultationAnswered':
      return { en: `Consultation ${event.data.consultationId} answered${event.data.late ? ' late' : ''}`, vi: `Nhận ý kiến phối hợp${event.data.late ? ' (quá hạn)' : ''}` };
    case 'SupplementRequested':
      return { en: `Supplement requested during processing (form 02), request ${event.data.requestNumber}`, vi: `Yêu cầu bổ sung hồ sơ lần ${event.data.requestNumber} (mẫu 02), tạm dừng thời gian giải quyết` };
    case 'SupplementProvided':
      return { en: `Supplement provided${event.data.clockEffect ? `, clock ${event.data.clockEffect === 'restart' ? 'restarted' : 'resumed'}` : ''}`, vi: `Công dân bổ sung hồ sơ${event.data.clockEffect ? `, thời gian giải quyết ${event.data.clockEffect === 'restart' ? 'tính lại từ đầu' : 'tiếp tục'}` : ''}` };
    case 'FinancialObligationRequested':
      return { en: `Financial obligation notified (${event.data.noticeNumber}, ${event.data.amountVnd} VND${event.data.dueDate ? `, pay by ${event.data.dueDate}` : ''})`, vi: `Thông báo nghĩa vụ tài chính số ${event.data.noticeNumber}, ${event.data.amountVnd} đồng${event.data.dueDate ? `, hạn nộp ${event.data.dueDate}` : ''}` };
    case 'PaymentRecorded':
      return { en: `Payment of ${event.data.amountVnd} VND recorded (${event.data.method})`, vi: `Ghi nhận nộp ${event.data.amountVnd} đồng (${event.data.method === 'online' ? 'trực tuyến' : event.data.method})` };
    case 'ResolutionRefused':
      return { en: 'Refused to resolve after appraisal (form 03)', vi: 'Từ chối giải quyết hồ sơ (mẫu 03)' };
    case 'ApologyIssued':
      return { en: `Apology issued by ${event.data.agencyCode} (form 04), new appointment ${event.data.newAppointment}`, vi: `Văn bản xin lỗi (mẫu 04) của ${event.data.agencyCode}, hẹn lại ${event.data.newAppointment}` };
    case 'ResultIssued': {
      const numbers = (event.data.registrations ?? []).map((registration) => registration.number).join(', ');
      return { en: `Result ${event.data.resultCode} issued${numbers ? ` (registration ${numbers})` : ''}, ${MARKS[event.data.dossierRule][0]}`, vi: `Ban hành kết quả ${event.data.resultCode}${numbers ? ` (số đăng ký ${numbers})` : ''}, ${MARKS[event.data.dossierRule][1]}` };
    }
    case 'ResultReturned':
      return { en: `Result returned (${event.data.method})`, vi: `Trả kết quả (${{ counter: 'trực tiếp', post: 'bưu chính', electronic: 'điện tử' }[event.data.method]})` };
    case 'WithdrawalRequested':
      return { en: 'Withdrawal requested by the applicant', vi: 'Công dân đề nghị rút hồ sơ' };
    case 'WithdrawalDecided':
      return event.data.approved ? { en: 'Withdrawal approved: processing stopped (form 05)', vi: 'Đồng ý dừng giải quyết hồ sơ (mẫu 05)' } : { en: 'Withdrawal declined (form 05)', vi: 'Không đồng ý dừng giải quyết hồ sơ (mẫu 05)' };
    case 'PaymentRequested':
      return { en: `Payment requested (${event.data.purpose}): ${event.data.amountVnd} VND`, vi: `Yêu cầu thanh toán ${event.data.purpose === 'fees' ? 'phí, lệ phí' : 'nghĩa vụ tài chính'}: ${event.data.amountVnd} đồng` };
    case 'EvaluationRecorded': {
      const rating = { 'very-satisfied': 'rất hài lòng', satisfied: 'hài lòng', 'not-satisfied': 'không hài lòng' }[event.data.rating];
      // Before evaluations carried their source (issue 21) staff recorded them: read as then.
      if (event.data.source === 'online') return { en: `Evaluated online by the applicant: ${event.data.rating}`, vi: `Người dân đánh giá trực tuyến: ${rating}` };
      if (event.data.source === 'paper-form') return { en: `Paper evaluation form ${event.data.paperFormReference ?? ''} entered: ${event.data.rating}`, vi: `Nhập phiếu đánh giá giấy số ${event.data.paperFormReference ?? ''}: ${rating}` };
      return { en: `Evaluation recorded: ${event.data.rating}`, vi: `Đánh giá: ${rating}` };
    }
    case 'DeadlineAlerted': {
      const scope = event.data.scope.kind === 'dossier' ? 'dossier' : `step ${event.data.scope.stepId}`;
      return event.data.alert === 'overdue'
        ? { en: `Overdue (${scope}), due ${event.data.due}`, vi: `Quá hạn (${event.data.scope.kind === 'dossier' ? 'hồ sơ' : `bước ${event.data.scope.stepId}`}), hạn ${event.data.due}` }
        : { en: `Due soon (${scope}), due ${event.data.due}`, vi: `Sắp đến hạn (${event.data.scope.kind === 'dossier' ? 'hồ sơ' : `bước ${event.data.scope.stepId}`}), hạn ${event.data.due}` };
    }
    case 'DocumentIssued':
      return {
        en: `Document issued: ${event.data.kind} ${event.data.number}, signature ${event.data.signature.valid ? 'valid' : 'INVALID'}`,
        vi: `Phát hành ${event.data.kind === 'result' ? 'kết quả' : event.data.kind === 'lateness-apology' ? 'văn bản xin lỗi vì hồ sơ quá hạn' : `mẫu ${event.data.kind.slice(-2)}`} số ${event.data.number}, chữ ký số ${event.data.signature.valid ? 'hợp lệ' : 'KHÔNG hợp lệ'}`,
      };
    case 'LatenessApologyIssued':
      return event.data.newAppointment
        ? { en: `Apology for lateness ${event.data.sequence} issued by ${event.data.agencyCode}, new appointment ${event.data.newAppointment} (the due date is unchanged)`, vi: `Văn bản xin lỗi vì hồ sơ quá hạn (lần ${event.data.sequence}) của ${event.data.agencyCode}, hẹn lại ${event.data.newAppointment}` }
        : { en: `Apology for lateness ${event.data.sequence} issued by ${event.data.agencyCode}`, vi: `Văn bản xin lỗi vì hồ sơ quá hạn (lần ${event.data.sequence}) của ${event.data.agencyCode}` };
    case 'LatenessExplained':
      return {
        en: `Accountability explanation by ${event.data.author.userId} of ${event.data.agencyCode} to the head of the agency${event.data.late ? ', after its due date' : ''}`,
        vi: `Giải trình lý do quá hạn của ${event.data.author.userId} (${event.data.agencyCode}) với người đứng đầu cơ quan${event.data.late ? ', quá thời hạn giải trình' : ''}`,
      };
    case 'ComponentFileAttached': {
      // The file's name is personal data: the label names the component, the type and the digest only.
      const from = FILE_ORIGIN_LABELS[event.data.origin.kind];
      const digest = event.data.file.sha256.slice(0, 12);
      return {
        en: `File ${event.data.file.mediaType} (${digest}…) attached to ${event.data.componentId} from ${from.en}${event.data.replaces ? `, replacing ${event.data.replaces.slice(0, 12)}…` : ''}${event.data.approved ? ', approved' : ''}`,
        vi: `Đính kèm tệp cho thành phần ${event.data.componentId} (${from.vi})${event.data.replaces ? ', thay tệp trước' : ''}${event.data.approved ? ', đã duyệt bản số hóa' : ''}`,
      };
    }
    case 'ComponentFileApproved':
      return { en: `File ${event.data.sha256.slice(0, 12)}… of ${event.data.componentId} approved as its digitised copy`, vi: `Duyệt bản số hóa của thành phần ${event.data.componentId}` };
    case 'CalendarAmendmentAdopted': {
      const moved = event.data.dueBefore !== event.data.dueAfter && event.data.dueAfter !== null;
      return {
        en: `Calendar ${event.data.version} adopted from ${event.data.appliesFrom}, ${event.data.changedDays.length} day(s) changed${moved ? `; due ${event.data.dueAfter} (was ${event.data.dueBefore})` : ''}`,
        vi: `Áp dụng lịch nghỉ ${event.data.version} từ ngày ${event.data.appliesFrom} (${event.data.amendment.legalReference}), thay đổi ${event.data.changedDays.length} ngày${moved ? `; hạn mới ${event.data.dueAfter} (hạn cũ ${event.data.dueBefore})` : ''}`,
      };
    }
  }
}

const FILE_ORIGIN_LABELS: Readonly<Record<FileOrigin['kind'], { readonly en: string; readonly vi: string }>> = {
  upload: { en: 'an upload', vi: 'cán bộ tải lên' },
  portal: { en: 'the online submission', vi: 'nộp trực tuyến' },
  'earlier-dossier': { en: "the applicant's earlier dossier", vi: 'tái sử dụng từ hồ sơ trước' },
  'issued-result': { en: 'a result issued to the applicant', vi: 'tái sử dụng kết quả đã cấp' },
  'data-store': { en: "the applicant's e-data store", vi: 'lấy từ kho dữ liệu điện tử' },
};
