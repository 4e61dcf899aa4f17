// Tamper evidence: every event stores a hash over the previous event's hash (of the same stream)
// and a canonical encoding of itself, so changing, removing or reordering any stored event breaks
// the chain from that point on. The canonical form is RFC 8785 (JSON Canonicalization Scheme),
// through `canonicalize`, the scheme's reference implementation: key order and number formatting
// are fixed, so PostgreSQL's jsonb rewriting of a payload cannot change the hash, but any edit does.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export interface HashedFields {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
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
