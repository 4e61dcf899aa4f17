// Processing (Decree 61/2018 art. 19): steps along the interagency route, consultations, supplements
// and financial obligations that stop the clock. The clock's alerts are decided in decide-deadline-alert.ts.
import { parseInstant } from '../calendar/civil-day.js';
import { systemOfUserId, type InteragencySystem } from '../interagency/systems.js';
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { startStage } from './decide-reception.js';
import { feesRequestSettledBy, staffOnlinePaymentRefusal } from './decide-payment.js';
import { isDomainError } from './decision-guards.js';
import { agencyCalendar, readDossierClock, readStepClock } from './dossier-clock.js';
import { accept, refuse, type Decision } from './errors.js';
import type { DossierEvent, StepMark } from './events.js';
import {
  consultationReplyPreconditions,
  paymentPreconditions,
  provideSupplementPreconditions,
  requestSupplementPreconditions,
  sendStepBackPreconditions,
  stepPreconditions,
} from './processing-preconditions.js';
import { activeSteps, evolveDossier, type ReceivedDossier, type StepRun } from './state.js';

type ProcessingCommand = CommandOfType<
  | 'ProvideSupplement'
  | 'AssignHandler'
  | 'CompleteStep'
  | 'SendStepBack'
  | 'ConsultBody'
  | 'RecordConsultationReply'
  | 'RequestSupplement'
  | 'RequestFinancialObligation'
  | 'RecordPayment'
>;

export function decideProcessing(state: ReceivedDossier, command: ProcessingCommand, context: DecisionContext): Decision<DossierEvent> {
  switch (command.type) {
    case 'ProvideSupplement':
      return provideSupplement(state, command, context);
    case 'AssignHandler':
      return assignHandler(state, command, context);
    case 'CompleteStep':
      return completeStep(state, command, context);
    case 'SendStepBack':
      return sendStepBack(state, command, context);
    case 'ConsultBody':
      return consultBody(state, command, context);
    case 'RecordConsultationReply':
      return recordConsultationReply(state, command, context);
    case 'RequestSupplement':
      return requestSupplement(state, command, context);
    case 'RequestFinancialObligation':
      return requestFinancialObligation(state, command, context);
    case 'RecordPayment':
      return recordPayment(state, command, context);
  }
}

function provideSupplement(state: ReceivedDossier, command: CommandOfType<'ProvideSupplement'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = provideSupplementPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  const duringProcessing = state.status === 'awaiting-supplement';
  const clockEffect = duringProcessing ? state.accepted!.procedure.clock.afterSupplement : null;
  const event: DossierEvent = {
    type: 'SupplementProvided',
    schemaVersion: 1,
    data: { at: now, components: command.components, ...(command.note ? { note: command.note } : {}), duringProcessing, clockEffect, due: null },
  };
  if (!duringProcessing) return accept(event);
  const after = evolveDossier(state, event) as ReceivedDossier;
  return accept({ ...event, data: { ...event.data, due: readDossierClock(after, now).due } });
}

function assignHandler(state: ReceivedDossier, command: CommandOfType<'AssignHandler'>, { now }: DecisionContext): Decision<DossierEvent> {
  const step = stepPreconditions(state, command.actor, command.type, command.stepId);
  if (isDomainError(step)) return refuse(step);
  return accept({ type: 'HandlerAssigned', schemaVersion: 1, data: { at: now, stepId: step.stepId, handlerUserId: command.handlerUserId } });
}

function markOf(state: ReceivedDossier, step: StepRun, now: string): StepMark {
  const reading = readStepClock(state, { ...step, clock: [...step.clock, { type: 'stopped', at: now, outcome: 'resolved' }] }, now);
  return { allottedMinutes: reading.period.budgetMinutes, usedMinutes: reading.elapsed.minutes, mark: reading.outcome!.dossierRule };
}

