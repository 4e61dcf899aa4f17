// `npm run start:cluster`: the engine as production runs it, on this machine (dev/cluster.ts):
// PostgreSQL, the Temporal server on PostgreSQL (or the dev server: MOTCUA_CLUSTER_TEMPORAL=dev-server),
// two APIs behind one round-robin port, two workers and the outbox relay, each a process of its own.
// Data stays in MOTCUA_DATA_DIR/cluster (default .motcua/cluster); Ctrl-C stops everything.
// docs/operations.md#running-the-cluster-mode explains it.
import path from 'node:path';
import { z } from 'zod';
import { createLogger } from '../platform/logger.js';
import { ConfigurationError, readEnvironment } from '../platform/environment.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { startCluster } from './cluster.js';
import { preferredOrFreePort } from './free-port.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-cluster' });
const closers = new Closers(logger);
const dataDir = path.join(env.dataDir, 'cluster');
closeOnSignals(logger, closers, () => logger.info('stopped; data kept in %s', dataDir));

const settings = z.object({
  MOTCUA_CLUSTER_TEMPORAL: z.enum(['postgres', 'dev-server']).default('postgres'),
  MOTCUA_CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  MOTCUA_CLUSTER_APIS: z.coerce.number().int().min(1).max(16).default(2),
});

try {
  const parsed = settings.safeParse(process.env);
  if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const { MOTCUA_CLUSTER_TEMPORAL: temporal, MOTCUA_CLUSTER_WORKERS: workers, MOTCUA_CLUSTER_APIS: apis } = parsed.data;
  const cluster = await startCluster({ dataDir, temporal, workers, apis, port: await preferredOrFreePort(env.PORT || 3000), usualPorts: true }, logger);
  closers.add('cluster', () => cluster.stop());
  logger.info(
    { api: cluster.apiUrl, apis: cluster.apiUrls, workers: cluster.workers.length, temporal: cluster.temporalAddress, postgres: cluster.databaseUrl, pids: cluster.pids(), dataDir, logs: path.join(dataDir, 'logs') },
    `motcua cluster is running: API ${cluster.apiUrl} (round robin over ${cluster.apiUrls.length} APIs; console ${cluster.apiUrl}/console/ needs MOTCUA_OIDC_* or a token), ${cluster.workers.length} workers, Temporal (${temporal}) at ${cluster.temporalAddress}. Ctrl-C stops it.`,
  );
  logger.info(
    'a token for the sample reception desk: TOKEN=$(MOTCUA_DATA_DIR=%s npm run -s token -- --role reception --agency 000.01.01.H99 --user letan.an); the consistency checks: npm run engine:check -- --cluster %s',
    dataDir,
    dataDir,
  );
} catch (error) {
  await failAndExit(logger, closers, error);
}
