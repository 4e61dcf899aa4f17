// `npm run bench`: self-contained benchmarks. Brings up a throw-away PostgreSQL, prints a table and
// writes the figures with machine details to bench/results/<time>.json. Never part of `npm test`.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connectAndMigrate } from '../db/connect.js';
import { freePort } from '../dev/free-port.js';
import { startPostgres } from '../dev/postgres-server.js';
import { createLogger } from '../platform/logger.js';
import { benchEventAppend } from './event-append.js';

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false, name: 'bench' });
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
  const results = {
    benchmark: 'event-append',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: rows[0]?.server_version },
    figures,
  };
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`event-append-${results.at.replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`written ${file.pathname}`);
} finally {
  await db.destroy();
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}