function completeStep(state: ReceivedDossier, command: CommandOfType<'CompleteStep'>, { now }: DecisionContext): Decision<DossierEvent> {
  const step = stepPreconditions(state, command.actor, command.type, command.stepId, command.run);
  if (isDomainError(step)) return refuse(step);
  const completed: DossierEvent = {
    type: 'StepCompleted',
    schemaVersion: 1,
    data: {
      at: now,
      stepId: step.stepId,
      outcome: command.outcome,
      ...(command.note ? { note: command.note } : {}),
      ...markOf(state, step, now),
      ...(command.resultFile ? { resultFile: command.resultFile } : {}),
      ...(command.registration ? { registration: command.registration } : {}),
      ...answeredBy(command.actor),
    },
  };
  const after = evolveDossier(state, completed) as ReceivedDossier;
  // The next stage begins when every step of this one is done and approved; a step that did not
  // approve leaves the decision (refusal, or sending back) to the competent agency's head.
  const stage = after.steps.filter((candidate) => candidate.stageIndex === step.stageIndex && candidate.run === step.run);
  const stageApproved = stage.every((candidate) => candidate.status === 'completed' && candidate.outcome === 'approved');
  if (!stageApproved) return accept(completed);
  const procedure = state.accepted!.procedure;
  const nextRun = runOfStage(after, step.stageIndex + 1) + 1;
  return accept<DossierEvent>(completed, ...startStage(procedure, step.stageIndex + 1, nextRun, step.agencyCode, now, (code) => agencyCalendar(state, code, now)));
}

/** Marks an event as recorded from an outside system's answer (form 06's "answer came back"). */
function answeredBy(actor: Actor): { answeredBy?: InteragencySystem } {
  const system = actor.role === 'interagency' ? systemOfUserId(actor.userId) : undefined;
  return system ? { answeredBy: system } : {};
}

function runOfStage(state: ReceivedDossier, stageIndex: number): number {
  return Math.max(0, ...state.steps.filter((step) => step.stageIndex === stageIndex).map((step) => step.run));
}

function sendStepBack(state: ReceivedDossier, command: CommandOfType<'SendStepBack'>, { now }: DecisionContext): Decision<DossierEvent> {
  const checked = sendStepBackPreconditions(state, command.actor, command.stepId, command.run);
  if (isDomainError(checked)) return refuse(checked);
  const { step, rejected } = checked;
  const stageSteps = rejected ? [] : activeSteps(state).filter((candidate) => candidate.stageIndex === step.stageIndex);
  const sentBack: DossierEvent[] = stageSteps.map((candidate) => ({
    type: 'StepSentBack',
    schemaVersion: 1,
    // Only the step the command named was sent back by its system's answer; the rest of its stage goes with it.
    data: { at: now, stepId: candidate.stepId, reason: command.reason, toStageIndex: step.stageIndex - 1, ...markOf(state, candidate, now), ...(candidate.stepId === step.stepId ? answeredBy(command.actor) : {}) },
  }));
  const procedure = state.accepted!.procedure;
  const restarted = startStage(procedure, step.stageIndex - 1, runOfStage(state, step.stageIndex - 1) + 1, step.agencyCode, now, (code) => agencyCalendar(state, code, now));
  return accept<DossierEvent>(...sentBack, ...restarted);
}

function consultBody(state: ReceivedDossier, command: CommandOfType<'ConsultBody'>, { now }: DecisionContext): Decision<DossierEvent> {
  const step = stepPreconditions(state, command.actor, command.type, command.stepId);
  if (isDomainError(step)) return refuse(step);
  if (state.consultations.some((consultation) => consultation.consultationId === command.consultationId)) {
    return refuse({
      code: 'CONSULTATION_ALREADY_EXISTS',
      message: `Dossier ${state.dossierCode} already has a consultation ${command.consultationId}; give a new one its own id.`,
      rule: 'Each consultation is logged with its content and deadline (Decree 61/2018 art. 19(5))',
      field: 'consultationId',
    });
  }
  return accept({
    type: 'ConsultationRequested',
    schemaVersion: 1,
    data: { at: now, stepId: step.stepId, consultationId: command.consultationId, bodyAgencyCode: command.bodyAgencyCode, question: command.question, replyBy: command.replyBy },
  });
}

function recordConsultationReply(state: ReceivedDossier, command: CommandOfType<'RecordConsultationReply'>, { now }: DecisionContext): Decision<DossierEvent> {
  const consultation = consultationReplyPreconditions(state, command.actor, command.consultationId);
  if (isDomainError(consultation)) return refuse(consultation);
  return accept({
    type: 'ConsultationAnswered',
    schemaVersion: 1,
    data: { at: now, consultationId: command.consultationId, reply: command.reply, late: parseInstant(now) > parseInstant(consultation.replyBy) },
  });
}

