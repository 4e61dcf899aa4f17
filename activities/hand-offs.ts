// A step handed over, recorded on its dossier (docs/integrations.md#handing-steps-over): once the
// outbox has delivered a 'hand-off' to the system that carries the step out, its lane runs this
// activity, which sends the dossier's workflow RecordStepHandOff (the StepHandedOff event: the
// hand-off time of the control slip, form 06) as the system (`system:<name>`, role `interagency`).
// The command id is `handoff/<delivery key>`, the Temporal update id: a retry, a second relay or a
// lane started again is the same update, recorded once. Only the key passes through Temporal; the
// step and the system's reference are read here from the event log and the deliveries table.
//
// It goes the way calendar-rollout.ts sends its commands (an update to the dossier's workflow,
// carrying the read model's version so a run behind the log catches up first), not through the
// API's sendDossierCommand (api/commands/send-dossier-command.ts), whose answers are HTTP problems.
// What a dossier's rules refuse (a dossier closed meanwhile) and a dossier whose workflow has ended
// are logged and passed over: the delivery is done; only the record of its time is missing.
import { Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { commandLoggedAfter } from '../db/dossier-log-facts.js';
import { findDossierSummary } from '../db/dossier-summary.js';
import { deliveryOf, eventAt } from '../db/outbox/deliveries.js';
import type { Database } from '../db/schema.js';
import type { CommandOfType } from '../domain/dossier/commands.js';
import { interagencyUserId } from '../domain/interagency/systems.js';
import { isInteragencyReceiver } from '../domain/outbox/deliveries.js';
import { dossierCommandUpdate, dossierWorkflowId } from '../workflows/dossier/messages.js';

export interface HandOffActivitiesDeps {
  readonly db: Kysely<Database>;
  /** The client the relay sends commands to the dossiers' workflows with. */
  readonly temporal: Client;
  readonly logger: Logger;
  /** How long to wait for the dossier's workflow to answer (20 s). */
  readonly commandTimeoutMs?: number;
}

export type HandOffRecorded = 'recorded' | 'not-a-hand-off' | 'refused' | 'workflow-ended';

/** The command id of a delivery's hand-off record: the same on every try. */
export function handOffCommandId(key: string): string {
  return `handoff/${key}`;
}

export function createHandOffActivities({ db, temporal, logger, commandTimeoutMs = 20_000 }: HandOffActivitiesDeps) {
  return {
    async recordHandOff(input: { key: string }): Promise<HandOffRecorded> {
      const { key } = input;
      const delivery = await deliveryOf(db, key);
      if (!delivery || delivery.state !== 'delivered' || delivery.trigger !== 'hand-off' || !isInteragencyReceiver(delivery.receiver)) return 'not-a-hand-off';
      const started = await eventAt(db, delivery.dossierCode, delivery.sequence);
      if (started?.type !== 'StepStarted' || started.data.system !== delivery.receiver) return 'not-a-hand-off';
      const summary = await findDossierSummary(db, delivery.dossierCode);
      if (!summary) return 'not-a-hand-off';
      const command: CommandOfType<'RecordStepHandOff'> = {
        type: 'RecordStepHandOff',
        commandId: handOffCommandId(key),
        dossierCode: delivery.dossierCode,
        actor: { userId: interagencyUserId(delivery.receiver), role: 'interagency', agencyCode: started.data.agencyCode },
        loggedVersion: summary.stream_version,
        stepId: started.data.stepId,
        run: started.data.run,
        system: delivery.receiver,
        ...(delivery.reference ? { reference: delivery.reference } : {}),
      };
      const log = { key, dossierCode: delivery.dossierCode, system: delivery.receiver, stepId: command.stepId, run: command.run };
      try {
        const signal = cancellation();
        const send = () => temporal.workflow.getHandle(dossierWorkflowId(delivery.dossierCode)).executeUpdate(dossierCommandUpdate, { args: [command], updateId: command.commandId });
        await temporal.withDeadline(Date.now() + commandTimeoutMs, () => (signal ? temporal.withAbortSignal(signal, send) : send()));
        logger.info(log, 'hand-off recorded on the dossier');
        return 'recorded';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          logger.warn(log, "the dossier's workflow has ended: the hand-off was delivered but its time is not recorded on the dossier");
          return 'workflow-ended';
        }
        if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
          if ((await commandLoggedAfter(db, delivery.dossierCode, command.commandId, 0)) !== undefined) return 'recorded';
          logger.warn({ ...log, refusal: error.cause.type }, "the dossier's rules refused to record the hand-off: it was delivered but its time is not recorded on the dossier");
          return 'refused';
        }
        throw error;
      }
    },
  };
}

export type HandOffActivities = ReturnType<typeof createHandOffActivities>;

/** The activity's cancellation (a relay shutting down), when it runs as one. */
function cancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
