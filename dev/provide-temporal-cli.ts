// `npm run setup:temporal`: find or build the Temporal CLI now (README.md, "Temporal"), so a later
// `npm start` or `npm test` does not pause for the one-time Go build. CI runs it before the tests.
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { locateTemporalCli } from './temporal-cli.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL });
if (env.TEMPORAL_ADDRESS) {
  logger.info({ address: env.TEMPORAL_ADDRESS }, 'TEMPORAL_ADDRESS is set: motcua uses that server and needs no CLI');
} else {
  try {
    const cli = await locateTemporalCli(logger, env.TEMPORAL_CLI);
    logger.info({ origin: cli.origin, executable: cli.executable }, 'Temporal CLI ready');
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
