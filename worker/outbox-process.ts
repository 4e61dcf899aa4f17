// The outbox as a process runs it (`npm start` in its own process, worker/relay-main.ts in
// production): the relay with the configured adapters on the outbox's task queue, and the portal's
// nightly reconciliation when the portal is configured, and the inbox of the outside systems'
// answers when systems are connected, each registered with the process's closers.
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import { portalStatusMap } from '../domain/portal-sync/status-map.js';
import type { Outbox } from '../integrations/outbox/channels.js';
import type { Closers } from '../platform/shutdown.js';
import { type DeliveryRelay, outboxTaskQueue, startDeliveryRelay } from './delivery-relay.js';
import { startPortalReconciliation } from './portal-reconciliation.js';
import { startInteragencyInbox } from './interagency-inbox.js';
import type { InteragencyInbound } from '../integrations/interagency/inbound-config.js';
import type { DocumentStore } from '../documents/document-store.js';
import { nationalPaymentPlatform } from '../integrations/payment/national-platform.js';
import type { PaymentSettings } from '../integrations/payment/payment-config.js';
import type { PaymentPlatform } from '../integrations/payment/port.js';
import { startPaymentSweep } from './payment-sweep.js';

export interface OutboxProcessDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly dataConverter: DataConverter;
  /** The dossiers' task queue (TEMPORAL_TASK_QUEUE); the lanes run on its outbox queue. */
  readonly dossierTaskQueue: string;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly workflowBundlePath?: string | undefined;
  /**
   * The outside systems' answers (worker/interagency-inbox.ts): the sweep of waiting answers and the
   * poll of the systems that answer only when asked. Absent, or no system: neither runs.
   */
  readonly interagency?: { readonly config: InteragencyInbound; readonly store: DocumentStore };
  /**
   * The national payment platform's query sweep (worker/payment-sweep.ts), recovering the callbacks
   * that never came; `platform` replaces the adapter the settings make. Absent: not run.
   */
  readonly payment?: { readonly settings: PaymentSettings; readonly store: DocumentStore; readonly platform?: PaymentPlatform; readonly commandTimeoutMs?: number };
}

export async function runOutbox(deps: OutboxProcessDeps, closers: Closers): Promise<DeliveryRelay> {
  const { db, outbox, logger } = deps;
  const relay = await startDeliveryRelay({
    db,
    temporal: deps.temporal,
    connection: deps.connection,
    namespace: deps.namespace,
    dataConverter: deps.dataConverter,
    taskQueue: outboxTaskQueue(deps.dossierTaskQueue),
    policy: outbox.policy,
    channels: outbox.channels,
    lane: outbox.lane,
    logger,
    ...(deps.workflowBundlePath ? { workflowBundlePath: deps.workflowBundlePath } : {}),
  });
  closers.add('delivery relay', () => relay.stop());
  const portal = outbox.portal;
  if (portal) {
    const statusMap = portalStatusMap(outbox.config.portal?.statusMap);
    const reconciliation = startPortalReconciliation({ db, lookUp: (code) => portal.lookUp(code), logger, statusOf: (state) => statusMap.codes[state.status] });
    closers.add('portal reconciliation', () => reconciliation.stop());
  }
  if (deps.interagency && Object.keys(deps.interagency.config.systems).length > 0) {
    // A polled system is asked through its adapter (integrations/interagency/port.ts pollAnswers), the one the outbox delivers with.
    const pollers = Object.fromEntries(deps.outbox.channels.flatMap((channel) => ('pollAnswers' in channel && typeof channel.pollAnswers === 'function' ? [[channel.receiver, channel.pollAnswers.bind(channel)]] : [])));
    const inbox = startInteragencyInbox({ db, temporal: deps.temporal, taskQueue: deps.dossierTaskQueue, store: deps.interagency.store, config: deps.interagency.config, pollers, logger });
    closers.add('interagency answers inbox', () => inbox.stop());
  }
  if (deps.payment) {
    const { settings } = deps.payment;
    const sweep = startPaymentSweep({ db, temporal: deps.temporal, taskQueue: deps.dossierTaskQueue, store: deps.payment.store, platform: deps.payment.platform ?? nationalPaymentPlatform(settings), settings: settings.sweep, logger, ...(deps.payment.commandTimeoutMs ? { commandTimeoutMs: deps.payment.commandTimeoutMs } : {}) });
    closers.add('payment query sweep', () => sweep.stop());
  }
  return relay;
}
