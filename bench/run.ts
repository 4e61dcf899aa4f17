// `npm run bench [-- <name>...]`: self-contained benchmarks, each printed as a table beside its
// baseline and written with machine details to bench/results/<name>-<time>.json. Never part of
// `npm test`. Names: `clock` (pure, no infrastructure), `append` and `reports` (each brings up a
// throw-away PostgreSQL), `engine` (on each of BENCH_TARGETS, default dev-server,cluster,baseline: the API
// and the worker as processes of their own on the Temporal dev server, on the cluster mode's Temporal Server
// with PostgreSQL, and the code at BENCH_BASELINE_REV (default 69291f9) from a temporary git worktree;
// BENCH_REQUESTS per concurrency, default 400; BENCH_LIFECYCLES lifecycles and floors, default a quarter of it). `reports` loads BENCH_DOSSIERS synthetic dossiers (default 100,000) at
// BENCH_CENTRES one-stop centres (default 50); BENCH_DOSSIERS=1000000 is the scale.
// BENCH_DATA_DIR keeps the database between runs. `pdf` (no infrastructure): CPU to render, sign and
// verify each kind of document, BENCH_PDF_RUNS times each (default 20), beside the documents code of
// BENCH_BASELINE_REV (default 69291f9; `none` to skip) and pdfmake if installed.
// `upload` (a throw-away PostgreSQL): a 20 MB PDF uploaded through the API's multipart plumbing beside
// stage + commit of the same bytes, BENCH_UPLOAD_RUNS times (default 5), and the memory while it streams.
// `intake` (the `engine` stack): only the portal's online submission with three 2 MB PDFs at concurrency
// 1 and 16, beside the counter's reception without files, BENCH_REQUESTS per row (default 48).
// `outbox` (the `engine` stack, the relay as a process of its own): portal syncs delivered per second to the
// fake portal (doubles/portal-double-b.ts through the production relay worker/relay-main.ts; BENCH_OUTBOX_RECEIVER=ledger:
// the tests' ledger receiver through the test relay) beside a bare loop of the same requests to it at the same concurrency, for BENCH_DOSSIERS synthetic
// dossiers (default 300) appended as a backlog; then the lag from commit to delivery, p50 and p99, for
// BENCH_LAG_DOSSIERS more (default 60) appended one event per transaction at BENCH_LAG_RATE events/s (default 10).
// BENCH_OUTBOX_FAULTS=1: the relay killed and the receiver failing while the backlog drains; exactly once still checked.
// `console` (the `engine` stack, the API serving console/dist, Debian's Chromium): the first load's compressed script
// beside the whole build's, a queue of BENCH_QUEUE_ROWS dossiers (default 1,000, read-model rows inserted directly)
// to its first row and scrolled to the bottom (BENCH_SCROLL_STEP px a frame, default 100) beside a static table of as
// many rows, and commands from click to confirmation (BENCH_CONSOLE_RUNS, default 5) beside the API call alone, under
// BENCH_CONSOLE_LOAD concurrent receptions (default 4).
// `resume` (the `engine` stack, its worker a process of its own): minutes to resume BENCH_RESUME_DOSSIERS open dossiers
// (default 10,000, synthetic, loaded into the log) into a Temporal that has none of them, as `npm run dossier:resume-all`
// does after Temporal's database was lost, BENCH_RESUME_CONCURRENCY starts at a time (default 32); then the second pass.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { connectAndMigrate } from '../db/connect.js';
import { verifyAllStreams } from '../db/event-integrity.js';
import { freePort } from '../dev/free-port.js';
import { startPostgres } from '../dev/postgres-server.js';
import { createLogger } from '../platform/logger.js';
import { benchEventAppend } from './event-append.js';
import { benchLegalClock } from './legal-clock.js';
import { benchReports } from './reports.js';
import { benchEngine } from './engine-throughput.js';
import { printEngineFigures } from './engine-report.js';
import { DEFAULT_BASELINE_REV, startEngineStack, TARGET_NAMES, type TargetName } from './engine-targets.js';
import { benchIntake } from './intake.js';
import { benchPdfRendering, printPdfFigures } from './pdf-rendering.js';
import { benchUpload } from './upload.js';
import { benchOutbox, ledgerBenchReceiver, portalBenchReceiver } from './outbox.js';
import { benchConsole, kib } from './console.js';
import { benchResume, temporalOnStackPostgres } from './resume.js';

