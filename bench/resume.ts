// `npm run bench -- resume`: disaster recovery from the log, timed. BENCH_RESUME_DOSSIERS open
// dossiers (default 10,000; synthetic: bench/synthetic-dossiers.ts plays each through the real
// decider, its documents recorded as issued, received in the last working days so their clocks run
// as a live province's do) are loaded into the log with their read models, into a PostgreSQL whose
// Temporal has never seen them: the situation after Temporal's database was lost. Then
// `resumeAll` (worker/resume-all.ts, what `npm run dossier:resume-all` runs) puts every run back,
// with the production worker (worker/main.ts) as a process of its own folding the logs; the time
// until every run has folded its log is the figure. A second pass, which must start nothing, is
// timed too.
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { type RunningTemporalOnPostgres, startTemporalOnPostgres } from '../dev/temporal-postgres.js';
import { connectAndMigrate } from '../db/connect.js';
import { createLogger } from '../platform/logger.js';
import { rewriteDossier } from '../db/projections/dossier-read-models.js';
import { evolveDossier, isClosed, newDossier } from '../domain/dossier/state.js';
import { createPayloadCodec } from '../platform/payload-codec.js';
import { parsePayloadKeys } from '../platform/payload-keys.js';
import { forEachBounded, resumeAll, type ResumeAllReport } from '../worker/resume-all.js';
import { cpuSecondsOf } from './cpu-meter.js';
import { startProcess } from './engine-load.js';
import { loadDossierLogs, loadSyntheticCentres, syntheticDossiers } from './synthetic-dossiers.js';

export interface ResumeFigures {
  readonly dossiers: number;
  readonly events: number;
  readonly loadSeconds: number;
  readonly concurrency: number;
  /** Until every run was started. */
  readonly startsSeconds: number;
  /** Until every run had folded its log: the recovery's time. */
  readonly resumeSeconds: number;
  readonly resumeMinutes: number;
  readonly dossiersPerSecond: number;
  /** The second pass: nothing to start. */
  readonly secondPassSeconds: number;
  readonly report: Omit<ResumeAllReport, 'dossiers'> & { readonly dossiers: Omit<ResumeAllReport['dossiers'], 'resumed'> & { readonly resumed: number } };
  /** CPU seconds the worker process spent resuming (bench/cpu-meter.ts). */
  readonly workerCpuSeconds: number;
}

const DAY = 24 * 60 * 60_000;
const CENTRES = 100;

/** Yesterday's 08:00 in Vietnam (UTC+7), as an instant: the synthetic receptions fall in that morning. */
function yesterdayMorning(now: number): number {
  const vietnamMidnight = Math.floor((now + 7 * 3_600_000) / DAY) * DAY - 7 * 3_600_000;
  return vietnamMidnight - DAY + 8 * 3_600_000;
}

