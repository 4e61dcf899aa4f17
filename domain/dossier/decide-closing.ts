// How a dossier ends (Decree 61/2018 arts. 19(8)–(10), 20): refusal after appraisal, the apology
// and new appointment, the result and its return, withdrawal (form 05), and the evaluation (its
// rules: ./decide-evaluation.ts).
import { civilDayOfInstant, parseInstant } from '../calendar/civil-day.js';
import { apologyRuleViolation } from '../clock/apology-rule.js';
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, notCompetentAgency, notReceivingCentre, outOfOrder, roleNotAllowed } from './decision-guards.js';
import { recordEvaluation } from './decide-evaluation.js';
import { dossierCalendar, readDossierClock } from './dossier-clock.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent, EventOfType } from './events.js';
import { activeSteps, evolveDossier, type DossierStatus, type ReceivedDossier } from './state.js';

type ClosingCommand = CommandOfType<'RefuseToResolve' | 'IssueApology' | 'IssueResult' | 'ReturnResult' | 'RequestWithdrawal' | 'DecideWithdrawal' | 'RecordEvaluation'>;

const UNDER_PROCESSING: readonly DossierStatus[] = ['in-processing', 'awaiting-supplement', 'awaiting-financial-obligation'];

// The preconditions of each closing command: what refuses it whatever its payload. The decider
// checks them first; command-availability.ts asks them which commands a caller may send now.

export function refuseToResolvePreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return firstRefusal(
    () => outOfOrder(state, 'RefuseToResolve', UNDER_PROCESSING),
    () => roleNotAllowed(actor, 'RefuseToResolve'),
    () => notCompetentAgency(state, actor, 'RefuseToResolve'),
  );
}

/** The apology with a new appointment (form 04): by the body responsible, once, before the due date. */
export function apologyPreconditions(state: ReceivedDossier, actor: Actor, { now }: DecisionContext): DomainError | null {
  const guard = firstRefusal(() => outOfOrder(state, 'IssueApology', UNDER_PROCESSING), () => roleNotAllowed(actor, 'IssueApology'));
  if (guard) return guard;
  const responsible = new Set([...activeSteps(state).map((step) => step.agencyCode), state.accepted!.procedure.competentAgencyCode]);
  if (!responsible.has(actor.agencyCode)) {
    return {
      code: 'AGENCY_DOES_NOT_HOLD_STEP',
      message: `The apology comes from the agency responsible for the delay (${[...responsible].join(' or ')}), not from ${actor.agencyCode}.`,
      rule: 'Decree 61/2018 art. 19(9): the body that causes the delay apologises (form 04)',
    };
  }
  // Whether any new appointment could be given now: the rule asked of an appointment later than all.
  const reading = readDossierClock(state, now);
  return apologyRuleViolation(dossierCalendar(state, now), parseInstant(reading.due), parseInstant(now), Number.POSITIVE_INFINITY, state.extended);
}

/** The result is issued by the competent agency once every step of the route is done and approved. */
export function issueResultPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  const guard = firstRefusal(
    () => outOfOrder(state, 'IssueResult', ['in-processing']),
    () => roleNotAllowed(actor, 'IssueResult'),
    () => notCompetentAgency(state, actor, 'IssueResult'),
  );
  if (guard) return guard;
  const stages = state.accepted!.procedure.route.stages.length;
  const lastStage = state.steps.filter((step) => step.stageIndex === stages - 1);
  const lastRun = Math.max(0, ...lastStage.map((step) => step.run));
  const done = lastStage.length > 0 && lastStage.filter((step) => step.run === lastRun).every((step) => step.status === 'completed' && step.outcome === 'approved');
  if (!done || activeSteps(state).length > 0) {
    return {
      code: 'STEPS_NOT_COMPLETED',
      message: `Every step of the route must be completed and approved before the result of dossier ${state.dossierCode} is issued; in progress: ${activeSteps(state).map((step) => step.stepId).join(', ') || 'none'}.`,
      rule: 'The result is complete when every body on the route has done its task (Decree 61/2018 arts. 19(6), 20)',
    };
  }
  return null;
}

