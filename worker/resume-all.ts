// Disaster recovery from the log (docs/operations.md#backups-and-restore): the event log in
// PostgreSQL is the record; Temporal's store only holds the runs that act on it. When Temporal's
// database is lost (or restored from a backup older than PostgreSQL's), this puts back every run
// the log says should exist:
// - each dossier whose workflow should run (open, or closed and still within its evaluation window
//   unevaluated: db/dossier-log-facts.ts) gets a run started from its log, which folds it first,
//   then sleeps until the legal clock's next alert as any run does, and issues the documents the log
//   calls for but does not show issued (docs/lifecycle.md, the catch-up); a closed dossier whose
//   log shows a document owed gets one too, which issues it and ends;
// - each feedback item likewise (worker/resume-feedback.ts);
// - each delivery lane with pending deliveries and no running lane workflow is handed back to the
//   relay, which wakes it on its next round with its own lane settings (docs/decisions/0018): its
//   deliveries go out once more under the same keys, which the receivers recognise;
// - each calendar amendment's roll-out that has not finished is started again.
// Starts run a bounded number at a time, never waiting for one dossier before starting the next;
// then every started run is asked until it has folded its log. A run already going is left alone, so
// a second pass does nothing, and a start that races a command's own start counts as running.
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import { startPendingRollouts } from '../api/commands/load-calendar-amendment.js';
import type { Database } from '../db/schema.js';
import { FINAL_FEEDBACK_STATUSES } from '../domain/feedback/feedback-state.js';
import { DOCUMENT_CALLING_EVENTS } from '../domain/documents/documents-called-for.js';
import { EVALUATION_WINDOW_MS } from '../domain/dossier/state.js';
import { deliveryLaneWorkflowId } from '../workflows/delivery-lane.js';
import { dossierStateQuery, dossierWorkflow, dossierWorkflowId } from '../workflows/dossier.js';
import { feedbackStateQuery, feedbackWorkflow, feedbackWorkflowId } from '../workflows/feedback.js';
import { dossierSearchAttributes } from '../workflows/search-attributes.js';
import { outboxTaskQueue } from './delivery-relay.js';
import { CannotResume, untilFolded } from './resume-dossier.js';

export interface ResumeAllOptions {
  /** How many starts (and, afterwards, fold checks) are in flight at once; 32 by default. */
  readonly concurrency?: number;
  /** Rows read from the read models per page; 1,000 by default. */
  readonly pageSize?: number;
  /** How long each started run may take to fold its log once the starts are done; 10 minutes by default. */
  readonly foldWaitMs?: number;
  /** Reported after each page of starts and each hundred fold checks. */
  readonly onProgress?: (progress: ResumeProgress) => void;
  readonly now?: () => number;
}

export interface ResumeProgress {
  readonly phase: 'starting' | 'folding';
  readonly done: number;
  readonly elapsedMs: number;
}

export interface Failure {
  readonly id: string;
  readonly reason: string;
}

export interface StreamResumeReport {
  /** Started from the log, and seen to have folded it. */
  readonly resumed: readonly string[];
  /** A run was going: nothing done. */
  readonly running: number;
  /** When the pass began, their workflow had rightly ended (a dossier closed, evaluated or past its evaluation window, its documents issued; an item handled): nothing to start. */
  readonly ended: number;
  /** Not resumed, or started and not folded in time, each with why. */
  readonly failed: readonly Failure[];
}

export interface ResumeAllReport {
  readonly startedAt: string;
  readonly durationMs: number;
  /** Until every run was started (the rest is the runs folding their logs). */
  readonly startsMs: number;
  readonly dossiers: StreamResumeReport;
  readonly feedback: StreamResumeReport;
  readonly deliveries: {
    /** Lanes with pending deliveries whose lane workflow was running. */
    readonly lanesRunning: number;
    /** Lanes handed back to the relay (their pending rows marked undispatched): the relay wakes them. */
    readonly lanesRedispatched: number;
    /** The pending deliveries of those lanes. */
    readonly pendingDeliveries: number;
  };
  /** The calendar amendments' roll-outs started again (or still running). */
  readonly rollouts: readonly string[];
}

interface Candidate {
  readonly id: string;
  readonly workflowId: string;
  readonly streamVersion: number;
  readonly start: () => Promise<unknown>;
  readonly query: () => Promise<{ readonly streamVersion: number }>;
}

type StartOutcome = { readonly kind: 'started' } | { readonly kind: 'running' } | { readonly kind: 'failed'; readonly reason: string };

