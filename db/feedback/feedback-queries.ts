// The reads and the id allocation of feedback items (PAKN). Routes and the national inbox use these;
// no SQL lives in routes. The summary holds no personal data: a handler reads the sender from the
// item's events (readFeedbackEvents).
import { type Kysely, sql } from 'kysely';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { asFeedbackEvent, type FeedbackEvent, isFeedbackStream } from '../../domain/feedback/events.js';
import { formatFeedbackId } from '../../domain/feedback/feedback-id.js';
import { FINAL_FEEDBACK_STATUSES, foldFeedback, newFeedback, type FeedbackState } from '../../domain/feedback/feedback-state.js';
import type { FeedbackIndicatorCounts } from '../../domain/reporting/feedback-indicators.js';
import type { ReportPeriod } from '../../domain/reporting/report-period.js';
import { readStream, type StoredEvent } from '../event-store.js';
import type { Database, FeedbackSummaryRow } from '../schema.js';

/**
 * A new item's id and reception time. Under an intake key (a national item's id, a caller's
 * Idempotency-Key) the first call allocates and later calls get the same id back, so a retried
 * reception receives the item once. The serial is per unit and Vietnam day, gap-free among those
 * handed out (one upsert takes the row lock).
 */
export async function allocateFeedbackId(db: Kysely<Database>, agencyCode: string, now: Date, intakeKey?: string): Promise<{ feedbackId: string; receivedAt: Date }> {
  return db.transaction().execute(async (trx) => {
    if (intakeKey !== undefined) {
      // Serialises two first calls under one key: the second waits for the first's commit.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`feedback-intake:${intakeKey}`}))`.execute(trx);
      const known = await trx.selectFrom('feedback_intake_keys').select(['feedback_id', 'received_at']).where('intake_key', '=', intakeKey).executeTakeFirst();
      if (known) return { feedbackId: known.feedback_id, receivedAt: known.received_at };
    }
    const receivedDate = vietnamDateOf(now);
    const row = await trx
      .insertInto('feedback_daily_serials')
      .values({ agency_code: agencyCode, received_date: formatIsoDate(receivedDate), last_serial: 1 })
      .onConflict((oc) => oc.columns(['agency_code', 'received_date']).doUpdateSet({ last_serial: sql<number>`feedback_daily_serials.last_serial + 1` }))
      .returning('last_serial')
      .executeTakeFirstOrThrow();
    const feedbackId = formatFeedbackId({ agencyCode, receivedDate, serial: row.last_serial });
    if (intakeKey !== undefined) await trx.insertInto('feedback_intake_keys').values({ intake_key: intakeKey, feedback_id: feedbackId, received_at: now.toISOString() }).execute();
    return { feedbackId, receivedAt: now };
  });
}

/** The item's summary row, or undefined when no item has this id. */
export async function findFeedback(db: Kysely<Database>, feedbackId: string): Promise<FeedbackSummaryRow | undefined> {
  return db.selectFrom('feedback_summary').selectAll().where('feedback_id', '=', feedbackId).executeTakeFirst();
}

/** The item's events (with the sender: personal data, for the roles that handle it), or [] when it is not a feedback item. */
export async function readFeedbackEvents(db: Kysely<Database>, feedbackId: string): Promise<StoredEvent[]> {
  const stored = await readStream(db, feedbackId);
  return stored.length > 0 && isFeedbackStream(stored[0]!.type) ? stored : [];
}

/** The item as its events leave it (with the sender), and its stream version; undefined when unknown. */
export async function loadFeedback(db: Kysely<Database>, feedbackId: string): Promise<{ state: FeedbackState; streamVersion: number; events: readonly FeedbackEvent[] } | undefined> {
  const stored = await readFeedbackEvents(db, feedbackId);
  if (stored.length === 0) return undefined;
  const events = stored.map(asFeedbackEvent);
  return { state: foldFeedback(newFeedback(feedbackId), events), streamVersion: stored.at(-1)!.streamVersion, events };
}

/**
 * The items whose workflow should be running, oldest id first: those not yet final, and those
 * answered whose signed answer is not recorded yet (a private answer is final, its document still due).
 */
export async function feedbackIdsThatShouldRun(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('feedback_summary')
    .select('feedback_id')
    .where((eb) =>
      eb.or([
        eb('status', 'not in', [...FINAL_FEEDBACK_STATUSES]),
        eb.and([
          eb('answered_at', 'is not', null),
          eb.not(eb.exists(eb.selectFrom('events').select('events.global_position').whereRef('events.stream_id', '=', 'feedback_summary.feedback_id').where('events.type', '=', 'FeedbackAnswerDocumentIssued'))),
        ]),
      ]),
    )
    .orderBy('feedback_id')
    .execute();
  return rows.map((row) => row.feedback_id);
}

export interface FeedbackFilter {
  /** Items held (current unit) by one of these units; required: staff see their own units' items. */
  readonly units: readonly string[];
  readonly status?: readonly string[];
  readonly category?: string;
  readonly channel?: string;
  /** Only items still in the unit's hands (not answered, refused or sent outside). */
  readonly open?: boolean;
  readonly overdue?: boolean;
  readonly dossierCode?: string;
  /** Sent in [from, to). */
  readonly sentFrom?: Date;
  readonly sentTo?: Date;
  /** At most this many (50 by default, 500 at most). */
  readonly limit?: number;
}

