// The engine as production runs it, on one machine: PostgreSQL, a Temporal server, several API
// processes behind one round-robin port, several workers and one outbox relay, each engine process
// started the way docker-compose.yml starts it (api/main.ts, worker/main.ts, worker/relay-main.ts).
// `npm run start:cluster` (dev/start-cluster.ts), the fault drill (bench/faults.ts) and the engine
// benchmark's `cluster` target use it. Every part can be killed and started again, which is what
// the drill does; docs/operations.md#running-the-cluster-mode explains it.
import { type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from 'pino';
import { startProcess } from '../bench/engine-load.js';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../db/catalogue.js';
import { connectAndMigrate } from '../db/connect.js';
import { ensureLocalPki } from '../documents/signing/local-pki.js';
import { startOutboxDoubles } from '../doubles/outbox-doubles.js';
import { outboxConfigSchema } from '../integrations/outbox/channels.js';
import { stopChild, stopWithThisProcess } from '../platform/child-process.js';
import { workflowsEntryPath } from '../worker/dossier-worker.js';
import { type ClusterFile, writeClusterFile } from './cluster-file.js';
import { freePort, isPortFree, preferredOrFreePort } from './free-port.js';
import { localSecret } from './local-secrets.js';
import { claimDataFolder } from './orphaned-servers.js';
import { roundRobinFront } from './round-robin-front.js';
import { type PostgresOptions, startPostgres } from './postgres-server.js';
import { locateTemporalCli } from './temporal-cli.js';
import { startTemporalOnPostgres } from './temporal-postgres.js';
import { startTemporalServer, type TemporalServerOptions } from './temporal-server.js';

export interface ClusterOptions {
  /** Everything the cluster keeps: PostgreSQL's cluster, Temporal's store, the PKI, secrets, documents, logs. */
  readonly dataDir: string;
  /** The production server on PostgreSQL (dev/temporal-postgres.ts), or the dev server on a SQLite file. */
  readonly temporal: 'postgres' | 'dev-server';
  /** Worker processes (worker/main.ts); default 2. */
  readonly workers?: number;
  /** API processes (api/main.ts); default 2. */
  readonly apis?: number;
  /** Extra environment for every engine process. */
  readonly env?: Record<string, string>;
  /** Extra environment for the workers only (e.g. NODE_OPTIONS=--max-old-space-size=512). */
  readonly workerEnv?: Record<string, string>;
  /** The round-robin front's port; default a free one. */
  readonly port?: number;
  /** Prefer the usual ports (55432 for PostgreSQL, 7233 for Temporal) when free: `npm run start:cluster`. */
  readonly usualPorts?: boolean;
  /** Catalogue file loaded at start; default the sample catalogue. */
  readonly catalogueFile?: string;
}

/** One engine process; kill and start it again at will (pid is the current one's). */
export interface EngineProcess {
  readonly name: string;
  readonly pid: number;
  /** Sends the signal (default SIGTERM, a clean stop) and waits until the process has gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (same port, same settings) and waits until it is ready; a no-op if it runs. */
  start(): Promise<void>;
}

export interface RunningCluster {
  /** The round-robin front (one port): each new connection goes to the next live API. */
  readonly apiUrl: string;
  /** Each API directly. */
  readonly apiUrls: readonly string[];
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** HS256 secret the APIs verify bearer tokens with (mint with api/auth/token-verifier.ts mintToken). */
  readonly jwtSecret: string;
  /** MOTCUA_PAYLOAD_KEYS of every process: a Temporal client reading histories needs them. */
  readonly payloadKeys: string;
  /** MOTCUA_APPLICANT_KEY of every process: the index of reusable files is keyed by it. */
  readonly applicantKey: string;
  readonly keystoreDir: string;
  readonly keystorePassphrase: string;
  readonly workflowBundle: string;
  readonly workers: readonly EngineProcess[];
  readonly apis: readonly EngineProcess[];
  readonly relay: EngineProcess;
  readonly temporal: { readonly pid: number; kill(): Promise<void>; restart(): Promise<void>; stop(): Promise<void> };
  readonly postgres: { readonly pid: number; restart(): Promise<void> };
  /** Current pids by group (api, worker, relay, temporal, postgres with its backends), for CPU accounting. */
  pids(): Record<string, number[]>;
  stop(): Promise<void>;
}

const NAMESPACE = 'default';
const TASK_QUEUE = 'motcua-dossiers';

export async function startCluster(options: ClusterOptions, logger: Logger): Promise<RunningCluster> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
  // Enterable by others: as root, PostgreSQL runs as its own user inside it (a mkdtemp folder is 0700).
  chmodSync(dataDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => logger.warn({ err: error }, 'a part of the cluster did not stop cleanly'));
  };
  try {
    // One launcher per data folder; what a killed one left running on these files is stopped first.
    const claim = await claimDataFolder({ dataDir, clusterDir: path.join(dataDir, 'postgres'), ...(options.temporal === 'dev-server' ? { temporalDbFile: path.join(dataDir, 'temporal.db') } : {}) }, logger);
    stops.push(async () => claim.release());

    const postgres = await startRestartablePostgres({ clusterDir: path.join(dataDir, 'postgres'), port: options.usualPorts ? await preferredOrFreePort(55432) : await freePort() }, logger);
    stops.push(() => postgres.stop());
    const temporal = options.temporal === 'dev-server' ? await startRestartableDevServer(dataDir, options.usualPorts ?? false, logger) : await startTemporalOnPostgresFor(dataDir, postgres.url, options.usualPorts ?? false, logger);
    stops.push(() => temporal.stop());

    // The schema and the catalogue once, before any engine process (they would race to do it).
    const setup = await connectAndMigrate({ connectionString: postgres.url, poolSize: 1, applicationName: 'motcua-cluster-setup' }, logger);
    const catalogue = readCatalogueFile(options.catalogueFile ?? SAMPLE_CATALOGUE_FILE);
    try {
      await loadCatalogue(setup, catalogue);
    } finally {
      await setup.destroy();
    }

    // The secrets every process shares, kept in the data folder as `npm start` keeps its own.
    const secret = (name: Parameters<typeof localSecret>[1]) => localSecret(dataDir, name);
    const keystoreDir = path.join(dataDir, 'pki');
    const passphrase = secret('pki-passphrase');
    ensureLocalPki({ dir: keystoreDir, agencies: catalogue.agencies, passphrase });
    // The workflows bundled once, as the production image does, rather than by every worker.
    const workflowBundle = path.join(dataDir, 'workflow-bundle.js');
    writeFileSync(workflowBundle, (await bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } })).code);

    // The front's port is settled first: the outbox doubles' links and the systems' callbacks point at it.
    const frontPort = options.port ?? (await freePort());
    const apiUrl = `http://127.0.0.1:${frontPort}`;
    const doubles = await startOutboxDoubles({ secretsDir: path.join(dataDir, 'secrets', 'outbox-doubles'), interagency: { engineUrl: apiUrl, answerDelayMs: 20_000, pollSeconds: 10 } });
    stops.push(() => doubles.close());
    const outboxConfigFile = path.join(dataDir, 'outbox-doubles.json');
    writeFileSync(outboxConfigFile, `${JSON.stringify(doubles.config(apiUrl, { notices: outboxConfigSchema.shape.notices.parse({ quietHours: {} }) }), null, 2)}\n`);

    const jwtSecret = secret('jwt-secret');
    const payloadKeys = secret('payload-keys');
    const applicantKey = secret('applicant-key');
    const common: Record<string, string> = {
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_KEYSTORE_DIR: keystoreDir,
      MOTCUA_KEYSTORE_PASSPHRASE: passphrase,
      MOTCUA_TRUST_ANCHORS: path.join(keystoreDir, 'ca.pem'),
      MOTCUA_LOCAL_PKI: 'true',
      MOTCUA_WORKFLOW_BUNDLE: workflowBundle,
      MOTCUA_PAYLOAD_KEYS: payloadKeys,
      MOTCUA_APPLICANT_KEY: applicantKey,
      MOTCUA_DOCUMENT_DIR: path.join(dataDir, 'documents'),
      MOTCUA_LOOKUP_KEY: secret('lookup-key'),
      MOTCUA_FILE_LINK_KEY: secret('file-link-key'),
      MOTCUA_OUTBOX_CONFIG: outboxConfigFile,
      ...options.env,
    };
    const logFile = (name: string) => createWriteStream(path.join(dataDir, 'logs', `${name}.log`), { flags: 'a' });

    const workers = Array.from({ length: options.workers ?? 2 }, (_, index) => engineProcess(`worker-${index + 1}`, 'worker/main.ts', { ...common, ...options.workerEnv }, 'worker running', logFile));
    const relay = engineProcess('relay', 'worker/relay-main.ts', common, 'delivery relay running', logFile);
    const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 2 }, () => freePort()));
    const apis = apiPorts.map((port, index) =>
      engineProcess(`api-${index + 1}`, 'api/main.ts', { ...common, HOST: '127.0.0.1', PORT: String(port), MOTCUA_JWT_SECRET: jwtSecret, MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000' }, 'Server listening', logFile),
    );
    stops.push(async () => {
      await Promise.all(apis.map((api) => api.kill('SIGTERM')));
      await Promise.all([...workers, relay].map((process) => process.kill('SIGTERM')));
    });
    // Workers first (they poll the task queue before any command is sent), then the relay and the APIs together.
    await Promise.all(workers.map((worker) => worker.start()));
    await Promise.all([relay, ...apis].map((process) => process.start()));

    // Where the operator's tools find this cluster (npm run engine:check -- --cluster <dataDir>); the secrets stay in secrets/.
    const described: ClusterFile = { apiUrl, databaseUrl: postgres.url, temporalAddress: temporal.address, namespace: NAMESPACE, taskQueue: TASK_QUEUE, workflowBundle };
    writeClusterFile(dataDir, described);
    const front = await roundRobinFront(frontPort, apiPorts, logger);
    stops.push(() => front.close());
    logger.info({ apiUrl, apis: apiPorts.length, workers: workers.length, temporal: `${options.temporal} ${temporal.address}`, postgres: postgres.url, logs: path.join(dataDir, 'logs') }, 'cluster running');

    return {
      apiUrl,
      apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
      databaseUrl: postgres.url,
      temporalAddress: temporal.address,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      jwtSecret,
      payloadKeys,
      applicantKey,
      keystoreDir,
      keystorePassphrase: passphrase,
      workflowBundle,
      workers,
      apis,
      relay,
      temporal: {
        get pid() {
          return temporal.pid;
        },
        kill: () => temporal.kill(),
        restart: () => temporal.restart(),
        stop: () => temporal.stop(),
      },
      postgres: {
        get pid() {
          return postgres.pid;
        },
        restart: () => postgres.restart(),
      },
      pids() {
        const live = (processes: readonly EngineProcess[]) => processes.map((process) => process.pid).filter((pid) => pid > 0);
        return { api: live(apis), worker: live(workers), relay: live([relay]), temporal: temporal.pid > 0 ? [temporal.pid] : [], postgres: postgres.pid > 0 ? [postgres.pid, ...childrenOf(postgres.pid)] : [] };
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** An engine process (reusing the engine benchmark's starter), its output appended to logs/<name>.log. */
function engineProcess(name: string, entry: string, env: Record<string, string>, ready: string, logFile: (name: string) => NodeJS.WritableStream & { end(): void }): EngineProcess {
  let child: ChildProcess | undefined;
  let untie = () => {};
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    name,
    get pid() {
      return running() ? child!.pid! : 0;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!running()) return;
      // SIGKILL needs no grace; a clean stop gets 20 s to drain before it is forced.
      await stopChild(child!, signal, 'SIGKILL', signal === 'SIGKILL' ? 0 : 20_000);
      untie();
    },
    async start() {
      if (running()) return;
      const log = logFile(name);
      child = await startProcess(entry, env, ready, { output: log, ownGroup: true });
      child.once('exit', () => log.end());
      untie = stopWithThisProcess(child, 'SIGTERM');
    },
  };
}

/** The pids whose parent is `pid` (PostgreSQL's backends and background processes). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return children;
}

interface RestartablePostgres {
  readonly url: string;
  readonly pid: number;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL with fsync (durable), restartable on the same port and cluster folder. */
async function startRestartablePostgres(options: PostgresOptions, logger: Logger): Promise<RestartablePostgres> {
  let running = await startPostgres(options, logger);
  return {
    url: running.url,
    get pid() {
      return running.pid;
    },
    async restart() {
      await running.stop();
      running = await startPostgres(options, logger);
    },
    stop: () => running.stop(),
  };
}

interface RestartableTemporal {
  readonly address: string;
  readonly pid: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The Temporal dev server on a SQLite file in the data folder, so a kill and a restart keep its workflows. */
async function startRestartableDevServer(dataDir: string, usualPorts: boolean, logger: Logger): Promise<RestartableTemporal> {
  const cli = await locateTemporalCli(logger, process.env.TEMPORAL_CLI);
  if (cli.executable.type !== 'existing-path') throw new Error('the cluster mode runs the Temporal dev server as its own process: it needs the Temporal CLI (npm run setup:temporal), not a download owned by @temporalio/testing');
  const serverOptions: TemporalServerOptions = { cli, port: usualPorts ? await preferredOrFreePort(7233) : await freePort(), namespace: NAMESPACE, dbFilename: path.join(dataDir, 'temporal.db') };
  let server = await startTemporalServer(serverOptions, logger);
  let pid = server.pid!;
  return {
    address: server.address,
    get pid() {
      return pid;
    },
    async kill() {
      await killAndWait(pid);
      pid = 0;
      await server.stop(); // it has gone: this only unties it from our exit
    },
    async restart() {
      if (pid) await server.stop();
      server = await startTemporalServer(serverOptions, logger);
      pid = server.pid!;
    },
    async stop() {
      if (pid) await server.stop();
      pid = 0;
    },
  };
}

/** The production server (dev/temporal-postgres.ts) on the cluster's own PostgreSQL, its two databases beside motcua's. */
async function startTemporalOnPostgresFor(dataDir: string, databaseUrl: string, usualPorts: boolean, logger: Logger): Promise<RestartableTemporal> {
  const url = new URL(databaseUrl);
  const server = await startTemporalOnPostgres(
    {
      dataDir: path.join(dataDir, 'temporal'),
      postgres: { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), ...(url.password ? { password: decodeURIComponent(url.password) } : {}) },
      namespace: NAMESPACE,
      // Its ports must stay below 32768 (dev/temporal-postgres.ts): 7233 when free, else its own choice.
      ...(usualPorts && (await isPortFree(7233)) ? { frontendPort: 7233 } : {}),
    },
    logger,
  );
  return server;
}

/** SIGKILL, then wait until the pid no longer exists. */
async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    // A child of ours stays a zombie until reaped: count it as gone.
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return;
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