export async function benchResume(stack: { databaseUrl: string; temporalAddress: string; keystoreDir: string; passphrase: string; workflowBundle: string }, logger: Logger, options: { dossiers: number; concurrency: number }): Promise<ResumeFigures> {
  const db = await connectAndMigrate({ connectionString: stack.databaseUrl, poolSize: 8, applicationName: 'bench-resume' }, logger);
  try {
    await loadSyntheticCentres(db, CENTRES);
    const loadStarted = Date.now();
    // The open ones of a morning's receptions, each with its documents issued.
    function* open() {
      let kept = 0;
      for (const dossier of syntheticDossiers({ dossiers: Number.MAX_SAFE_INTEGER, centres: CENTRES, days: 1, startMs: yesterdayMorning(Date.now()), withDocuments: true, seed: 20261208 })) {
        if (isClosed(dossier.events.reduce(evolveDossier, newDossier(dossier.code)))) continue;
        yield dossier;
        if ((kept += 1) >= options.dossiers) return;
      }
    }
    const codes: string[] = [];
    const loaded = await loadDossierLogs(
      db,
      (function* () {
        for (const dossier of open()) {
          codes.push(dossier.code);
          yield dossier;
        }
      })(),
      (dossiers, events) => process.stderr.write(`\r  loaded ${dossiers} dossiers, ${events} events`),
    );
    // Their read models, as the appends would have written them.
    const batches: string[][] = [];
    for (let index = 0; index < codes.length; index += 100) batches.push(codes.slice(index, index + 100));
    let projected = 0;
    await forEachBounded(batches, 4, async (batch) => {
      await db.transaction().execute(async (trx) => {
        for (const code of batch) await rewriteDossier(trx, code);
      });
      projected += batch.length;
      if (projected % 1000 === 0) process.stderr.write(`\r  read models of ${projected} dossiers          `);
    });
    process.stderr.write('\n');
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    const taskQueue = `bench-resume-${process.pid}`;
    const payloadKeys = `bench-1:${Buffer.alloc(32, 1).toString('base64')}`;
    const worker = await startProcess(
      'worker/main.ts',
      { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, MOTCUA_KEYSTORE_DIR: stack.keystoreDir, MOTCUA_KEYSTORE_PASSPHRASE: stack.passphrase, MOTCUA_TRUST_ANCHORS: `${stack.keystoreDir}/ca.pem`, MOTCUA_LOCAL_PKI: 'true', MOTCUA_WORKFLOW_BUNDLE: stack.workflowBundle, MOTCUA_PAYLOAD_KEYS: payloadKeys, MOTCUA_APPLICANT_KEY: 'bench-applicant-key-of-at-least-thirty-two-chars' },
      'worker running',
    );
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const temporal = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [createPayloadCodec(parsePayloadKeys(payloadKeys))] } });
      const cpuBefore = cpuSecondsOf(worker.pid!);
      const report = await resumeAll(temporal, db, taskQueue, {
        concurrency: options.concurrency,
        foldWaitMs: 30 * 60_000,
        onProgress: (progress) => process.stderr.write(`\r  ${progress.phase} ${progress.done}, ${(progress.elapsedMs / 1000).toFixed(0)} s          `),
      });
      process.stderr.write('\n');
      const workerCpuSeconds = cpuSecondsOf(worker.pid!) - cpuBefore;
      if (report.dossiers.failed.length > 0) throw new Error(`${report.dossiers.failed.length} dossiers not resumed, the first: ${report.dossiers.failed[0]!.id}: ${report.dossiers.failed[0]!.reason}`);
      if (report.dossiers.resumed.length !== loaded.dossiers) throw new Error(`${report.dossiers.resumed.length} dossiers resumed of ${loaded.dossiers} loaded`);
      const second = await resumeAll(temporal, db, taskQueue, { concurrency: options.concurrency });
      if (second.dossiers.resumed.length > 0 || second.dossiers.running !== loaded.dossiers) throw new Error(`the second pass resumed ${second.dossiers.resumed.length} and found ${second.dossiers.running} running of ${loaded.dossiers}`);
      return {
        dossiers: loaded.dossiers,
        events: loaded.events,
        loadSeconds,
        concurrency: options.concurrency,
        startsSeconds: report.startsMs / 1000,
        resumeSeconds: report.durationMs / 1000,
        resumeMinutes: report.durationMs / 60_000,
        dossiersPerSecond: loaded.dossiers / (report.durationMs / 1000),
        secondPassSeconds: second.durationMs / 1000,
        report: { ...report, dossiers: { ...report.dossiers, resumed: report.dossiers.resumed.length } },
        workerCpuSeconds,
      };
    } finally {
      await connection.close();
      worker.kill('SIGTERM');
    }
  } finally {
    await db.destroy();
  }
}

/** Temporal Server (dev/temporal-postgres.ts) on the PostgreSQL of `databaseUrl`, its databases beside the engine's: the cluster's Temporal. */
export function temporalOnStackPostgres(databaseUrl: string, dataDir: string): Promise<RunningTemporalOnPostgres> {
  const url = new URL(databaseUrl);
  return startTemporalOnPostgres(
    { dataDir, namespace: 'default', postgres: { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), ...(url.password ? { password: decodeURIComponent(url.password) } : {}) } },
    createLogger({ level: 'warn', name: 'bench-temporal' }),
  );
}
