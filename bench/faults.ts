// `npm run faults -- [cluster|dev-server]`: the fault drill (a long run, not part of npm test). A
// cluster (dev/cluster.ts: two APIs behind the round-robin front, two workers, the relay) on the
// production Temporal server on PostgreSQL (`cluster`) or on the Temporal dev server (`dev-server`)
// carries a steady load of full lifecycles (the engine bench's driver, bench/engine-throughput.ts),
// each command retried with its Idempotency-Key until it is answered, while in turn:
//   1. one worker is SIGKILLed (started again once the load has recovered),
//   2. Temporal is SIGKILLed and started again at once (as a supervisor would),
//   3. PostgreSQL is restarted (a fast shutdown, then a start),
//   4. one API is SIGKILLed (started again once the load has recovered).
// For each fault: the time until the first command sent after the fault is answered, and until
// the load's throughput is back (a 5 s window of answered commands at ≥ 70% of the rate before the
// faults), the failed attempts meanwhile. Then the load stops and the consistency check
// (worker/consistency-check.ts) runs over every dossier the load saw answered. Prints a table and
// writes bench/results/faults-<mode>-<time>.json; exits 1 if the check fails.
// Settings: FAULTS_CONCURRENCY (default 8 lifecycles at once), FAULTS_WARMUP_SECONDS (30),
// FAULTS_RECOVERY_TIMEOUT_SECONDS (180), FAULTS_SETTLE_SECONDS (15), FAULTS_KEEP=1 keeps the data folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { connectAndMigrate } from '../db/connect.js';
import { type RunningCluster, startCluster } from '../dev/cluster.js';
import { createLogger } from '../platform/logger.js';
import { encryptedDataConverter } from '../platform/payload-codec.js';
import { payloadKeys, readEnvironment } from '../platform/environment.js';
import { installTemporalRuntime } from '../worker/temporal-runtime.js';
import { checkConsistency, formatConsistencyReport, type ConsistencyReport } from '../worker/consistency-check.js';
import { CommandFailed, lifecycleDriver, type LifecycleDriver } from './engine-throughput.js';

const MODES = ['cluster', 'dev-server'] as const;
type Mode = (typeof MODES)[number];

export interface FaultFigure {
  readonly fault: string;
  /** From the fault to the first answer of a command sent after it. */
  readonly firstAnswerMs: number | null;
  /** From the fault until a 5 s window of answers is back at ≥ 70% of the rate before the faults. */
  readonly throughputBackMs: number | null;
  /** Attempts that failed (no answer, 5xx) from the fault until the throughput was back. */
  readonly failedAttempts: number;
  /** The longest time with no command answered at all, from the fault on. */
  readonly longestSilenceMs: number;
  /** The longest a command took (first attempt to answer, retries included) among those under way at the fault or sent until the load was back. */
  readonly slowestCommandMs: number;
}

export interface FaultsFigures {
  readonly mode: Mode;
  readonly concurrency: number;
  readonly baselineCommandsPerSecond: number;
  readonly faults: readonly FaultFigure[];
  readonly lifecycles: { readonly completed: number; readonly receptionsAnswered: number; readonly refused: readonly string[] };
  readonly consistency: ConsistencyReport;
}

const RETRYABLE = (error: unknown) => error instanceof CommandFailed && (error.status === 0 || error.status >= 500 || error.status === 409 || error.status === 429);

/** A steady load of lifecycles; every answered or failed attempt is timestamped. */
class LifecycleLoad {
  readonly answers: number[] = [];
  readonly failures: number[] = [];
  /** Each answered command: when its last attempt and its first were sent, when it was answered. */
  readonly answered: { sentAt: number; firstSentAt: number; answeredAt: number }[] = [];
  readonly receptions: string[] = [];
  readonly refused: string[] = [];
  completed = 0;
  private stopping = false;
  private running: Promise<void>[] = [];
  private next = 0;

  constructor(
    private readonly driver: LifecycleDriver,
    private readonly run: string,
  ) {}

  start(concurrency: number): void {
    this.running = Array.from({ length: concurrency }, async () => {
      while (!this.stopping) await this.lifecycle(this.next++);
    });
  }

