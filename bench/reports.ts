// Reports at scale: a synthetic year of dossiers (fixed seed) in the event log, then
// - the reporting projection rebuilt from the log (events/s),
// - report queries (latency per query, beside a plain count over the same selection),
// - hash-chain verification and a replay (read and fold every stream) in events/s.
import { type Kysely, sql } from 'kysely';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../db/catalogue.js';
import { verifyAllStreams } from '../db/event-integrity.js';
import { rebuildReports } from '../db/projections/report-projection.js';
import { indicatorReport, type ReportQuery } from '../db/reports/indicator-report.js';
import type { Database } from '../db/schema.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import { foldDossier, newDossier } from '../domain/dossier/state.js';
import { centreCode, loadSyntheticCentres, loadSyntheticDossiers } from './synthetic-dossiers.js';

export interface ReportQueryFigure {
  readonly query: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly baselineP50Ms: number;
  readonly ratio: number;
}

export interface ReportsFigures {
  readonly dossiers: number;
  readonly events: number;
  readonly loadSeconds: number;
  readonly rebuild: { readonly seconds: number; readonly eventsPerSecond: number };
  readonly queries: readonly ReportQueryFigure[];
  readonly verification: { readonly seconds: number; readonly eventsPerSecond: number; readonly broken: number };
  readonly replay: { readonly seconds: number; readonly eventsPerSecond: number };
  readonly tableSizes: Record<string, string>;
}

const at = (local: string) => new Date(`${local}+07:00`);

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latency(run: () => Promise<unknown>, repeats: number): Promise<{ p50: number; p95: number }> {
  await run();
  await run();
  const samples: number[] = [];
  for (let index = 0; index < repeats; index += 1) samples.push((await timed(run))[1]);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export async function benchReports(db: Kysely<Database>, options: { dossiers: number; centres: number; repeats?: number; log?: (line: string) => void }): Promise<ReportsFigures> {
  const log = options.log ?? (() => {});
  await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE));
  await loadSyntheticCentres(db, options.centres);

  let lastLog = 0;
  const present = await existingDataset(db);
  const [loaded, loadMs] = present.dossiers >= options.dossiers
    ? [present, 0]
    : await timed(() =>
        loadSyntheticDossiers(db, { dossiers: options.dossiers, centres: options.centres }, (dossiers, events) => {
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            log(`  loading: ${dossiers} dossiers, ${events} events`);
          }
        }),
      );
  if (loadMs === 0) log(`reusing the ${present.dossiers} dossiers (${present.events} events) already in BENCH_DATA_DIR`);
  await sql`ANALYZE events`.execute(db);
  log(`loaded ${loaded.dossiers} dossiers, ${loaded.events} events in ${(loadMs / 1000).toFixed(0)} s`);

  lastLog = 0;
  const [rebuilt, rebuildMs] = await timed(() =>
    rebuildReports(db, {
      onProgress: (progress) => {
        if (progress.phase === 'copying' && performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`  rebuilding: ${progress.events} events, ${Math.round(progress.events / (progress.elapsedMs / 1000))} events/s`);
        }
      },
    }),
  );
  await sql`ANALYZE report_dossiers`.execute(db);
  await sql`ANALYZE report_open_intervals`.execute(db);
  log(`rebuilt the reporting projection: ${rebuilt.events} events in ${(rebuildMs / 1000).toFixed(1)} s`);

  const centre = centreCode(0);
  const march = { from: at('2026-03-01T00:00:00'), to: at('2026-04-01T00:00:00') };
  const year = { from: at('2026-03-01T00:00:00'), to: at('2027-03-01T00:00:00') };
  const now = at('2027-03-15T00:00:00');
  const queries: { name: string; query: ReportQuery; baseline: () => Promise<unknown> }[] = [
    {
      name: 'one centre, one month',
      query: { ...march, asOf: now, agencyCode: centre, groupBy: 'none' },
      baseline: () => sql`SELECT count(*) FROM report_dossiers WHERE agency_code = ${centre} AND accepted_at >= ${march.from} AND accepted_at < ${march.to}`.execute(db),
    },
    {
      name: 'one centre, one month, as of its 15th',
      query: { ...march, asOf: at('2026-03-15T00:00:00'), agencyCode: centre, groupBy: 'none' },
      baseline: () => sql`SELECT count(*) FROM report_dossiers WHERE agency_code = ${centre} AND accepted_at >= ${march.from} AND accepted_at < ${at('2026-03-15T00:00:00')}`.execute(db),
    },
    {
      name: 'one centre, a year, by field',
      query: { ...year, asOf: now, agencyCode: centre, groupBy: 'field' },
      baseline: () => sql`SELECT field, count(*) FROM report_dossiers WHERE agency_code = ${centre} AND accepted_at >= ${year.from} AND accepted_at < ${year.to} GROUP BY 1`.execute(db),
    },
    {
      name: 'every unit, one month, by agency',
      query: { ...march, asOf: now, groupBy: 'agency' },
      baseline: () => sql`SELECT agency_code, count(*) FROM report_dossiers WHERE accepted_at >= ${march.from} AND accepted_at < ${march.to} GROUP BY 1`.execute(db),
    },
    {
      name: 'every unit, a year',
      query: { ...year, asOf: now, groupBy: 'none' },
      baseline: () => sql`SELECT count(*) FROM report_dossiers WHERE accepted_at >= ${year.from} AND accepted_at < ${year.to}`.execute(db),
    },
  ];
  const figures: ReportQueryFigure[] = [];
  for (const { name, query, baseline } of queries) {
    const measured = await latency(() => indicatorReport(db, query), options.repeats ?? 20);
    const base = await latency(baseline, options.repeats ?? 20);
    figures.push({ query: name, p50Ms: measured.p50, p95Ms: measured.p95, baselineP50Ms: base.p50, ratio: measured.p50 / base.p50 });
  }

  const [verified, verifyMs] = await timed(() => verifyAllStreams(db));
  log(`verified ${verified.events} events in ${(verifyMs / 1000).toFixed(1)} s`);

  const [replayed, replayMs] = await timed(() => replayAll(db));
  log(`replayed ${replayed} events in ${(replayMs / 1000).toFixed(1)} s`);

  const { rows: sizes } = await sql<{ name: string; size: string }>`
    SELECT relname AS name, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
    WHERE relname IN ('events', 'report_dossiers', 'report_open_intervals')`.execute(db);

  return {
    dossiers: loaded.dossiers,
    events: loaded.events,
    loadSeconds: loadMs / 1000,
    rebuild: { seconds: rebuildMs / 1000, eventsPerSecond: rebuilt.events / (rebuildMs / 1000) },
    queries: figures,
    verification: { seconds: verifyMs / 1000, eventsPerSecond: verified.events / (verifyMs / 1000), broken: verified.broken },
    replay: { seconds: replayMs / 1000, eventsPerSecond: replayed / (replayMs / 1000) },
    tableSizes: Object.fromEntries(sizes.map((row) => [row.name, row.size])),
  };
}

