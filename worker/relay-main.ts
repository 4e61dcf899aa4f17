// Production entry of the outbox's relay (docs/integrations.md#the-mechanism): plans deliveries
// from the event log and hosts the delivery lanes on the outbox's task queue, with the adapters that
// MOTCUA_OUTBOX_CONFIG names, runs the portal's nightly reconciliation, and serves its metrics on
// MOTCUA_METRICS_PORT. Run one or more beside the workers (docker-compose.yml `relay`).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { countDeadLetters } from '../db/outbox/operator-queries.js';
import { receiverCredentialStore } from '../db/outbox/receiver-credentials.js';
import type { ZaloTokens } from '../integrations/notifications/zalo-channel.js';
import { createOutbox, loadOutboxConfig } from '../integrations/outbox/channels.js';
import { inboundOf } from '../integrations/interagency/interagency-config.js';
import { createDocumentStore } from '../documents/document-store.js';
import { ConfigurationError, documentDirectory, payloadKeys, readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { watchDeadLetters } from '../platform/metrics.js';
import { createPayloadCodec } from '../platform/payload-codec.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { runOutbox } from './outbox-process.js';
import { paymentSettingsFromEnvironment } from '../integrations/payment/payment-config.js';
import { installTemporalRuntime } from './temporal-runtime.js';
import { sdkMetricsPort, serveProcessMetrics } from './process-metrics.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-relay' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

try {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) throw new ConfigurationError('the relay needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  if (!env.MOTCUA_OUTBOX_CONFIG) throw new ConfigurationError('the relay needs MOTCUA_OUTBOX_CONFIG, the outbox configuration file (docs/integrations.md#configuration)');
  if (!env.MOTCUA_LOOKUP_KEY) throw new ConfigurationError("the relay needs MOTCUA_LOOKUP_KEY, the same as the API's: the notice of reception carries the lookup secret");
  if (!env.MOTCUA_FILE_LINK_KEY) throw new ConfigurationError("the relay needs MOTCUA_FILE_LINK_KEY, the same as the API's: it signs the links the portal downloads files from");
  const keys = payloadKeys(env);
  const sdkPort = env.MOTCUA_METRICS_PORT ? await sdkMetricsPort() : undefined;
  installTemporalRuntime(logger, 'WARN', sdkPort);
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: sessionNameFor('motcua-relay') }, logger);
  closers.add('database pool', () => db.destroy());
  const outboxConfig = loadOutboxConfig(env.MOTCUA_OUTBOX_CONFIG);
  const outbox = createOutbox(outboxConfig, {
    lookupKey: env.MOTCUA_LOOKUP_KEY,
    fileLinkKey: env.MOTCUA_FILE_LINK_KEY,
    logger,
    zaloTokens: receiverCredentialStore<ZaloTokens>(db, createPayloadCodec(keys), 'zalo'),
  });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  closers.add('relay worker connection', () => connection.close());
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  closers.add('relay client connection', () => clientConnection.close());
  const dataConverter = { payloadCodecs: [createPayloadCodec(keys)] };
  const temporal = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
  await runOutbox(
    { db, temporal, connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter, dossierTaskQueue: env.TEMPORAL_TASK_QUEUE, outbox, logger, workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE,
      // The outside systems' answers: the sweep of waiting ones and the poll of the polled systems;
      // the files they carry go to the same document store as the API's (MOTCUA_DOCUMENT_DIR).
      interagency: { config: inboundOf(outboxConfig.interagency), store: createDocumentStore(db, documentDirectory(env)) },
      // The payment platform's query sweep (docs/integrations.md#online-payment), when MOTCUA_PAYMENT_* configure it.
      ...(paymentSettingsFromEnvironment(env) ? { payment: { settings: paymentSettingsFromEnvironment(env)!, store: createDocumentStore(db, documentDirectory(env)), commandTimeoutMs: env.MOTCUA_COMMAND_TIMEOUT_SECONDS * 1000 } } : {}) },
    closers,
  );
  if (env.MOTCUA_METRICS_PORT) {
    const unwatch = watchDeadLetters(() => countDeadLetters(db), logger);
    closers.add('dead-letter gauge', async () => unwatch());
    await serveProcessMetrics(env.MOTCUA_METRICS_PORT, env.MOTCUA_METRICS_HOST, sdkPort, closers, logger);
  }
} catch (error) {
  await failAndExit(logger, closers, error);
}
