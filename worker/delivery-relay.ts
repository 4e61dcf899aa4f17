// The outbox's relay (docs/integrations.md#the-mechanism): plans deliveries from the committed
// event log and wakes the lanes that carry them out, and hosts those lanes (workflows/delivery-lane.ts)
// and their activities on the outbox's own task queue, so a receiver that is slow or down never
// holds up the dossiers' commands. Several relays may run: the planner's checkpoint lets one plan at
// a time, waking a lane twice does no harm, and the lanes are Temporal's to place.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createDeliveryActivities, type DeliveryObserver } from '../activities/deliveries.js';
import { createHandOffActivities } from '../activities/hand-offs.js';
import { type Lane, markDispatched, planDeliveriesFromLog, staleLanes, undispatchedLanes } from '../db/outbox/deliveries.js';
import type { Database } from '../db/schema.js';
import type { Receiver } from '../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../domain/outbox/plan-deliveries.js';
import type { DeliveryChannel } from '../integrations/outbox/delivery-channel.js';
import { deliveryLaneWorkflowId, type DeliveryLaneSettings, wakeLaneSignal } from '../workflows/delivery-lane.js';
import { recordDeadLetter, recordDeliveryAttempt, recordDeliveryLag } from '../platform/metrics.js';
import { workflowsEntryPath } from './dossier-worker.js';
import { startPolling } from '../platform/polling.js';

export const DEFAULT_LANE_SETTINGS: DeliveryLaneSettings = {
  firstRetryMs: 1_000,
  retryCeilingMs: 5 * 60_000,
  deadLetterAfterMs: 60 * 60_000,
  attemptTimeoutMs: 300_000,
  idleMs: 10 * 60_000,
};

/** The Prometheus metrics of the deliveries (platform/metrics.ts): what the relay reports by default. */
export const DELIVERY_METRICS: DeliveryObserver = { attempted: recordDeliveryAttempt, delivered: recordDeliveryLag, deadLettered: recordDeadLetter };

/** The outbox's task queue beside the dossiers' one. */
export function outboxTaskQueue(taskQueue: string): string {
  return `${taskQueue}-outbox`;
}

export interface DeliveryRelayDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly dataConverter: DataConverter;
  /** The outbox's task queue (outboxTaskQueue()). */
  readonly taskQueue: string;
  readonly policy: DeliveryPolicy;
  readonly channels: readonly DeliveryChannel[];
  readonly lane?: Partial<DeliveryLaneSettings>;
  readonly logger: Logger;
  /** Where attempts, lags and dead letters are reported: the Prometheus metrics by default. */
  readonly observer?: DeliveryObserver;
  /** How often the log is read for new events (500 ms). */
  readonly pollMs?: number;
  readonly workflowBundlePath?: string;
}

export interface DeliveryRelay {
  /** Plans and dispatches what is waiting now (the loop does it every `pollMs`). */
  runOnce(): Promise<{ planned: number; dispatched: number }>;
  /** Wakes one lane, starting it when it is not running: what operators' retry and close call. */
  wake(receiver: Receiver, dossierCode: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDeliveryRelay(deps: DeliveryRelayDeps): Promise<DeliveryRelay> {
  const { db, temporal, logger } = deps;
  const settings: DeliveryLaneSettings = { ...DEFAULT_LANE_SETTINGS, ...deps.lane };
  const channels = new Map(deps.channels.map((channel) => [channel.receiver, channel]));
  const worker = await Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    dataConverter: deps.dataConverter,
    ...(deps.workflowBundlePath ? { workflowBundle: { codePath: deps.workflowBundlePath } } : { workflowsPath: workflowsEntryPath() }),
    activities: {
      ...createDeliveryActivities({ db, channels, logger, observer: deps.observer ?? DELIVERY_METRICS, ...(deps.policy.notices.quietHours ? { quietHours: deps.policy.notices.quietHours } : {}) }),
      // A step handed over to its system is recorded on the dossier with the relay's own client.
      ...createHandOffActivities({ db, temporal, logger }),
    },
  });
  const running = worker.run();

  const wake = async (lane: Lane) => {
    await temporal.workflow.signalWithStart('deliveryLaneWorkflow', {
      workflowId: deliveryLaneWorkflowId(lane.receiver, lane.dossierCode, deps.taskQueue),
      taskQueue: deps.taskQueue,
      args: [{ receiver: lane.receiver, dossierCode: lane.dossierCode, settings }],
      signal: wakeLaneSignal,
      signalArgs: [],
    });
  };
  const wakeAll = async (lanes: readonly Lane[]) => {
    // A handful at a time: a backlog after an outage wakes thousands of lanes.
    for (let index = 0; index < lanes.length; index += 16) {
      await Promise.all(
        lanes.slice(index, index + 16).map((lane) =>
          wake(lane).catch((error: unknown) => {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          }),
        ),
      );
    }
  };

  let lastSweep = 0;
  const runOnce = async () => {
    const { planned } = await planDeliveriesFromLog(db, deps.policy);
    let dispatched = 0;
    for (;;) {
      const { lanes, keys } = await undispatchedLanes(db);
      if (keys.length === 0) break;
      await wakeAll(lanes);
      await markDispatched(db, keys);
      dispatched += keys.length;
    }
    // Lanes dispatched long ago whose deliveries are still pending: woken again (a lane that ended
    // just as it was dispatched, or one an operator terminated in the Temporal UI).
    if (Date.now() - lastSweep > 30_000) {
      lastSweep = Date.now();
      await wakeAll(await staleLanes(db, Math.max(60_000, settings.idleMs)));
    }
    return { planned, dispatched };
  };

  const polling = startPolling({
    round: runOnce,
    pollMs: deps.pollMs ?? 500,
    logger,
    what: 'delivery relay round',
    onRound: (progress) => {
      if (progress.planned + progress.dispatched > 0) logger.debug(progress, 'deliveries planned and dispatched');
    },
  });
  logger.info({ taskQueue: deps.taskQueue, receivers: [...channels.keys()], portal: deps.policy.portal, systems: deps.policy.interagency ?? [] }, 'delivery relay running');
  return {
    runOnce,
    wake: (receiver, dossierCode) => wake({ receiver, dossierCode }),
    async stop() {
      await polling.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await Promise.all([...channels.values()].map((channel) => channel.close?.()));
    },
  };
}
