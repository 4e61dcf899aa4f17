// The outbox's tables as the relay and the lanes use them (docs/integrations.md#the-mechanism):
// planning deliveries from the log, finding a lane's next delivery, recording attempts and outcomes.
// The operators' queries (dead letters, history, retry, close) are in operator-queries.ts.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DossierEvent, DossierReceived } from '../../domain/dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import type { Receiver } from '../../domain/outbox/deliveries.js';
import { type DeliveryPolicy, planDeliveries } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveredEvent } from '../../integrations/outbox/delivery-channel.js';
import { nextLogBatch } from '../log-subscription.js';
import type { Database } from '../schema.js';

export const DELIVERY_PLANNER = 'deliveries';

export interface PlanProgress {
  readonly events: number;
  readonly planned: number;
}

/**
 * Plans the deliveries of every event that is safe to read (db/log-subscription.ts), in batches,
 * each in one transaction with the planner's checkpoint: a delivery is planned exactly once, or, if
 * the transaction fails, not at all and again next time. Skips the round when another relay holds
 * the checkpoint.
 */
export async function planDeliveriesFromLog(db: Kysely<Database>, policy: DeliveryPolicy, options: { readonly batchSize?: number } = {}): Promise<PlanProgress> {
  let events = 0;
  let planned = 0;
  for (;;) {
    const batch = await db.transaction().execute((trx) => planBatch(trx, policy, options.batchSize ?? 500));
    if (!batch || batch.events === 0) break;
    events += batch.events;
    planned += batch.planned;
  }
  return { events, planned };
}

async function planBatch(trx: Transaction<Database>, policy: DeliveryPolicy, batchSize: number): Promise<PlanProgress | undefined> {
  const batch = await nextLogBatch(trx, DELIVERY_PLANNER, { batchSize, skipIfBusy: true });
  if (!batch) return undefined;
  if (batch.rows.length === 0) return { events: 0, planned: 0 };
  const wanted = new Map<string, Set<number>>();
  const positions = new Map<string, string>();
  for (const row of batch.rows) {
    const versions = wanted.get(row.streamId) ?? new Set<number>();
    versions.add(row.streamVersion);
    wanted.set(row.streamId, versions);
    positions.set(`${row.streamId}#${row.streamVersion}`, row.position);
  }
  const rows = await trx
    .selectFrom('events')
    .select(['stream_id', 'stream_version', 'type', 'schema_version', 'payload', 'metadata', 'recorded_at'])
    .where('stream_id', 'in', [...wanted.keys()])
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute();
  const deliveries = [];
  let state: DossierState | undefined;
  let received: DossierReceived['data'] | undefined;
  let current = '';
  for (const row of rows) {
    if (row.stream_id !== current) {
      current = row.stream_id;
      state = newDossier(row.stream_id);
      received = undefined;
    }
    // A stream that does not open with a reception (a mirror of a dossier handled on a ministry's
    // system, which that system syncs itself; a test's) is not folded: nothing to tell anyone.
    if (received === undefined && row.type !== 'DossierReceived') continue;
    const event = asDossierEvent({ type: row.type, schemaVersion: row.schema_version, data: row.payload });
    if (event.type === 'DossierReceived') received = event.data;
    const before = state!;
    state = evolveDossier(before, event);
    // Only the events of this batch are planned; the earlier ones were, by earlier batches. A stream
    // that does not open with a reception (a test's) is not a dossier: nothing to tell anyone.
    if (!wanted.get(row.stream_id)!.has(row.stream_version) || received === undefined) continue;
    for (const delivery of planDeliveries(
      { dossierCode: row.stream_id, sequence: row.stream_version, event, before: isReceived(before) ? before : undefined, applicant: received.applicant, committedAt: row.recorded_at.toISOString(), ...(row.metadata?.actor?.role ? { actorRole: row.metadata.actor.role } : {}), ...(row.metadata?.actor?.userId ? { actorUserId: row.metadata.actor.userId } : {}) },
      policy,
    )) {
      deliveries.push({
        key: delivery.key,
        receiver: delivery.receiver,
        dossier_code: delivery.dossierCode,
        sequence: delivery.sequence,
        event_type: delivery.eventType,
        trigger: delivery.trigger,
        global_position: positions.get(`${row.stream_id}#${row.stream_version}`)!,
        not_before: delivery.notBefore ?? null,
        event_committed_at: row.recorded_at.toISOString(),
      });
    }
  }
  for (let index = 0; index < deliveries.length; index += 1000) {
    await trx.insertInto('deliveries').values(deliveries.slice(index, index + 1000)).onConflict((oc) => oc.column('key').doNothing()).execute();
  }
  await batch.advance();
  return { events: batch.rows.length, planned: deliveries.length };
}

