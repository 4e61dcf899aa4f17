import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../dev/free-port.js';
import { startPostgres } from '../dev/postgres-server.js';
import { startTemporalOnPostgres } from '../dev/temporal-postgres.js';
import { setUpSuite } from './support/suite-setup.js';

// The `cluster` project's stack: what production runs, not the dev server. A throw-away PostgreSQL
// holds motcua's database AND Temporal's two (persistence and SQL visibility), and the Go-built
// Temporal server runs on it with the configuration docker-compose.yml mounts
// (dev/temporal-postgres.ts). The test files get the same context as on the dev server
// (test/global-setup.ts), so the same files run on both.

export default async function setup(project: TestProject) {
  return setUpSuite(project, async (scratchDir, logger) => {
    const port = await freePort();
    const postgres = await startPostgres(
      { clusterDir: path.join(scratchDir, 'postgres'), port, disposable: true, ...(process.env.PG_BIN ? { binDir: process.env.PG_BIN } : {}) },
      logger,
    );
    try {
      // The cluster's superuser (dev/postgres-server.ts), trusted on loopback.
      const user = new URL(postgres.url).username;
      const temporal = await startTemporalOnPostgres(
        { dataDir: path.join(scratchDir, 'temporal'), postgres: { host: '127.0.0.1', port, user }, namespace: 'default' },
        logger,
      );
      return {
        databaseUrl: postgres.url,
        temporalAddress: temporal.address,
        origins: { postgres: `started in ${scratchDir}`, temporal: `Temporal Server on PostgreSQL, log ${path.join(scratchDir, 'temporal', 'temporal-server.log')}` },
        async stop() {
          await temporal.stop();
          await postgres.stop();
        },
      };
    } catch (error) {
      await postgres.stop();
      throw error;
    }
  });
}
