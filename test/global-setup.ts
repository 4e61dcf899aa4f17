import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../dev/local-stack.js';
import { setUpSuite } from './support/suite-setup.js';

// The suite's own stack: a throw-away PostgreSQL and Temporal dev server on free ports, never the
// developer's running instance (DATABASE_URL and TEMPORAL_ADDRESS are ignored here on purpose).
// test/cluster-setup.ts is the same on the production Temporal server.

export default async function setup(project: TestProject) {
  return setUpSuite(project, (scratchDir, logger) =>
    startLocalStack(
      {
        dataDir: scratchDir,
        namespace: 'default',
        mode: 'disposable',
        ...(process.env.TEMPORAL_CLI ? { temporalCli: process.env.TEMPORAL_CLI } : {}),
        ...(process.env.PG_BIN ? { postgresBinDir: process.env.PG_BIN } : {}),
      },
      logger,
    ),
  );
}