export function returnResultPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return firstRefusal(
    () => outOfOrder(state, 'ReturnResult', ['result-ready']),
    () => roleNotAllowed(actor, 'ReturnResult'),
    () => notReceivingCentre(state, actor, 'ReturnResult'),
  );
}

export function withdrawalRequestPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  const guard = firstRefusal(() => roleNotAllowed(actor, 'RequestWithdrawal'), () => notReceivingCentre(state, actor, 'RequestWithdrawal'));
  if (guard) return guard;
  if (state.status === 'result-ready' || state.status === 'withdrawal-requested') {
    return {
      code: 'WITHDRAWAL_TOO_LATE',
      message: state.status === 'result-ready'
        ? `Dossier ${state.dossierCode} is already resolved (status 9); a withdrawal is possible only before that.`
        : `A withdrawal of dossier ${state.dossierCode} is already awaiting its decision.`,
      rule: 'Withdrawal only before the result is ready (national portal status 9); the decision on it is form 05 of Circular 03/2025/TT-VPCP',
    };
  }
  return null;
}

export function withdrawalDecisionPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return firstRefusal(
    () => outOfOrder(state, 'DecideWithdrawal', ['withdrawal-requested']),
    () => roleNotAllowed(actor, 'DecideWithdrawal'),
    // Before acceptance the receiving centre decides; after it, the competent agency.
    () => (state.accepted ? notCompetentAgency(state, actor, 'DecideWithdrawal') : notReceivingCentre(state, actor, 'DecideWithdrawal')),
  );
}

export function decideClosing(state: ReceivedDossier, command: ClosingCommand, context: DecisionContext): Decision<DossierEvent> {
  switch (command.type) {
    case 'RefuseToResolve':
      return refuseToResolve(state, command, context);
    case 'IssueApology':
      return issueApology(state, command, context);
    case 'IssueResult':
      return issueResult(state, command, context);
    case 'ReturnResult':
      return returnResult(state, command, context);
    case 'RequestWithdrawal':
      return requestWithdrawal(state, command, context);
    case 'DecideWithdrawal':
      return decideWithdrawal(state, command, context);
    case 'RecordEvaluation':
      return recordEvaluation(state, command, context);
  }
}

function refuseToResolve(state: ReceivedDossier, command: CommandOfType<'RefuseToResolve'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = refuseToResolvePreconditions(state, command.actor);
  if (guard) return refuse(guard);
  // Decree 61 art. 19(8) wants the refusal within the time limit. A late one is still the right
  // outcome for the applicant, so it is recorded as late rather than refused.
  const withinTimeLimit = !readDossierClock(state, now).overdue;
  return accept({ type: 'ResolutionRefused', schemaVersion: 1, data: { at: now, reasons: command.reasons, legalBasis: command.legalBasis, withinTimeLimit } });
}

function issueApology(state: ReceivedDossier, command: CommandOfType<'IssueApology'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = apologyPreconditions(state, command.actor, { now });
  if (guard) return refuse(guard);
  const reading = readDossierClock(state, now);
  const violation = apologyRuleViolation(dossierCalendar(state, now), parseInstant(reading.due), parseInstant(now), parseInstant(command.newAppointment), state.extended);
  if (violation) return refuse({ ...violation, ...(violation.code === 'NEW_APPOINTMENT_NOT_LATER' ? { field: 'newAppointment' } : {}) });
  return accept({
    type: 'ApologyIssued',
    schemaVersion: 1,
    data: { at: now, agencyCode: command.actor.agencyCode, reason: command.reason, originalDue: reading.originalDue, newAppointment: command.newAppointment },
  });
}