/** Open items first by the clock that runs out first, then the rest newest first. */
export async function listFeedback(db: Kysely<Database>, filter: FeedbackFilter): Promise<FeedbackSummaryRow[]> {
  if (filter.units.length === 0) return [];
  let query = db.selectFrom('feedback_summary').selectAll().where('current_agency_code', 'in', [...filter.units]);
  if (filter.status && filter.status.length > 0) query = query.where('status', 'in', [...filter.status]);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
  if (filter.open === true) query = query.where('handled_at', 'is', null);
  if (filter.open === false) query = query.where('handled_at', 'is not', null);
  if (filter.overdue !== undefined) query = query.where('overdue', '=', filter.overdue);
  if (filter.dossierCode !== undefined) query = query.where('dossier_code', '=', filter.dossierCode);
  if (filter.sentFrom !== undefined) query = query.where('sent_at', '>=', filter.sentFrom);
  if (filter.sentTo !== undefined) query = query.where('sent_at', '<', filter.sentTo);
  return query
    .orderBy(sql`next_due_at`, sql`asc nulls last`)
    .orderBy('sent_at', 'desc')
    .orderBy('feedback_id')
    .limit(Math.min(filter.limit ?? 50, 500))
    .execute();
}

/** A unit's work queue: its open items, the one whose clock runs out first on top. */
export function feedbackQueue(db: Kysely<Database>, units: readonly string[], limit = 100): Promise<FeedbackSummaryRow[]> {
  return listFeedback(db, { units, open: true, limit });
}

/**
 * The counts behind 766 §5.1–5.4 for items received (sent) in the period at these units
 * (domain/reporting/feedback-indicators.ts turns them into rates). An item still open at the end of
 * the period counts as on time while its answer's clock has not run out then.
 */
export async function feedbackIndicatorCounts(db: Kysely<Database>, period: ReportPeriod, units: readonly string[]): Promise<FeedbackIndicatorCounts> {
  const empty: FeedbackIndicatorCounts = { received: 0, regulation: 0, procedure: 0, staffConduct: 0, unclassified: 0, handled: 0, handledOnTime: 0, open: 0, openInTime: 0, moreDislikes: 0, late: 0, followedUp: 0, unsatisfactory: 0, dossiersNamed: 0 };
  if (units.length === 0) return empty;
  const end = period.to.toISOString();
  const row = await db
    .selectFrom('feedback_summary as f')
    .where('f.agency_code', 'in', [...units])
    .where('f.sent_at', '>=', period.from)
    .where('f.sent_at', '<', period.to)
    .select((eb) => {
      // A follow-up counts only of an answered item (intake checks it, and that the sender proved it theirs: api/routes/feedback-follow-up.ts).
      const followed = sql<boolean>`(f.answered_at IS NOT NULL AND EXISTS (SELECT 1 FROM feedback_summary n WHERE n.follow_up_of = f.feedback_id))`;
      // §5.4 counts dossiers: a code that names none (a typo, or any string sent on the form) is not one.
      const namesDossier = sql<boolean>`EXISTS (SELECT 1 FROM dossier_summary d WHERE d.dossier_code = f.dossier_code)`;
      const handled = sql<boolean>`(f.handled_at IS NOT NULL AND f.handled_at < ${end})`;
      // An item awaiting the sender's information has no running answer clock (docs/feedback.md#the-four-clocks).
      const late = sql<boolean>`(f.on_time = false OR (NOT ${handled} AND f.status <> 'awaiting-information' AND f.answer_due_at IS NOT NULL AND f.answer_due_at <= ${end}))`;
      const count = (condition: ReturnType<typeof sql<boolean>>) => sql<string>`count(*) FILTER (WHERE ${condition})`;
      return [
        eb.fn.countAll<string>().as('received'),
        count(sql<boolean>`f.category = 'regulation'`).as('regulation'),
        count(sql<boolean>`f.category = 'procedure'`).as('procedure'),
        count(sql<boolean>`f.category = 'staff-conduct'`).as('staffConduct'),
        count(sql<boolean>`f.category IS NULL`).as('unclassified'),
        count(handled).as('handled'),
        count(sql<boolean>`${handled} AND f.on_time IS DISTINCT FROM false`).as('handledOnTime'),
        count(sql<boolean>`NOT ${handled}`).as('open'),
        count(sql<boolean>`NOT ${handled} AND NOT ${late}`).as('openInTime'),
        count(sql<boolean>`f.dislikes > f.likes`).as('moreDislikes'),
        count(late).as('late'),
        count(followed).as('followedUp'),
        count(sql<boolean>`f.dislikes > f.likes OR ${late} OR ${followed}`).as('unsatisfactory'),
        sql<string>`count(DISTINCT f.dossier_code) FILTER (WHERE ${namesDossier})`.as('dossiersNamed'),
      ];
    })
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as FeedbackIndicatorCounts;
}
