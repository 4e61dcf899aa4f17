// The engine's consistency after a fault, a restore or a recovery (bench/faults.ts, the disaster-
// recovery test, `npm run engine:check`): every dossier the load saw answered exists once; no event
// was written twice (one stream version twice, or one command applied in two appends); every hash
// chain is intact; the read models equal a fresh fold of the events (the inline ones dossier by
// dossier, the reports rebuilt into scratch tables and compared); every workflow history replays on
// the current code; no dossier is stuck on a failing activity. Each part reuses the check the audit
// already has (db/event-integrity.ts, db/projection-check.ts, worker/history-replay.ts,
// worker/stuck-dossiers.ts); this module runs them together and says what failed, by name.
import type { Client } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import { checkFeedbackProjections, type FeedbackProjectionMismatch } from '../db/feedback/feedback-projection.js';
import { verifyAllStreams, type StreamVerification } from '../db/event-integrity.js';
import { checkAllProjections, type ProjectionMismatch } from '../db/projection-check.js';
import { checkComponentFileIndex } from '../db/projections/component-file-index.js';
import { catchUpReports, LIVE_REPORT_TABLES, reportLag } from '../db/projections/report-projection.js';
import type { Database } from '../db/schema.js';
import { replayDossierHistories, type ReplayFailure } from './history-replay.js';
import { findStuckDossiers, type StuckActivity } from './stuck-dossiers.js';

export interface ConsistencyOptions {
  /** The dossier codes the load saw answered (201 on POST /dossiers): each must exist exactly once. */
  readonly answeredDossiers?: readonly string[];
  /** The workers' MOTCUA_APPLICANT_KEY: the index of reusable files is checked with it (skipped without). */
  readonly applicantKey?: string;
  /** The workers' bundle (MOTCUA_WORKFLOW_BUNDLE); the workflow sources otherwise. */
  readonly workflowBundlePath?: string;
  /** How long to wait for the asynchronous report projection to reach the log's end; default 60 s. */
  readonly reportsWithinMs?: number;
}

export interface ConsistencyReport {
  readonly ok: boolean;
  readonly durationMs: number;
  /** Answered dossiers with no stream, or no single reception / summary row. */
  readonly answeredDossiers: { readonly checked: number; readonly missing: readonly string[]; readonly notOnce: readonly string[] } | 'not given';
  readonly duplicateEvents: { readonly sameVersion: readonly string[]; readonly sameEventId: readonly string[]; readonly commandAppliedTwice: readonly string[] };
  readonly hashChains: { readonly streams: number; readonly events: number; readonly broken: readonly StreamVerification[] };
  readonly readModels: {
    readonly dossiers: number;
    readonly mismatches: readonly ProjectionMismatch[];
    readonly feedbackItems: number;
    readonly feedbackMismatches: readonly FeedbackProjectionMismatch[];
    readonly fileIndex: { readonly dossiers: number; readonly mismatches: readonly { dossierCode: string; detail: string }[] } | 'no applicant key';
    readonly reports: { readonly rows: number; readonly differences: readonly string[] };
  };
  readonly histories: { readonly replayed: number; readonly failures: readonly ReplayFailure[] };
  readonly stuck: readonly StuckActivity[];
}

/** Up to this many entries of a kind are kept in the report (the counts stay whole). */
const KEEP = 50;

export async function checkConsistency(db: Kysely<Database>, temporal: Client, options: ConsistencyOptions = {}): Promise<ConsistencyReport> {
  const started = performance.now();
  const answeredDossiers = options.answeredDossiers ? await checkAnswered(db, options.answeredDossiers) : 'not given';
  const duplicateEvents = await findDuplicateEvents(db);

  const broken: StreamVerification[] = [];
  const chains = await verifyAllStreams(db, (result) => broken.length < KEEP && broken.push(result));

  const mismatches: ProjectionMismatch[] = [];
  const projections = await checkAllProjections(db, (mismatch) => mismatches.length < KEEP && mismatches.push(mismatch));
  const feedbackMismatches: FeedbackProjectionMismatch[] = [];
  const feedback = await checkFeedbackProjections(db, (mismatch) => feedbackMismatches.length < KEEP && feedbackMismatches.push(mismatch));
  let fileIndex: ConsistencyReport['readModels']['fileIndex'] = 'no applicant key';
  if (options.applicantKey) {
    const indexMismatches: { dossierCode: string; detail: string }[] = [];
    const index = await checkComponentFileIndex(db, options.applicantKey, (mismatch) => indexMismatches.length < KEEP && indexMismatches.push(mismatch));
    fileIndex = { dossiers: index.dossiers, mismatches: indexMismatches };
  }
  const reports = await compareReportsWithFreshFold(db, options.reportsWithinMs ?? 60_000);

  const histories = await replayDossierHistories(temporal, options.workflowBundlePath ? { workflowBundlePath: options.workflowBundlePath } : {});
  const stuck = await findStuckDossiers(temporal);

  const failed =
    (answeredDossiers !== 'not given' && answeredDossiers.missing.length + answeredDossiers.notOnce.length > 0) ||
    duplicateEvents.sameVersion.length + duplicateEvents.sameEventId.length + duplicateEvents.commandAppliedTwice.length > 0 ||
    chains.broken > 0 ||
    projections.mismatches > 0 ||
    feedback.mismatches > 0 ||
    (fileIndex !== 'no applicant key' && fileIndex.mismatches.length > 0) ||
    reports.differences.length > 0 ||
    histories.failures.length > 0 ||
    stuck.length > 0;
  return {
    ok: !failed,
    durationMs: performance.now() - started,
    answeredDossiers,
    duplicateEvents,
    hashChains: { streams: chains.streams, events: chains.events, broken },
    readModels: { dossiers: projections.dossiers, mismatches, feedbackItems: feedback.items, feedbackMismatches, fileIndex, reports },
    histories,
    stuck,
  };
}

