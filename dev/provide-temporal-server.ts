// `npm run setup:temporal-server`: find or build the production Temporal server and its SQL tool
// now (docs/decisions/0025-temporal-server-on-postgresql.md), so a later `npm test` (its cluster
// project) or `npm run start:cluster` does not pause for the one-time Go build. CI runs it.
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { locateTemporalServer } from './temporal-server-build.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL });
try {
  const binaries = await locateTemporalServer(logger);
  logger.info(binaries, 'Temporal server ready');
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
