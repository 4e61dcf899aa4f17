// The outbox's relay in a process of its own, for the reliability tests (test/support/relay-process.ts):
// worker/delivery-relay.ts's startDeliveryRelay with ledger-receiver adapters (test/support/ledger-receiver.ts)
// posting to the receivers' URLs the test gives. A stand-in for the production entry with the real
// adapters (worker/relay-main.ts): relay-process.ts takes the entry as a parameter.
//
// Environment: DATABASE_URL, TEMPORAL_ADDRESS, MOTCUA_OUTBOX_TASK_QUEUE (the outbox's queue itself),
// MOTCUA_PAYLOAD_KEYS, MOTCUA_WORKFLOW_BUNDLE, MOTCUA_TEST_RECEIVERS ({"portal":"http://…",…}),
// MOTCUA_TEST_POLICY (a DeliveryPolicy as JSON), MOTCUA_TEST_LANE (DeliveryLaneSettings, partial, as JSON).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connectAndMigrate } from '../../db/connect.js';
import { sessionNameFor } from '../../db/database.js';
import type { Receiver } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import { createLogger } from '../../platform/logger.js';
import { encryptedDataConverter } from '../../platform/payload-codec.js';
import { parsePayloadKeys } from '../../platform/payload-keys.js';
import { closeOnSignals, Closers, failAndExit } from '../../platform/shutdown.js';
import { startDeliveryRelay } from '../../worker/delivery-relay.js';
import { installTemporalRuntime } from '../../worker/temporal-runtime.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';
import { ledgerChannel } from './ledger-receiver.js';

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', name: 'motcua-relay' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`the test relay needs ${name}`);
  return value;
};

try {
  installTemporalRuntime(logger);
  const address = required('TEMPORAL_ADDRESS');
  const db = await connectAndMigrate({ connectionString: required('DATABASE_URL'), poolSize: 8, applicationName: sessionNameFor('motcua-relay') }, logger);
  closers.add('database pool', () => db.destroy());
  const dataConverter = encryptedDataConverter(parsePayloadKeys(required('MOTCUA_PAYLOAD_KEYS')));
  const clientConnection = await Connection.connect({ address });
  closers.add('relay client connection', () => clientConnection.close());
  const connection = await NativeConnection.connect({ address });
  closers.add('relay worker connection', () => connection.close());
  const receivers = JSON.parse(required('MOTCUA_TEST_RECEIVERS')) as Partial<Record<Receiver, string>>;
  const relay = await startDeliveryRelay({
    db,
    temporal: new Client({ connection: clientConnection, namespace: 'default', dataConverter }),
    connection,
    namespace: 'default',
    dataConverter,
    taskQueue: required('MOTCUA_OUTBOX_TASK_QUEUE'),
    policy: JSON.parse(required('MOTCUA_TEST_POLICY')) as DeliveryPolicy,
    channels: Object.entries(receivers).map(([receiver, url]) => ledgerChannel(url!, receiver as Receiver)),
    lane: JSON.parse(process.env.MOTCUA_TEST_LANE ?? '{}') as Partial<DeliveryLaneSettings>,
    logger,
    pollMs: Number(process.env.MOTCUA_TEST_POLL_MS ?? 200),
    ...(process.env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundlePath: process.env.MOTCUA_WORKFLOW_BUNDLE } : {}),
  });
  // Registered last, closed first: the relay stops before the connections and the pool it uses.
  closers.add('delivery relay', () => relay.stop());
} catch (error) {
  await failAndExit(logger, closers, error);
}