/** Each answered code: its stream exists, holds one DossierReceived, and has one summary row. */
async function checkAnswered(db: Kysely<Database>, codes: readonly string[]): Promise<{ checked: number; missing: string[]; notOnce: string[] }> {
  const unique = [...new Set(codes)];
  const missing: string[] = [];
  const notOnce: string[] = [];
  for (let index = 0; index < unique.length; index += 500) {
    const page = unique.slice(index, index + 500);
    const received = await db.selectFrom('events').select(['stream_id', db.fn.countAll<string>().as('count')]).where('stream_id', 'in', page).where('type', '=', 'DossierReceived').groupBy('stream_id').execute();
    const summaries = await db.selectFrom('dossier_summary').select(['dossier_code', db.fn.countAll<string>().as('count')]).where('dossier_code', 'in', page).groupBy('dossier_code').execute();
    const receivedCount = new Map(received.map((row) => [row.stream_id, Number(row.count)]));
    const summaryCount = new Map(summaries.map((row) => [row.dossier_code, Number(row.count)]));
    for (const code of page) {
      if (!receivedCount.has(code)) missing.push(code);
      else if (receivedCount.get(code) !== 1 || summaryCount.get(code) !== 1) notOnce.push(code);
    }
  }
  return { checked: unique.length, missing, notOnce };
}

/**
 * Events written twice: a stream version twice (the store's unique key forbids it: checked anyway),
 * an event id twice, or one command's events in two appends (transactions) of the same stream, i.e.
 * a command decided and applied twice.
 */
async function findDuplicateEvents(db: Kysely<Database>): Promise<ConsistencyReport['duplicateEvents']> {
  const sameVersion = await sql<{ what: string }>`
    SELECT stream_id || ' v' || stream_version AS what FROM events GROUP BY stream_id, stream_version HAVING count(*) > 1 LIMIT ${KEEP}`.execute(db);
  const sameEventId = await sql<{ what: string }>`
    SELECT event_id::text AS what FROM events GROUP BY event_id HAVING count(*) > 1 LIMIT ${KEEP}`.execute(db);
  const commandTwice = await sql<{ what: string }>`
    SELECT stream_id || ' command ' || (metadata->>'commandId') || ' in ' || count(DISTINCT transaction_id) || ' appends' AS what
    FROM events WHERE metadata->>'commandId' IS NOT NULL
    GROUP BY stream_id, metadata->>'commandId' HAVING count(DISTINCT transaction_id) > 1 LIMIT ${KEEP}`.execute(db);
  return { sameVersion: sameVersion.rows.map((row) => row.what), sameEventId: sameEventId.rows.map((row) => row.what), commandAppliedTwice: commandTwice.rows.map((row) => row.what) };
}

/**
 * The reports (an asynchronous projection) against a fresh fold: the log projected from the start
 * into scratch tables (the projection's own code, its own checkpoint), then, once the live
 * projection has reached the end of the log too, the two compared row for row. Events still being
 * appended (a timer, a document) can make them differ for a moment: compared again, up to 3 times.
 */
