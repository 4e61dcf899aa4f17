import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { appendToStream, type NewEvent } from '../db/event-store.js';
import type { Database } from '../db/schema.js';

// Event append throughput against its baseline: a plain single-row INSERT of the same row shape
// (same columns, defaults and indexes, no version check, no transaction of ours) into the same
// PostgreSQL. The ratio is what the event store's guarantees cost.

export interface AppendFigure {
  readonly concurrency: number;
  readonly appends: number;
  readonly appendsPerSecond: number;
  readonly plainInsertsPerSecond: number;
  readonly ratio: number;
}

const sampleEvent = (n: number): NewEvent => ({
  type: 'DossierReceived',
  schemaVersion: 1,
  data: { n, procedureCode: '1.001193', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Nguyễn Văn Bench', identityNumber: '001090000000' } },
  metadata: { actor: { userId: 'bench', role: 'reception', agencyCode: 'BENCH' }, commandId: randomUUID() },
  occurredAt: new Date().toISOString(),
});

export async function benchEventAppend(db: Kysely<Database>, concurrency: number, appends: number): Promise<AppendFigure> {
  await sql`CREATE TABLE IF NOT EXISTS bench_plain_events (LIKE events INCLUDING ALL)`.execute(db);

  const appendsPerSecond = await rate(concurrency, appends, async (i) => {
    await appendToStream(db, `bench-${randomUUID()}`, 0, [sampleEvent(i)]);
  });
  const plainInsertsPerSecond = await rate(concurrency, appends, async (i) => {
    const event = sampleEvent(i);
    // The same row shape, hash column included (a random one: the baseline computes no chain).
    await sql`INSERT INTO bench_plain_events (stream_id, stream_version, event_id, type, schema_version, payload, metadata, occurred_at, hash)
      VALUES (${`plain-${randomUUID()}`}, 1, ${randomUUID()}, ${event.type}, 1, ${JSON.stringify(event.data)}::jsonb,
              ${JSON.stringify(event.metadata)}::jsonb, ${event.occurredAt}::timestamptz, ${randomBytes(32)})`.execute(db);
  });
  return { concurrency, appends, appendsPerSecond, plainInsertsPerSecond, ratio: appendsPerSecond / plainInsertsPerSecond };
}

/** Operations per second with `concurrency` loops sharing `total` operations. */
async function rate(concurrency: number, total: number, operation: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await operation(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}