const BENCHMARKS = ['clock', 'pdf', 'append', 'upload', 'reports', 'engine', 'intake', 'outbox', 'console', 'resume'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')} (or none for all).`);
  process.exit(2);
}
const selected = new Set<BenchmarkName>(requested.length > 0 ? (requested as BenchmarkName[]) : BENCHMARKS);
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false, name: 'bench' });

function machine(extra: Record<string, unknown> = {}) {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, ...extra };
}

function writeResults(benchmark: string, figures: unknown, extra: Record<string, unknown> = {}): void {
  const at = new Date().toISOString();
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${benchmark}-${at.replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify({ benchmark, at, machine: machine(extra), figures }, null, 2));
  console.log(`written ${file.pathname}`);
}

if (selected.has('clock')) {
  const figures = benchLegalClock();
  console.log('\nLegal clock: due date for a 100-working-day budget (half the dossiers with a supplement pause)');
  console.table(
    figures.map((f) => ({
      operation: f.operation,
      'µs/op': f.microsecondsPerOperation.toFixed(2),
      'ops/s': Math.round(f.operationsPerSecond),
      'vs baseline': f.ratioToBaseline === null ? '—' : `${f.ratioToBaseline.toFixed(1)}×`,
    })),
  );
  writeResults('legal-clock', figures);
}

if (selected.has('pdf')) {
  const runs = Number(process.env.BENCH_PDF_RUNS ?? 20);
  const figures = await benchPdfRendering(runs);
  printPdfFigures(figures, runs);
  writeResults('pdf-rendering', figures);
}

/**
 * A throw-away PostgreSQL with durable settings (fsync on), as production runs: the figures would
 * flatter us otherwise. With BENCH_DATA_DIR the cluster lives there and is kept, so a large dataset
 * is loaded once and measured again (the reports benchmark skips loading what is already there).
 */
