import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  appendToStream,
  EventContentConflict,
  eventIdFor,
  type InlineProjection,
  type NewEvent,
  readStream,
  StreamVersionConflict,
} from '../../db/event-store.js';
import { testDatabase } from '../support/engine.js';

const db = testDatabase(20);
afterAll(() => db.destroy());

const streamId = () => `test-stream-${randomUUID()}`;

const event = (n: number, data: Record<string, unknown> = {}): NewEvent => ({
  type: 'TestHappened',
  schemaVersion: 1,
  data: { n, note: 'Sổ theo dõi hồ sơ', ...data },
  metadata: { actor: { userId: 'u1', role: 'reception', agencyCode: 'H38' }, commandId: `cmd-${n}` },
  occurredAt: `2026-11-24T0${n % 10}:00:00.000Z`,
});

describe('the event store', () => {
  it('appends at the expected version and numbers the stream from 1', async () => {
    const stream = streamId();
    const first = await appendToStream(db, stream, 0, [event(1), event(2)]);
    const second = await appendToStream(db, stream, 2, [event(3)]);
    expect(first).toMatchObject({ streamVersion: 2, alreadyStored: false });
    expect(second.streamVersion).toBe(3);
    const stored = await readStream(db, stream);
    expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(stored.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
    expect(stored[0]?.eventId).toBe(eventIdFor(stream, 1));
    expect(stored[0]?.data).toEqual({ n: 1, note: 'Sổ theo dõi hồ sơ' });
    expect(stored[2]!.globalPosition).toBeGreaterThan(stored[0]!.globalPosition);
  });

  it('refuses an append at a stale expected version', async () => {
    const stream = streamId();
    await appendToStream(db, stream, 0, [event(1)]);
    await appendToStream(db, stream, 1, [event(2)]);
    const stale = appendToStream(db, stream, 1, [event(9)]);
    await expect(stale).rejects.toBeInstanceOf(StreamVersionConflict);
    await expect(stale).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2, streamVersion: 2 });
    expect(await readStream(db, stream)).toHaveLength(2);
  });

  it('refuses an append that expects a version the stream has not reached', async () => {
    const stream = streamId();
    await expect(appendToStream(db, stream, 3, [event(1)])).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(await readStream(db, stream)).toHaveLength(0);
  });

  it('accepts a retry of an append that already committed, without writing it twice', async () => {
    const stream = streamId();
    const events = [event(1), event(2)];
    const first = await appendToStream(db, stream, 0, events);
    const retry = await appendToStream(db, stream, 0, events);
    expect(retry).toMatchObject({ streamVersion: 2, alreadyStored: true });
    expect(retry.events.map((e) => e.globalPosition)).toEqual(first.events.map((e) => e.globalPosition));
    expect(await readStream(db, stream)).toHaveLength(2);
  });

  it('fails loudly when a retry brings different content for stored versions', async () => {
    const stream = streamId();
    await appendToStream(db, stream, 0, [event(1), event(2)]);
    const tampered = appendToStream(db, stream, 0, [event(1), event(2, { note: 'khác' })]);
    await expect(tampered).rejects.toBeInstanceOf(EventContentConflict);
    await expect(tampered).rejects.toMatchObject({ streamVersion: 2 });
    const stored = await readStream(db, stream);
    expect(stored.map((e) => (e.data as { note: string }).note)).toEqual(['Sổ theo dõi hồ sơ', 'Sổ theo dõi hồ sơ']);
  });

  // A SHARE lock lets both writers read the stream's version but holds their inserts, so both
  // pass the version check before either commits: a real race, decided by the unique constraint.
  async function race<T>(appends: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    const gate = new pg.Client({ connectionString: inject('databaseUrl') });
    await gate.connect();
    try {
      // Bounded: appends of other test files queue behind a waiting SHARE lock, and one of them may
      // hold a transaction open until its next append completes.
      for (let tries = 1; ; tries += 1) {
        await gate.query('BEGIN');
        await gate.query("SET LOCAL lock_timeout = '1s'");
        try {
          await gate.query('LOCK TABLE events IN SHARE MODE');
          break;
        } catch (error) {
          await gate.query('ROLLBACK');
          if ((error as { code?: string }).code !== '55P03' || tries >= 30) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const racing = Promise.allSettled(appends());
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        // Inside a transaction PostgreSQL caches pg_stat_activity: drop the cache to see now.
        await gate.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await gate.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'motcua-test' AND wait_event_type = 'Lock'",
        );
        if (rows[0]!.n >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await gate.query('COMMIT');
      return await racing;
    } finally {
      await gate.end();
    }
  }

  it('lets exactly one of two racing writers at the same version win', async () => {
    const stream = streamId();
    await appendToStream(db, stream, 0, [event(1)]);
    const results = await race(() => [appendToStream(db, stream, 1, [event(2)]), appendToStream(db, stream, 1, [event(3)])]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(EventContentConflict);
    expect(await readStream(db, stream)).toHaveLength(2);
  });

  it('lets two racing tries of the same append both succeed, writing once', async () => {
    const stream = streamId();
    const results = await race(() => [appendToStream(db, stream, 0, [event(1)]), appendToStream(db, stream, 0, [event(1)])]);
    const fulfilled = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof appendToStream>>> => r.status === 'fulfilled');
    expect(fulfilled).toHaveLength(2);
    expect(fulfilled.map((r) => r.value.alreadyStored).sort()).toEqual([false, true]);
    expect(await readStream(db, stream)).toHaveLength(1);
  });

  it('keeps every stream whole under concurrent appends to many streams', async () => {
    const streams = Array.from({ length: 40 }, streamId);
    const appendsPerStream = 5;
    await Promise.all(
      streams.map(async (stream) => {
        for (let version = 0; version < appendsPerStream; version++) {
          await appendToStream(db, stream, version, [event(version + 1)]);
        }
      }),
    );
    for (const stream of streams) {
      const stored = await readStream(db, stream);
      expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    }
    const positions = await db
      .selectFrom('events')
      .select('global_position')
      .where('stream_id', 'in', streams)
      .execute();
    expect(new Set(positions.map((p) => p.global_position)).size).toBe(streams.length * appendsPerStream);
  });

  it('rolls back the events when an inline projection fails, and runs projections in the same transaction', async () => {
    const stream = streamId();
    const seenInTransaction: number[] = [];
    const counting: InlineProjection = async (trx, events) => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE stream_id = ${stream}`.execute(trx);
      seenInTransaction.push(rows[0]!.n, events.length);
    };
    const failing: InlineProjection = async () => {
      throw new Error('projection failed');
    };
    await expect(appendToStream(db, stream, 0, [event(1)], [counting, failing])).rejects.toThrow('projection failed');
    expect(seenInTransaction).toEqual([1, 1]);
    expect(await readStream(db, stream)).toHaveLength(0);
    // Nothing was left half-written: the stream starts at version 1 again.
    await appendToStream(db, stream, 0, [event(1)], [counting]);
    expect(await readStream(db, stream)).toHaveLength(1);
  });

  it('refuses to update or delete a stored event', async () => {
    const stream = streamId();
    await appendToStream(db, stream, 0, [event(1)]);
    await expect(sql`UPDATE events SET payload = '{}' WHERE stream_id = ${stream}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM events WHERE stream_id = ${stream}`.execute(db)).rejects.toThrow(/append-only/);
    expect((await readStream(db, stream))[0]?.data).toMatchObject({ n: 1 });
  });
});
