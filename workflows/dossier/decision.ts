import { ApplicationFailure } from '@temporalio/workflow';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { DomainError } from '../../domain/dossier/errors.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import type { DossierState } from '../../domain/dossier/state.js';

// The decision step, as the update's validator and its handler both take it: the events the rules
// decide for the command, or the rule that refused it as the failure the API receives.

/** The command's events, or (refused) a non-retryable failure whose type is the rule's stable code. */
export function decideOrFail(state: DossierState, streamVersion: number, command: DossierCommand, now: string): readonly DossierEvent[] {
  if (command.expectedStreamVersion !== undefined && command.expectedStreamVersion !== streamVersion) {
    throw domainFailure({
      code: 'STREAM_VERSION_MISMATCH',
      message: `Dossier ${state.dossierCode} is at version ${streamVersion}, not ${command.expectedStreamVersion} as the command expected: someone changed it since you read it. Read it again and decide anew.`,
      rule: 'Optimistic concurrency on the dossier stream (If-Match)',
    });
  }
  const decision = decideDossier(state, command, { now });
  if (!decision.ok) throw domainFailure(decision.error);
  return decision.events;
}

/** A refused command as the failure the API receives: type = the rule's stable code (the feedback workflow's too). */
export function domainFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: true,
    details: [error],
  });
}