async function withScratchDatabase(run: (db: Kysely<Database>, version: string) => Promise<void>): Promise<void> {
  const kept = process.env.BENCH_DATA_DIR;
  const scratch = kept ? path.resolve(kept) : mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
  mkdirSync(scratch, { recursive: true });
  chmodSync(scratch, 0o755);
  const postgres = await startPostgres({ clusterDir: path.join(scratch, 'postgres'), port: await freePort() }, logger);
  try {
    const db = await connectAndMigrate({ connectionString: postgres.url, poolSize: 32, applicationName: 'motcua-bench' }, logger);
    try {
      const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
      await run(db, rows[0]?.server_version ?? 'unknown');
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
    if (!kept) rmSync(scratch, { recursive: true, force: true });
  }
}

if (selected.has('append')) {
  const appends = Number(process.env.BENCH_APPENDS ?? 3000);
  await withScratchDatabase(async (db, version) => {
    const figures = [];
    for (const concurrency of [1, 8, 32]) figures.push(await benchEventAppend(db, concurrency, appends));
    console.log(`\nEvent append vs plain INSERT (${appends} single-event appends per run, PostgreSQL ${version}, fsync on)`);
    console.table(
      figures.map((f) => ({
        concurrency: f.concurrency,
        'appends/s': Math.round(f.appendsPerSecond),
        'plain INSERT/s': Math.round(f.plainInsertsPerSecond),
        ratio: f.ratio.toFixed(2),
      })),
    );
    writeResults('event-append', figures, { postgres: version });

    // Hash-chain verification over everything just appended (one event per stream here).
    const started = performance.now();
    const verified = await verifyAllStreams(db);
    const seconds = (performance.now() - started) / 1000;
    console.log(`\nHash-chain verification: ${verified.events} events in ${verified.streams} streams, ${seconds.toFixed(2)} s, ${Math.round(verified.events / seconds)} events/s (${verified.broken} broken)`);
    writeResults('hash-verification', { ...verified, seconds, eventsPerSecond: verified.events / seconds }, { postgres: version });
  });
}

if (selected.has('upload')) {
  const runs = Number(process.env.BENCH_UPLOAD_RUNS ?? 5);
  await withScratchDatabase(async (db, version) => {
    const figures = await benchUpload(db, runs, (line) => console.log(line));
    console.log(`\nUpload of a ${figures.sizeMB.toFixed(1)} MB PDF (median of ${runs}): multipart through Fastify + api/uploads.ts + receiveFile (checks included) vs stage + commit from a file stream, same store (PostgreSQL ${version}, fsync on)`);
    console.table([{ 'upload MB/s': figures.uploadMBps.toFixed(1), 'stage + commit MB/s': figures.directMBps.toFixed(1), ratio: figures.ratio.toFixed(2), 'runs\' ratios': `${figures.ratioRange[0].toFixed(2)}–${figures.ratioRange[1].toFixed(2)}`, target: '≥ 0.70', 'of which PDF check ms': figures.pdfCheckMs.toFixed(0) }]);
    console.log('Resident memory of the API process while an upload streams (peak above the level before it, median of 3):');
    console.table(figures.memory.map((m) => ({ 'file MB': m.sizeMB.toFixed(1), 'peak RSS Δ MiB': m.peakRssDeltaMiB.toFixed(1), 'RSS before MiB': m.baselineRssMiB.toFixed(0) })));
    writeResults('upload', figures, { postgres: version });
  });
}

if (selected.has('reports')) {
  const dossiers = Number(process.env.BENCH_DOSSIERS ?? 100_000);
  const centres = Number(process.env.BENCH_CENTRES ?? 50);
  await withScratchDatabase(async (db, version) => {
    console.log(`\nReports over ${dossiers} synthetic dossiers at ${centres} centres (fixed seed), PostgreSQL ${version}`);
    const figures = await benchReports(db, { dossiers, centres, log: (line) => console.log(line) });
    console.table(
      figures.queries.map((f) => ({
        query: f.query,
        'p50 ms': f.p50Ms.toFixed(1),
        'p95 ms': f.p95Ms.toFixed(1),
        'plain count p50 ms': f.baselineP50Ms.toFixed(1),
        ratio: f.ratio.toFixed(1),
      })),
    );
    console.table([
      { operation: 'projection rebuild', 'events/s': Math.round(figures.rebuild.eventsPerSecond), seconds: figures.rebuild.seconds.toFixed(1) },
      { operation: 'hash-chain verification', 'events/s': Math.round(figures.verification.eventsPerSecond), seconds: figures.verification.seconds.toFixed(1) },
      { operation: 'replay (read + fold)', 'events/s': Math.round(figures.replay.eventsPerSecond), seconds: figures.replay.seconds.toFixed(1) },
    ]);
    console.log(`${figures.events} events; sizes: ${JSON.stringify(figures.tableSizes)}`);
    writeResults('reports', figures, { postgres: version });
  });
}

/** The engine's stack as `npm start` runs it, the sample catalogue loaded, its PKI and workflow bundle made (bench/engine-targets.ts). */
async function withEngineStack(work: (stack: { databaseUrl: string; temporalAddress: string; keystoreDir: string; passphrase: string; workflowBundle: string; documentDir: string; scratch: string }, origins: unknown) => Promise<void>): Promise<void> {
  const stack = await startEngineStack(logger);
  try {
    await work(stack, stack.origins);
  } finally {
    await stack.stop();
  }
}

if (selected.has('intake')) {
  await withEngineStack(async (stack, origins) => {
    const requests = Number(process.env.BENCH_REQUESTS ?? 48);
    const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
    const uploadRuns = Number(process.env.BENCH_UPLOAD_RUNS ?? 11);
    const figures = await benchIntake(stack, logger, { requests, concurrencies: [1, 16], uploadRuns });
    const loadAfter = os.loadavg().map((value) => value.toFixed(2)).join(' ');
    console.log(`\nOnline submission from a portal (POST /intake/dossiers, three 2 MB PDFs base64 in JSON → checked, stored → Temporal → 201) beside the counter's reception without files (POST /dossiers), ${requests} requests per row; load average ${load} before, ${loadAfter} after`);
    console.table([
      ...figures.reception.map((f) => ({ operation: 'reception (counter, no files)', concurrency: f.concurrency, 'per s': f.perSecond.toFixed(1), 'MB/s of files': '—', 'p50 ms': f.p50Ms.toFixed(0), 'p95 ms': f.p95Ms.toFixed(0) })),
      ...figures.intake.map((f) => ({ operation: 'online intake, 3 × 2 MB', concurrency: f.concurrency, 'per s': f.perSecond.toFixed(1), 'MB/s of files': f.megabytesPerSecond.toFixed(1), 'p50 ms': f.p50Ms.toFixed(0), 'p95 ms': f.p95Ms.toFixed(0) })),
    ]);
    const u = figures.realRouteUpload;
    console.log(`\nThe real upload route (POST /dossiers/{code}/components/application/files, curl multipart, a ${u.sizeMB.toFixed(1)} MB PDF to a new received dossier each run) vs stage + commit of the same file into the same store, median of ${u.runs}`);
    console.table([{ 'upload MB/s': u.uploadMBps.toFixed(1), 'stage + commit MB/s': u.directMBps.toFixed(1), ratio: u.ratio.toFixed(2), "runs' ratios": `${u.ratioRange[0].toFixed(2)}–${u.ratioRange[1].toFixed(2)}`, target: '≥ 0.70' }]);
    console.log(`Peak resident memory: API ${figures.peakRssMiB.api.toFixed(0)} MiB, worker ${figures.peakRssMiB.worker.toFixed(0)} MiB`);
    writeResults('intake', figures, { stack: origins, loadAverageBefore: load, loadAverageAfter: loadAfter });
  });
}

if (selected.has('engine')) {
  const requests = Number(process.env.BENCH_REQUESTS ?? 400);
  const targets = (process.env.BENCH_TARGETS ?? TARGET_NAMES.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
  const unknownTargets = targets.filter((name) => !(TARGET_NAMES as readonly string[]).includes(name));
  if (unknownTargets.length > 0 || targets.length === 0) {
    console.error(`BENCH_TARGETS names ${unknownTargets.join(', ') || 'nothing'}; choose among ${TARGET_NAMES.join(', ')}, comma-separated.`);
    process.exit(2);
  }
  const baselineRev = process.env.BENCH_BASELINE_REV ?? DEFAULT_BASELINE_REV;
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
  const started = performance.now();
  const figures = await benchEngine(logger, { targets: targets as TargetName[], baselineRev, requests, concurrencies: [1, 16, 64], lifecycles: Number(process.env.BENCH_LIFECYCLES ?? Math.max(50, Math.round(requests / 4))), log: (line) => console.log(line) });
  const minutes = (performance.now() - started) / 60_000;
  printEngineFigures(figures, requests);
  console.log(`${minutes.toFixed(1)} minutes; load average ${load} before`);
  writeResults('engine', figures, { requests, baselineRev, minutes, loadAverageBefore: load });
}

if (selected.has('outbox')) {
  await withEngineStack(async (stack, origins) => {
    const dossiers = Number(process.env.BENCH_DOSSIERS ?? 300);
    const lagDossiers = Number(process.env.BENCH_LAG_DOSSIERS ?? 60);
    const lagRate = Number(process.env.BENCH_LAG_RATE ?? 10);
    const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
    const db = await connectAndMigrate({ connectionString: stack.databaseUrl, poolSize: 8, applicationName: 'bench-outbox' }, logger);
    try {
      const faults = process.env.BENCH_OUTBOX_FAULTS === '1';
      const receiverName = process.env.BENCH_OUTBOX_RECEIVER ?? 'portal';
      if (receiverName !== 'portal' && receiverName !== 'ledger') throw new Error(`BENCH_OUTBOX_RECEIVER must be portal (the default) or ledger, not ${receiverName}`);
      const receiver = receiverName === 'ledger' ? await ledgerBenchReceiver() : await portalBenchReceiver(stack.scratch);
      const figures = await benchOutbox(db, stack, logger, { dossiers, lagDossiers, lagRate, faults, receiver, payloadKeys: `bench-1:${Buffer.alloc(32, 1).toString('base64')}`, log: (line) => console.log(line) }).finally(() => receiver.close());
      if (faults) console.log(`\nWith faults while the backlog drained (the figures include them): ${figures.faults.join('; ')}`);
      console.log(`\nOutbox: portal syncs of ${figures.dossiers} synthetic dossiers (${figures.events} events, appended as a backlog) planned, dispatched and delivered by the relay (its own process, lanes in Temporal) to the ${figures.receiver}, beside a bare loop to it at the outbox's concurrency (${figures.bare.concurrency} lanes; at most ${figures.peakInFlight} of the outbox's attempts were in flight at once); load average ${load} before`);
      console.log(`One bare unit: ${figures.bare.unit} (${figures.bare.requests} HTTP requests for ${figures.bare.units} units)`);
      if (figures.downloads) console.log(`Files the receiver downloaded (a 4 KiB PDF per link): ${figures.downloads.outbox} for the outbox's backlog, ${figures.downloads.bare} for the bare loop`);
      console.table([
        { path: 'outbox (plan + lane + deliver activity + attempt record)', deliveries: figures.deliveries, seconds: figures.seconds.toFixed(1), 'per s': figures.deliveriesPerSecond.toFixed(1) },
        { path: `bare loop of the same requests, concurrency ${figures.bare.concurrency}`, deliveries: figures.bare.units, seconds: figures.bare.seconds.toFixed(1), 'per s': figures.bare.perSecond.toFixed(1) },
        { path: 'ratio outbox / bare', deliveries: '', seconds: '', 'per s': figures.ratio.toFixed(3) },
      ]);
      console.log(`\nLag from an event's commit to its delivery: ${figures.lag.events} events of ${figures.lag.dossiers} dossiers appended one per transaction at ${figures.lag.ratePerSecond}/s while the relay ran, ${figures.lag.deliveries} deliveries`);
      console.table([
        { measure: 'commit → deliveries.delivered_at', 'p50 ms': figures.lag.commitToDeliveredMs.p50.toFixed(0), 'p99 ms': figures.lag.commitToDeliveredMs.p99.toFixed(0), 'max ms': figures.lag.commitToDeliveredMs.max.toFixed(0) },
        { measure: "commit → the receiver's receipt", 'p50 ms': figures.lag.commitToReceiptMs.p50.toFixed(0), 'p99 ms': figures.lag.commitToReceiptMs.p99.toFixed(0), 'max ms': figures.lag.commitToReceiptMs.max.toFixed(0) },
      ]);
      const once = figures.exactlyOnce;
      console.log(`At the receiver: ${once.missing} missing, ${once.outOfOrder} dossiers out of order, ${once.duplicatesRecognised} resends recognised, ${once.notDelivered} rows not delivered`);
      writeResults(`outbox${receiverName === 'ledger' ? '-ledger' : ''}${faults ? '-faults' : ''}`, figures, { stack: origins, loadAverageBefore: load });
      if (once.missing + once.outOfOrder + once.notDelivered > 0) process.exitCode = 1;
    } finally {
      await db.destroy();
    }
  });
}

if (selected.has('console')) {
  await withEngineStack(async (stack, origins) => {
    const queueRows = Number(process.env.BENCH_QUEUE_ROWS ?? 1000);
    const scrollStep = Number(process.env.BENCH_SCROLL_STEP ?? 100);
    const runs = Number(process.env.BENCH_CONSOLE_RUNS ?? 5);
    const loadConcurrency = Number(process.env.BENCH_CONSOLE_LOAD ?? 4);
    const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
    const figures = await benchConsole(stack, logger, { queueRows, scrollStep, runs, loadConcurrency, log: (line) => console.log(line) });
    const b = figures.bundle;
    console.log(`\nConsole scripts: what index.html loads up front (Brotli, as served) beside the whole build (${b.scripts} scripts); goal: first load under ${kib(b.goalBytes)}`);
    console.table([
      ...b.upFront.map((file) => ({ script: file.file, bytes: kib(file.bytes), brotli: kib(file.brotliBytes) })),
      { script: 'first load, up front', bytes: kib(b.upFront.reduce((sum, file) => sum + file.bytes, 0)), brotli: `${kib(b.upFrontBrotliBytes)} (${b.upFrontBrotliBytes < b.goalBytes ? 'under' : 'OVER'} the goal)` },
      { script: 'whole build', bytes: kib(b.wholeBuildBytes), brotli: kib(b.wholeBuildBrotliBytes) },
    ]);
    console.log('What Chromium fetched on a cold load (scripts; encoded = bytes on the wire):');
    console.table(b.browser.map((f) => ({ screen: f.screen, scripts: f.scripts, encoded: kib(f.encodedBytes), decoded: kib(f.decodedBytes) })));
    const frameRow = (what: string, f: { frames: number; p50Ms: number; p95Ms: number; maxMs: number; dropped: number; seconds: number; scrolledPx: number }) => ({ scroll: what, frames: f.frames, 'p50 ms': f.p50Ms.toFixed(1), 'p95 ms': f.p95Ms.toFixed(1), 'max ms': f.maxMs.toFixed(1), 'dropped frames': f.dropped, seconds: f.seconds.toFixed(1), px: f.scrolledPx });
    if ('error' in figures.queue) {
      console.log(`\nQueue: NOT MEASURED: ${figures.queue.error}`);
      process.exitCode = 1;
    } else {
      const q = figures.queue;
      console.log(`\nA queue of ${q.rows} dossiers (read-model rows inserted directly in the bench's database) at /console/queue: first row on screen ${q.firstRowMs.toFixed(0)} ms after navigation (the API's own read of the whole queue: ${q.apiReadMs.toFixed(0)} ms); scrolled to the bottom ${scrollStep} px a frame, ${q.rowsInDomAtEnd} rows in the page at the end, last row ${q.lastRowShown ? 'shown' : 'NOT shown'}`);
      console.table([frameRow('the console\'s queue', q.scroll), frameRow(`baseline: a static table of ${q.rows} rows`, q.baseline)]);
    }
    if ('error' in figures.actions) {
      console.log(`\nActions: NOT MEASURED: ${figures.actions.error}`);
      process.exitCode = 1;
    } else {
      const a = figures.actions;
      console.log(`\nActions on the dossier page: click on "Gửi" → confirmation on screen, beside the same command sent to the API alone, under ${a.load.concurrency} concurrent receptions (${a.load.perSecond.toFixed(1)}/s while measured); load average ${load} before`);
      console.table(a.commands.map((c) => ({ command: c.command, runs: c.runs, 'on screen p50 ms': c.uiP50Ms.toFixed(0), 'on screen max ms': c.uiMaxMs.toFixed(0), 'API alone p50 ms': c.apiP50Ms.toFixed(0), 'API alone max ms': c.apiMaxMs.toFixed(0) })));
      for (const failure of a.failures) console.log(`  not measured on screen: ${failure}`);
      if (a.failures.length > 0) process.exitCode = 1;
    }
    writeResults('console', figures, { stack: origins, loadAverageBefore: load, chromium: process.env.MOTCUA_CHROMIUM ?? '/usr/bin/chromium' });
  });
}

if (selected.has('resume')) {
  await withEngineStack(async (stack, origins) => {
    const dossiers = Number(process.env.BENCH_RESUME_DOSSIERS ?? 10_000);
    const concurrency = Number(process.env.BENCH_RESUME_CONCURRENCY ?? 32);
    const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
    // BENCH_RESUME_TEMPORAL=postgres: Temporal Server on the stack's PostgreSQL (dev/temporal-postgres.ts) instead of the dev server.
    const onPostgres = process.env.BENCH_RESUME_TEMPORAL === 'postgres';
    const server = onPostgres ? await temporalOnStackPostgres(stack.databaseUrl, path.join(stack.scratch, 'temporal-server')) : undefined;
    const figures = await benchResume(server ? { ...stack, temporalAddress: server.address } : stack, logger, { dossiers, concurrency }).finally(() => server?.stop());
    console.log(`\nDisaster recovery from the log, on ${onPostgres ? 'Temporal Server on PostgreSQL' : 'the dev server'}: ${figures.dossiers} open dossiers (${figures.events} events, loaded in ${figures.loadSeconds.toFixed(0)} s) resumed into a Temporal that had none of them, ${concurrency} starts at a time; load average ${load} before`);
    console.table([
      { pass: 'first (every run started, then folded)', 'all started s': figures.startsSeconds.toFixed(1), 'all folded s': figures.resumeSeconds.toFixed(1), minutes: figures.resumeMinutes.toFixed(2), 'dossiers/s': figures.dossiersPerSecond.toFixed(1), 'worker CPU s': figures.workerCpuSeconds.toFixed(1) },
      { pass: 'second (nothing to do)', 'all started s': '—', 'all folded s': figures.secondPassSeconds.toFixed(1), minutes: (figures.secondPassSeconds / 60).toFixed(2), 'dossiers/s': '—', 'worker CPU s': '—' },
    ]);
    writeResults('resume', figures, { stack: origins, temporal: onPostgres ? 'temporal-server on postgres' : 'dev server', loadAverageBefore: load });
  });
}
