// What the engine benchmark measures on: a target is an engine (its API and worker processes) on a
// Temporal server and a PostgreSQL, with the processes whose CPU counts named.
// - `dev-server`: this checkout's API and worker on the Temporal dev server, as `npm start` runs them;
// - `baseline`: the same on the code at BENCH_BASELINE_REV (default 69291f9, the code before issue
//   22), checked out into a temporary git worktree for the run and started from there;
// - `cluster`: this checkout as `npm run start:cluster` runs it (dev/cluster.ts): Temporal Server on
//   PostgreSQL, two workers and two APIs behind one port.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { freePort } from '../dev/free-port.js';
import { startLocalStack } from '../dev/local-stack.js';
import { allProcesses } from '../dev/local-processes.js';
import { readPostmasterLock } from '../dev/postgres-server.js';
import type { CpuGroups } from './cpu-meter.js';
import { REPOSITORY_ROOT, startProcess } from './engine-load.js';
import type { LifecycleApi } from './lifecycle-driver.js';

export const TARGET_NAMES = ['dev-server', 'cluster', 'baseline'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** The code before issue 22: the baseline the CPU cut is measured against. */
export const DEFAULT_BASELINE_REV = '69291f9';

const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const PAYLOAD_KEYS = `bench-1:${Buffer.alloc(32, 1).toString('base64')}`;

export interface EngineTarget {
  readonly name: TargetName;
  /** What runs: the code, the Temporal server, the processes. */
  readonly description: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  /** Where and how the lifecycle driver reaches the API. */
  readonly api: LifecycleApi;
  /** api, worker, temporal, postgres: the target's own processes (and their children). */
  readonly cpuGroups: CpuGroups;
  /** The engine's processes (API, worker, relay), to wait until they are quiet. */
  enginePids(): number[];
  apiPids(): number[];
  workerPids(): number[];
  stop(): Promise<void>;
}

/** The worker's Node flags in docker-compose.yml (the heap limit), read from the file so the two cannot drift apart. */
export function composeWorkerNodeOptions(): string {
  const compose = readFileSync(path.join(REPOSITORY_ROOT, 'docker-compose.yml'), 'utf8');
  const match = /NODE_OPTIONS:\s*\$\{MOTCUA_WORKER_NODE_OPTIONS:-([^}]+)\}/.exec(compose);
  if (!match) throw new Error("docker-compose.yml sets no NODE_OPTIONS: ${MOTCUA_WORKER_NODE_OPTIONS:-…} for the worker; the benchmark reads the worker's heap limit from there");
  return match[1]!.trim();
}

export interface EngineStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly keystoreDir: string;
  readonly passphrase: string;
  readonly workflowBundle: string;
  readonly documentDir: string;
  readonly scratch: string;
  /** The PostgreSQL data folder, whose postmaster.pid names the server. */
  readonly postgresClusterDir: string;
  readonly origins: unknown;
  stop(): Promise<void>;
}

/**
 * The engine's stack as `npm start` runs it, in a scratch folder: PostgreSQL with fsync and the
 * Temporal dev server on a SQLite file, the sample catalogue loaded, the local PKI and the workflow
 * bundle made, all by the code at `root` (the baseline's worktree sets up with its own code).
 */
