// Production API entry: serves HTTP on HOST:PORT against the Temporal server at TEMPORAL_ADDRESS
// and the PostgreSQL at DATABASE_URL. Stateless: run as many as the load needs.
import { Client, Connection } from '@temporalio/client';
import { connectAndMigrate } from '../db/connect.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { stopOnSignals } from '../platform/shutdown.js';
import { buildApp } from './app.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-api' });
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  logger.fatal('the API needs DATABASE_URL and TEMPORAL_ADDRESS; for a local stack use `npm start`');
  process.exit(1);
}
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, applicationName: 'motcua-api' }, logger);
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
const app = await buildApp({ db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE, logger });
await app.listen({ host: env.HOST, port: env.PORT });
stopOnSignals(logger, async () => {
  await app.close();
  await connection.close();
  await db.destroy();
});
