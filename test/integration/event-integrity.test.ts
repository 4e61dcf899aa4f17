// Tamper evidence: each event's hash chains to its predecessor's, and verification names the
// first version that was changed with plain SQL behind the event store's back.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../db/event-hash.js';
import { verifyAllStreams, verifyStream } from '../../db/event-integrity.js';
import { appendToStream, type NewEvent, readStream } from '../../db/event-store.js';
import { testDatabase } from '../support/engine.js';

const db = testDatabase(5);
afterAll(() => db.destroy());

const event = (n: number): NewEvent => ({
  type: 'TestHappened',
  schemaVersion: 1,
  // Keys out of order and non-ASCII text: jsonb reorders the one and the hash must not care.
  data: { z: n, a: 'Hồ sơ số một', nested: { y: [1, 2.5, { b: true, a: null }], x: 'đ' } },
  metadata: { actor: { userId: 'u1', role: 'reception', agencyCode: 'H38' }, commandId: `cmd-${n}` },
  occurredAt: `2026-11-24T0${n}:00:00.000Z`,
});

/**
 * Changes a stored row as an attacker with SQL access would, the append-only trigger lifted. The
 * ALTER waits for every open transaction on events, and appends queue behind it: another test file
 * that holds a transaction open until its next append completes would wait for ever. So the lock
 * wait is bounded and tried again.
 */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  for (let tries = 1; ; tries += 1) {
    try {
      await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL lock_timeout = '1s'`.execute(trx);
        await sql`ALTER TABLE events DISABLE TRIGGER events_append_only`.execute(trx);
        await statement.execute(trx);
        await sql`ALTER TABLE events ENABLE TRIGGER events_append_only`.execute(trx);
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || tries >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
const LOCK_NOT_AVAILABLE = '55P03';

describe('the hash chain of a stream', () => {
  it('links every event to the one before, from a zero genesis hash', async () => {
    const stream = `chain-${randomUUID()}`;
    await appendToStream(db, stream, 0, [event(1), event(2)]);
    await appendToStream(db, stream, 2, [event(3)]);
    const stored = await readStream(db, stream);
    let previous = GENESIS_HASH;
    for (const [index, stored_] of stored.entries()) {
      const expected = eventHash(previous, { streamId: stream, streamVersion: index + 1, eventId: stored_.eventId, type: stored_.type, schemaVersion: 1, data: event(index + 1).data, metadata: event(index + 1).metadata, occurredAt: event(index + 1).occurredAt });
      expect(stored_.hash).toBe(expected.toString('hex'));
      previous = expected;
    }
    expect(await verifyStream(db, stream)).toEqual({ streamId: stream, intact: true, events: 3 });
  });

  it('names the first version whose payload was edited with plain SQL', async () => {
    const stream = `chain-${randomUUID()}`;
    await appendToStream(db, stream, 0, [event(1), event(2), event(3), event(4)]);
    await tamper(sql`UPDATE events SET payload = jsonb_set(payload, '{a}', '"Hồ sơ đã bị sửa"') WHERE stream_id = ${stream} AND stream_version = 2`);
    expect(await verifyStream(db, stream)).toMatchObject({ intact: false, brokenAt: 2, reason: expect.stringMatching(/changed after it was written/) });
  });

  it('notices an edited actor, a rewritten time, and a deleted event', async () => {
    const edited = `chain-${randomUUID()}`;
    await appendToStream(db, edited, 0, [event(1), event(2), event(3)]);
    await tamper(sql`UPDATE events SET metadata = jsonb_set(metadata, '{actor,userId}', '"someone-else"') WHERE stream_id = ${edited} AND stream_version = 3`);
    expect(await verifyStream(db, edited)).toMatchObject({ intact: false, brokenAt: 3 });

    const retimed = `chain-${randomUUID()}`;
    await appendToStream(db, retimed, 0, [event(1), event(2)]);
    await tamper(sql`UPDATE events SET occurred_at = occurred_at - interval '1 day' WHERE stream_id = ${retimed} AND stream_version = 1`);
    expect(await verifyStream(db, retimed)).toMatchObject({ intact: false, brokenAt: 1 });

    const deleted = `chain-${randomUUID()}`;
    await appendToStream(db, deleted, 0, [event(1), event(2), event(3)]);
    await tamper(sql`DELETE FROM events WHERE stream_id = ${deleted} AND stream_version = 2`);
    expect(await verifyStream(db, deleted)).toMatchObject({ intact: false, brokenAt: 2, reason: expect.stringMatching(/missing/) });

    const broken: string[] = [];
    const totals = await verifyAllStreams(db, (result) => broken.push(result.streamId));
    expect(broken).toEqual(expect.arrayContaining([edited, retimed, deleted]));
    expect(totals.broken).toBeGreaterThanOrEqual(3);
  });
});
