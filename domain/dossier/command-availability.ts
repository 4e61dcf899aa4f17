// Which commands a caller may send to a dossier now, and why the others of their role are refused:
// asked of the same precondition functions the decider checks first, so the staff console offers
// exactly what the rules would take and holds no rule of its own (GET /dossiers/{code}/actions).
// A command offered here may still be refused for its payload (a missing component, an appointment
// outside office hours), never for who sends it, the dossier's status or the step it names.
import type { Actor } from './actor.js';
import { mayIssue } from './command-roles.js';
import type { DossierCommand } from './commands.js';
import { dossierPreconditions, type DecisionContext } from './decide.js';
import {
  apologyPreconditions,
  issueResultPreconditions,
  refuseToResolvePreconditions,
  returnResultPreconditions,
  withdrawalDecisionPreconditions,
  withdrawalRequestPreconditions,
} from './decide-closing.js';
import { evaluationPreconditions } from './decide-evaluation.js';
import { latenessApologyPreconditions, latenessExplanationPreconditions } from './decide-lateness.js';
import { acceptancePreconditions, refusalAtReceptionPreconditions, supplementAtReceptionPreconditions } from './decide-reception.js';
import { isDomainError } from './decision-guards.js';
import type { DomainError } from './errors.js';
import {
  consultationReplyPreconditions,
  paymentPreconditions,
  provideSupplementPreconditions,
  requestSupplementPreconditions,
  sendStepBackPreconditions,
  stepPreconditions,
  type StepCommandType,
} from './processing-preconditions.js';
import { activeSteps, type DossierState, type ReceivedDossier } from './state.js';

/**
 * The commands a person sends to a received dossier, in the order of the process. Not here: the
 * reception itself (POST /dossiers), the system's own (MarkDeadline, RecordDocumentIssued,
 * AdoptCalendarAmendment), the outside systems' own (RecordStepHandOff, ReportExternalProgress:
 * the `interagency` role, never a person's, docs/integrations.md#interagency), and the component files, whose routes name a component and a file
 * (POST /dossiers/{code}/components/{componentId}/files, docs/files.md).
 */
export const PERSON_COMMANDS = [
  'AcceptDossier',
  'RequestSupplementAtReception',
  'RefuseAtReception',
  'ProvideSupplement',
  'AssignHandler',
  'CompleteStep',
  'SendStepBack',
  'ConsultBody',
  'RecordConsultationReply',
  'RequestSupplement',
  'RequestFinancialObligation',
  'RecordPayment',
  'RefuseToResolve',
  'IssueApology',
  'IssueResult',
  'ReturnResult',
  'RequestWithdrawal',
  'DecideWithdrawal',
  'RecordEvaluation',
  'IssueLatenessApology',
  'RecordLatenessExplanation',
] as const satisfies readonly DossierCommand['type'][];
export type PersonCommandType = (typeof PERSON_COMMANDS)[number];

/** A command the caller may send now; a step command names the steps, a reply the consultations. */
export interface AvailableCommand {
  readonly type: PersonCommandType;
  readonly steps?: readonly string[];
  readonly consultations?: readonly string[];
}

/** A command of the caller's role that the rules refuse now, with the decider's refusal. */
export interface UnavailableCommand {
  readonly type: PersonCommandType;
  readonly refusal: DomainError;
  /** The step or consultation the refusal speaks of, for a command that names one. */
  readonly stepId?: string;
  readonly consultationId?: string;
}

export interface CommandAvailability {
  readonly available: readonly AvailableCommand[];
  readonly unavailable: readonly UnavailableCommand[];
}

type Precondition =
  | { readonly on: 'dossier'; readonly check: (state: ReceivedDossier, actor: Actor, context: DecisionContext) => DomainError | null }
  | { readonly on: 'step'; readonly check: (state: ReceivedDossier, actor: Actor, stepId: string, context: DecisionContext) => DomainError | null }
  | { readonly on: 'consultation'; readonly check: (state: ReceivedDossier, actor: Actor, consultationId: string) => DomainError | null };

const onStep = (type: StepCommandType): Precondition => ({ on: 'step', check: (state, actor, stepId) => refusalIn(stepPreconditions(state, actor, type, stepId)) });

