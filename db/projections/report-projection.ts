// The reporting projection: report_dossiers and report_open_intervals, maintained asynchronously
// from the global event log (../../docs/reports.md), read as db/log-subscription.ts explains (in
// transaction order, below the oldest open transaction), with the checkpoint moved in the same
// transaction as the rows it covers.
//
// Each batch refolds the whole stream of every dossier it touches, so applying an event twice, or
// out of order, gives the same rows: the projection is a function of the streams.
import { type Kysely, sql, type Transaction } from 'kysely';
import { asMirrorEvent, isMirrorStream } from '../../domain/mirror/events.js';
import { mirrorReportOf } from '../../domain/reporting/mirror-report.js';
import { dossierReportOf, type DossierReport } from '../../domain/reporting/dossier-report.js';
import type { Database } from '../schema.js';
import { nextLogBatch } from '../log-subscription.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';

export const REPORT_PROJECTION = 'reports';

/** The tables a run writes to: the live ones, or the shadow copies of a rebuild. */
export interface ReportTables {
  readonly dossiers: string;
  readonly intervals: string;
}

export const LIVE_REPORT_TABLES: ReportTables = { dossiers: 'report_dossiers', intervals: 'report_open_intervals' };
const SHADOW_REPORT_TABLES: ReportTables = { dossiers: 'report_dossiers_rebuild', intervals: 'report_open_intervals_rebuild' };
const SHADOW_CHECKPOINT = `${REPORT_PROJECTION}:rebuild`;

export interface CatchUpOptions {
  readonly checkpoint?: string;
  readonly tables?: ReportTables;
  /** Events read per transaction. */
  readonly batchSize?: number;
  /** Skip, rather than wait, when another process holds the checkpoint (for background loops). */
  readonly skipIfBusy?: boolean;
  readonly onProgress?: (progress: CatchUpProgress) => void;
}

export interface CatchUpProgress {
  readonly events: number;
  readonly dossiers: number;
  readonly elapsedMs: number;
}

/** Projects every event that is safe to read; returns how many it read. */
export async function catchUpReports(db: Kysely<Database>, options: CatchUpOptions = {}): Promise<CatchUpProgress> {
  const started = performance.now();
  let events = 0;
  let dossiers = 0;
  for (;;) {
    const batch = await db.transaction().execute((trx) => projectBatch(trx, options));
    if (batch === undefined || batch.events === 0) break;
    events += batch.events;
    dossiers += batch.dossiers;
    options.onProgress?.({ events, dossiers, elapsedMs: performance.now() - started });
  }
  return { events, dossiers, elapsedMs: performance.now() - started };
}

/** One batch in the caller's transaction; undefined when another process holds the checkpoint. */
async function projectBatch(trx: Transaction<Database>, options: CatchUpOptions): Promise<{ events: number; dossiers: number } | undefined> {
  const batch = await nextLogBatch(trx, options.checkpoint ?? REPORT_PROJECTION, options);
  if (!batch) return undefined;
  if (batch.rows.length === 0) return { events: 0, dossiers: 0 };
  const codes = [...new Set(batch.rows.map((row) => row.streamId))];
  await writeReports(trx, options.tables ?? LIVE_REPORT_TABLES, await reportsOf(trx, codes));
  await batch.advance();
  return { events: batch.rows.length, dossiers: codes.length };
}

/** The reports of these dossiers, each folded from its whole stream. */
async function reportsOf(trx: Transaction<Database>, codes: readonly string[]): Promise<Map<string, DossierReport | undefined>> {
  const rows = await trx
    .selectFrom('events')
    .select(['stream_id', 'type', 'schema_version', 'payload'])
    .where('stream_id', 'in', codes)
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute();
  const streams = new Map<string, { type: string; schemaVersion: number; data: unknown }[]>(codes.map((code) => [code, []]));
  for (const row of rows) streams.get(row.stream_id)!.push({ type: row.type, schemaVersion: row.schema_version, data: row.payload });
  // The log holds dossier streams and mirrors of dossiers handled elsewhere (their own fold,
  // domain/reporting/mirror-report.ts); a stream that opens with neither (a test's, say) is not a
  // dossier and has nothing to report.
  return new Map(
    [...streams].map(([code, events]) => [
      code,
      events[0]?.type === 'DossierReceived'
        ? dossierReportOf(code, events.map(asDossierEvent))
        : isMirrorStream(events[0]?.type)
          ? mirrorReportOf(code, events.map(asMirrorEvent))
          : undefined,
    ]),
  );
}

