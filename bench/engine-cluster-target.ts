// The `cluster` target of the engine benchmark: this checkout as `npm run start:cluster` runs it
// (dev/cluster.ts): Temporal Server on PostgreSQL, two workers and two APIs behind one round-robin
// port, the relay beside them.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { startCluster } from '../dev/cluster.js';
import type { CpuGroups } from './cpu-meter.js';
import { type EngineTarget, workerNodeOptions } from './engine-targets.js';

export async function startClusterTarget(logger: Logger): Promise<EngineTarget> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-cluster-'));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user and must reach its data folder
  const cluster = await startCluster({ dataDir, temporal: 'postgres', workerEnv: { NODE_OPTIONS: workerNodeOptions() }, env: { MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000' } }, logger).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const pids = (group: string) => cluster.pids()[group] ?? [];
  // Every group the cluster names (api, worker, relay, temporal, postgres), with its children.
  const cpuGroups: CpuGroups = Object.fromEntries(Object.keys(cluster.pids()).map((group) => [group, { roots: () => pids(group), withDescendants: true }]));
  return {
    name: 'cluster',
    description: `this checkout as npm run start:cluster runs it: Temporal Server on PostgreSQL, ${cluster.apis.length} APIs behind one port + ${cluster.workers.length} workers (NODE_OPTIONS ${workerNodeOptions()})`,
    temporalAddress: cluster.temporalAddress,
    namespace: cluster.namespace,
    api: { apiUrl: cluster.apiUrl, jwtSecret: cluster.jwtSecret, keystoreDir: cluster.keystoreDir, passphrase: cluster.keystorePassphrase },
    cpuGroups,
    enginePids: () => [...pids('api'), ...pids('worker'), ...pids('relay')],
    apiPids: () => pids('api'),
    workerPids: () => pids('worker'),
    async stop() {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
