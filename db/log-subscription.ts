// Reading the event log as an asynchronous subscriber (docs/decisions/0010): positions come from an
// identity column, assigned when a row is inserted, not when its transaction commits, so a
// transaction that commits late can hold a position below rows already read. A subscriber therefore
// reads in (transaction id, position) order and only the rows of transactions older than the oldest
// one still running (pg_snapshot_xmin): every transaction that could still commit has a larger id
// than anything read, so nothing is skipped. The checkpoint moves in the same transaction as the
// subscriber's own writes. The report projection and the outbox's planner read the log this way.
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface LogRow {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: string;
  readonly transactionId: string;
}

export interface LogBatch {
  readonly rows: readonly LogRow[];
  /** Moves the checkpoint past the batch, in the caller's transaction. */
  advance(): Promise<void>;
}

/**
 * The next batch of safe rows after the subscriber's checkpoint, with the checkpoint's row locked
 * for the caller's transaction; undefined when `skipIfBusy` and another process holds it.
 */
export async function nextLogBatch(
  trx: Transaction<Database>,
  subscriber: string,
  options: { readonly batchSize?: number; readonly skipIfBusy?: boolean } = {},
): Promise<LogBatch | undefined> {
  await trx.insertInto('projection_checkpoints').values({ name: subscriber }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const lock = sql.raw(options.skipIfBusy ? 'FOR UPDATE SKIP LOCKED' : 'FOR UPDATE');
  const { rows: [checkpoint] } = await sql<{ last_transaction_id: string; last_position: string }>`
    SELECT last_transaction_id::text, last_position::text FROM projection_checkpoints WHERE name = ${subscriber} ${lock}`.execute(trx);
  if (!checkpoint) return undefined;

  // Ordered by the columns themselves, not by their text output (which would put 10 before 9).
  const { rows } = await sql<{ stream_id: string; stream_version: number; position: string; xid: string }>`
    SELECT e.stream_id, e.stream_version, e.global_position::text AS position, e.transaction_id::text AS xid
    FROM events e
    WHERE (e.transaction_id, e.global_position) > (${checkpoint.last_transaction_id}::xid8, ${checkpoint.last_position}::bigint)
      AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.transaction_id, e.global_position
    LIMIT ${options.batchSize ?? 2000}`.execute(trx);
  const batch = rows.map((row) => ({ streamId: row.stream_id, streamVersion: row.stream_version, position: row.position, transactionId: row.xid }));
  return {
    rows: batch,
    async advance() {
      const last = batch[batch.length - 1];
      if (!last) return;
      await trx
        .updateTable('projection_checkpoints')
        .set({
          last_transaction_id: last.transactionId,
          last_position: last.position,
          events_seen: sql`events_seen + ${batch.length}`,
          updated_at: new Date().toISOString(),
        })
        .where('name', '=', subscriber)
        .execute();
    },
  };
}
