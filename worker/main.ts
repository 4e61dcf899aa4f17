// Production worker entry: hosts the dossier workflows and runs their activities against the
// Temporal server at TEMPORAL_ADDRESS and the PostgreSQL at DATABASE_URL. Scale by running more.
import { NativeConnection } from '@temporalio/worker';
import { connectAndMigrate } from '../db/connect.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { createDossierWorker } from './dossier-worker.js';
import { installTemporalRuntime } from './temporal-runtime.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-worker' });
const closers = new Closers(logger);
closeOnSignals(logger, closers);

try {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('the worker needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  }
  installTemporalRuntime(logger);
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: 'motcua-worker' }, logger);
  closers.add('database pool', () => db.destroy());
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  closers.add('worker connection', () => connection.close());
  const worker = await createDossierWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    db,
    ...(env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE } : {}),
  });
  const running = worker.run();
  running.catch((error: unknown) => failAndExit(logger, closers, error));
  closers.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  });
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
} catch (error) {
  await failAndExit(logger, closers, error);
}
