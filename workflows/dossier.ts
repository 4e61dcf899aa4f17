import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { DossierEventActivities } from '../activities/dossier-events.js';
import type { DossierCommand, ReceiveDossier } from '../domain/dossier/commands.js';
import { decideDossier } from '../domain/dossier/decide.js';
import type { DomainError } from '../domain/dossier/errors.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import { type DossierState, evolveDossier, isFinal, newDossier } from '../domain/dossier/state.js';
import { DOSSIER_STATUS } from './search-attributes.js';

// The host of the dossier decider (../shared/architecture.md §2): one workflow per dossier, the only
// writer of its event stream. Each command arrives as an Update; its validator runs the rules so a
// refused command leaves no trace in history, and its handler appends the events and folds them.

/** Invariant 1 of the architecture: one workflow per dossier, named after its code. */
export function dossierWorkflowId(dossierCode: string): string {
  return `dossier-${dossierCode}`;
}

export interface DossierWorkflowInput {
  readonly dossierCode: string;
}

export interface CommandResult {
  readonly dossierCode: string;
  readonly streamVersion: number;
  readonly status: DossierState['status'];
  readonly globalPositions: readonly number[];
}

export const receiveDossierUpdate = defineUpdate<CommandResult, [ReceiveDossier]>('receiveDossier');
export const dossierStateQuery = defineQuery<{ state: DossierState; streamVersion: number }>('dossierState');

const { appendDossierEvents } = proxyActivities<DossierEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '15 seconds',
  },
});

export async function dossierWorkflow(input: DossierWorkflowInput): Promise<void> {
  let state: DossierState = newDossier(input.dossierCode);
  let streamVersion = 0;
  // Commands are decided one at a time against the state their predecessors left.
  const oneAtATime = new Mutex();

  async function handle(command: DossierCommand): Promise<CommandResult> {
    return oneAtATime.runExclusive(async () => {
      const events = decideOrFail(state, command);
      const appended = await appendDossierEvents({
        dossierCode: input.dossierCode,
        expectedVersion: streamVersion,
        events: events.map((event) => ({
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: { actor: command.actor, commandId: command.commandId },
          occurredAt: new Date().toISOString(),
        })),
      });
      for (const event of events) state = evolveDossier(state, event);
      streamVersion = appended.streamVersion;
      if (state.status !== 'none') upsertSearchAttributes([{ key: DOSSIER_STATUS, value: state.status }]);
      return {
        dossierCode: input.dossierCode,
        streamVersion,
        status: state.status,
        globalPositions: appended.globalPositions,
      };
    });
  }

  setHandler(receiveDossierUpdate, handle, { validator: (command) => void decideOrFail(state, command) });
  setHandler(dossierStateQuery, () => ({ state, streamVersion }));

  // A dossier's workflow lives until its lifecycle ends, then lets any handler still running finish.
  await condition(() => isFinal(state) && allHandlersFinished());
}

function decideOrFail(state: DossierState, command: DossierCommand): readonly DossierEvent[] {
  const decision = decideDossier(state, command);
  if (!decision.ok) throw domainFailure(decision.error);
  return decision.events;
}

/** A refused command as the failure the API receives: type = the rule's stable code. */
function domainFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: true,
    details: [error],
  });
}
