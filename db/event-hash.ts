// Tamper evidence: every event stores a hash over the previous event's hash (of the same stream)
// and a canonical encoding of itself, so changing, removing or reordering any stored event breaks
// the chain from that point on. The canonical form is RFC 8785 (JSON Canonicalization Scheme),
// through `canonicalize`, the scheme's reference implementation: key order and number formatting
// are fixed, so PostgreSQL's jsonb rewriting of a payload cannot change the hash, but any edit does.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** What names an event in its stream and what it says. */
export interface EventFields<Metadata = unknown> {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Metadata;
}

export interface HashedFields extends EventFields {
  /** ISO 8601 in UTC, as `Date.prototype.toISOString` writes it. */
  readonly occurredAt: string;
}

export function eventHash(previous: Uint8Array, event: HashedFields): Buffer {
  const encoded = canonicalize({
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    occurredAt: event.occurredAt,
  });
  if (encoded === undefined) throw new Error(`event ${event.streamId}/${event.streamVersion} cannot be encoded canonically`);
  return createHash('sha256').update(previous).update(encoded, 'utf8').digest();
}

/** The columns of an `events` row that its hash covers. */
export interface HashedRow {
  readonly stream_id: string;
  readonly stream_version: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly payload: unknown;
  readonly metadata: unknown;
  readonly occurred_at: Date;
}

/** A row's identity and content under the names an event carries outside the table. */
export function eventFieldsOfRow<Metadata>(row: HashedRow & { readonly metadata: Metadata }): EventFields<Metadata> {
  return {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.payload,
    metadata: row.metadata,
  };
}

/** The hash a stored row should carry, given its predecessor's. */
export function eventHashOfRow(previous: Uint8Array, row: HashedRow): Buffer {
  return eventHash(previous, { ...eventFieldsOfRow(row), occurredAt: row.occurred_at.toISOString() });
}
