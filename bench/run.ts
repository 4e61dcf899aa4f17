// `npm run bench [-- <name>...]`: self-contained benchmarks, each printed as a table beside its
// baseline and written with machine details to bench/results/<name>-<time>.json. Never part of
// `npm test`. Names: `clock` (pure, no infrastructure), `append` (brings up a throw-away PostgreSQL).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connectAndMigrate } from '../db/connect.js';
import { verifyAllStreams } from '../db/event-integrity.js';
import { freePort } from '../dev/free-port.js';
import { startPostgres } from '../dev/postgres-server.js';
import { createLogger } from '../platform/logger.js';
import { benchEventAppend } from './event-append.js';
import { benchLegalClock } from './legal-clock.js';

const BENCHMARKS = ['clock', 'append'] as const;
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

if (selected.has('append')) {
  const appends = Number(process.env.BENCH_APPENDS ?? 3000);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
  chmodSync(scratch, 0o755);
  // Durable settings (fsync on), as production runs: the figures would flatter us otherwise.
  const postgres = await startPostgres({ clusterDir: path.join(scratch, 'postgres'), port: await freePort() }, logger);
  const db = await connectAndMigrate({ connectionString: postgres.url, poolSize: 32, applicationName: 'motcua-bench' }, logger).catch(
    async (error: unknown) => {
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
      throw error;
    },
  );
  try {
    const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
    const figures = [];
    for (const concurrency of [1, 8, 32]) figures.push(await benchEventAppend(db, concurrency, appends));
    console.log(`\nEvent append vs plain INSERT (${appends} single-event appends per run, PostgreSQL ${rows[0]?.server_version}, fsync on)`);
    console.table(
      figures.map((f) => ({
        concurrency: f.concurrency,
        'appends/s': Math.round(f.appendsPerSecond),
        'plain INSERT/s': Math.round(f.plainInsertsPerSecond),
        ratio: f.ratio.toFixed(2),
      })),
    );
    writeResults('event-append', figures, { postgres: rows[0]?.server_version });

    // Hash-chain verification over everything just appended (one event per stream here).
    const started = performance.now();
    const verified = await verifyAllStreams(db);
    const seconds = (performance.now() - started) / 1000;
    console.log(`\nHash-chain verification: ${verified.events} events in ${verified.streams} streams, ${seconds.toFixed(2)} s, ${Math.round(verified.events / seconds)} events/s (${verified.broken} broken)`);
    writeResults('hash-verification', { ...verified, seconds, eventsPerSecond: verified.events / seconds }, { postgres: rows[0]?.server_version });
  } finally {
    await db.destroy();
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
