import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import protos from '@temporalio/proto';
import pg from 'pg';
import type { Logger } from 'pino';
import { RecentOutput, stopChild, stopWithThisProcess } from '../platform/child-process.js';
import { DOSSIER_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { isPortFree } from './free-port.js';
import { locateTemporalServer, type TemporalServerBinaries, TEMPORAL_SERVER_VERSION } from './temporal-server-build.js';

// The production Temporal server (Go-built, dev/temporal-server-build.ts) on a PostgreSQL of our
// choosing, persistence and SQL visibility both there: what the cluster mode and the `cluster` test
// project run instead of the dev server. It uses the very files docker-compose.yml uses: the server
// configuration deploy/temporal/config/motcua.yaml, the schema script deploy/temporal/setup-schema.sh
// and the dynamic configuration deploy/temporal/dynamic-config.yaml
// (docs/decisions/0025-temporal-server-on-postgresql.md).

export { TEMPORAL_SERVER_VERSION };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The files compose mounts or runs, by their path in the repository. */
export const TEMPORAL_CONFIG_DIR = 'deploy/temporal/config';
export const TEMPORAL_CONFIG_ENV = 'motcua';
export const TEMPORAL_SETUP_SCHEMA_SCRIPT = 'deploy/temporal/setup-schema.sh';
export const TEMPORAL_DYNAMIC_CONFIG = 'deploy/temporal/dynamic-config.yaml';

/** How long a closed workflow's history stays on the server (namespaces we register). */
const NAMESPACE_RETENTION = '7 days';
const DEFAULT_DATABASES = { main: 'temporal', visibility: 'temporal_visibility' } as const;

export interface TemporalOnPostgresOptions {
  /** The rendered configuration and the server's log (temporal-server.log) go here. */
  readonly dataDir: string;
  readonly postgres: { readonly host: string; readonly port: number; readonly user: string; readonly password?: string };
  /** Default temporal and temporal_visibility, as in compose. */
  readonly databases?: { readonly main: string; readonly visibility: string };
  readonly namespace: string;
  /** Default: a free port. */
  readonly frontendPort?: number;
  /** Default 4, as compose; fixed once the database is set up. */
  readonly numHistoryShards?: number;
}

export interface RunningTemporalOnPostgres {
  /** 127.0.0.1:<frontend port> */
  readonly address: string;
  /** The current server process; a restart changes it. */
  readonly pid: number;
  /** The server's own Prometheus endpoint. */
  readonly metricsUrl: string;
  /** SIGTERM, and wait until it is gone. */
  stop(): Promise<void>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and databases, and waits until it serves the namespace. */
  restart(): Promise<void>;
}

/**
 * Creates the databases if missing, sets up or updates their schemas with Temporal's SQL tool (the
 * shared setup-schema.sh), starts the server on the shared configuration, waits until it is healthy,
 * and registers the namespace and the search attributes of workflows/search-attributes.ts
 * (idempotent: a second start on the same databases changes nothing).
 */
export async function startTemporalOnPostgres(options: TemporalOnPostgresOptions, logger: Logger): Promise<RunningTemporalOnPostgres> {
  const started = Date.now();
  const binaries = await locateTemporalServer(logger);
  const databases = options.databases ?? DEFAULT_DATABASES;
  mkdirSync(options.dataDir, { recursive: true });
  await createDatabasesIfMissing(options.postgres, databases);
  await setUpSchemas(binaries, options.postgres, databases, logger);

  const ports = await allocatePorts(options.frontendPort);
  const env = temporalServerEnvironment(options, databases, ports);
  // The configuration as the server sees it, for whoever investigates (no password in it: see below).
  writeFileSync(path.join(options.dataDir, 'temporal-server.env'), describeEnvironment(env));
  const address = `127.0.0.1:${ports.frontendGrpc}`;
  const logFile = path.join(options.dataDir, 'temporal-server.log');

  let server = await launch(binaries, env, address, logFile, logger);
  try {
    await registerNamespace(address, options.namespace, server);
    await waitUntilServing(address, options.namespace, server);
  } catch (error) {
    await server.kill();
    throw error;
  }
  logger.info(
    { address, pid: server.child.pid, version: TEMPORAL_SERVER_VERSION, origin: binaries.origin, seconds: (Date.now() - started) / 1000, logFile },
    'Temporal server on PostgreSQL started',
  );

  return {
    address,
    get pid() {
      return server.child.pid ?? -1;
    },
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    stop: () => server.stop(),
    kill: () => server.kill(),
    async restart() {
      await server.stop();
      server = await launch(binaries, env, address, logFile, logger);
      try {
        await waitUntilServing(address, options.namespace, server);
      } catch (error) {
        await server.kill();
        throw error;
      }
      logger.info({ address, pid: server.child.pid }, 'Temporal server on PostgreSQL restarted');
    },
  };
}

/** Drops Temporal's two databases (for the disaster-recovery test); the server must be stopped first. */
export async function dropTemporalDatabases(options: Pick<TemporalOnPostgresOptions, 'postgres' | 'databases'>): Promise<void> {
  const databases = options.databases ?? DEFAULT_DATABASES;
  await withAdminClient(options.postgres, async (client) => {
    for (const name of [databases.main, databases.visibility]) {
      // FORCE: a connection the killed server left behind must not hold the drop up.
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    }
  });
}

export interface TemporalServerPorts {
  readonly frontendGrpc: number;
  readonly frontendHttp: number;
  readonly frontendMembership: number;
  readonly historyGrpc: number;
  readonly historyMembership: number;
  readonly matchingGrpc: number;
  readonly matchingMembership: number;
  readonly workerGrpc: number;
  readonly workerMembership: number;
  readonly metrics: number;
}

// Every service of the one process listens on two ports (gRPC and membership): all chosen free, so
// several servers (the suite's, a developer's cluster) live side by side; a restart keeps them.
// Below 32768 on purpose: the server stores its ports in a SMALLINT column (cluster_membership),
// and that range is also clear of the ephemeral ports the kernel hands to outgoing connections.
async function allocatePorts(frontendPort: number | undefined): Promise<TemporalServerPorts> {
  const chosen = new Set<number>(frontendPort ? [frontendPort] : []);
  const next = async () => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      if (!chosen.has(port) && (await isPortFree(port))) {
        chosen.add(port);
        return port;
      }
    }
    throw new Error('no free port between 20000 and 32000 for the Temporal server');
  };
  return {
    frontendGrpc: frontendPort ?? (await next()),
    frontendHttp: await next(),
    frontendMembership: await next(),
    historyGrpc: await next(),
    historyMembership: await next(),
    matchingGrpc: await next(),
    matchingMembership: await next(),
    workerGrpc: await next(),
    workerMembership: await next(),
    metrics: await next(),
  };
}