/** Each command's preconditions, as its decider checks them first. */
const PRECONDITIONS: Record<PersonCommandType, Precondition> = {
  AcceptDossier: { on: 'dossier', check: acceptancePreconditions },
  RequestSupplementAtReception: { on: 'dossier', check: supplementAtReceptionPreconditions },
  RefuseAtReception: { on: 'dossier', check: refusalAtReceptionPreconditions },
  ProvideSupplement: { on: 'dossier', check: provideSupplementPreconditions },
  AssignHandler: onStep('AssignHandler'),
  CompleteStep: onStep('CompleteStep'),
  SendStepBack: { on: 'step', check: (state, actor, stepId) => refusalIn(sendStepBackPreconditions(state, actor, stepId)) },
  ConsultBody: onStep('ConsultBody'),
  RecordConsultationReply: { on: 'consultation', check: (state, actor, consultationId) => refusalIn(consultationReplyPreconditions(state, actor, consultationId)) },
  RequestSupplement: { on: 'step', check: (state, actor, stepId, context) => refusalIn(requestSupplementPreconditions(state, actor, stepId, context)) },
  RequestFinancialObligation: onStep('RequestFinancialObligation'),
  RecordPayment: { on: 'dossier', check: paymentPreconditions },
  RefuseToResolve: { on: 'dossier', check: refuseToResolvePreconditions },
  IssueApology: { on: 'dossier', check: apologyPreconditions },
  IssueResult: { on: 'dossier', check: issueResultPreconditions },
  ReturnResult: { on: 'dossier', check: returnResultPreconditions },
  RequestWithdrawal: { on: 'dossier', check: withdrawalRequestPreconditions },
  DecideWithdrawal: { on: 'dossier', check: withdrawalDecisionPreconditions },
  RecordEvaluation: { on: 'dossier', check: evaluationPreconditions },
  IssueLatenessApology: { on: 'dossier', check: latenessApologyPreconditions },
  RecordLatenessExplanation: { on: 'dossier', check: latenessExplanationPreconditions },
};

function refusalIn(checked: object): DomainError | null {
  return isDomainError(checked) ? checked : null;
}

/**
 * The commands `actor` may send to the dossier at `context.now`, and those of their role the rules
 * refuse, with the refusal the decider would give. Commands of other roles are in neither list.
 */
export function availableCommands(state: DossierState, actor: Actor, context: DecisionContext): CommandAvailability {
  const available: AvailableCommand[] = [];
  const unavailable: UnavailableCommand[] = [];
  for (const type of PERSON_COMMANDS) {
    if (!mayIssue(actor.role, type)) continue;
    const dossier = dossierPreconditions(state, type);
    if (isDomainError(dossier)) {
      unavailable.push({ type, refusal: dossier });
      continue;
    }
    const precondition = PRECONDITIONS[type];
    if (precondition.on === 'dossier') {
      const refusal = precondition.check(dossier, actor, context);
      if (refusal) unavailable.push({ type, refusal });
      else available.push({ type });
    } else if (precondition.on === 'step') {
      const candidates = stepCandidates(dossier);
      const steps = candidates.filter((stepId) => precondition.check(dossier, actor, stepId, context) === null);
      if (steps.length > 0) {
        available.push({ type, steps });
        continue;
      }
      const stepId = stepSpokenOf(dossier);
      unavailable.push({ type, refusal: precondition.check(dossier, actor, stepId, context)!, stepId });
    } else {
      const candidates = dossier.consultations.map((consultation) => consultation.consultationId);
      const consultations = candidates.filter((consultationId) => precondition.check(dossier, actor, consultationId) === null);
      if (consultations.length > 0) {
        available.push({ type, consultations });
        continue;
      }
      const consultationId = consultationSpokenOf(dossier);
      unavailable.push({ type, refusal: precondition.check(dossier, actor, consultationId)!, consultationId });
    }
  }
  return { available, unavailable };
}

/** Every step the route has given the dossier, once each, in the order they began. */
function stepCandidates(state: ReceivedDossier): string[] {
  return [...new Set(state.steps.map((step) => step.stepId))];
}

/**
 * The step a refused step command is explained by: the first in progress (another agency's, so the
 * caller learns who holds the dossier), else the last that ran, else the route's first.
 */
export function stepSpokenOf(state: ReceivedDossier): string {
  return activeSteps(state)[0]?.stepId ?? state.steps.at(-1)?.stepId ?? state.accepted?.procedure.route.stages[0]?.steps[0]?.id ?? '';
}

/** The consultation a refused reply is explained by: the first still open, else the last asked. */
export function consultationSpokenOf(state: ReceivedDossier): string {
  const open = state.consultations.find((consultation) => !consultation.answeredAt);
  return open?.consultationId ?? state.consultations.at(-1)?.consultationId ?? NO_CONSULTATION;
}

/** What a reply names when the dossier has no consultation at all: the refusal says there is none. */
export const NO_CONSULTATION = 'none';
