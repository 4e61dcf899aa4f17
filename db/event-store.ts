import { type Kysely, sql, type Transaction } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import { type EventFields, eventFieldsOfRow, eventHash, GENESIS_HASH, type HashedRow } from './event-hash.js';
import type { Database, EventMetadata } from './schema.js';

// The one way events enter the log. Invariants (docs/architecture.md#invariants, docs/event-store.md):
// - the expected stream version is checked, so a stale writer cannot slip an event in;
// - a retried append of the same events (same ids, same content) succeeds without writing twice;
//   the same ids with other content fail loudly, since that would mean two different histories;
// - inline projections run in the same transaction, so read models never disagree with the log.

/** Namespace for event ids: an event id is a UUIDv5 of (stream, version), the same on every retry. */
const EVENT_ID_NAMESPACE = '6d0f8f4e-6a2b-4f51-9c3e-2f6a1b7d9e10';

export function eventIdFor(streamId: string, streamVersion: number): string {
  return uuidv5(`${streamId}/${streamVersion}`, EVENT_ID_NAMESPACE);
}

export interface NewEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** Domain time: for dossier events, the workflow's clock when the command was decided. */
  readonly occurredAt: string;
}

export interface StoredEvent extends EventFields<EventMetadata> {
  readonly globalPosition: number;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  /** Hex SHA-256 of the stream's chain up to this event (db/event-hash.ts). */
  readonly hash: string;
}

/** A read model kept in the append's transaction: it commits, or rolls back, with the events. */
export type InlineProjection = (trx: Transaction<Database>, events: readonly StoredEvent[]) => Promise<void>;

export interface AppendResult {
  /** The stream's version after the append: pass it as the next expected version. */
  readonly streamVersion: number;
  readonly events: readonly StoredEvent[];
  /** True when these events were already stored by an earlier try of the same append. */
  readonly alreadyStored: boolean;
}

/** The stream is not at the version the writer expected: someone else wrote, or the writer is stale. */
export class StreamVersionConflict extends Error {
  override readonly name: string = 'StreamVersionConflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, the append expected ${expectedVersion}`);
  }
}

/**
 * The versions an append meant to write hold other events: a retry whose content changed, or a stale
 * writer. Either way there would be two histories for one stream, so nothing is written.
 */
export class EventContentConflict extends StreamVersionConflict {
  override readonly name = 'EventContentConflict';
  constructor(
    streamId: string,
    expectedVersion: number,
    actualVersion: number,
    readonly streamVersion: number,
  ) {
    super(streamId, expectedVersion, actualVersion);
    this.message = `stream ${streamId} already holds a different event at version ${streamVersion} (the append expected version ${expectedVersion}); stored events are never replaced`;
  }
}

const UNIQUE_VIOLATION = '23505';
// Two writers of the same stream version collide on either index: (stream_id, stream_version), or
// event_id, which derives from the same pair. Whichever PostgreSQL checks first names the conflict.
const STREAM_VERSION_CONSTRAINTS = new Set(['events_stream_version_unique', 'events_event_id_key']);

export async function appendToStream(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  projections: readonly InlineProjection[] = [],
): Promise<AppendResult> {
  if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
  try {
    return await db.transaction().execute(async (trx) => {
      // The unique index on (stream, version) is the version check: the insert of version
      // expected + 1 fails if any writer got there first, and the catch below sorts a retry of
      // these same events from a conflict. What the index cannot see is a writer ahead of the
      // stream; the previous event, whose hash the chain needs anyway, is then missing. One round
      // trip fewer than reading the stream's version first (docs/scaling.md).
      let previous = GENESIS_HASH;
      if (expectedVersion > 0) {
        const last = await trx.selectFrom('events').select('hash').where('stream_id', '=', streamId).where('stream_version', '=', expectedVersion).executeTakeFirst();
        if (!last) throw new StreamVersionConflict(streamId, expectedVersion, await streamVersionOf(trx, streamId));
        previous = last.hash;
      }
      const stored = await insertEvents(trx, streamId, expectedVersion, previous, events);
      for (const project of projections) await project(trx, stored);
      return { streamVersion: expectedVersion + events.length, events: stored, alreadyStored: false };
    });
  } catch (error) {
    // A concurrent writer committed the same versions between our check and our insert. (A unique
    // violation anywhere else, in a projection say, is a bug and goes up as it is.)
    if (isStreamVersionViolation(error)) {
      const actualVersion = await streamVersionOf(db, streamId);
      return await alreadyStoredOrConflict(db, streamId, expectedVersion, actualVersion, events);
    }
    throw error;
  }
}

