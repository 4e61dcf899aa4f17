// Waits for the reporting projection to pass the events of some streams. Test files share one
// PostgreSQL and append at the same time, and their open transactions may briefly hold the
// projection back (it only reads below the oldest open transaction), so a single catch-up is not
// enough to be sure.
import { type Kysely, sql } from 'kysely';
import { catchUpReports, REPORT_PROJECTION } from '../../db/projections/report-projection.js';
import type { Database } from '../../db/schema.js';

export async function projectReportsPast(db: Kysely<Database>, codes: readonly string[], batchSize?: number): Promise<void> {
  const { rows: [last] } = await sql<{ xid: string; position: string }>`
    SELECT e.transaction_id::text AS xid, e.global_position::text AS position FROM events e WHERE e.stream_id IN (${sql.join(codes)})
    ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`.execute(db);
  if (!last) throw new Error(`no events for ${codes.join(', ')}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    await catchUpReports(db, batchSize === undefined ? {} : { batchSize });
    const { rows: [passed] } = await sql<{ passed: boolean }>`
      SELECT (last_transaction_id, last_position) >= (${last.xid}::xid8, ${last.position}::bigint) AS passed
      FROM projection_checkpoints WHERE name = ${REPORT_PROJECTION}`.execute(db);
    if (passed?.passed) return;
    if (Date.now() > deadline) throw new Error('the report projection did not catch up within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The projection's invariant: it has seen exactly the events at or below its checkpoint, each once.
 * (Skipping or repeating an event breaks it.)
 */
export async function projectedExactlyOnce(db: Kysely<Database>): Promise<{ seen: number; atOrBelowCheckpoint: number }> {
  const { rows: [row] } = await sql<{ seen: string; below: string }>`
    SELECT c.events_seen::text AS seen,
           (SELECT count(*) FROM events e WHERE (e.transaction_id, e.global_position) <= (c.last_transaction_id, c.last_position))::text AS below
    FROM projection_checkpoints c WHERE c.name = ${REPORT_PROJECTION}`.execute(db);
  return { seen: Number(row?.seen), atOrBelowCheckpoint: Number(row?.below) };
}
