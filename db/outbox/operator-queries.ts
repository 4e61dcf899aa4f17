// What operators see of the outbox and what they may do with it (docs/integrations.md, "Dead
// letters and the operator's routine"): the dead-letter list, a dossier's deliveries with every
// attempt, and the two ways out of a dead letter, retry (dead → pending) and close (dead → closed,
// with a reason). A change of state is made under the row's lock, only from `dead`, and also marks
// the lane's head undispatched, so the relay's dispatcher wakes the lane at its next sweep even if
// the caller's own wake (a Temporal signal) is lost; the caller wakes it at once with the lane it
// gets back. The lane itself (workflows/delivery-lane.ts) and its queries (db/outbox/deliveries.ts)
// are the lead's.
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { RECEIVERS, type Receiver } from '../../domain/outbox/deliveries.js';
import { MULTILINE_PATTERN } from '../../domain/text.js';
import type { Database } from '../schema.js';

/** The states of a delivery, as the table's CHECK lists them. */
export const DELIVERY_STATES = ['pending', 'delivered', 'dead', 'closed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A lane: the deliveries of one dossier to one receiver, carried out in order. */
export interface Lane {
  readonly receiver: Receiver;
  readonly dossierCode: string;
}

/** Who acts: recorded as `closed_by` and in the API's and CLI's logs. */
export interface OperatorActor {
  readonly userId: string;
}

/**
 * An idempotency key as the planner makes it (domain/outbox/deliveries.ts deliveryKey()): a
 * receiver, then `/`-separated parts of visible ASCII, 100 characters at most (the API's router
 * keeps path parameters of up to 100 characters; a real key is about 60). Anything else names no
 * delivery and is refused before a query.
 */
export const DELIVERY_KEY_MAX = 100;
export const DELIVERY_KEY_PATTERN = new RegExp(`^(?:${RECEIVERS.join('|')})/[\\x21-\\x7e]{1,93}$`);
export const deliveryKeySchema = z.string().max(DELIVERY_KEY_MAX).regex(DELIVERY_KEY_PATTERN, 'must be a delivery key such as portal/000.00.31.H38-250701-0005/7/status (receiver/dossier/sequence/trigger)');

/** Why a dead letter is closed: 10 to 500 characters of text that can be stored, after trimming. */
export const CLOSE_REASON_MIN = 10;
export const CLOSE_REASON_MAX = 500;
export const closeReasonSchema = z
  .string()
  .trim()
  .min(CLOSE_REASON_MIN, `must say why in at least ${CLOSE_REASON_MIN} characters`)
  .max(CLOSE_REASON_MAX)
  .regex(MULTILINE_PATTERN, 'must not contain control characters such as NUL (U+0000) other than tab and line breaks, nor an unpaired UTF-16 surrogate; remove them');

/** At most this many dead letters are retried by one retryAllDead call. */
export const RETRY_ALL_MAX = 1000;

export class DeliveryNotFound extends Error {
  override readonly name = 'DeliveryNotFound';
  constructor(readonly key: string) {
    super(`No delivery has the key ${key}.`);
  }
}

export class DeliveryNotDead extends Error {
  override readonly name = 'DeliveryNotDead';
  constructor(
    readonly key: string,
    readonly state: DeliveryState,
  ) {
    super(`Delivery ${key} is ${state}, not dead: only a dead letter can be retried or closed.`);
  }
}

export class CloseReasonInvalid extends Error {
  override readonly name = 'CloseReasonInvalid';
}

// ---- the dead-letter list ------------------------------------------------------------------------

export interface DeadLetterPosition {
  readonly deadAt: string;
  readonly key: string;
}

export interface DeadLetterQuery {
  readonly receiver?: Receiver;
  /** The receiving centre of the dossier (dossier_summary.agency_code). */
  readonly agencyCode?: string;
  /** Dead at or after this instant. */
  readonly since?: string;
  readonly limit: number;
  /** The page after this position (the last row of the previous page). */
  readonly after?: DeadLetterPosition;
}

export interface DeadLetter {
  readonly key: string;
  readonly receiver: string;
  readonly dossierCode: string;
  readonly agencyCode: string | null;
  readonly sequence: number;
  readonly eventType: string;
  readonly trigger: string;
  readonly eventCommittedAt: Date;
  readonly plannedAt: Date;
  /** When it went dead (planned_at when the lane did not set dead_at). */
  readonly deadAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** The sort key of the list: oldest dead letter first (it has held its lane back longest). */
const deadSince = sql<Date>`coalesce(deliveries.dead_at, deliveries.planned_at)`;

/** Dead letters, oldest first, filtered, a page at a time; `next` is the position to continue after. */
export async function listDeadLetters(db: Kysely<Database>, query: DeadLetterQuery): Promise<{ rows: DeadLetter[]; next: DeadLetterPosition | null }> {
  let select = db
    .selectFrom('deliveries')
    .leftJoin('dossier_summary', 'dossier_summary.dossier_code', 'deliveries.dossier_code')
    .select([
      'deliveries.key',
      'deliveries.receiver',
      'deliveries.dossier_code',
      'dossier_summary.agency_code',
      'deliveries.sequence',
      'deliveries.event_type',
      'deliveries.trigger',
      'deliveries.event_committed_at',
      'deliveries.planned_at',
      deadSince.as('dead_since'),
      'deliveries.attempts',
      'deliveries.last_error',
    ])
    .where('deliveries.state', '=', 'dead');
  if (query.receiver) select = select.where('deliveries.receiver', '=', query.receiver);
  if (query.agencyCode) select = select.where('dossier_summary.agency_code', '=', query.agencyCode);
  if (query.since) select = select.where(deadSince, '>=', new Date(query.since));
  if (query.after) select = select.where(sql<boolean>`(${deadSince}, deliveries.key) > (${new Date(query.after.deadAt)}, ${query.after.key})`);
  const rows = await select.orderBy(deadSince).orderBy('deliveries.key').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit).map(
    (row): DeadLetter => ({
      key: row.key,
      receiver: row.receiver,
      dossierCode: row.dossier_code,
      agencyCode: row.agency_code ?? null,
      sequence: row.sequence,
      eventType: row.event_type,
      trigger: row.trigger,
      eventCommittedAt: row.event_committed_at,
      plannedAt: row.planned_at,
      deadAt: new Date(row.dead_since),
      attempts: row.attempts,
      lastError: row.last_error,
    }),
  );
  const last = page.at(-1);
  return { rows: page, next: rows.length > query.limit && last ? { deadAt: last.deadAt.toISOString(), key: last.key } : null };
}

/** How many dead letters each receiver has, every receiver named (0 when none): the partial index deliveries_dead. */
export async function countDeadLetters(db: Kysely<Database>): Promise<Record<Receiver, number>> {
  const rows = await db.selectFrom('deliveries').select(['receiver', (eb) => eb.fn.countAll<string>().as('count')]).where('state', '=', 'dead').groupBy('receiver').execute();
  const counts = Object.fromEntries(RECEIVERS.map((receiver) => [receiver, 0])) as Record<Receiver, number>;
  for (const row of rows) if ((RECEIVERS as readonly string[]).includes(row.receiver)) counts[row.receiver as Receiver] = Number(row.count);
  return counts;
}

// ---- a dossier's deliveries ----------------------------------------------------------------------

export interface AttemptRecord {
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: 'delivered' | 'already-delivered' | 'failed' | 'refused';
  /** The wire request with personal fields masked (integrations/outbox/mask.ts). */
  readonly request: unknown;
  readonly requestSha256: string | null;
  readonly response: string | null;
  readonly error: string | null;
}

export interface DeliveryRecord {
  readonly key: string;
  readonly receiver: string;
  readonly dossierCode: string;
  readonly sequence: number;
  readonly eventType: string;
  readonly trigger: string;
  readonly state: DeliveryState;
  readonly notBefore: Date | null;
  readonly eventCommittedAt: Date;
  readonly plannedAt: Date;
  readonly dispatchedAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly deadAt: Date | null;
  readonly closedAt: Date | null;
  readonly closedBy: string | null;
  readonly closedReason: string | null;
  /** Every attempt made, however many are listed in `recentAttempts`. */
  readonly attemptCount: number;
  readonly lastError: string | null;
  readonly receiverReference: string | null;
  /** The latest attempts, oldest of them first. */
  readonly recentAttempts: AttemptRecord[];
}

export interface DossierDeliveriesQuery {
  readonly receiver?: Receiver;
  /** The latest attempts listed per delivery. */
  readonly attemptsPerDelivery: number;
  readonly limit: number;
  /** The page after this (sequence, key). */
  readonly after?: { readonly sequence: number; readonly key: string };
}

/** What was sent where and when for one dossier: its deliveries in event order, each with its latest attempts. */
export async function dossierDeliveries(db: Kysely<Database>, dossierCode: string, query: DossierDeliveriesQuery): Promise<{ rows: DeliveryRecord[]; next: { sequence: number; key: string } | null }> {
  let select = db.selectFrom('deliveries').selectAll().where('dossier_code', '=', dossierCode);
  if (query.receiver) select = select.where('receiver', '=', query.receiver);
  if (query.after) select = select.where(sql<boolean>`(sequence, key) > (${query.after.sequence}, ${query.after.key})`);
  const rows = await select.orderBy('sequence').orderBy('key').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const keys = page.map((row) => row.key);
  const attempts =
    keys.length === 0 || query.attemptsPerDelivery === 0
      ? []
      : await db
          .selectFrom((eb) =>
            eb
              .selectFrom('delivery_attempts')
              .selectAll()
              .select(sql<number>`row_number() OVER (PARTITION BY delivery_key ORDER BY attempt DESC)`.as('recency'))
              .where('delivery_key', 'in', keys)
              .as('ranked'),
          )
          .selectAll()
          .where('recency', '<=', query.attemptsPerDelivery)
          .orderBy('delivery_key')
          .orderBy('attempt')
          .execute();
  const byKey = new Map<string, AttemptRecord[]>();
  for (const row of attempts) {
    const list = byKey.get(row.delivery_key) ?? [];
    list.push({ attempt: row.attempt, startedAt: row.started_at, finishedAt: row.finished_at, outcome: row.outcome, request: row.request ?? null, requestSha256: row.request_sha256, response: row.response, error: row.error });
    byKey.set(row.delivery_key, list);
  }
  const last = page.at(-1);
  return {
    rows: page.map((row) => ({
      key: row.key,
      receiver: row.receiver,
      dossierCode: row.dossier_code,
      sequence: row.sequence,
      eventType: row.event_type,
      trigger: row.trigger,
      state: row.state,
      notBefore: row.not_before,
      eventCommittedAt: row.event_committed_at,
      plannedAt: row.planned_at,
      dispatchedAt: row.dispatched_at,
      deliveredAt: row.delivered_at,
      deadAt: row.dead_at,
      closedAt: row.closed_at,
      closedBy: row.closed_by,
      closedReason: row.closed_reason,
      attemptCount: row.attempts,
      lastError: row.last_error,
      receiverReference: row.receiver_reference,
      recentAttempts: byKey.get(row.key) ?? [],
    })),
    next: rows.length > query.limit && last ? { sequence: last.sequence, key: last.key } : null,
  };
}

// ---- retry and close -----------------------------------------------------------------------------

/** What a retry or a close did: the lane to wake, and the state the delivery left. */
export interface OperatorOutcome extends Lane {
  readonly key: string;
  readonly state: DeliveryState;
}

/**
 * Retries a dead letter: dead → pending, under the row's lock, only from dead (else
 * DeliveryNotDead; an unknown key, DeliveryNotFound). The lane's attempts go on counting. The row
 * is marked undispatched, so the relay's dispatcher wakes its lane at the next sweep; wake it now
 * with the lane this returns.
 */
export async function retryDelivery(db: Kysely<Database>, key: string, _actor: OperatorActor): Promise<OperatorOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await lockDead(trx, key);
    await trx.updateTable('deliveries').set({ state: 'pending', dispatched_at: null }).where('key', '=', key).execute();
    return { key, receiver: row.receiver as Receiver, dossierCode: row.dossier_code, state: 'pending' };
  });
}