/** A lane: one receiver, one dossier. */
export interface Lane {
  readonly receiver: Receiver;
  readonly dossierCode: string;
}

/** Lanes with planned deliveries no lane workflow was told of yet, and their keys. */
export async function undispatchedLanes(db: Kysely<Database>, limit = 500): Promise<{ lanes: Lane[]; keys: string[] }> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['key', 'receiver', 'dossier_code'])
    .where('state', '=', 'pending')
    .where('dispatched_at', 'is', null)
    .orderBy('planned_at')
    .limit(limit)
    .execute();
  const lanes = new Map<string, Lane>();
  for (const row of rows) lanes.set(`${row.receiver}/${row.dossier_code}`, { receiver: row.receiver as Receiver, dossierCode: row.dossier_code });
  return { lanes: [...lanes.values()], keys: rows.map((row) => row.key) };
}

export async function markDispatched(db: Kysely<Database>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.updateTable('deliveries').set({ dispatched_at: new Date().toISOString() }).where('key', 'in', keys).where('dispatched_at', 'is', null).execute();
}

/**
 * Lanes whose pending deliveries were dispatched a while ago and are still not carried out: woken
 * again in case their lane ended just as they were dispatched, or was terminated by an operator.
 * Not a lane held back by a dead letter (it waits for an operator: a wake would only make it look
 * again), nor one that attempted a delivery within the period (it is running, retrying with
 * backoff): a wake every sweep would grow such a lane's history by a signal, and a held lane's by
 * a look-up too, every 30 s for as long as it waits, until Temporal's history limit ends it.
 */
export async function staleLanes(db: Kysely<Database>, olderThanMs: number, limit = 200): Promise<Lane[]> {
  const cutoff = new Date(Date.now() - olderThanMs);
  const rows = await db
    .selectFrom('deliveries as d')
    .select(['d.receiver', 'd.dossier_code'])
    .distinct()
    .where('d.state', '=', 'pending')
    .where('d.dispatched_at', '<', cutoff)
    .where((eb) => eb.or([eb('d.not_before', 'is', null), eb('d.not_before', '<', new Date())]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('deliveries as held').select('held.key').whereRef('held.receiver', '=', 'd.receiver').whereRef('held.dossier_code', '=', 'd.dossier_code').where('held.state', '=', 'dead').whereRef('held.sequence', '<', 'd.sequence'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('deliveries as lane')
            .innerJoin('delivery_attempts as attempt', 'attempt.delivery_key', 'lane.key')
            .select('lane.key')
            .whereRef('lane.receiver', '=', 'd.receiver')
            .whereRef('lane.dossier_code', '=', 'd.dossier_code')
            .where('attempt.started_at', '>=', cutoff),
        ),
      ),
    )
    .limit(limit)
    .execute();
  return rows.map((row) => ({ receiver: row.receiver as Receiver, dossierCode: row.dossier_code }));
}

export interface LaneHead {
  readonly key: string;
  readonly state: 'pending' | 'dead';
  readonly notBefore: string | null;
}

/** The delivery a lane must carry out next (or is held back by, when dead); undefined when none is left. */
export async function laneHead(db: Kysely<Database>, lane: Lane): Promise<LaneHead | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .select(['key', 'state', 'not_before'])
    .where('receiver', '=', lane.receiver)
    .where('dossier_code', '=', lane.dossierCode)
    .where('state', 'in', ['pending', 'dead'])
    .orderBy('sequence')
    .orderBy('planned_at')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return { key: row.key, state: row.state as 'pending' | 'dead', notBefore: row.not_before?.toISOString() ?? null };
}

export interface DeliveryRow {
  readonly key: string;
  readonly receiver: Receiver;
  readonly dossierCode: string;
  readonly sequence: number;
  readonly trigger: string;
  readonly state: 'pending' | 'delivered' | 'dead' | 'closed';
  readonly eventCommittedAt: Date;
}

