// Production worker entry: hosts the dossier workflows and runs their activities against the
// Temporal server at TEMPORAL_ADDRESS and the PostgreSQL at DATABASE_URL. Scale by running more.
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { createDocumentIssuer } from '../documents/document-issuer.js';
import { createDocumentStore } from '../documents/document-store.js';
import { applicantKey, documentDirectory, payloadKeys, readEnvironment, signingSettings } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { startTracing, tracingSettings } from '../platform/tracing.js';
import { runDossierWorker } from './dossier-worker.js';
import { installTemporalRuntime } from './temporal-runtime.js';
import { sdkMetricsPort, serveProcessMetrics } from './process-metrics.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-worker' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

try {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('the worker needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  }
  // Traces when OTEL_EXPORTER_OTLP_ENDPOINT asks for them (docs/operations.md#metrics-and-traces);
  // added first, so the spans still buffered are sent after everything else has closed.
  const tracing = await startTracing(tracingSettings(env, 'motcua-worker'));
  if (tracing) {
    closers.add('traces', () => tracing.shutdown());
    logger.info({ traces: tracing.settings.url, serviceName: tracing.settings.serviceName }, 'traces sent');
  }
  const keys = payloadKeys(env);
  const applicant = applicantKey(env);
  // Metrics on MOTCUA_METRICS_PORT: ours and the Temporal SDK's (worker/process-metrics.ts).
  const sdkPort = env.MOTCUA_METRICS_PORT ? await sdkMetricsPort() : undefined;
  installTemporalRuntime(logger, 'WARN', sdkPort);
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: sessionNameFor('motcua-worker') }, logger);
  closers.add('database pool', () => db.destroy());
  if (env.MOTCUA_METRICS_PORT) await serveProcessMetrics(env.MOTCUA_METRICS_PORT, env.MOTCUA_METRICS_HOST, sdkPort, closers, logger);
  const store = createDocumentStore(db, documentDirectory(env));
  const documents = createDocumentIssuer(store, signingSettings(env, null));
  await runDossierWorker(env, env.TEMPORAL_ADDRESS, db, documents, keys, closers, logger, applicant, { store }, tracing);
} catch (error) {
  await failAndExit(logger, closers, error);
}