/** The synthetic dossiers a kept database already holds (BENCH_DATA_DIR). */
async function existingDataset(db: Kysely<Database>): Promise<{ dossiers: number; events: number }> {
  const { rows: [row] } = await sql<{ dossiers: string; events: string }>`
    SELECT count(*) FILTER (WHERE type = 'DossierReceived') AS dossiers, count(*) AS events FROM events`.execute(db);
  return { dossiers: Number(row?.dossiers ?? 0), events: Number(row?.events ?? 0) };
}

/** Reads every stream in stream order and folds it with the current rules, as an audit replay does. */
async function replayAll(db: Kysely<Database>): Promise<number> {
  let after = '';
  let events = 0;
  for (;;) {
    const codes = await db.selectFrom('events').select('stream_id').distinct().where('stream_id', '>', after).orderBy('stream_id').limit(1000).execute();
    if (codes.length === 0) return events;
    const last = codes[codes.length - 1]!.stream_id;
    const rows = await db.selectFrom('events').select(['stream_id', 'type', 'schema_version', 'payload']).where('stream_id', '>', after).where('stream_id', '<=', last).orderBy('stream_id').orderBy('stream_version').execute();
    let current = '';
    let stream: DossierEvent[] = [];
    const fold = () => {
      if (stream.length > 0) foldDossier(newDossier(current), stream);
    };
    for (const row of rows) {
      if (row.stream_id !== current) {
        fold();
        current = row.stream_id;
        stream = [];
      }
      stream.push({ type: row.type, schemaVersion: row.schema_version, data: row.payload } as DossierEvent);
      events += 1;
    }
    fold();
    after = last;
  }
}
