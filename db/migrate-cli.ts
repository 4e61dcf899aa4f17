// `npm run migrate`: applies pending migrations to DATABASE_URL and exits. The API and the worker
// also migrate at start; this is for operators who prefer to migrate as a separate release step.
import { connectAndMigrate } from './connect.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-migrate' });
if (!env.DATABASE_URL) {
  logger.fatal('set DATABASE_URL to the database to migrate (npm start migrates its embedded one itself)');
  process.exit(1);
}
try {
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-migrate' }, logger);
  await db.destroy();
  logger.info('database is up to date');
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
