// The preconditions of each processing command (Decree 61/2018 art. 19): what refuses it whatever its
// payload, or for a step command whatever its payload but the step it names. The decider
// (decide-processing.ts) checks them first; command-availability.ts asks the same functions which
// commands, on which steps, a caller may send now.
import { systemOfUserId } from '../interagency/systems.js';
import type { Actor } from './actor.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, isDomainError, notReceivingCentre, outOfOrder, roleNotAllowed, stepInHand } from './decision-guards.js';
import { readStepClock, stepCalendar } from './dossier-clock.js';
import type { DomainError } from './errors.js';
import { activeSteps, type Consultation, type ReceivedDossier, type StepRun } from './state.js';

/** Working days after a step receives the dossier within which it may ask for a supplement. */
export const SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS = 3;

/** The commands that act on one step of the route, named by its stepId. */
export type StepCommandType = 'AssignHandler' | 'CompleteStep' | 'SendStepBack' | 'ConsultBody' | 'RequestSupplement' | 'RequestFinancialObligation' | 'ReportExternalProgress';

/** The checks for a command on a step in progress by the agency that holds it. */
export function stepPreconditions(state: ReceivedDossier, actor: Actor, commandType: StepCommandType, stepId: string, run?: number): StepRun | DomainError {
  const guard = firstRefusal(() => outOfOrder(state, commandType, ['in-processing']), () => roleNotAllowed(actor, commandType));
  if (guard) return guard;
  return stepInHand(state, stepId, actor, commandType, run);
}

export function provideSupplementPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return firstRefusal(
    () => outOfOrder(state, 'ProvideSupplement', ['awaiting-supplement-at-reception', 'awaiting-supplement']),
    () => roleNotAllowed(actor, 'ProvideSupplement'),
    () => notReceivingCentre(state, actor, 'ProvideSupplement'),
  );
}

/** The step a dossier is sent back from, and whether it is a step completed as not approved. */
export function sendStepBackPreconditions(state: ReceivedDossier, actor: Actor, stepId: string, run?: number): { readonly step: StepRun; readonly rejected: boolean } | DomainError {
  const rejected = state.status === 'in-processing' && !roleNotAllowed(actor, 'SendStepBack') ? notApprovedStep(state, actor, stepId) : undefined;
  const step = rejected ?? stepPreconditions(state, actor, 'SendStepBack', stepId, run);
  if (isDomainError(step)) return step;
  if (step.stageIndex === 0) {
    return {
      code: 'NO_PREVIOUS_STAGE',
      message: `Step ${step.stepId} is on the first stage of the route; there is no earlier step to send dossier ${state.dossierCode} back to. Request a supplement or refuse instead.`,
      rule: 'The interagency route of the procedure (Decree 61/2018 art. 19(6))',
      field: 'stepId',
    };
  }
  return { step, rejected: rejected !== undefined };
}

export function consultationReplyPreconditions(state: ReceivedDossier, actor: Actor, consultationId: string): Consultation | DomainError {
  const consultation = state.consultations.find((candidate) => candidate.consultationId === consultationId);
  if (!consultation) {
    return {
      code: 'CONSULTATION_NOT_FOUND',
      message: `Dossier ${state.dossierCode} has no consultation ${consultationId}.`,
      rule: 'Each consultation is logged with its content and deadline (Decree 61/2018 art. 19(5))',
      field: 'consultationId',
    };
  }
  if (consultation.answeredAt) {
    return {
      code: 'CONSULTATION_ALREADY_ANSWERED',
      message: `Consultation ${consultationId} was answered on ${consultation.answeredAt}.`,
      rule: 'Each consultation is logged with its content and deadline (Decree 61/2018 art. 19(5))',
      field: 'consultationId',
    };
  }
  const roleRefusal = roleNotAllowed(actor, 'RecordConsultationReply');
  if (roleRefusal) return roleRefusal;
  const holder = state.steps.find((step) => step.stepId === consultation.stepId && step.status === 'active');
  if (actor.agencyCode !== consultation.bodyAgencyCode && actor.agencyCode !== holder?.agencyCode) {
    return {
      code: 'AGENCY_DOES_NOT_HOLD_STEP',
      message: `The reply to consultation ${consultationId} is recorded by the consulted body ${consultation.bodyAgencyCode} or the agency that asked, not by ${actor.agencyCode}.`,
      rule: 'Each consultation is logged with its content and deadline (Decree 61/2018 art. 19(5))',
    };
  }
  return consultation;
}

