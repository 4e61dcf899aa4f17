// Production API entry: serves HTTP on HOST:PORT against the Temporal server at TEMPORAL_ADDRESS
// and the PostgreSQL at DATABASE_URL. Stateless: run as many as the load needs.
import { Client, Connection } from '@temporalio/client';
import { loadCatalogue, readCatalogueFile } from '../db/catalogue.js';
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { createDocumentStore } from '../documents/document-store.js';
import { applicantKey, authSettings, ConfigurationError, consoleDirectory, consoleIdentityProvider, corsOrigins, documentDirectory, payloadKeys, readEnvironment } from '../platform/environment.js';
import { dataStoreFromEnvironment } from '../integrations/data-store/national-portal.js';
import { createPayloadCodec } from '../platform/payload-codec.js';
import { createLogger } from '../platform/logger.js';
import { serveMetrics } from '../platform/metrics.js';
import { startTracing, tracingSettings } from '../platform/tracing.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { buildApp, listenOrExplain } from './app.js';
import { inboundOf } from '../integrations/interagency/interagency-config.js';
import { loadOutboxConfig } from '../integrations/outbox/channels.js';
import { paymentConnectionOf } from '../integrations/payment/national-platform.js';
import { paymentSettingsFromEnvironment } from '../integrations/payment/payment-config.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-api' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

try {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('the API needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  }
  // Traces when OTEL_EXPORTER_OTLP_ENDPOINT asks for them (docs/operations.md#metrics-and-traces);
  // added first, so the spans still buffered are sent after everything else has closed.
  const tracing = await startTracing(tracingSettings(env, 'motcua-api'));
  if (tracing) {
    closers.add('traces', () => tracing.shutdown());
    logger.info({ traces: tracing.settings.url, serviceName: tracing.settings.serviceName }, 'traces sent');
  }
  const codec = createPayloadCodec(payloadKeys(env));
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: sessionNameFor('motcua-api') }, logger);
  closers.add('database pool', () => db.destroy());
  if (env.MOTCUA_CATALOGUE) logger.info({ catalogueFile: env.MOTCUA_CATALOGUE, ...(await loadCatalogue(db, readCatalogueFile(env.MOTCUA_CATALOGUE))) }, 'catalogue loaded');
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  closers.add('client connection', () => connection.close());
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] }, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
  if (!env.MOTCUA_JWT_SECRET && !env.MOTCUA_JWKS_URL) {
    throw new Error('the API needs MOTCUA_JWT_SECRET (HS256) or MOTCUA_JWKS_URL (your identity provider) to verify bearer tokens');
  }
  if (!env.MOTCUA_LOOKUP_KEY) throw new Error('the API needs MOTCUA_LOOKUP_KEY (32+ characters) to derive the lookup secrets printed on receipts');
  if (!env.MOTCUA_TRUST_ANCHORS) throw new ConfigurationError('the API needs MOTCUA_TRUST_ANCHORS, the PEM file(s) of the CA(s) whose signatures POST /verify trusts');
  // The national payment platform (docs/integrations.md#online-payment); unset: online payment is not offered.
  const payment = paymentSettingsFromEnvironment(env);
  const app = await buildApp({
    db,
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger,
    ...(tracing ? { tracer: tracing.tracer } : {}),
    auth: authSettings(env),
    lookupKey: env.MOTCUA_LOOKUP_KEY,
    rateLimitPerMinute: env.MOTCUA_RATE_LIMIT_PER_MINUTE,
    publicRateLimitPerMinute: env.MOTCUA_PUBLIC_RATE_LIMIT_PER_MINUTE,
    feedbackSubmissionsPerMinute: env.MOTCUA_FEEDBACK_SUBMISSIONS_PER_MINUTE,
    commandTimeoutMs: env.MOTCUA_COMMAND_TIMEOUT_SECONDS * 1000,
    corsOrigins: corsOrigins(env),
    trustProxyHops: env.MOTCUA_TRUST_PROXY,
    documents: { store: createDocumentStore(db, documentDirectory(env)), trustAnchorFiles: env.MOTCUA_TRUST_ANCHORS.split(',').map((file) => file.trim()) },
    // The Temporal UI passes the signed-in user's token (its codec setting "pass access token").
    temporalCodec: { codec, callers: 'readers' },
    applicantKey: applicantKey(env),
    // The staff console, signing people in with the identity provider (docs/console.md#signing-in).
    console: { directory: consoleDirectory(env), ...(consoleIdentityProvider(env) ? { identityProvider: consoleIdentityProvider(env)! } : {}) },
    ...(dataStoreFromEnvironment(env) ? { dataStore: dataStoreFromEnvironment(env)! } : {}),
    // The public file links the relay signs for the portal and for citizens' letters (docs/integrations.md).
    ...(env.MOTCUA_FILE_LINK_KEY ? { portalFileLinks: { key: env.MOTCUA_FILE_LINK_KEY } } : {}),
    // The outside systems' callbacks (docs/integrations.md#answers-from-the-systems): the
    // `interagency` section of the outbox configuration, when the API is given it.
    ...(payment ? { payments: paymentConnectionOf(payment) } : {}),
    ...(env.MOTCUA_OUTBOX_CONFIG ? { interagency: inboundOf(loadOutboxConfig(env.MOTCUA_OUTBOX_CONFIG).interagency) } : {}),
    // No waker here: an operator's retry or close marks the lane's row undispatched, and the relay
    // (which knows the lanes' settings) wakes it within its poll (docs/integrations.md#dead-letters-and-the-operators-routine).
  });
  closers.add('API', () => app.close());
  await listenOrExplain(app, env.HOST, env.PORT);
  // The same metrics as GET /metrics, on a port of their own without a token, for a Prometheus on
  // the metrics network (docs/operations.md#metrics-and-traces).
  if (env.MOTCUA_METRICS_PORT) {
    const metrics = await serveMetrics({ port: env.MOTCUA_METRICS_PORT, host: env.MOTCUA_METRICS_HOST });
    closers.add('metrics', () => metrics.close());
    logger.info({ metrics: metrics.url }, 'metrics served');
  }
} catch (error) {
  await failAndExit(logger, closers, error);
}