const ROWS_PER_INSERT = 1000;

async function writeReports(trx: Transaction<Database>, tables: ReportTables, reports: ReadonlyMap<string, DossierReport | undefined>): Promise<void> {
  const codes = [...reports.keys()];
  // Dynamic table names (live or shadow) keep Kysely's column types through a cast to the live name.
  const dossiers = tables.dossiers as 'report_dossiers';
  const intervals = tables.intervals as 'report_open_intervals';
  await trx.deleteFrom(intervals).where('dossier_code', 'in', codes).execute();
  await trx.deleteFrom(dossiers).where('dossier_code', 'in', codes).execute();
  const factRows = [...reports.values()].filter((report) => report !== undefined).map(({ facts }) => ({
    dossier_code: facts.dossierCode,
    agency_code: facts.agencyCode,
    competent_agency_code: facts.competentAgencyCode,
    procedure_code: facts.procedureCode,
    procedure_version: facts.procedureVersion,
    field: facts.field,
    channel: facts.channel,
    registered_at: facts.registeredAt,
    accepted_at: facts.acceptedAt,
    refused_at_reception_at: facts.refusedAtReceptionAt,
    appointment_at: facts.appointmentAt,
    resolved_at: facts.resolvedAt,
    resolution: facts.resolution,
    dossier_rule: facts.dossierRule,
    decision766: facts.decision766,
    processing_days: facts.processingDays,
    e_result_at: facts.eResultAt,
    returned_at: facts.returnedAt,
    return_method: facts.returnMethod,
    fee_bearing_from: facts.feeBearingFrom,
    paid_at: facts.paidAt,
    paid_online_at: facts.paidOnlineAt,
    digitised_at: facts.digitisedAt,
    reused_data_at: facts.reusedDataAt,
    supplement_requests: facts.supplementRequests,
    apology_at: facts.apologyAt,
    evaluated_at: facts.evaluatedAt,
    rating: facts.rating,
    evaluation_source: facts.evaluationSource,
    overdue_at: facts.overdueAt,
    responsible_agency_code: facts.responsibleAgencyCode,
    lateness_apology_at: facts.latenessApologyAt,
    lateness_explained_at: facts.latenessExplainedAt,
    explanation_due_at: facts.explanationDueAt,
    mirrored_from: facts.mirroredFrom,
  }));
  const intervalRows = [...reports.values()].flatMap((report) =>
    report === undefined
      ? []
      : report.openIntervals.map((interval) => ({
          dossier_code: report.facts.dossierCode,
          agency_code: report.facts.agencyCode,
          competent_agency_code: report.facts.competentAgencyCode,
          procedure_code: report.facts.procedureCode,
          field: report.facts.field,
          valid: `[${interval.from},${interval.to ?? ''})`,
          paused: interval.paused,
          overdue_from: interval.overdueFrom,
          late766_from: interval.late766From,
        })),
  );
  for (let index = 0; index < factRows.length; index += ROWS_PER_INSERT) {
    await trx.insertInto(dossiers).values(factRows.slice(index, index + ROWS_PER_INSERT)).execute();
  }
  for (let index = 0; index < intervalRows.length; index += ROWS_PER_INSERT) {
    await trx.insertInto(intervals).values(intervalRows.slice(index, index + ROWS_PER_INSERT)).execute();
  }
}

export interface RebuildProgress extends CatchUpProgress {
  readonly phase: 'copying' | 'swapping' | 'done';
}

/**
 * Rebuilds the reports into shadow tables while the live ones keep serving (and keep being
 * maintained), then swaps them in one transaction: it holds the live checkpoint so no other
 * projector writes meanwhile, projects what the shadow still lacks, renames the tables and hands
 * the shadow's checkpoint to the live projection. Readers wait only for the renames.
 */