  /** Lets the lifecycles under way finish, starts no more. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async lifecycle(index: number): Promise<void> {
    const key = (what: string) => `faults-${this.run}-${index}-${what}`;
    const dossierCode = await this.command('receive', () => this.driver.receive(key('receive')));
    if (dossierCode === undefined) return;
    this.receptions.push(dossierCode);
    for (const step of this.driver.steps) {
      if ((await this.command(`${dossierCode} ${step.name}`, () => step.run(dossierCode, key(step.name)).then(() => 'done'))) === undefined) return;
    }
    this.completed += 1;
  }

  /**
   * Sends until answered, with the same Idempotency-Key. A refusal (4xx) is recorded and ends the
   * lifecycle (after a failed attempt it means the first one took effect without its answer kept);
   * so does a command still unanswered after 10 minutes.
   */
  private async command(label: string, send: () => Promise<string>): Promise<string | undefined> {
    const firstSentAt = performance.now();
    const deadline = firstSentAt + 600_000;
    for (let attempt = 1; ; attempt += 1) {
      const sentAt = performance.now();
      try {
        const answer = await send();
        const answeredAt = performance.now();
        this.answers.push(answeredAt);
        this.answered.push({ sentAt, firstSentAt, answeredAt });
        return answer;
      } catch (error) {
        this.failures.push(performance.now());
        if (!RETRYABLE(error) || performance.now() > deadline) {
          this.refused.push(`${label} (attempt ${attempt}): ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * attempt)));
      }
    }
  }

  ratePerSecond(from: number, to: number): number {
    return this.answers.filter((at) => at >= from && at < to).length / ((to - from) / 1000);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the load has recovered from a fault at `at`; its figures. */
async function recovery(load: LifecycleLoad, fault: string, at: number, baseline: number, timeoutMs: number): Promise<FaultFigure> {
  const window = 5000;
  let throughputBackMs: number | null = null;
  while (performance.now() - at < timeoutMs) {
    await sleep(500);
    const now = performance.now();
    if (now - at >= window && load.ratePerSecond(now - window, now) >= 0.7 * baseline) {
      // The first window that is back: its start is when the load was back.
      throughputBackMs = now - window - at;
      break;
    }
  }
  const end = performance.now();
  const firstAnswer = load.answered.filter((entry) => entry.sentAt >= at).reduce<number | null>((first, entry) => (first === null || entry.answeredAt < first ? entry.answeredAt : first), null);
  const answersSince = [at, ...load.answers.filter((answer) => answer >= at && answer <= end).sort((a, b) => a - b), end];
  const longestSilenceMs = answersSince.slice(1).reduce((longest, answer, index) => Math.max(longest, answer - answersSince[index]!), 0);
  // What the unluckiest caller saw: a command under way at the fault or sent during it, retries included.
  const slowestCommandMs = load.answered.filter((entry) => entry.answeredAt >= at && entry.firstSentAt <= end).reduce((slowest, entry) => Math.max(slowest, entry.answeredAt - entry.firstSentAt), 0);
  return { fault, firstAnswerMs: firstAnswer === null ? null : firstAnswer - at, throughputBackMs: throughputBackMs === null ? null : Math.max(0, throughputBackMs), failedAttempts: load.failures.filter((failure) => failure >= at && failure <= end).length, longestSilenceMs, slowestCommandMs };
}

export async function runFaults(cluster: RunningCluster, mode: Mode, logger: ReturnType<typeof createLogger>, settings: { concurrency: number; warmupMs: number; recoveryTimeoutMs: number; settleMs: number; log: (line: string) => void }): Promise<FaultsFigures> {
  const driver = await lifecycleDriver(cluster.apiUrl, cluster.jwtSecret, cluster.keystoreDir, cluster.keystorePassphrase);
  const load = new LifecycleLoad(driver, `${process.pid}-${Date.now()}`);
  load.start(settings.concurrency);
  const faults: FaultFigure[] = [];
  let baseline = 0;
  try {
    const warmupStart = performance.now();
    await sleep(settings.warmupMs);
    // The rate before any fault, over the warm-up's second half (the first has bundles loading, JIT).
    baseline = load.ratePerSecond(warmupStart + settings.warmupMs / 2, performance.now());
    settings.log(`baseline: ${baseline.toFixed(1)} commands answered per second at ${settings.concurrency} lifecycles at once`);

    const drill: { name: string; inject: () => Promise<void>; after?: () => Promise<void> }[] = [
      { name: 'SIGKILL one worker', inject: () => cluster.workers[0]!.kill('SIGKILL'), after: () => cluster.workers[0]!.start() },
      { name: 'SIGKILL Temporal, restart', inject: async () => { await cluster.temporal.kill(); await cluster.temporal.restart(); } },
      { name: 'restart PostgreSQL', inject: () => cluster.postgres.restart() },
      { name: 'SIGKILL one API', inject: () => cluster.apis[0]!.kill('SIGKILL'), after: () => cluster.apis[0]!.start() },
    ];
    for (const fault of drill) {
      const at = performance.now();
      await fault.inject();
      settings.log(`${fault.name}: injected (${((performance.now() - at) / 1000).toFixed(1)} s), waiting for the load to recover`);
      const figure = await recovery(load, fault.name, at, baseline, settings.recoveryTimeoutMs);
      faults.push(figure);
      settings.log(`${fault.name}: first answer after ${figure.firstAnswerMs === null ? 'none' : `${(figure.firstAnswerMs / 1000).toFixed(1)} s`}, throughput back after ${figure.throughputBackMs === null ? 'NOT within the timeout' : `${(figure.throughputBackMs / 1000).toFixed(1)} s`}, ${figure.failedAttempts} failed attempts`);
      await fault.after?.();
      await sleep(settings.settleMs);
    }
  } finally {
    settings.log('stopping the load (the lifecycles under way finish)');
    await load.stop();
  }

  // The documents and deliveries the last commands set off, then the checks.
  await sleep(10_000);
  const db = await connectAndMigrate({ connectionString: cluster.databaseUrl, poolSize: 2, applicationName: 'motcua-faults-check' }, logger);
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const client = new Client({ connection, namespace: cluster.namespace, dataConverter: encryptedDataConverter(payloadKeys({ ...readEnvironment(), MOTCUA_PAYLOAD_KEYS: cluster.payloadKeys })) });
    const consistency = await checkConsistency(db, client, { answeredDossiers: load.receptions, applicantKey: cluster.applicantKey, workflowBundlePath: cluster.workflowBundle });
    return { mode, concurrency: settings.concurrency, baselineCommandsPerSecond: baseline, faults, lifecycles: { completed: load.completed, receptionsAnswered: load.receptions.length, refused: load.refused }, consistency };
  } finally {
    await connection.close();
    await db.destroy();
  }
}

// Run as a script (npm run faults), not when imported by a test.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = (process.argv[2] ?? 'cluster') as Mode;
  if (!MODES.includes(mode)) {
    console.error(`usage: npm run faults -- [${MODES.join('|')}]  (cluster: Temporal Server on PostgreSQL; dev-server: the Temporal dev server)`);
    process.exit(2);
  }
  const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false, name: 'faults' });
  installTemporalRuntime(logger);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-faults-'));
  chmodSync(dataDir, 0o755);
  const loadBefore = os.loadavg().map((value) => value.toFixed(2)).join(' ');
  const cluster = await startCluster({ dataDir, temporal: mode === 'cluster' ? 'postgres' : 'dev-server' }, logger);
  let figures: FaultsFigures;
  try {
    figures = await runFaults(cluster, mode, logger, {
      concurrency: Number(process.env.FAULTS_CONCURRENCY ?? 8),
      warmupMs: seconds('FAULTS_WARMUP_SECONDS', 30),
      recoveryTimeoutMs: seconds('FAULTS_RECOVERY_TIMEOUT_SECONDS', 180),
      settleMs: seconds('FAULTS_SETTLE_SECONDS', 15),
      log: (line) => console.log(line),
    });
  } finally {
    await cluster.stop();
    if (process.env.FAULTS_KEEP !== '1') rmSync(dataDir, { recursive: true, force: true });
  }
  const s = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(1));
  console.log(`\nFaults under a load of ${figures.concurrency} lifecycles at once (${mode === 'cluster' ? 'Temporal Server on PostgreSQL' : 'Temporal dev server'}; 2 APIs behind the round-robin front, 2 workers, the relay), ${figures.baselineCommandsPerSecond.toFixed(1)} commands/s before the faults; load average ${loadBefore} before`);
  console.table(figures.faults.map((f) => ({ fault: f.fault, 'first answer s': s(f.firstAnswerMs), 'throughput back s': s(f.throughputBackMs), 'longest silence s': s(f.longestSilenceMs), 'slowest command s': s(f.slowestCommandMs), 'failed attempts': f.failedAttempts })));
  console.log(`${figures.lifecycles.completed} lifecycles completed, ${figures.lifecycles.receptionsAnswered} receptions answered, ${figures.lifecycles.refused.length} commands refused or given up${figures.lifecycles.refused.length ? `:\n  ${figures.lifecycles.refused.join('\n  ')}` : ''}`);
  console.log(`\nConsistency after the faults:\n${formatConsistencyReport(figures.consistency)}`);
  const at = new Date().toISOString();
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`faults-${mode}-${at.replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify({ benchmark: 'faults', at, machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageBefore: loadBefore }, figures }, null, 2));
  console.log(`written ${file.pathname}`);
  process.exitCode = figures.consistency.ok ? 0 : 1;
}
