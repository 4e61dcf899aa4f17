// Production worker entry: hosts the dossier workflows and runs their activities against the
// Temporal server at TEMPORAL_ADDRESS and the PostgreSQL at DATABASE_URL. Scale by running more.
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { createDocumentIssuer } from '../documents/document-issuer.js';
import { createDocumentStore } from '../documents/document-store.js';
import { applicantKey, documentDirectory, payloadKeys, readEnvironment, signingSettings } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { runDossierWorker } from './dossier-worker.js';
import { installTemporalRuntime } from './temporal-runtime.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-worker' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

try {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('the worker needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  }
  const keys = payloadKeys(env);
  const applicant = applicantKey(env);
  installTemporalRuntime(logger);
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: sessionNameFor('motcua-worker') }, logger);
  closers.add('database pool', () => db.destroy());
  const store = createDocumentStore(db, documentDirectory(env));
  const documents = createDocumentIssuer(store, signingSettings(env, null));
  await runDossierWorker(env, env.TEMPORAL_ADDRESS, db, documents, keys, closers, logger, applicant, { store });
} catch (error) {
  await failAndExit(logger, closers, error);
}
