// The open dossiers now, as the read model holds them: by status, and how many of them are overdue (the
// dossier past its due date, or a step past its own: dossier_summary.overdue). Read at every
// scrape for the gauges motcua_dossiers_open{status} and motcua_dossiers_overdue{status} (platform/metrics.ts),
// from the partial index of open dossiers (migration 2026-12-08T10-00_open-dossiers-index). A
// mirror of a dossier handled on a ministry's system is not the engine's to process: left out.
import { type Kysely, sql } from 'kysely';
import type { OpenDossierCounts } from '../platform/metrics.js';
import type { Database } from './schema.js';

export async function countOpenDossiers(db: Kysely<Database>): Promise<OpenDossierCounts> {
  const rows = await db
    .selectFrom('dossier_summary')
    .select(['status', sql<string>`count(*)`.as('open'), sql<string>`count(*) FILTER (WHERE overdue)`.as('overdue')])
    .where('closed_at', 'is', null)
    .where('mirrored_from', 'is', null)
    .groupBy('status')
    .execute();
  const byStatus: Record<string, number> = {};
  const overdueByStatus: Record<string, number> = {};
  for (const row of rows) {
    byStatus[row.status] = Number(row.open);
    overdueByStatus[row.status] = Number(row.overdue);
  }
  return { byStatus, overdueByStatus };
}
