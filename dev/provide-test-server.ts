// `npm run setup:test-server`: find or fetch the time-skipping Temporal test server now
// (docs/testing.md), so the integration tests that drive workflow time find it in the cache. CI and
// `npm test` (pretest) run it; with the cache in place it returns at once.
import { createLogger } from '../platform/logger.js';
import { locateTestServer } from './temporal-test-server.js';

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
try {
  const server = await locateTestServer(logger);
  logger.info({ origin: server.origin, launcher: server.launcher }, 'Temporal test server ready');
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
