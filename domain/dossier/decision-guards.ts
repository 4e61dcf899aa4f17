// Checks every command shares: is the dossier there and open, is it in the right status, is the
// actor in the right role at the right agency. Each returns the refusal, or null when it passes.
import { systemOfUserId } from '../interagency/systems.js';
import type { Actor } from './actor.js';
import { COMMAND_ROLES, mayIssue } from './command-roles.js';
import type { DossierCommand } from './commands.js';
import type { DomainError } from './errors.js';
import { CLOSED_STATUSES, type DossierState, type DossierStatus, type ReceivedDossier, type StepRun } from './state.js';

const RULE_ROLES = 'Roles and agencies of the one-stop mechanism (Decree 61/2018/NĐ-CP arts. 17–20)';

export function notReceived(state: DossierState, commandType: string): DomainError | null {
  if (state.status !== 'none') return null;
  return {
    code: 'DOSSIER_NOT_RECEIVED',
    message: `Dossier ${state.dossierCode} has not been received, so ${commandType} cannot apply; register it at reception first (POST /dossiers).`,
    rule: 'A dossier exists from its reception (Decree 61/2018 art. 17)',
  };
}

export function closed(state: ReceivedDossier, commandType: string): DomainError | null {
  if (!CLOSED_STATUSES.has(state.status)) return null;
  return {
    code: 'DOSSIER_CLOSED',
    message: `Dossier ${state.dossierCode} is closed (${state.status}); ${commandType} is no longer possible. Only an evaluation can still be recorded.`,
    rule: 'A refused, stopped or returned dossier is final (Decree 61/2018 arts. 17, 19, 20)',
  };
}

export function outOfOrder(state: ReceivedDossier, commandType: string, allowed: readonly DossierStatus[]): DomainError | null {
  if (allowed.includes(state.status)) return null;
  return {
    code: 'COMMAND_OUT_OF_ORDER',
    message: `${commandType} applies to a dossier that is ${allowed.join(' or ')}, but dossier ${state.dossierCode} is ${state.status}.`,
    rule: 'The order of the one-stop process (Decree 61/2018 arts. 17–20; docs/lifecycle.md)',
  };
}

export function roleNotAllowed(actor: Actor, commandType: DossierCommand['type']): DomainError | null {
  if (mayIssue(actor.role, commandType)) return null;
  return {
    code: 'ROLE_NOT_ALLOWED',
    message: `${commandType} is for the role ${COMMAND_ROLES[commandType].join(' or ')}; ${actor.userId} acts as ${actor.role}.`,
    rule: RULE_ROLES,
  };
}

export function notReceivingCentre(state: ReceivedDossier, actor: Actor, commandType: string): DomainError | null {
  if (actor.agencyCode === state.agencyCode) return null;
  return {
    code: 'NOT_THE_RECEIVING_CENTRE',
    message: `${commandType} is done by the one-stop centre that received dossier ${state.dossierCode} (${state.agencyCode}), not by ${actor.agencyCode}.`,
    rule: 'The one-stop centre receives, returns and speaks to the applicant (Decree 61/2018 arts. 17, 19(4), 20)',
  };
}

export function notCompetentAgency(state: ReceivedDossier, actor: Actor, commandType: string): DomainError | null {
  const competent = state.accepted?.procedure.competentAgencyCode ?? state.agencyCode;
  if (actor.agencyCode === competent) return null;
  return {
    code: 'NOT_THE_COMPETENT_AGENCY',
    message: `${commandType} is decided by the competent agency ${competent}, not by ${actor.agencyCode}.`,
    rule: 'The competent body decides and signs (Decree 61/2018 art. 19)',
  };
}

/**
 * The active step `stepId`, if the actor's agency holds it. An outside system's answer also names
 * the run the hand-off gave it (`run`): a run that ended, or one never handed to it, is refused.
 */