/** Claims the next attempt of a pending delivery: its number, or undefined when it is no longer pending. */
export async function claimAttempt(db: Kysely<Database>, key: string): Promise<(DeliveryRow & { attempt: number }) | undefined> {
  const row = await db
    .updateTable('deliveries')
    .set({ attempts: sql`attempts + 1` })
    .where('key', '=', key)
    .where('state', '=', 'pending')
    .returning(['key', 'receiver', 'dossier_code', 'sequence', 'trigger', 'state', 'event_committed_at', 'attempts'])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    key: row.key,
    receiver: row.receiver as Receiver,
    dossierCode: row.dossier_code,
    sequence: row.sequence,
    trigger: row.trigger,
    state: row.state,
    eventCommittedAt: row.event_committed_at,
    attempt: row.attempts,
  };
}

/** A delivery's state, why it was planned and the receiver's reference for it; undefined for an unknown key. */
export async function deliveryOf(db: Kysely<Database>, key: string): Promise<{ receiver: string; dossierCode: string; sequence: number; trigger: string; state: DeliveryRow['state']; reference: string | null } | undefined> {
  const row = await db.selectFrom('deliveries').select(['receiver', 'dossier_code', 'sequence', 'trigger', 'state', 'receiver_reference']).where('key', '=', key).executeTakeFirst();
  return row && { receiver: row.receiver, dossierCode: row.dossier_code, sequence: row.sequence, trigger: row.trigger, state: row.state, reference: row.receiver_reference };
}

/** One event of a dossier's stream, upcast; undefined when the stream has no such version. */
export async function eventAt(db: Kysely<Database>, dossierCode: string, version: number): Promise<DossierEvent | undefined> {
  const row = await db.selectFrom('events').select(['type', 'schema_version', 'payload']).where('stream_id', '=', dossierCode).where('stream_version', '=', version).executeTakeFirst();
  return row && asDossierEvent({ type: row.type, schemaVersion: row.schema_version, data: row.payload });
}

/** The dossier's events up to and including `sequence`, as the adapters read them. */
export async function eventsUpTo(db: Kysely<Database>, dossierCode: string, sequence: number): Promise<DeliveredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['stream_version', 'type', 'schema_version', 'payload', 'metadata', 'occurred_at'])
    .where('stream_id', '=', dossierCode)
    .where('stream_version', '<=', sequence)
    .orderBy('stream_version')
    .execute();
  return rows.map((row) => ({
    version: row.stream_version,
    event: asDossierEvent({ type: row.type, schemaVersion: row.schema_version, data: row.payload }),
    occurredAt: row.occurred_at.toISOString(),
    actor: row.metadata.actor,
  }));
}

export interface AttemptRecord {
  readonly key: string;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly outcome: 'delivered' | 'already-delivered' | 'failed' | 'refused';
  readonly request?: unknown;
  readonly requestSha256?: string;
  readonly response?: string;
  readonly error?: string;
}

/**
 * Records an attempt and, when it delivered, the delivery's new state, in one transaction. An
 * attempt number already recorded (an activity retried after its record committed) is kept as it was.
 */
export async function recordAttempt(db: Kysely<Database>, attempt: AttemptRecord, delivered?: { reference?: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('delivery_attempts')
      .values({
        delivery_key: attempt.key,
        attempt: attempt.attempt,
        started_at: attempt.startedAt.toISOString(),
        finished_at: new Date().toISOString(),
        outcome: attempt.outcome,
        request: attempt.request === undefined ? null : JSON.stringify(attempt.request),
        request_sha256: attempt.requestSha256 ?? null,
        response: attempt.response ?? null,
        error: attempt.error ?? null,
      })
      .onConflict((oc) => oc.columns(['delivery_key', 'attempt']).doNothing())
      .execute();
    if (delivered) {
      await trx
        .updateTable('deliveries')
        .set({ state: 'delivered', delivered_at: new Date().toISOString(), receiver_reference: delivered.reference ?? null, last_error: null })
        .where('key', '=', attempt.key)
        .where('state', '=', 'pending')
        .execute();
    } else if (attempt.error) {
      await trx.updateTable('deliveries').set({ last_error: attempt.error.slice(0, 1000) }).where('key', '=', attempt.key).execute();
    }
  });
}

/** Dead-letters a pending delivery; false when it was not pending (delivered or closed meanwhile). */
export async function markDead(db: Kysely<Database>, key: string, error: string): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ state: 'dead', dead_at: new Date().toISOString(), last_error: sql`left(${error} || coalesce('; last attempt: ' || last_error, ''), 1000)` })
    .where('key', '=', key)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