export async function startEngineStack(logger: Logger, root: string = REPOSITORY_ROOT): Promise<EngineStack> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-engine-'));
  chmodSync(scratch, 0o755);
  const stack = await startLocalStack({ dataDir: scratch, namespace: 'default', mode: 'durable', ...(process.env.TEMPORAL_CLI ? { temporalCli: process.env.TEMPORAL_CLI } : {}) }, logger);
  const stop = async () => {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const from = <T>(file: string) => import(pathToFileURL(path.join(root, file)).href) as Promise<T>;
    const { connectAndMigrate } = await from<typeof import('../db/connect.js')>('db/connect.ts');
    const { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } = await from<typeof import('../db/catalogue.js')>('db/catalogue.ts');
    const { ensureLocalPki } = await from<typeof import('../documents/signing/local-pki.js')>('documents/signing/local-pki.ts');
    const { workflowsEntryPath } = await from<typeof import('../worker/dossier-worker.js')>('worker/dossier-worker.ts');
    const { bundleWorkflowCode } = await import('@temporalio/worker');
    const setup = await connectAndMigrate({ connectionString: stack.databaseUrl, poolSize: 1, applicationName: 'bench-setup' }, logger);
    const catalogue = readCatalogueFile(SAMPLE_CATALOGUE_FILE);
    await loadCatalogue(setup, catalogue).finally(() => setup.destroy());
    const keystoreDir = path.join(scratch, 'pki');
    const passphrase = 'bench-passphrase';
    ensureLocalPki({ dir: keystoreDir, agencies: catalogue.agencies, passphrase });
    // The workflows bundled ahead, as the production image does, so the worker carries no bundler.
    const workflowBundle = path.join(scratch, 'workflow-bundle.js');
    writeFileSync(workflowBundle, (await bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } })).code);
    return { databaseUrl: stack.databaseUrl, temporalAddress: stack.temporalAddress, keystoreDir, passphrase, workflowBundle, documentDir: path.join(scratch, 'documents'), scratch, postgresClusterDir: path.join(scratch, 'postgres'), origins: stack.origins, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The dev server serving `address`, found by its command line (`temporal server start-dev … --port N`). */
function devServerPids(address: string): number[] {
  const port = address.split(':').at(-1);
  return allProcesses()
    .filter(({ args }) => args.includes('start-dev') && args[args.indexOf('--port') + 1] === port)
    .map(({ pid }) => pid);
}

/** One API and one worker of the code at `root` on a fresh stack of its own (dev server, PostgreSQL). */
async function startLocalTarget(name: 'dev-server' | 'baseline', description: string, root: string, logger: Logger, cleanUp: () => Promise<void> = async () => undefined): Promise<EngineTarget> {
  const stack = await startEngineStack(logger, root).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  const processes: { kill(signal: NodeJS.Signals): boolean }[] = [];
  const stop = async () => {
    for (const child of processes) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stack.stop();
    await cleanUp();
  };
  try {
    const port = await freePort();
    const common = {
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: `bench-${name}-${process.pid}`,
      MOTCUA_DATA_DIR: stack.scratch,
      MOTCUA_DOCUMENT_DIR: stack.documentDir,
      MOTCUA_KEYSTORE_DIR: stack.keystoreDir,
      MOTCUA_KEYSTORE_PASSPHRASE: stack.passphrase,
      MOTCUA_TRUST_ANCHORS: `${stack.keystoreDir}/ca.pem`,
      MOTCUA_LOCAL_PKI: 'true',
      MOTCUA_WORKFLOW_BUNDLE: stack.workflowBundle,
      MOTCUA_PAYLOAD_KEYS: PAYLOAD_KEYS,
      MOTCUA_APPLICANT_KEY: 'bench-applicant-key-of-at-least-thirty-two-chars',
    };
    const worker = await startProcess('worker/main.ts', { ...common, NODE_OPTIONS: workerNodeOptions() }, 'worker running', { root });
    processes.push(worker);
    const api = await startProcess('api/main.ts', { ...common, HOST: '127.0.0.1', PORT: String(port), MOTCUA_JWT_SECRET: JWT_SECRET, MOTCUA_LOOKUP_KEY: 'bench-lookup-key-of-at-least-thirty-two-chars', MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000' }, 'Server listening', { root });
    processes.push(api);
    const temporalPids = devServerPids(stack.temporalAddress);
    const postgresPid = readPostmasterLock(stack.postgresClusterDir)?.pid;
    if (temporalPids.length === 0 || !postgresPid) throw new Error(`the ${name} target's Temporal dev server (${stack.temporalAddress}) or PostgreSQL (${stack.postgresClusterDir}) was not found among the processes: their CPU could not be counted`);
    return {
      name,
      description: `${description}; Temporal dev server, 1 API + 1 worker (NODE_OPTIONS ${workerNodeOptions()})`,
      temporalAddress: stack.temporalAddress,
      namespace: 'default',
      api: { apiUrl: `http://127.0.0.1:${port}`, jwtSecret: JWT_SECRET, keystoreDir: stack.keystoreDir, passphrase: stack.passphrase },
      cpuGroups: {
        api: { roots: () => [api.pid!], withDescendants: true },
        worker: { roots: () => [worker.pid!], withDescendants: true },
        temporal: { roots: () => temporalPids, withDescendants: true },
        postgres: { roots: () => [postgresPid], withDescendants: true },
      },
      enginePids: () => [api.pid!, worker.pid!],
      apiPids: () => [api.pid!],
      workerPids: () => [worker.pid!],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The worker's Node flags: BENCH_WORKER_NODE_OPTIONS if set, else the heap limit docker-compose.yml gives the worker. */
export function workerNodeOptions(): string {
  return process.env.BENCH_WORKER_NODE_OPTIONS ?? composeWorkerNodeOptions();
}

export async function startDevServerTarget(logger: Logger): Promise<EngineTarget> {
  return startLocalTarget('dev-server', `this checkout (${revisionOf(REPOSITORY_ROOT)})`, REPOSITORY_ROOT, logger);
}

/**
 * The code at `rev` in a temporary git worktree (detached, this checkout's node_modules linked in),
 * for a benchmark to run the old code beside the new in the same run; `remove()` takes it away.
 */
export function checkoutRevision(rev: string): { readonly dir: string; remove(): Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-baseline-'));
  rmSync(dir, { recursive: true, force: true });
  const git = (...args: string[]) => execFileSync('git', ['-C', REPOSITORY_ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('worktree', 'add', '--detach', dir, rev);
  symlinkSync(realpathSync(path.join(REPOSITORY_ROOT, 'node_modules')), path.join(dir, 'node_modules'));
  return {
    dir,
    async remove() {
      try {
        git('worktree', 'remove', '--force', dir);
      } catch {
        rmSync(dir, { recursive: true, force: true });
        git('worktree', 'prune');
      }
    },
  };
}

/** The code at `rev` (checkoutRevision) on a stack of its own; the worktree is removed when the target stops. */
export async function startBaselineTarget(rev: string, logger: Logger): Promise<EngineTarget> {
  const checkout = checkoutRevision(rev);
  return startLocalTarget('baseline', `the code at ${rev} (${revisionOf(checkout.dir)})`, checkout.dir, logger, () => checkout.remove());
}

function revisionOf(root: string): string {
  try {
    const described = execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${described}, with uncommitted changes` : described;
  } catch {
    return 'revision unknown';
  }
}
