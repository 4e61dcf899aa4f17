// Waits for the reporting projection to pass the events of some streams. Test files share one
// PostgreSQL and append at the same time, and their open transactions may briefly hold the
// projection back (it only reads below the oldest open transaction), so a single catch-up is not
// enough to be sure.
import { type Kysely, sql } from 'kysely';
import { catchUpReports, REPORT_PROJECTION } from '../../db/projections/report-projection.js';
import type { Database } from '../../db/schema.js';

export async function projectReportsPast(db: Kysely<Database>, codes: readonly string[], batchSize?: number): Promise<void> {
  const { rows: [last] } = await sql<{ transaction_id: string; global_position: string }>`
    SELECT transaction_id::text, global_position::text FROM events WHERE stream_id IN (${sql.join(codes)})
    ORDER BY transaction_id DESC, global_position DESC LIMIT 1`.execute(db);
  if (!last) throw new Error(`no events for ${codes.join(', ')}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    await catchUpReports(db, batchSize === undefined ? {} : { batchSize });
    const { rows: [passed] } = await sql<{ passed: boolean }>`
      SELECT (last_transaction_id, last_position) >= (${last.transaction_id}::xid8, ${last.global_position}::bigint) AS passed
      FROM projection_checkpoints WHERE name = ${REPORT_PROJECTION}`.execute(db);
    if (passed?.passed) return;
    if (Date.now() > deadline) throw new Error('the report projection did not catch up within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
