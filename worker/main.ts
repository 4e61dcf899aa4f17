// Production worker entry: hosts the dossier workflows and runs their activities against the
// Temporal server at TEMPORAL_ADDRESS and the PostgreSQL at DATABASE_URL. Scale by running more.
import { NativeConnection } from '@temporalio/worker';
import { connectAndMigrate } from '../db/connect.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { stopOnSignals } from '../platform/shutdown.js';
import { createDossierWorker } from './dossier-worker.js';
import { installTemporalRuntime } from './temporal-runtime.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-worker' });
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  logger.fatal('the worker needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  process.exit(1);
}
installTemporalRuntime(logger);

const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: 'motcua-worker' }, logger);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const worker = await createDossierWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db,
  ...(env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE } : {}),
});
stopOnSignals(logger, async () => {
  worker.shutdown();
  await running;
  await connection.close();
  await db.destroy();
});
logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS }, 'worker running');
const running = worker.run();
await running;