/**
 * Closes a dead letter: dead → closed, with who and why (the reason 10–500 characters, else
 * CloseReasonInvalid), under the row's lock, only from dead. Nothing is sent for it any more; the
 * lane's next delivery, if any, is marked undispatched so the relay's dispatcher wakes the lane.
 */
export async function closeDelivery(db: Kysely<Database>, key: string, actor: OperatorActor, reason: string): Promise<OperatorOutcome> {
  const parsed = closeReasonSchema.safeParse(reason);
  if (!parsed.success) throw new CloseReasonInvalid(`The reason ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
  return db.transaction().execute(async (trx) => {
    const row = await lockDead(trx, key);
    await trx.updateTable('deliveries').set({ state: 'closed', closed_at: sql<string>`now()`, closed_by: actor.userId.slice(0, 200), closed_reason: parsed.data }).where('key', '=', key).execute();
    await undispatchLaneHead(trx, row);
    return { key, receiver: row.receiver as Receiver, dossierCode: row.dossier_code, state: 'closed' };
  });
}

export interface RetryAllQuery {
  readonly receiver: Receiver;
  /** Only the dossiers of this receiving centre. */
  readonly agencyCode?: string;
  /** Only the letters dead at or after this instant (the outage's start). */
  readonly since?: string;
  /** At most this many (RETRY_ALL_MAX at most); the oldest first. */
  readonly limit?: number;
}

/**
 * After a receiver's outage: retries its dead letters, oldest first, at most `limit` in one
 * transaction (rows another transaction holds are skipped, not waited for). Answers the lanes to
 * wake and how many dead letters of the receiver remain (call again while it is not 0).
 */
export async function retryAllDead(db: Kysely<Database>, query: RetryAllQuery, _actor: OperatorActor): Promise<{ retried: number; lanes: Lane[]; remaining: number }> {
  const limit = Math.max(1, Math.min(query.limit ?? RETRY_ALL_MAX, RETRY_ALL_MAX));
  return db.transaction().execute(async (trx) => {
    let select = trx.selectFrom('deliveries').select(['deliveries.key', 'deliveries.receiver', 'deliveries.dossier_code']).where('deliveries.state', '=', 'dead').where('deliveries.receiver', '=', query.receiver);
    if (query.agencyCode) select = select.where((eb) => eb.exists(eb.selectFrom('dossier_summary').select('dossier_summary.dossier_code').whereRef('dossier_summary.dossier_code', '=', 'deliveries.dossier_code').where('dossier_summary.agency_code', '=', query.agencyCode!)));
    if (query.since) select = select.where(deadSince, '>=', new Date(query.since));
    const rows = await select.orderBy(deadSince).orderBy('deliveries.key').limit(limit).forUpdate().skipLocked().execute();
    if (rows.length > 0) {
      await trx
        .updateTable('deliveries')
        .set({ state: 'pending', dispatched_at: null })
        .where('key', 'in', rows.map((row) => row.key))
        .execute();
    }
    const remaining = await trx.selectFrom('deliveries').select((eb) => eb.fn.countAll<string>().as('count')).where('state', '=', 'dead').where('receiver', '=', query.receiver).executeTakeFirstOrThrow();
    const lanes = new Map<string, Lane>();
    for (const row of rows) lanes.set(`${row.receiver}\u0000${row.dossier_code}`, { receiver: row.receiver as Receiver, dossierCode: row.dossier_code });
    return { retried: rows.length, lanes: [...lanes.values()], remaining: Number(remaining.count) };
  });
}

async function lockDead(trx: Transaction<Database>, key: string) {
  const row = await trx.selectFrom('deliveries').select(['key', 'receiver', 'dossier_code', 'state']).where('key', '=', key).forUpdate().executeTakeFirst();
  if (!row) throw new DeliveryNotFound(key);
  if (row.state !== 'dead') throw new DeliveryNotDead(key, row.state);
  return row;
}

/** Marks the lane's next delivery undispatched, so the relay's dispatcher signals (or starts) the lane. */
async function undispatchLaneHead(trx: Transaction<Database>, row: { receiver: string; dossier_code: string }): Promise<void> {
  const head = await trx.selectFrom('deliveries').select('key').where('receiver', '=', row.receiver).where('dossier_code', '=', row.dossier_code).where('state', 'in', ['pending', 'dead']).orderBy('sequence').limit(1).executeTakeFirst();
  if (head) await trx.updateTable('deliveries').set({ dispatched_at: null }).where('key', '=', head.key).where('state', '=', 'pending').execute();
}
