// What the outbox and the outside systems report of a step carried out outside the engine
// (docs/integrations.md#interagency): the hand-off the outbox delivered, and a system's progress.
// The answers that move the dossier (completed, sent back, supplement, financial obligation,
// payment) are the officers' own commands, decided in decide-processing.ts.
import type { CommandOfType, DossierCommand } from './commands.js';
import { type CommandWithSystemFields, SYSTEM_ONLY_FIELDS_OF } from './system-only-fields.js';
import type { DecisionContext } from './decide.js';
import { isDomainError, roleNotAllowed } from './decision-guards.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent } from './events.js';
import { stepPreconditions } from './processing-preconditions.js';
import type { ReceivedDossier } from './state.js';

export function decideInteragency(state: ReceivedDossier, command: CommandOfType<'RecordStepHandOff' | 'ReportExternalProgress'>, { now }: DecisionContext): Decision<DossierEvent> {
  switch (command.type) {
    case 'RecordStepHandOff': {
      const guard = roleNotAllowed(command.actor, command.type);
      if (guard) return refuse(guard);
      // A hand-off is recorded once per run, whatever the dossier did since: the system may answer
      // (and the step end) before the outbox records that its delivery arrived.
      const step = state.steps.find((candidate) => candidate.stepId === command.stepId && candidate.run === command.run);
      const unknown = !step || step.system !== command.system ? handOffUnknown(state, command) : undefined;
      if (unknown) return refuse(unknown);
      if (step!.handedOffAt !== undefined) return accept();
      return accept({
        type: 'StepHandedOff',
        schemaVersion: 1,
        data: { at: now, stepId: command.stepId, run: command.run, system: command.system, ...(command.reference ? { reference: command.reference } : {}) },
      });
    }
    case 'ReportExternalProgress': {
      const step = stepPreconditions(state, command.actor, command.type, command.stepId, command.run);
      if (isDomainError(step)) return refuse(step);
      return accept({
        type: 'ExternalProgressReported',
        schemaVersion: 1,
        data: { at: now, stepId: step.stepId, run: step.run, system: step.system!, status: command.status, ...(command.note ? { note: command.note } : {}), reportedAt: command.reportedAt },
      });
    }
  }
}

function handOffUnknown(state: ReceivedDossier, command: CommandOfType<'RecordStepHandOff'>): DomainError {
  return {
    code: 'STEP_NOT_HANDED_TO_SYSTEM',
    message: `Dossier ${state.dossierCode} has no run ${command.run} of step ${command.stepId} carried out by the ${command.system} system.`,
    rule: 'A step is handed to the outside system its route names (Decree 61/2018 art. 19(6))',
    field: 'stepId',
  };
}

/**
 * The fields only a system's answer carries, sent by anyone else (the API omits them from staff's
 * bodies; this refuses them from any other sender too): the refusal naming the first one.
 */
export function systemOnlyFieldRefusal(command: DossierCommand): DomainError | null {
  if (!(command.type in SYSTEM_ONLY_FIELDS_OF)) return null;
  const fields: readonly string[] = SYSTEM_ONLY_FIELDS_OF[command.type as CommandWithSystemFields];
  const { role } = command.actor;
  // An outside system's answer carries its own fields; the payment platform's confirmation
  // (platformPayment) is the payment platform's alone, with its receipt (decide-payment.ts).
  const allowed = (field: string): boolean =>
    role === 'interagency' ? field !== 'platformPayment' : role === 'payment-platform' ? ['platformPayment', 'receiptFile', 'paidAt'].includes(field) : false;
  const given = fields.find((field) => !allowed(field) && (command as Record<string, unknown>)[field] !== undefined);
  if (given === undefined) return null;
  return {
    code: 'SYSTEM_ONLY_FIELD',
    message: `${given} is carried only by ${given === 'platformPayment' ? "the national payment platform's confirmation" : "an outside system's answer"}; ${command.actor.userId} acts as ${command.actor.role} and cannot send it with ${command.type}. Leave it out.`,
    rule: "Only an outside system's answer carries its result file, registration, notice or receipt file and the run it answers for",
    field: given,
  };
}