/** Every open dossier, feedback item, delivery lane and roll-out without its run gets one (see the file's head). */
export async function resumeAll(temporal: Client, db: Kysely<Database>, taskQueue: string, options: ResumeAllOptions = {}): Promise<ResumeAllReport> {
  const now = options.now ?? Date.now;
  const began = now();
  const concurrency = options.concurrency ?? 32;
  const pageSize = options.pageSize ?? 1_000;
  const progress = (phase: ResumeProgress['phase'], done: number) => options.onProgress?.({ phase, done, elapsedMs: now() - began });

  const dossierStarted: Candidate[] = [];
  const dossierFailed: Failure[] = [];
  let dossiersRunning = 0;
  const feedbackStarted: Candidate[] = [];
  const feedbackFailed: Failure[] = [];
  let feedbackRunning = 0;
  let started = 0;
  // Counted before anything is started: a run resumed to issue its last documents ends meanwhile.
  const dossiersEnded = await countDossiersEnded(db, now());
  const feedbackEnded = await countFeedbackEnded(db);

  const startEach = async (candidates: readonly Candidate[], into: Candidate[], failed: Failure[]): Promise<number> => {
    let running = 0;
    await forEachBounded(candidates, concurrency, async (candidate) => {
      const outcome = await startRun(candidate);
      if (outcome.kind === 'started') into.push(candidate);
      else if (outcome.kind === 'running') running += 1;
      else failed.push({ id: candidate.id, reason: outcome.reason });
    });
    started += candidates.length;
    progress('starting', started);
    return running;
  };

  for await (const page of dossiersThatShouldRun(db, pageSize, now())) {
    const candidates = page.map((row): Candidate => {
      const workflowId = dossierWorkflowId(row.dossier_code);
      return {
        id: row.dossier_code,
        workflowId,
        streamVersion: row.stream_version,
        start: () =>
          temporal.workflow.start(dossierWorkflow, {
            workflowId,
            taskQueue,
            args: [{ dossierCode: row.dossier_code, resumeFromLog: true }],
            typedSearchAttributes: dossierSearchAttributes({ agencyCode: row.agency_code, procedureCode: row.procedure_code, status: row.status }),
          }),
        query: () => temporal.workflow.getHandle(workflowId).query(dossierStateQuery),
      };
    });
    dossiersRunning += await startEach(candidates, dossierStarted, dossierFailed);
  }
  for await (const page of feedbackThatShouldRun(db, pageSize)) {
    const candidates = page.map((row): Candidate => {
      const workflowId = feedbackWorkflowId(row.feedback_id);
      return {
        id: row.feedback_id,
        workflowId,
        streamVersion: row.stream_version,
        start: () => temporal.workflow.start(feedbackWorkflow, { workflowId, taskQueue, args: [{ feedbackId: row.feedback_id, resumeFromLog: true }] }),
        query: () => temporal.workflow.getHandle(workflowId).query(feedbackStateQuery),
      };
    });
    feedbackRunning += await startEach(candidates, feedbackStarted, feedbackFailed);
  }
  const deliveries = await handBackLanes(temporal, db, outboxTaskQueue(taskQueue), concurrency);
  const rollouts = await startPendingRollouts({ db, temporal, taskQueue });
  const startsMs = now() - began;

  // Every run started must fold its log before it is counted resumed: that needs a worker.
  let checked = 0;
  const foldWaitMs = options.foldWaitMs ?? 10 * 60_000;
  const confirm = async (candidates: readonly Candidate[], failed: Failure[], what: string): Promise<string[]> => {
    const resumed: string[] = [];
    await forEachBounded(candidates, concurrency, async (candidate) => {
      try {
        await untilFolded(temporal, candidate.query, candidate.streamVersion, foldWaitMs, `${what} ${candidate.id}'s workflow`, taskQueue);
        resumed.push(candidate.id);
      } catch (error) {
        if (!(error instanceof CannotResume)) throw error;
        failed.push({ id: candidate.id, reason: error.message });
      }
      checked += 1;
      if (checked % 100 === 0) progress('folding', checked);
    });
    return resumed.sort();
  };
  const dossiersResumed = await confirm(dossierStarted, dossierFailed, 'Dossier');
  const feedbackResumed = await confirm(feedbackStarted, feedbackFailed, 'Feedback item');
  progress('folding', checked);

  return {
    startedAt: new Date(began).toISOString(),
    durationMs: now() - began,
    startsMs,
    dossiers: { resumed: dossiersResumed, running: dossiersRunning, ended: dossiersEnded, failed: dossierFailed },
    feedback: { resumed: feedbackResumed, running: feedbackRunning, ended: feedbackEnded, failed: feedbackFailed },
    deliveries,
    rollouts,
  };
}

async function startRun(candidate: Candidate): Promise<StartOutcome> {
  try {
    await candidate.start();
    return { kind: 'started' };
  } catch (error) {
    // Going already: never lost, resumed by an earlier pass, or started by a command meanwhile.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'running' };
    return { kind: 'failed', reason: `starting ${candidate.workflowId} failed: ${error instanceof Error ? error.message : String(error)}; run the command again once Temporal answers (a second pass leaves the started ones alone)` };
  }
}

