// A well-formed command of each type a person sends to a dossier, with a plausible payload, for
// tests that ask whether the actions offered (domain/dossier/command-availability.ts) are the ones
// the decider takes. `variant` picks between payloads where the process branches (approved or not).
import { formatVietnamInstant, parseInstant } from '../../domain/calendar/civil-day.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { PersonCommandType } from '../../domain/dossier/command-availability.js';
import type { LifecycleCommand } from '../../domain/dossier/commands.js';
import { dossierCalendar, readDossierClock } from '../../domain/dossier/dossier-clock.js';
import { awaitingResult } from '../../domain/dossier/lateness.js';
import type { ReceivedDossier } from '../../domain/dossier/state.js';
import { completeComponents, pinned, TAX_OFFICE } from './dossier-fixtures.js';
import { verifiedResult } from './result-fields.js';

export interface CommandSubject {
  readonly stepId?: string;
  readonly consultationId?: string;
}

const DAY = 86_400_000;

let serial = 0;

/** The command `type` by `actor` on `state` at `now`, naming the step or consultation in `subject`. */
export function wellFormedCommand(state: ReceivedDossier, type: PersonCommandType, actor: Actor, subject: CommandSubject, now: string, variant = 1): LifecycleCommand {
  serial += 1;
  const envelope = { type, commandId: `well-formed-${serial}`, dossierCode: state.dossierCode, actor };
  const stepId = subject.stepId ?? 'no-step';
  // Before acceptance the dossier has no calendar; such a command is refused before it is read.
  const officeMomentAfter = (epochMs: number) => formatVietnamInstant(state.accepted ? dossierCalendar(state).nextOfficeMoment(epochMs) : epochMs);
  const fields = ((): object => {
    switch (type) {
      case 'AcceptDossier':
        return { components: completeComponents(state.procedureCode), pinned: pinned(state.procedureCode) };
      case 'RequestSupplementAtReception':
        return { missing: [{ componentId: 'application', description: 'Đơn đề nghị', reason: 'Thiếu chữ ký' }] };
      case 'RefuseAtReception':
        return { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP, Điều 17' };
      case 'ProvideSupplement':
        return { components: [] };
      case 'AssignHandler':
        return { stepId, handlerUserId: 'chuyenvien.binh' };
      case 'CompleteStep':
        return { stepId, outcome: variant % 5 === 0 ? 'not-approved' : 'approved' };
      case 'SendStepBack':
        return { stepId, reason: 'Chưa đủ căn cứ' };
      case 'ConsultBody':
        return { stepId, consultationId: `consultation-${serial}`, bodyAgencyCode: TAX_OFFICE, question: 'Đề nghị cho ý kiến', replyBy: formatVietnamInstant(parseInstant(now) + 3 * DAY) };
      case 'RecordConsultationReply':
        return { consultationId: subject.consultationId ?? 'no-consultation', reply: 'Thống nhất' };
      case 'RequestSupplement':
        return { stepId, missing: [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }], reasonForAnotherRequest: 'Phát sinh khi thẩm định' };
      case 'RequestFinancialObligation':
        return { stepId, noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 };
      case 'RecordPayment':
        return { amountVnd: 12_500_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: `BL-${serial}` };
      case 'RefuseToResolve':
        return { reasons: ['Không đủ điều kiện'], legalBasis: 'Luật Đất đai 2024' };
      case 'IssueApology': {
        const due = state.accepted ? parseInstant(readDossierClock(state, now).due) : parseInstant(now);
        return { reason: 'Chờ ý kiến của cơ quan thuế', newAppointment: officeMomentAfter(due + 7 * DAY) };
      }
      case 'IssueResult':
        return verifiedResult(`${serial}/QĐ-UBND`, state.accepted?.procedure.competentAgencyCode ?? actor.agencyCode);
      case 'ReturnResult':
        return { method: 'counter', applicantNotifiedInAdvance: true };
      case 'RequestWithdrawal':
        return { reason: 'Công dân không còn nhu cầu' };
      case 'DecideWithdrawal':
        return { approved: variant % 2 === 0, reason: 'Theo đề nghị của công dân' };
      case 'RecordEvaluation':
        return actor.role === 'citizen' ? { rating: 'satisfied', source: 'online' } : { rating: 'satisfied', source: 'paper-form', paperFormReference: `PĐG-${serial}` };
      case 'IssueLatenessApology':
        return { reason: 'Chờ ý kiến của cơ quan thuế', ...(awaitingResult(state) ? { newAppointment: officeMomentAfter(parseInstant(now) + 3 * DAY) } : {}) };
      case 'RecordLatenessExplanation':
        return { reason: 'Chuyên viên thụ lý nghỉ ốm, chưa bàn giao hồ sơ' };
    }
  })();
  return { ...envelope, ...fields } as LifecycleCommand;
}