export function stepInHand(state: ReceivedDossier, stepId: string, actor: Actor, commandType: string, run?: number): StepRun | DomainError {
  const runRefusal = actor.role === 'interagency' && run !== undefined ? answeredRunRefusal(state, stepId, run, actor, commandType) : null;
  if (runRefusal) return runRefusal;
  const step = state.steps.find((candidate) => candidate.stepId === stepId && candidate.status === 'active');
  if (!step) {
    const active = state.steps.filter((candidate) => candidate.status === 'active').map((candidate) => candidate.stepId);
    return {
      code: 'STEP_NOT_IN_HAND',
      message: `Step ${stepId} of dossier ${state.dossierCode} is not in progress; steps in progress: ${active.length > 0 ? active.join(', ') : 'none'}.`,
      rule: 'The interagency route of the procedure (Decree 61/2018 art. 19(6)–(7))',
      field: 'stepId',
    };
  }
  if (actor.role === 'interagency' && systemOfUserId(actor.userId) !== step.system) {
    return {
      code: 'SYSTEM_DOES_NOT_HOLD_STEP',
      message: `Step ${stepId} of dossier ${state.dossierCode} is ${step.system ? `carried out by the ${step.system} system` : "done by its body's officers in the engine"}; ${actor.userId} cannot ${commandType} on it.`,
      rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018 art. 19(6)); a system answers only for the steps handed to it',
      field: 'stepId',
    };
  }
  if (step.agencyCode !== actor.agencyCode) {
    return {
      code: 'AGENCY_DOES_NOT_HOLD_STEP',
      message: `Step ${stepId} is held by ${step.agencyCode}; ${actor.agencyCode} cannot ${commandType} on it.`,
      rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018 art. 19(6))',
      field: 'stepId',
    };
  }
  return step;
}

/** The run an outside system's answer names: handed to it and not yet ended, else the refusal. */
function answeredRunRefusal(state: ReceivedDossier, stepId: string, run: number, actor: Actor, commandType: string): DomainError | null {
  const named = state.steps.find((candidate) => candidate.stepId === stepId && candidate.run === run);
  const system = systemOfUserId(actor.userId);
  if (!named || named.system === undefined) {
    return {
      code: 'STEP_NOT_HANDED_TO_SYSTEM',
      message: `Dossier ${state.dossierCode} has no run ${run} of step ${stepId} carried out by an outside system; ${actor.userId} cannot ${commandType} on it.`,
      rule: 'A step is handed to the outside system its route names (Decree 61/2018 art. 19(6))',
      field: named ? 'stepId' : 'run',
    };
  }
  if (named.system !== system) {
    return {
      code: 'SYSTEM_DOES_NOT_HOLD_STEP',
      message: `Step ${stepId} of dossier ${state.dossierCode} is carried out by the ${named.system} system; ${actor.userId} cannot ${commandType} on it.`,
      rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018 art. 19(6)); a system answers only for the steps handed to it',
      field: 'stepId',
    };
  }
  if (named.status === 'active') return null;
  const latest = state.steps.filter((candidate) => candidate.stepId === stepId).at(-1)!;
  const now = latest.run !== run && latest.status === 'active' ? `the step is now in run ${latest.run}, handed over anew` : `that run was ${ENDED[named.status]}`;
  return {
    code: 'STEP_RUN_ENDED',
    message: `Run ${run} of step ${stepId} of dossier ${state.dossierCode} has ended: ${now}. ${actor.userId} cannot ${commandType} on it.`,
    rule: 'A step sent back is done again from its new hand-off (Decree 61/2018 art. 19(6))',
    field: 'run',
  };
}

const ENDED: Readonly<Record<StepRun['status'], string>> = { active: 'in progress', completed: 'completed', 'sent-back': 'sent back', stopped: 'stopped with the dossier' };

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && 'code' in value && 'rule' in value && 'message' in value;
}

export function firstRefusal(...checks: (() => DomainError | null)[]): DomainError | null {
  for (const check of checks) {
    const error = check();
    if (error) return error;
  }
  return null;
}