function issueResult(state: ReceivedDossier, command: CommandOfType<'IssueResult'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = issueResultPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  // An IssueResult recorded before results were signed files (its history replays today) carries
  // neither report nor file and decides as it did then; the API sends none without them.
  const legacy = (command as Partial<CommandOfType<'IssueResult'>>).signature === undefined;
  const unsigned = legacy ? undefined : resultSignatureRefusal(state, command);
  if (unsigned) return refuse(unsigned);
  const base: DossierEvent = {
    type: 'ResultIssued',
    schemaVersion: 1,
    data: {
      at: now,
      resultCode: `${state.dossierCode}-KQ${state.results + 1}`,
      document: command.document,
      ...(legacy ? {} : { signature: command.signature, signerAgencyCode: command.signerAgencyCode }),
      dossierRule: 'on-time',
      decision766: 'on-time',
      ...registrationsOf(state),
    },
  };
  const reading = readDossierClock(evolveDossier(state, base) as ReceivedDossier, now);
  return accept({ ...base, data: { ...base.data, dossierRule: reading.outcome!.dossierRule, decision766: reading.decision766.classification } });
}

/**
 * The registrations outside systems recorded on the dossier's steps (civil status), each step's
 * latest completed run: the result carries their numbers. None: the field is left out.
 */
function registrationsOf(state: ReceivedDossier): { registrations?: EventOfType<'ResultIssued'>['data']['registrations'] } {
  const registrations = state.steps
    .filter((step) => step.status === 'completed' && step.registration !== undefined && step === state.steps.filter((run) => run.stepId === step.stepId).at(-1))
    .map((step) => ({ stepId: step.stepId, ...step.registration! }));
  return registrations.length > 0 ? { registrations } : {};
}

/**
 * What the rules can check of the result file without I/O, so a replayed or direct command cannot
 * skip the API's verification: the report says valid and names a signer, and the signer's agency is
 * the competent body. The API checked the signature and the certificate's agency themselves.
 */
function resultSignatureRefusal(state: ReceivedDossier, command: CommandOfType<'IssueResult'>): DomainError | undefined {
  const { signature, signerAgencyCode } = command;
  if (!signature.valid || !signature.signer || !signature.coversWholeDocument) {
    return {
      code: 'RESULT_SIGNATURE_INVALID',
      message: `The signature of result ${command.document.reference} does not verify: ${signature.reasons.join(' ') || 'the report names no signer or does not cover the whole file.'}`,
      rule: 'Decree 45/2020 art. 14: an electronic result is valid when digitally signed by the competent body',
      field: 'file',
    };
  }
  const competent = state.accepted!.procedure.competentAgencyCode;
  if (signerAgencyCode !== competent) {
    return {
      code: 'RESULT_NOT_SIGNED_BY_COMPETENT_BODY',
      message: `Result ${command.document.reference} is signed by ${signature.signer.subject} (agency ${signerAgencyCode}); the competent body of dossier ${state.dossierCode} is ${competent}, which must sign it.`,
      rule: 'Decree 61/2018 art. 19 and Decree 45/2020 art. 14: the competent body resolves the dossier and signs its result',
      field: 'file',
    };
  }
  return undefined;
}

function returnResult(state: ReceivedDossier, command: CommandOfType<'ReturnResult'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = returnResultPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  const reading = readDossierClock(state, now);
  const early = civilDayOfInstant(parseInstant(now)) < civilDayOfInstant(parseInstant(reading.due));
  if (early && !command.applicantNotifiedInAdvance) {
    return refuse({
      code: 'EARLY_RETURN_NOT_NOTIFIED',
      message: `The appointment for dossier ${state.dossierCode} is ${reading.due}; returning it earlier needs the applicant told in advance (SMS, e-mail, phone). Set applicantNotifiedInAdvance once they were.`,
      rule: 'Decree 61/2018 art. 20: early return is encouraged, with prior notice to the applicant',
      field: 'applicantNotifiedInAdvance',
    });
  }
  return accept({ type: 'ResultReturned', schemaVersion: 1, data: { at: now, method: command.method, early, applicantNotifiedInAdvance: command.applicantNotifiedInAdvance } });
}

function requestWithdrawal(state: ReceivedDossier, command: CommandOfType<'RequestWithdrawal'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = withdrawalRequestPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  return accept({ type: 'WithdrawalRequested', schemaVersion: 1, data: { at: now, reason: command.reason } });
}

function decideWithdrawal(state: ReceivedDossier, command: CommandOfType<'DecideWithdrawal'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = withdrawalDecisionPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  return accept({ type: 'WithdrawalDecided', schemaVersion: 1, data: { at: now, approved: command.approved, reason: command.reason } });
}
