import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { RecentOutput, stopChild, stopWithThisProcess } from '../platform/child-process.js';
import { DOSSIER_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { type LocatedTemporalCli, NO_TEMPORAL_SERVER_HELP } from './temporal-cli.js';

export interface TemporalServerOptions {
  readonly cli: LocatedTemporalCli;
  /** SQLite file that keeps workflows across restarts; in memory when absent (tests). */
  readonly dbFilename?: string;
  readonly port: number;
  /** Serve the Temporal UI on this port; no UI when absent. */
  readonly uiPort?: number;
  /** The remote codec the UI decrypts payloads through (the API's /temporal-codec). */
  readonly uiCodecEndpoint?: string;
  readonly namespace: string;
}

export interface RunningTemporalServer {
  readonly address: string;
  readonly uiUrl?: string;
  /** The server's pid, when we spawned it ourselves (not when @temporalio/testing owns a downloaded one). */
  readonly pid?: number;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the search attributes our workflows set already
 * registered, and waits until its namespace answers.
 */
export async function startTemporalServer(options: TemporalServerOptions, logger: Logger): Promise<RunningTemporalServer> {
  try {
    const running =
      options.cli.executable.type === 'existing-path'
        ? await spawnDevServer(options.cli.executable.path, options, logger)
        : await downloadedDevServer(options);
    logger.info({ address: running.address, origin: options.cli.origin, dbFilename: options.dbFilename ?? 'in memory' }, 'Temporal dev server started');
    return running;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the Temporal dev server (${options.cli.origin}) did not start: ${reason}\n\n${NO_TEMPORAL_SERVER_HELP}`);
  }
}

/**
 * The server's dynamic configuration: the values of deploy/temporal/dynamic-config.yaml, which the
 * production Temporal of docker-compose.yml reads (the compose test holds the two together).
 * Eager activities: a workflow task that schedules an activity on its own task queue gets it back
 * in the same answer, one trip through matching fewer (150 → 100 ms for a workflow with one
 * activity, docs/scaling.md). Off by default in Temporal's server.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'system.enableActivityEagerExecution': true,
};

function devServerArgs(options: TemporalServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...uiCodecArgs(options),
    ...(options.dbFilename
      ? ['--db-filename', options.dbFilename, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL']
      : []),
    ...Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ...DOSSIER_SEARCH_ATTRIBUTES.flatMap((attribute) => ['--search-attribute', `${attribute.name}=Keyword`]),
  ];
}

function uiCodecArgs(options: TemporalServerOptions): string[] {
  return options.uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : [];
}

// Our own child, in its own process group: Ctrl-C reaches us alone, and we stop the server after
// the worker has drained.
async function spawnDevServer(cliPath: string, options: TemporalServerOptions, logger: Logger): Promise<RunningTemporalServer> {
  const server = spawn(cliPath, devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const untie = stopWithThisProcess(server, 'SIGTERM');
  const output = new RecentOutput();
  const log = (line: string) => logger.debug({ component: 'temporal-server' }, line);
  server.stdout?.on('data', (chunk: Buffer) => output.add(chunk, log));
  server.stderr?.on('data', (chunk: Buffer) => output.add(chunk, log));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(address, options.namespace, server, output);
  } catch (error) {
    await stopChild(server, 'SIGKILL', 'SIGKILL', 0);
    untie();
    throw error;
  }
  return {
    address,
    ...(options.uiPort ? { uiUrl: `http://127.0.0.1:${options.uiPort}` } : {}),
    pid: server.pid!,
    async stop() {
      await stopChild(server, 'SIGTERM', 'SIGKILL', 15_000);
      untie();
    },
  };
}

async function waitUntilServing(address: string, namespace: string, server: ChildProcess, output: RecentOutput): Promise<void> {
  let exit: string | undefined;
  server.once('exit', (code, signal) => (exit = `code ${code ?? signal}`));
  server.once('error', (error) => (exit = error.message));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`the server exited (${exit}) while starting:\n${output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the server did not answer on ${address} within 60 s:\n${output}`);
}

// Where no CLI could be found or built, @temporalio/testing downloads one and owns its process.
async function downloadedDevServer(options: TemporalServerOptions): Promise<RunningTemporalServer> {
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.cli.executable,
      ip: '127.0.0.1',
      port: options.port,
      namespace: options.namespace,
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      extraArgs: uiCodecArgs(options),
      searchAttributes: DOSSIER_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
  return {
    address: environment.address,
    ...(options.uiPort ? { uiUrl: `http://127.0.0.1:${options.uiPort}` } : {}),
    stop: () => environment.teardown(),
  };
}
