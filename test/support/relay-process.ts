// The outbox's relay (worker/delivery-relay.ts) in a process of its own, as production runs it, so a
// test can really kill it: SIGKILL with deliveries in flight, planning transactions open, lanes'
// workflow tasks half done. By default it runs test/support/relay-entry.ts (ledger-receiver adapters
// posting to the receivers' URLs given); `entry` and `env` run another entry (the production
// worker/relay-main.ts with the real adapters and MOTCUA_OUTBOX_CONFIG) the same way.
import { spawn } from 'node:child_process';
import { type ReadyChild, untilReady } from './ready-child.js';
import { fileURLToPath } from 'node:url';
import type { Receiver } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';

export const TEST_RELAY_ENTRY = fileURLToPath(new URL('./relay-entry.ts', import.meta.url));

export interface RelayProcessOptions {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  /** The outbox's task queue itself (outboxTaskQueue(the engine's queue)). */
  readonly taskQueue: string;
  /** MOTCUA_PAYLOAD_KEYS (the tests' TEST_PAYLOAD_KEYS): the same as the API's and the worker's. */
  readonly payloadKeys: string;
  readonly workflowBundlePath?: string;
  /** Where each receiver's double listens (relay-entry.ts posts there with ledgerChannel). */
  readonly receivers?: Partial<Record<Receiver, string>>;
  readonly policy?: DeliveryPolicy;
  readonly lane?: Partial<DeliveryLaneSettings>;
  readonly pollMs?: number;
  /** Another entry to run (e.g. worker/relay-main.ts), with what it needs in `env`. */
  readonly entry?: string;
  readonly env?: Record<string, string>;
  /** The line that says it is running ('delivery relay running', startDeliveryRelay's). */
  readonly readyLine?: string;
}

export type RelayProcess = ReadyChild;

export async function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? TEST_RELAY_ENTRY], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      MOTCUA_OUTBOX_TASK_QUEUE: options.taskQueue,
      MOTCUA_PAYLOAD_KEYS: options.payloadKeys,
      LOG_LEVEL: process.env.RELAY_LOG_LEVEL ?? 'info',
      ...(options.workflowBundlePath ? { MOTCUA_WORKFLOW_BUNDLE: options.workflowBundlePath } : {}),
      ...(options.receivers ? { MOTCUA_TEST_RECEIVERS: JSON.stringify(options.receivers) } : {}),
      ...(options.policy ? { MOTCUA_TEST_POLICY: JSON.stringify(options.policy) } : {}),
      ...(options.lane ? { MOTCUA_TEST_LANE: JSON.stringify(options.lane) } : {}),
      ...(options.pollMs !== undefined ? { MOTCUA_TEST_POLL_MS: String(options.pollMs) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const readyLine = options.readyLine ?? 'delivery relay running';
  return untilReady(child, readyLine, 'relay');
}