async function compareReportsWithFreshFold(db: Kysely<Database>, withinMs: number): Promise<{ rows: number; differences: string[] }> {
  const suffix = `check_${process.pid}_${Date.now()}`;
  const scratch = { dossiers: `report_dossiers_${suffix}`, intervals: `report_open_intervals_${suffix}` };
  const checkpoint = `reports:${suffix}`;
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE ${sql.table(scratch.dossiers)} (LIKE ${sql.table(LIVE_REPORT_TABLES.dossiers)} INCLUDING ALL)`.execute(trx);
    await sql`CREATE TABLE ${sql.table(scratch.intervals)} (LIKE ${sql.table(LIVE_REPORT_TABLES.intervals)} INCLUDING ALL)`.execute(trx);
  });
  try {
    let differences: string[] = [];
    let rows = 0;
    for (let round = 0; round < 3; round += 1) {
      await catchUpReports(db, { checkpoint, tables: scratch, batchSize: 5000 });
      const deadline = Date.now() + withinMs;
      // The live projection runs in the workers (worker/report-projector.ts); this one catches it up too.
      await catchUpReports(db, { skipIfBusy: true });
      while ((await reportLag(db)).pendingEvents > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
      await catchUpReports(db, { checkpoint, tables: scratch, batchSize: 5000 });
      ({ rows, differences } = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const found: string[] = [];
          for (const [live, fresh] of [[LIVE_REPORT_TABLES.dossiers, scratch.dossiers], [LIVE_REPORT_TABLES.intervals, scratch.intervals]] as const) {
            const onlyLive = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM (SELECT * FROM ${sql.table(live)} EXCEPT ALL SELECT * FROM ${sql.table(fresh)}) t LIMIT 10`.execute(trx);
            const onlyFresh = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM (SELECT * FROM ${sql.table(fresh)} EXCEPT ALL SELECT * FROM ${sql.table(live)}) t LIMIT 10`.execute(trx);
            found.push(...onlyLive.rows.map((row) => `${live}: stored but not implied by the events: ${row.row}`), ...onlyFresh.rows.map((row) => `${live}: implied by the events but not stored: ${row.row}`));
          }
          const counted = await sql<{ count: string }>`SELECT count(*) AS count FROM ${sql.table(scratch.dossiers)}`.execute(trx);
          return { rows: Number(counted.rows[0]?.count ?? 0), differences: found };
        }));
      if (differences.length === 0) break;
    }
    return { rows, differences };
  } finally {
    await db.transaction().execute(async (trx) => {
      await sql`DROP TABLE IF EXISTS ${sql.table(scratch.dossiers)}`.execute(trx);
      await sql`DROP TABLE IF EXISTS ${sql.table(scratch.intervals)}`.execute(trx);
      await trx.deleteFrom('projection_checkpoints').where('name', '=', checkpoint).execute();
    });
  }
}

/** The report as lines a person reads: what was checked, and every failure by name. */
export function formatConsistencyReport(report: ConsistencyReport): string {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  const answered = report.answeredDossiers;
  if (answered === 'not given') lines.push('skip answered dossiers: no list given');
  else {
    lines.push(`${mark(answered.missing.length + answered.notOnce.length === 0)} answered dossiers: ${answered.checked} checked, ${answered.missing.length} missing, ${answered.notOnce.length} not exactly once`);
    for (const code of answered.missing.slice(0, KEEP)) lines.push(`       missing: ${code}`);
    for (const code of answered.notOnce.slice(0, KEEP)) lines.push(`       not once: ${code}`);
  }
  const dup = report.duplicateEvents;
  lines.push(`${mark(dup.sameVersion.length + dup.sameEventId.length + dup.commandAppliedTwice.length === 0)} no event twice: ${dup.sameVersion.length} versions twice, ${dup.sameEventId.length} event ids twice, ${dup.commandAppliedTwice.length} commands applied twice`);
  for (const what of [...dup.sameVersion, ...dup.sameEventId, ...dup.commandAppliedTwice]) lines.push(`       ${what}`);
  const chains = report.hashChains;
  lines.push(`${mark(chains.broken.length === 0)} hash chains: ${chains.streams} streams, ${chains.events} events, ${chains.broken.length} broken`);
  for (const stream of chains.broken) if (!stream.intact) lines.push(`       ${stream.streamId} at version ${stream.brokenAt}: ${stream.reason}`);
  const models = report.readModels;
  lines.push(`${mark(models.mismatches.length === 0)} dossier read models vs a fold of the events: ${models.dossiers} dossiers, ${models.mismatches.length} differences`);
  for (const mismatch of models.mismatches) lines.push(`       ${mismatch.dossierCode} ${mismatch.table}: ${mismatch.detail}`);
  lines.push(`${mark(models.feedbackMismatches.length === 0)} feedback summaries vs a fold: ${models.feedbackItems} items, ${models.feedbackMismatches.length} differences`);
  for (const mismatch of models.feedbackMismatches) lines.push(`       ${JSON.stringify(mismatch)}`);
  if (models.fileIndex === 'no applicant key') lines.push('skip index of reusable files: no applicant key given');
  else {
    lines.push(`${mark(models.fileIndex.mismatches.length === 0)} index of reusable files vs a fold: ${models.fileIndex.dossiers} streams, ${models.fileIndex.mismatches.length} differences`);
    for (const mismatch of models.fileIndex.mismatches) lines.push(`       ${mismatch.dossierCode}: ${mismatch.detail}`);
  }
  lines.push(`${mark(models.reports.differences.length === 0)} reports vs a fresh rebuild: ${models.reports.rows} dossiers, ${models.reports.differences.length} differing rows`);
  for (const difference of models.reports.differences) lines.push(`       ${difference}`);
  lines.push(`${mark(report.histories.failures.length === 0)} workflow histories replay: ${report.histories.replayed} replayed, ${report.histories.failures.length} failed`);
  for (const failure of report.histories.failures) lines.push(`       ${failure.workflowId}: ${failure.error}`);
  lines.push(`${mark(report.stuck.length === 0)} no dossier stuck: ${report.stuck.length} stuck`);
  for (const stuck of report.stuck) lines.push(`       ${stuck.kind} ${stuck.dossierCode}: ${stuck.activityType} at attempt ${stuck.attempt}${stuck.lastFailure ? `: ${stuck.lastFailure}` : ''}`);
  lines.push(`${report.ok ? 'CONSISTENT' : 'NOT CONSISTENT'} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}
