// The outbox's relay (worker/delivery-relay.ts) in a process of its own, as production runs it, so a
// test can really kill it: SIGKILL with deliveries in flight, planning transactions open, lanes'
// workflow tasks half done. By default it runs test/support/relay-entry.ts (ledger-receiver adapters
// posting to the receivers' URLs given); `entry` and `env` run another entry (the production
// worker/relay-main.ts with the real adapters and MOTCUA_OUTBOX_CONFIG) the same way.
import { type ChildProcess, spawn } from 'node:child_process';
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

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Ends it at once, as a crash or an OOM kill would: no draining, no goodbye. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM): the relay's round and its worker's in-flight tasks finish first. */
  stop(): Promise<void>;
}

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
  const output: string[] = [];
  const readyLine = options.readyLine ?? 'delivery relay running';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start within 60 s:\n${output.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (chunk.toString().includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} while starting:\n${output.join('\n')}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, output, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