type Databases = NonNullable<TemporalOnPostgresOptions['databases']>;

/** The variables deploy/temporal/config/motcua.yaml and setup-schema.sh read, as compose sets them. */
function databaseEnvironment(postgres: TemporalOnPostgresOptions['postgres'], databases: Databases): Record<string, string> {
  return {
    TEMPORAL_DB_HOST: postgres.host,
    TEMPORAL_DB_PORT: String(postgres.port),
    TEMPORAL_DB_USER: postgres.user,
    TEMPORAL_DB_PASSWORD: postgres.password ?? '',
    TEMPORAL_DB_NAME: databases.main,
    TEMPORAL_VISIBILITY_DB_NAME: databases.visibility,
  };
}

/** The environment the server runs with: what deploy/temporal/config/motcua.yaml reads (exported for the test that ties it to compose). */
export function temporalServerEnvironment(options: TemporalOnPostgresOptions, databases: Databases, ports: TemporalServerPorts): Record<string, string> {
  return {
    // Nothing else from our environment: the configuration template reads variables by name, and a
    // stray LOG_LEVEL or DB of the caller's must not change the server.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...databaseEnvironment(options.postgres, databases),
    NUM_HISTORY_SHARDS: String(options.numHistoryShards ?? 4),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.historyGrpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matchingGrpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.workerGrpc),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.metrics}`,
    DYNAMIC_CONFIG_FILE_PATH: path.join(REPO_ROOT, TEMPORAL_DYNAMIC_CONFIG),
    LOG_LEVEL: 'info',
  };
}

function describeEnvironment(env: Record<string, string>): string {
  const lines = Object.entries(env)
    .filter(([key]) => key !== 'PATH')
    .map(([key, value]) => `${key}=${key.includes('PASSWORD') ? (value ? '<set>' : '') : value}`);
  return [
    `# The environment ${TEMPORAL_CONFIG_DIR}/${TEMPORAL_CONFIG_ENV}.yaml was rendered with (${TEMPORAL_SERVER_VERSION}).`,
    ...lines,
    '',
  ].join('\n');
}