/**
 * The condition under which a dossier's workflow should run: the one of db/dossier-log-facts.ts
 * workflowShouldRun, for every dossier at once, or a document its log calls for and does not show
 * issued (a run lives until its last documents are issued: workflows/dossier.ts). Each event of
 * DOCUMENT_CALLING_EVENTS calls for one document, a ResultIssued without a signature report for
 * two (domain/documents/documents-called-for.ts), and each DocumentIssued records one.
 */
function shouldRun(nowMs: number) {
  const windowStart = new Date(nowMs - EVALUATION_WINDOW_MS).toISOString();
  return sql<boolean>`(s.closed_at IS NULL
    OR (s.closed_at > ${windowStart}::timestamptz AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.dossier_code AND e.type = 'EvaluationRecorded'))
    OR (SELECT coalesce(sum(CASE WHEN e.type = 'DocumentIssued' THEN -1 WHEN e.type = 'ResultIssued' AND e.payload->'signature' IS NULL THEN 2 ELSE 1 END), 0)
        FROM events e WHERE e.stream_id = s.dossier_code AND e.type IN (${sql.join([...DOCUMENT_CALLING_EVENTS, 'DocumentIssued'])})) > 0)`;
}

async function* dossiersThatShouldRun(db: Kysely<Database>, pageSize: number, nowMs: number) {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('dossier_summary as s')
      .select(['s.dossier_code', 's.agency_code', 's.procedure_code', 's.status', 's.stream_version'])
      .where('s.dossier_code', '>', after)
      // A mirror of a dossier handled on a ministry's system has no workflow here (db/mirror-store.ts).
      .where('s.mirrored_from', 'is', null)
      .where(shouldRun(nowMs))
      .orderBy('s.dossier_code')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.dossier_code;
  }
}

async function countDossiersEnded(db: Kysely<Database>, nowMs: number): Promise<number> {
  const row = await db
    .selectFrom('dossier_summary as s')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('s.mirrored_from', 'is', null)
    .where(sql<boolean>`NOT ${shouldRun(nowMs)}`)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** As db/feedback/feedback-queries.ts feedbackIdsThatShouldRun: not final, or answered privately without its signed answer yet. */
function feedbackShouldRunSql() {
  return sql<boolean>`(f.status NOT IN (${sql.join([...FINAL_FEEDBACK_STATUSES])}) OR (f.answered_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = f.feedback_id AND e.type = 'FeedbackAnswerDocumentIssued')))`;
}

async function* feedbackThatShouldRun(db: Kysely<Database>, pageSize: number) {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('feedback_summary as f')
      .select(['f.feedback_id', 'f.stream_version'])
      .where('f.feedback_id', '>', after)
      .where(feedbackShouldRunSql())
      .orderBy('f.feedback_id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.feedback_id;
  }
}

async function countFeedbackEnded(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('feedback_summary as f')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where(sql<boolean>`NOT ${feedbackShouldRunSql()}`)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Lanes with pending deliveries already dispatched to a lane workflow that no longer runs: their
 * rows are marked undispatched, so the relay wakes each lane on its next round (signal-with-start,
 * with the lane settings of its configuration), as it does any newly planned delivery. A lane held
 * behind a dead letter is handed back too: its new run waits for the operator as the lost one did.
 */
async function handBackLanes(temporal: Client, db: Kysely<Database>, outboxQueue: string, concurrency: number): Promise<ResumeAllReport['deliveries']> {
  const lanes = await db
    .selectFrom('deliveries')
    .select(['receiver', 'dossier_code', (eb) => eb.fn.countAll<string>().as('pending')])
    .where('state', '=', 'pending')
    .where('dispatched_at', 'is not', null)
    .groupBy(['receiver', 'dossier_code'])
    .orderBy('dossier_code')
    .orderBy('receiver')
    .execute();
  let lanesRunning = 0;
  let lanesRedispatched = 0;
  let pendingDeliveries = 0;
  await forEachBounded(lanes, concurrency, async (lane) => {
    const workflowId = deliveryLaneWorkflowId(lane.receiver as Parameters<typeof deliveryLaneWorkflowId>[0], lane.dossier_code, outboxQueue);
    if (await isRunning(temporal, workflowId)) {
      lanesRunning += 1;
      return;
    }
    const updated = await db
      .updateTable('deliveries')
      .set({ dispatched_at: null })
      .where('receiver', '=', lane.receiver)
      .where('dossier_code', '=', lane.dossier_code)
      .where('state', '=', 'pending')
      .where('dispatched_at', 'is not', null)
      .executeTakeFirst();
    lanesRedispatched += 1;
    pendingDeliveries += Number(updated.numUpdatedRows);
  });
  return { lanesRunning, lanesRedispatched, pendingDeliveries };
}

async function isRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Runs `task` for every item, at most `concurrency` at once; the first error rejects once all in flight have settled. */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure !== undefined) throw failure;
}
