// Before the browser tests: the console's build, made again when its sources or the API's routes
// changed since the last one (dev/console-build.ts), so the tests never drive a stale console.
import { ensureConsoleBuilt } from '../dev/console-build.js';
import { createLogger } from '../platform/logger.js';
import { CONSOLE_DIR } from './support/console-stack.js';

export default async function setup() {
  await ensureConsoleBuilt(CONSOLE_DIR, createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'info', pretty: false, name: 'console-build' }));
}