function requestSupplement(state: ReceivedDossier, command: CommandOfType<'RequestSupplement'>, context: DecisionContext): Decision<DossierEvent> {
  const { now } = context;
  const step = requestSupplementPreconditions(state, command.actor, command.stepId, context, command.run);
  if (isDomainError(step)) return refuse(step);
  const requestNumber = state.supplementRequests + 1;
  if (requestNumber > 1 && !command.reasonForAnotherRequest) {
    return refuse({
      code: 'ANOTHER_SUPPLEMENT_NEEDS_REASON',
      message: `A supplement was already requested during processing of dossier ${state.dossierCode}; another request needs reasonForAnotherRequest, and Decision 766 will count the dossier late.`,
      rule: 'Supplement once, fully (Decree 61/2018 art. 19(4)); more than one request is late under Decision 766/QĐ-TTg',
      field: 'reasonForAnotherRequest',
    });
  }
  return accept({
    type: 'SupplementRequested',
    schemaVersion: 1,
    data: {
      at: now,
      stepId: step.stepId,
      missing: command.missing,
      viaAgencyCode: state.agencyCode,
      requestNumber,
      ...(command.reasonForAnotherRequest ? { reasonForAnotherRequest: command.reasonForAnotherRequest } : {}),
      countedLateByDecision766: requestNumber > 1,
    },
  });
}

function requestFinancialObligation(state: ReceivedDossier, command: CommandOfType<'RequestFinancialObligation'>, { now }: DecisionContext): Decision<DossierEvent> {
  const step = stepPreconditions(state, command.actor, command.type, command.stepId, command.run);
  if (isDomainError(step)) return refuse(step);
  return accept({
    type: 'FinancialObligationRequested',
    schemaVersion: 1,
    data: {
      at: now,
      stepId: step.stepId,
      noticeNumber: command.noticeNumber,
      amountVnd: command.amountVnd,
      ...(command.dueDate ? { dueDate: command.dueDate } : {}),
      ...(command.noticeFile ? { noticeFile: command.noticeFile } : {}),
    },
  });
}

function recordPayment(state: ReceivedDossier, command: CommandOfType<'RecordPayment'>, { now, staffOnlinePaymentsAsBefore }: DecisionContext): Decision<DossierEvent> {
  const guard = paymentPreconditions(state, command.actor) ?? (staffOnlinePaymentsAsBefore ? null : staffOnlinePaymentRefusal(state, command));
  if (guard) return refuse(guard);
  // The tax authority's electronic receipt settles its notice whole: another amount is a receipt for
  // something else (or a notice corrected since), never a silent partial settlement. Staff record
  // what the paper receipt says, as before.
  const pending = state.pendingObligation;
  if (command.actor.role === 'interagency' && pending && command.amountVnd !== pending.amountVnd) {
    return refuse({
      code: 'PAYMENT_AMOUNT_MISMATCH',
      message: `Receipt ${command.receiptNumber} is for ${command.amountVnd} VND, but notice ${pending.noticeNumber} of dossier ${state.dossierCode} asks for ${pending.amountVnd} VND; it is not recorded.`,
      rule: 'An electronic receipt of payment settles the notice for its whole amount',
      field: 'amountVnd',
    });
  }
  // A refusal while the obligation was pending stopped the clock for good (result-ready): a payment
  // after it is recorded and resumes nothing, rather than reopening a decided dossier.
  const resumedClock = state.pendingObligation !== undefined && state.status !== 'result-ready';
  const settledRequest = feesRequestSettledBy(state, command.amountVnd, resumedClock);
  const event: DossierEvent = {
    type: 'PaymentRecorded',
    schemaVersion: 1,
    data: {
      at: now,
      amountVnd: command.amountVnd,
      method: command.method,
      ...(command.onlineGateway ? { onlineGateway: command.onlineGateway } : {}),
      receiptNumber: command.receiptNumber,
      resumedClock,
      due: null,
      ...(command.receiptFile ? { receiptFile: command.receiptFile } : {}),
      ...(command.paidAt ? { paidAt: command.paidAt } : {}),
      ...(settledRequest ? { settledRequest } : {}),
    },
  };
  if (!resumedClock) return accept(event);
  const after = evolveDossier(state, event) as ReceivedDossier;
  return accept({ ...event, data: { ...event.data, due: readDossierClock(after, now).due } });
}