async function withAdminClient<T>(postgres: TemporalOnPostgresOptions['postgres'], use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    ...(postgres.password ? { password: postgres.password } : {}),
    database: 'postgres',
    application_name: 'motcua-temporal-setup',
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function createDatabasesIfMissing(postgres: TemporalOnPostgresOptions['postgres'], databases: Databases): Promise<void> {
  await withAdminClient(postgres, async (client) => {
    for (const name of [databases.main, databases.visibility]) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) continue;
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      } catch (error) {
        // Another starter created it between our look and our create.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
  });
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function setUpSchemas(binaries: TemporalServerBinaries, postgres: TemporalOnPostgresOptions['postgres'], databases: Databases, logger: Logger): Promise<void> {
  const script = path.join(REPO_ROOT, TEMPORAL_SETUP_SCHEMA_SCRIPT);
  const output = new RecentOutput(60);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/bin/sh', [script], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...databaseEnvironment(postgres, databases),
        TEMPORAL_SQL_TOOL: binaries.sqlTool,
        TEMPORAL_SCHEMA_DIR: binaries.schemaDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = (line: string) => logger.debug({ component: 'temporal-sql-tool' }, line);
    child.stdout.on('data', (chunk: Buffer) => output.add(chunk, log));
    child.stderr.on('data', (chunk: Buffer) => output.add(chunk, log));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`${TEMPORAL_SETUP_SCHEMA_SCRIPT} failed (exit ${code}):\n${output}`);
}

interface LaunchedServer {
  readonly child: ChildProcess;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

async function launch(binaries: TemporalServerBinaries, env: Record<string, string>, address: string, logFile: string, logger: Logger): Promise<LaunchedServer> {
  const args = ['--root', REPO_ROOT, '--config', TEMPORAL_CONFIG_DIR, '--env', TEMPORAL_CONFIG_ENV, '--allow-no-auth', 'start'];
  // Its own process group: Ctrl-C reaches us alone, and we stop the server after the engine drained.
  const child = spawn(binaries.server, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const untie = stopWithThisProcess(child, 'SIGTERM');
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const output = new RecentOutput();
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    output.add(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    output.add(chunk);
  });
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `code ${code ?? signal}`;
    log.end();
  });
  child.once('error', (error) => (exit = error.message));
  const ended = async (stopping: () => Promise<void>) => {
    await stopping();
    untie();
  };
  const launched: LaunchedServer = {
    child,
    // A graceful stop drains the history shards; 30 s is ample on a quiet machine.
    stop: () => ended(() => stopChild(child, 'SIGTERM', 'SIGKILL', 30_000)),
    kill: () => ended(() => stopChild(child, 'SIGKILL', 'SIGKILL', 0)),
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`the Temporal server exited (${exit}) while starting; its log is ${logFile}:\n${output}`);
    if (await answers(address)) return launched;
    await sleep(250);
  }
  await launched.kill();
  logger.error({ logFile }, 'the Temporal server did not become healthy');
  throw new Error(`the Temporal server did not answer on ${address} within 90 s; its log is ${logFile}:\n${output}`);
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      // The system namespace exists as soon as the frontend and history serve.
      await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

async function registerNamespace(address: string, namespace: string, server: LaunchedServer): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION),
      });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // The frontend sees a new namespace once its namespace cache refreshes (up to ~10 s); the
    // attributes can be added only then (SQL visibility maps them per namespace).
    await poll(server, `namespace ${namespace} never became usable`, async () => {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return true;
    });
    const have = await registeredSearchAttributes(connection, namespace);
    const missing = DOSSIER_SEARCH_ATTRIBUTES.filter((key) => !have.has(key.name));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
      });
    }
  } finally {
    await connection.close();
  }
}

async function registeredSearchAttributes(connection: Connection, namespace: string): Promise<Set<string>> {
  const answer = await connection.operatorService.listSearchAttributes({ namespace });
  return new Set(Object.keys(answer.customAttributes ?? {}));
}

/**
 * Healthy for us: the namespace answers, and a visibility query on every search attribute our
 * workflows set is accepted. That query goes through the frontend's namespace cache, the same that
 * checks a workflow start's attributes: listing the attributes alone would answer from the
 * database up to ~10 s before a start may use them.
 */
async function waitUntilServing(address: string, namespace: string, server: LaunchedServer): Promise<void> {
  const connection = await Connection.connect({ address });
  const query = DOSSIER_SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'probe'`).join(' AND ');
  try {
    await poll(server, `namespace ${namespace} never accepted the search attributes ${DOSSIER_SEARCH_ATTRIBUTES.map((key) => key.name).join(', ')}`, async () => {
      await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return true;
    });
  } finally {
    await connection.close();
  }
}

async function poll(server: LaunchedServer, failure: string, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the Temporal server exited while starting (${failure})`);
    try {
      if (await attempt()) return;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`${failure} within 60 s${last instanceof Error ? `: ${last.message}` : ''}`);
}

function isAlreadyExists(error: unknown): boolean {
  // gRPC status 6, ALREADY_EXISTS (NamespaceAlreadyExists).
  return (error as { code?: number }).code === 6;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