export async function rebuildReports(db: Kysely<Database>, options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {}): Promise<CatchUpProgress> {
  const started = performance.now();
  const live = LIVE_REPORT_TABLES;
  const shadow = SHADOW_REPORT_TABLES;
  await db.transaction().execute(async (trx) => {
    for (const [shadowTable, liveTable] of [[shadow.dossiers, live.dossiers], [shadow.intervals, live.intervals]] as const) {
      await sql`DROP TABLE IF EXISTS ${sql.table(shadowTable)}`.execute(trx);
      await sql`CREATE TABLE ${sql.table(shadowTable)} (LIKE ${sql.table(liveTable)} INCLUDING ALL)`.execute(trx);
    }
    await trx.deleteFrom('projection_checkpoints').where('name', '=', SHADOW_CHECKPOINT).execute();
  });

  const copied = await catchUpReports(db, {
    checkpoint: SHADOW_CHECKPOINT,
    tables: shadow,
    batchSize: options.batchSize ?? 5000,
    onProgress: (progress) => options.onProgress?.({ ...progress, phase: 'copying' }),
  });

  const total = await db.transaction().execute(async (trx) => {
    await trx.insertInto('projection_checkpoints').values({ name: REPORT_PROJECTION }).onConflict((oc) => oc.column('name').doNothing()).execute();
    await sql`SELECT 1 FROM projection_checkpoints WHERE name = ${REPORT_PROJECTION} FOR UPDATE`.execute(trx);
    let events = copied.events;
    let dossiers = copied.dossiers;
    for (;;) {
      const batch = await projectBatch(trx, { checkpoint: SHADOW_CHECKPOINT, tables: shadow, batchSize: options.batchSize ?? 5000 });
      if (!batch || batch.events === 0) break;
      events += batch.events;
      dossiers += batch.dossiers;
    }
    options.onProgress?.({ events, dossiers, elapsedMs: performance.now() - started, phase: 'swapping' });
    for (const [shadowTable, liveTable] of [[shadow.dossiers, live.dossiers], [shadow.intervals, live.intervals]] as const) {
      await sql`ALTER TABLE ${sql.table(liveTable)} RENAME TO ${sql.table(`${liveTable}_retired`)}`.execute(trx);
      await sql`ALTER TABLE ${sql.table(shadowTable)} RENAME TO ${sql.table(liveTable)}`.execute(trx);
      await sql`DROP TABLE ${sql.table(`${liveTable}_retired`)}`.execute(trx);
    }
    await sql`
      UPDATE projection_checkpoints AS live
      SET last_transaction_id = shadow.last_transaction_id, last_position = shadow.last_position,
          events_seen = shadow.events_seen, updated_at = now()
      FROM projection_checkpoints AS shadow
      WHERE live.name = ${REPORT_PROJECTION} AND shadow.name = ${SHADOW_CHECKPOINT}`.execute(trx);
    await trx.deleteFrom('projection_checkpoints').where('name', '=', SHADOW_CHECKPOINT).execute();
    return { events, dossiers };
  });
  const result = { ...total, elapsedMs: performance.now() - started };
  options.onProgress?.({ ...result, phase: 'done' });
  return result;
}

/** How far the live projection lags the log: events not yet projected. */
export async function reportLag(db: Kysely<Database>): Promise<{ pendingEvents: number; checkpointAt: Date | null }> {
  const { rows: [row] } = await sql<{ pending: string; updated_at: Date | null }>`
    SELECT (SELECT count(*) FROM events e
            WHERE (e.transaction_id, e.global_position) > (coalesce(c.last_transaction_id, '0'::xid8), coalesce(c.last_position, 0))) AS pending,
           c.updated_at
    FROM (SELECT 1) AS one
    LEFT JOIN projection_checkpoints c ON c.name = ${REPORT_PROJECTION}`.execute(db);
  return { pendingEvents: Number(row?.pending ?? 0), checkpointAt: row?.updated_at ?? null };
}
