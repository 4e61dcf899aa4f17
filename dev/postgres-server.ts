import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { RecentOutput, stopChild, stopWithThisProcess } from '../platform/child-process.js';

// A PostgreSQL cluster the project owns, for the embedded default and the test suite. We run the
// machine's own PostgreSQL binaries (Debian's postgresql package, or PG_BIN) rather than a copy
// shipped on npm: they are what production runs, they are patched by the OS, and we keep full
// control of the process. README.md, "PostgreSQL", explains the choice and how to install them.

export const DATABASE_NAME = 'motcua';
const SUPERUSER = 'motcua';

export interface PostgresOptions {
  /** The cluster's folder; created and initialised on first use, kept afterwards. */
  readonly clusterDir: string;
  readonly port: number;
  /** Folder holding initdb and postgres; found on the machine when absent. */
  readonly binDir?: string;
  /**
   * Trade crash safety for speed (fsync off): for throw-away test clusters only.
   */
  readonly disposable?: boolean;
}

export interface RunningPostgres {
  readonly url: string;
  /** The postmaster's pid (its backends are its children): for CPU accounting and fault drills. */
  readonly pid: number;
  stop(): Promise<void>;
}

export const NO_POSTGRES_HELP = [
  'No PostgreSQL binaries were found. Any one of these fixes it:',
  '  1. point at a running server: DATABASE_URL=postgres://user:password@host:5432/motcua',
  '  2. install PostgreSQL (Debian/Ubuntu: apt-get install postgresql), or set PG_BIN to the folder holding initdb and postgres',
].join('\n');

export async function startPostgres(options: PostgresOptions, logger: Logger): Promise<RunningPostgres> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir) throw new Error(NO_POSTGRES_HELP);
  const runAs = serverUser();
  await initialiseCluster(binDir, options.clusterDir, runAs, logger);
  refuseIfClusterRunning(options.clusterDir);

  const settings = [
    ['listen_addresses', '127.0.0.1'],
    ['unix_socket_directories', ''],
    ['max_connections', '200'],
    ...(options.disposable ? [['fsync', 'off'], ['synchronous_commit', 'off'], ['full_page_writes', 'off']] : []),
  ];
  const args = ['-D', options.clusterDir, '-p', String(options.port), ...settings.flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  const server = spawn(path.join(binDir, 'postgres'), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches us, and we stop PostgreSQL after the worker has drained.
    detached: true,
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  const untie = stopWithThisProcess(server, 'SIGINT');
  const output = new RecentOutput();
  const log = (line: string) => logger.debug({ component: 'postgres' }, line);
  server.stdout?.on('data', (chunk: Buffer) => output.add(chunk, log));
  server.stderr?.on('data', (chunk: Buffer) => output.add(chunk, log));
  // Fast shutdown (SIGINT): open transactions roll back, committed data is kept.
  const stop = async () => {
    await stopChild(server, 'SIGINT', 'SIGQUIT', 20_000);
    untie();
  };

  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${options.port}/postgres`;
  try {
    await waitUntilAccepting(adminUrl, server, output);
    await createDatabaseIfMissing(adminUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgres://${SUPERUSER}@127.0.0.1:${options.port}/${DATABASE_NAME}`;
  logger.info({ port: options.port, clusterDir: options.clusterDir, binDir }, 'PostgreSQL started');
  return { url, pid: server.pid!, stop };
}

/** PG_BIN, then pg_config --bindir, then Debian's /usr/lib/postgresql/<newest>/bin, then PATH. */
export function findPostgresBinDir(): string | undefined {
  const hasServer = (dir: string) => existsSync(path.join(dir, 'postgres')) && existsSync(path.join(dir, 'initdb'));
  if (process.env.PG_BIN) return hasServer(process.env.PG_BIN) ? process.env.PG_BIN : undefined;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (hasServer(dir)) return dir;
  } catch {
    // no pg_config: look elsewhere
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = path.join(debianRoot, version, 'bin');
      if (hasServer(dir)) return dir;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && hasServer(dir)) return dir;
  }
  return undefined;
}

interface ServerUser {
  readonly uid: number;
  readonly gid: number;
}

// PostgreSQL refuses to run as root. As root (containers, CI) we run it as the `postgres` system
// user that the PostgreSQL package creates, and hand it the cluster folder.
function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, PostgreSQL needs an unprivileged user named "postgres" to run as, and there is none. ' +
        'Create it (useradd --system postgres), run motcua as another user, or set DATABASE_URL.',
    );
  }
}

async function initialiseCluster(binDir: string, clusterDir: string, runAs: ServerUser | undefined, logger: Logger): Promise<void> {
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(clusterDir, runAs.uid, runAs.gid);
  logger.info({ clusterDir }, 'creating a PostgreSQL cluster (first start only)');
  try {
    execFileSync(
      path.join(binDir, 'initdb'),
      ['-D', clusterDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    const hint = runAs
      ? `\nThe "postgres" user must be able to reach ${clusterDir}: every folder above it needs o+x. Or set MOTCUA_DATA_DIR elsewhere.`
      : '';
    throw new Error(`initdb failed for ${clusterDir}:\n${stderr.trim()}${hint}`);
  }
}

export interface PostmasterLock {
  readonly pid: number;
  /** The data directory the postmaster runs on, as it wrote it. */
  readonly dataDir: string;
}

/** What `postmaster.pid` says, if the cluster has one: PostgreSQL writes it at start, removes it at a clean stop. */
export function readPostmasterLock(clusterDir: string): PostmasterLock | undefined {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, dataDir] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, dataDir: dataDir ?? '' };
}

function refuseIfClusterRunning(clusterDir: string): void {
  const lock = readPostmasterLock(clusterDir);
  if (!lock) return;
  try {
    process.kill(lock.pid, 0);
  } catch {
    return; // stale lock from a crash: PostgreSQL itself clears it
  }
  throw new Error(
    `a PostgreSQL server (pid ${lock.pid}) is already running on ${clusterDir}, and no \`npm start\` of this data folder owns it. ` +
      'Stop it first, or set MOTCUA_DATA_DIR to another folder.',
  );
}

async function waitUntilAccepting(url: string, server: ChildProcess, output: RecentOutput): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exit: string | undefined;
  server.once('exit', (code, signal) => (exit = `code ${code ?? signal}`));
  server.once('error', (error) => (exit = error.message));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`PostgreSQL exited (${exit}) while starting:\n${output}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 60 s:\n${output}`);
}

async function createDatabaseIfMissing(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}