/** A step in hand that may still ask for a supplement: within its window of working days. */
export function requestSupplementPreconditions(state: ReceivedDossier, actor: Actor, stepId: string, { now }: DecisionContext, run?: number): StepRun | DomainError {
  const step = stepPreconditions(state, actor, 'RequestSupplement', stepId, run);
  if (isDomainError(step)) return step;
  // The step's own running time: days the dossier spent back with the applicant are not the
  // step's, so a second look after a supplement gets its full window again only for what is left.
  const window = SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS * stepCalendar(state, step).minutesPerDay;
  if (readStepClock(state, step, now).elapsed.minutes > window) {
    return {
      code: 'SUPPLEMENT_REQUEST_TOO_LATE',
      message: `Step ${step.stepId} received dossier ${state.dossierCode} on ${step.startedAt}; a supplement may be requested only within ${SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS} working days of that, and that time has passed.`,
      rule: 'Decree 61/2018 art. 19(4): within 3 working days of receiving the dossier, unless sector law says otherwise',
    };
  }
  return step;
}

export function paymentPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  const guard = roleNotAllowed(actor, 'RecordPayment');
  if (guard) return guard;
  const obligation = state.pendingObligation;
  const noticeStep = obligation ? state.steps.find((step) => step.stepId === obligation.stepId) : undefined;
  const noticeAgency = noticeStep?.agencyCode;
  if (actor.role === 'interagency') {
    const refusal = systemReceiptRefusal(state, actor, noticeStep);
    if (refusal) return refusal;
  }
  if (actor.agencyCode !== state.agencyCode && actor.agencyCode !== noticeAgency) {
    return {
      code: 'NOT_THE_RECEIVING_CENTRE',
      message: `A payment is recorded by the receiving centre ${state.agencyCode}${noticeAgency ? ` or the agency that issued the notice (${noticeAgency})` : ''}, not by ${actor.agencyCode}.`,
      rule: 'Proof of payment travels with the dossier (Decree 61/2018 art. 22)',
    };
  }
  return null;
}

/**
 * An outside system records a payment only as the tax authority's electronic receipt for the notice
 * it issued: a `tax` system, the one that carries out the step whose notice is pending.
 */
function systemReceiptRefusal(state: ReceivedDossier, actor: Actor, noticeStep: StepRun | undefined): DomainError | null {
  const system = systemOfUserId(actor.userId);
  if (!state.pendingObligation || state.status === 'result-ready') {
    return {
      code: 'NO_OBLIGATION_PENDING',
      message: `Dossier ${state.dossierCode} has no financial obligation pending${state.status === 'result-ready' ? ' (its result is decided)' : ''}; the receipt from ${actor.userId} settles nothing and is not recorded.`,
      rule: 'An electronic receipt of payment settles the notice the tax authority issued (Decree 61/2018 art. 19(4))',
    };
  }
  if (system !== 'tax' || noticeStep?.system !== system) {
    return {
      code: 'SYSTEM_DOES_NOT_HOLD_STEP',
      message: `The pending notice ${state.pendingObligation.noticeNumber} of dossier ${state.dossierCode} was issued on step ${state.pendingObligation.stepId}${noticeStep?.system ? `, carried out by the ${noticeStep.system} system` : " by its body's officers"}; only the tax authority's system that issued it records its receipt, not ${actor.userId}.`,
      rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018 art. 19(6)); a system answers only for the steps handed to it',
      field: 'receiptNumber',
    };
  }
  return null;
}

/**
 * A step completed as not approved stops the route; its agency may still send the dossier back to
 * the previous stage, as it could while the step was in hand.
 */
function notApprovedStep(state: ReceivedDossier, actor: Actor, stepId: string): StepRun | undefined {
  const runs = state.steps.filter((step) => step.stepId === stepId);
  const latest = runs[runs.length - 1];
  if (!latest || latest.status !== 'completed' || latest.outcome !== 'not-approved' || latest.agencyCode !== actor.agencyCode) return undefined;
  // A system sends back only a step it carried out itself.
  if (actor.role === 'interagency' && systemOfUserId(actor.userId) !== latest.system) return undefined;
  return activeSteps(state).some((step) => step.stageIndex === latest.stageIndex) ? undefined : latest;
}

