// Verifying the hash chains: recompute every stream's chain from its stored events and name the
// first version where the stored hash disagrees (its content, or an earlier event, was changed), or
// where a version is missing.
import type { Kysely } from 'kysely';
import { eventHashOfRow, GENESIS_HASH, type HashedRow } from './event-hash.js';
import type { Database } from './schema.js';

export type StreamVerification =
  | { readonly streamId: string; readonly intact: true; readonly events: number }
  | { readonly streamId: string; readonly intact: false; readonly events: number; readonly brokenAt: number; readonly reason: string };

interface ChainRow extends HashedRow {
  hash: Buffer;
}

export function verifyChain(streamId: string, rows: readonly ChainRow[]): StreamVerification {
  let previous: Buffer = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    if (row.stream_version !== index + 1) {
      return { streamId, intact: false, events: rows.length, brokenAt: index + 1, reason: `version ${index + 1} is missing (found ${row.stream_version} in its place)` };
    }
    const expected = eventHashOfRow(previous, row);
    if (!expected.equals(row.hash)) {
      return { streamId, intact: false, events: rows.length, brokenAt: row.stream_version, reason: `the stored hash of version ${row.stream_version} does not match its content and its predecessor's hash: the event was changed after it was written` };
    }
    previous = row.hash;
  }
  return { streamId, intact: true, events: rows.length };
}

const chainColumns = ['stream_id', 'stream_version', 'event_id', 'type', 'schema_version', 'payload', 'metadata', 'occurred_at', 'hash'] as const;

export async function verifyStream(db: Kysely<Database>, streamId: string): Promise<StreamVerification> {
  const rows = await db.selectFrom('events').select(chainColumns).where('stream_id', '=', streamId).orderBy('stream_version').execute();
  return verifyChain(streamId, rows as ChainRow[]);
}

/** Every stream, a page of streams at a time; reports each broken one and the totals. */
export async function verifyAllStreams(
  db: Kysely<Database>,
  onBroken: (result: StreamVerification) => void = () => {},
  pageSize = 500,
): Promise<{ streams: number; events: number; broken: number }> {
  let after = '';
  let streams = 0;
  let events = 0;
  let broken = 0;
  for (;;) {
    const ids = await db.selectFrom('events').select('stream_id').distinct().where('stream_id', '>', after).orderBy('stream_id').limit(pageSize).execute();
    if (ids.length === 0) break;
    const rows = (await db
      .selectFrom('events')
      .select(chainColumns)
      .where('stream_id', 'in', ids.map((id) => id.stream_id))
      .orderBy('stream_id')
      .orderBy('stream_version')
      .execute()) as ChainRow[];
    for (const { stream_id: streamId } of ids) {
      const result = verifyChain(streamId, rows.filter((row) => row.stream_id === streamId));
      streams += 1;
      events += result.events;
      if (!result.intact) {
        broken += 1;
        onBroken(result);
      }
    }
    after = ids[ids.length - 1]!.stream_id;
  }
  return { streams, events, broken };
}