/** A stream's events in order; with `page`, only those after a version, at most `limit` of them. */
export async function readStream(db: Kysely<Database>, streamId: string, page?: { readonly afterVersion: number; readonly limit: number }): Promise<StoredEvent[]> {
  let query = db.selectFrom('events').selectAll().where('stream_id', '=', streamId);
  if (page) query = query.where('stream_version', '>', page.afterVersion).limit(page.limit);
  const rows = await query.orderBy('stream_version').execute();
  return rows.map(toStoredEvent);
}

export async function streamVersionOf(db: Kysely<Database>, streamId: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('stream_version').as('version'))
    .where('stream_id', '=', streamId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

async function insertEvents(
  trx: Transaction<Database>,
  streamId: string,
  expectedVersion: number,
  chainedTo: Buffer,
  events: readonly NewEvent[],
): Promise<StoredEvent[]> {
  // The chain continues from the stream's last event, read in this transaction.
  let previous = chainedTo;
  const rows = await trx
    .insertInto('events')
    .values(
      events.map((event, index) => {
        const streamVersion = expectedVersion + index + 1;
        const eventId = eventIdFor(streamId, streamVersion);
        const occurredAt = new Date(event.occurredAt).toISOString();
        previous = eventHash(previous, { streamId, streamVersion, eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, occurredAt });
        return {
          stream_id: streamId,
          stream_version: streamVersion,
          event_id: eventId,
          type: event.type,
          schema_version: event.schemaVersion,
          payload: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
          occurred_at: occurredAt,
          hash: previous,
        };
      }),
    )
    .returningAll()
    .execute();
  return rows.map(toStoredEvent);
}

async function alreadyStoredOrConflict(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  actualVersion: number,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  if (actualVersion < expectedVersion + events.length) {
    throw new StreamVersionConflict(streamId, expectedVersion, actualVersion);
  }
  // The versions we meant to write exist: they are ours from an earlier try if every one matches.
  const stored: StoredEvent[] = [];
  for (const [index, event] of events.entries()) {
    const streamVersion = expectedVersion + index + 1;
    const row = await db
      .selectFrom('events')
      .selectAll()
      .select(
        sql<boolean>`(type = ${event.type}
          AND schema_version = ${event.schemaVersion}
          AND payload = ${JSON.stringify(event.data)}::jsonb
          AND metadata = ${JSON.stringify(event.metadata)}::jsonb
          AND occurred_at = ${event.occurredAt}::timestamptz)`.as('same_content'),
      )
      .where('stream_id', '=', streamId)
      .where('stream_version', '=', streamVersion)
      .executeTakeFirstOrThrow();
    if (!row.same_content) throw new EventContentConflict(streamId, expectedVersion, actualVersion, streamVersion);
    stored.push(toStoredEvent(row));
  }
  return { streamVersion: expectedVersion + events.length, events: stored, alreadyStored: true };
}

function toStoredEvent(row: HashedRow & { global_position: number; metadata: EventMetadata; recorded_at: Date; hash: Buffer }): StoredEvent {
  return { globalPosition: row.global_position, ...eventFieldsOfRow(row), occurredAt: row.occurred_at, recordedAt: row.recorded_at, hash: row.hash.toString('hex') };
}

function isStreamVersionViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && typeof constraint === 'string' && STREAM_VERSION_CONSTRAINTS.has(constraint);
}
