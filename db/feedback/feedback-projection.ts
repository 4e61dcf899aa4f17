// The feedback item's inline read model: one `feedback_summary` row, rewritten from the fold of the
// item's whole stream in the append's transaction (as the dossier's are, db/projections/dossier-read-models.ts),
// so it never disagrees with the log and a rebuild is the same code run again.
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { asFeedbackEvent, isFeedbackStream } from '../../domain/feedback/events.js';
import { feedbackTimeliness, nextDue, readFeedbackClocks } from '../../domain/feedback/feedback-clock.js';
import { foldFeedback, isReceivedFeedback, nationalFeedbackLabel, newFeedback } from '../../domain/feedback/feedback-state.js';
import { type InlineProjection, readStream, type StoredEvent } from '../event-store.js';
import type { Database, FeedbackSummaryTable } from '../schema.js';

export const projectFeedbackReadModels: InlineProjection = async (trx, events) => {
  for (const streamId of new Set(events.map((event) => event.streamId))) await rewriteFeedback(trx, streamId);
};

async function rewriteFeedback(trx: Transaction<Database>, feedbackId: string): Promise<void> {
  // An append and a rebuild of the same item take turns: whichever comes second reads the stream
  // after the first committed (each statement reads what is committed by then), so a rebuild running
  // beside the workers never leaves an older row over a newer one.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`feedback-summary:${feedbackId}`}))`.execute(trx);
  const row = feedbackSummaryOf(feedbackId, await readStream(trx, feedbackId));
  await trx.deleteFrom('feedback_summary').where('feedback_id', '=', feedbackId).execute();
  if (row) await trx.insertInto('feedback_summary').values(row).execute();
}

/**
 * The summary row a feedback stream implies, as of its last event (a clock that ran out since shows
 * through the alerts the workflow raises, which are events too). Undefined for any other stream.
 */
export function feedbackSummaryOf(feedbackId: string, stored: readonly StoredEvent[]): Insertable<FeedbackSummaryTable> | undefined {
  const last = stored[stored.length - 1];
  if (!last || !isFeedbackStream(stored[0]!.type)) return undefined;
  const state = foldFeedback(newFeedback(feedbackId), stored.map(asFeedbackEvent));
  if (!isReceivedFeedback(state)) return undefined;
  const asOf = last.occurredAt.toISOString();
  const clocks = new Map(readFeedbackClocks(state, asOf).map((clock) => [clock.clock, clock]));
  const next = nextDue(state, asOf);
  const timeliness = feedbackTimeliness(state, asOf);
  const raised = Object.values(state.alerts).flat();
  const handled = timeliness.handledAt !== undefined;
  return {
    feedback_id: feedbackId,
    agency_code: state.agencyCode,
    current_agency_code: state.currentAgencyCode,
    status: state.status,
    national_label: nationalFeedbackLabel(state),
    category: state.category ?? null,
    channel: state.channel,
    title: state.title,
    sent_at: state.sentAt,
    received_at: state.receivedAt,
    dossier_code: state.dossierCode ?? null,
    external_id: state.externalId ?? null,
    follow_up_of: state.followUpOf ?? null,
    refuse_due_at: clocks.get('refuse')?.due ?? null,
    info_request_due_at: clocks.get('info-request')?.due ?? null,
    answer_due_at: clocks.get('answer')?.due ?? null,
    publish_due_at: clocks.get('publish')?.due ?? null,
    next_due_at: next?.due ?? null,
    next_due_clock: next?.clock ?? null,
    due_soon: raised.includes('due-soon') && next !== null,
    overdue: raised.includes('overdue') && next !== null,
    alerts: JSON.stringify(state.alerts),
    accepted_at: state.acceptedAt ?? null,
    refused_at: state.refusedAt ?? null,
    transferred_out_at: state.transferredOutAt ?? null,
    answered_at: state.answer?.at ?? null,
    published_at: state.publishedAt ?? null,
    handled_at: timeliness.handledAt ?? null,
    // Open and not late yet: not judged. Late once a clock ran out, open or not.
    on_time: timeliness.lateClocks.length > 0 ? false : handled ? true : null,
    late_clocks: [...timeliness.lateClocks],
    likes: state.likes,
    dislikes: state.dislikes,
    stream_version: last.streamVersion,
    last_global_position: last.globalPosition,
    updated_at: asOf,
  };
}

/** The name `npm run projections:rebuild` knows the feedback summary by. */
export const FEEDBACK_SUMMARY = 'feedback-summary';

/** Every feedback item's stream id (its id), after `after`, in order: the streams opened by FeedbackReceived. */
async function feedbackStreamsAfter(db: Kysely<Database>, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('events').select('stream_id').where('type', '=', 'FeedbackReceived').where('stream_version', '=', 1).where('stream_id', '>', after).orderBy('stream_id').limit(limit).execute();
  return rows.map((row) => row.stream_id);
}

/** Rewrites every item's summary from its events, item by item (each in a transaction of its own). */
export async function rebuildFeedbackSummary(db: Kysely<Database>, options: { readonly onProgress?: (progress: { phase: 'copying' | 'done'; events: number; dossiers: number; elapsedMs: number }) => void } = {}): Promise<{ events: number; dossiers: number; elapsedMs: number }> {
  const started = Date.now();
  let after = '';
  let items = 0;
  for (;;) {
    const page = await feedbackStreamsAfter(db, after, 500);
    if (page.length === 0) break;
    for (const feedbackId of page) {
      await db.transaction().execute((trx) => rewriteFeedback(trx, feedbackId));
      items += 1;
    }
    after = page.at(-1)!;
    options.onProgress?.({ phase: 'copying', events: items, dossiers: items, elapsedMs: Date.now() - started });
  }
  options.onProgress?.({ phase: 'done', events: items, dossiers: items, elapsedMs: Date.now() - started });
  return { events: items, dossiers: items, elapsedMs: Date.now() - started };
}

export interface FeedbackProjectionMismatch {
  readonly feedbackId: string;
  readonly table: 'feedback_summary';
  readonly detail: string;
}

/** The audit's check (npm run audit:replay): each item's stored summary against a fold of its events, read in one snapshot. */
export async function checkFeedbackProjections(db: Kysely<Database>, onMismatch: (mismatch: FeedbackProjectionMismatch) => void): Promise<{ items: number; mismatches: number }> {
  let after = '';
  let items = 0;
  let mismatches = 0;
  for (;;) {
    const page = await feedbackStreamsAfter(db, after, 500);
    if (page.length === 0) break;
    for (const feedbackId of page) {
      items += 1;
      const found = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (snapshot) => {
          const expected = feedbackSummaryOf(feedbackId, await readStream(snapshot, feedbackId));
          const stored = await snapshot.selectFrom('feedback_summary').selectAll().where('feedback_id', '=', feedbackId).executeTakeFirst();
          if (!expected) return stored ? ['row stored but not implied by the events'] : [];
          if (!stored) return ['row missing'];
          return Object.entries(expected)
            .filter(([key, value]) => JSON.stringify(normalise(value)) !== JSON.stringify(normalise((stored as Record<string, unknown>)[key])))
            .map(([key, value]) => `${key}: stored ${JSON.stringify(normalise((stored as Record<string, unknown>)[key]))}, events say ${JSON.stringify(normalise(value))}`);
        });
      for (const detail of found) {
        mismatches += 1;
        onMismatch({ feedbackId, table: 'feedback_summary', detail });
      }
    }
    after = page.at(-1)!;
  }
  return { items, mismatches };
}

/** Values as JSON carries them: a Date and its ISO string, a bigint and its digits, jsonb and its text compare equal. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
