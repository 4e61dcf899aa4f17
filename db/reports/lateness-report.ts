// Late dossiers of a period, per responsible agency: which got their apology for lateness and
// their accountability explanation, as of an instant (docs/reports.md#late-dossiers-apologies-and-explanations).
// A dossier counts in the period in which it went past the appointment in force (overdue_at), under
// the agency that held it then, as known at `end` (the period's end, or asOf when earlier). Its
// apology and explanation are judged as of `asOf`, whenever they came: the report is how the heads
// check that each late dossier of the period got both, so one explained after the period ends
// shows as explained. A report as of a past instant leaves out what came after it, so it stands.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export interface LatenessReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  /** The unit and every unit below it (agencies.parent_code); every agency when absent. */
  readonly agencyCode?: string;
}

export interface LateDossier {
  readonly dossierCode: string;
  readonly overdueAt: string;
  readonly latenessApologyAt: string | null;
  readonly latenessExplainedAt: string | null;
  readonly explanationDueAt: string | null;
}

export interface LatenessCounts {
  /** Dossiers that went overdue in the period. */
  late: number;
  apologised: number;
  notApologised: number;
  explained: number;
  /** Explained after the explanation was due. */
  explainedLate: number;
  notExplained: number;
  /** Not explained at asOf, and the explanation was past due then. */
  explanationOverdue: number;
}

export interface LatenessGroup extends Readonly<LatenessCounts> {
  readonly agencyCode: string;
  readonly dossiers: readonly LateDossier[];
}

export interface LatenessReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly end: string;
  readonly groups: readonly LatenessGroup[];
}

export async function latenessReport(db: Kysely<Database>, query: LatenessReportQuery): Promise<LatenessReport> {
  const end = new Date(Math.min(query.to.getTime(), query.asOf.getTime()));
  const units = query.agencyCode === undefined
    ? undefined
    : (await sql<{ code: string }>`
        WITH RECURSIVE units AS (
          SELECT ${query.agencyCode}::text AS code
          UNION
          SELECT agencies.code FROM agencies JOIN units ON agencies.parent_code = units.code
        )
        SELECT code FROM units`.execute(db)).rows.map((row) => row.code);
  let select = db
    .selectFrom('report_dossiers')
    .select(['dossier_code', 'responsible_agency_code', 'overdue_at', 'lateness_apology_at', 'lateness_explained_at', 'explanation_due_at'])
    .where('overdue_at', '>=', query.from)
    .where('overdue_at', '<', end)
    .where('responsible_agency_code', 'is not', null);
  if (units !== undefined) select = select.where('responsible_agency_code', 'in', units);
  const rows = await select.orderBy('responsible_agency_code').orderBy('overdue_at').orderBy('dossier_code').execute();

  // What was known at asOf: an apology or explanation recorded later is not there yet.
  const by = (instant: Date | null) => (instant !== null && instant <= query.asOf ? instant : null);
  const groups = new Map<string, { counts: LatenessCounts; dossiers: LateDossier[] }>();
  for (const row of rows) {
    const agencyCode = row.responsible_agency_code!;
    let group = groups.get(agencyCode);
    if (!group) {
      group = { counts: { late: 0, apologised: 0, notApologised: 0, explained: 0, explainedLate: 0, notExplained: 0, explanationOverdue: 0 }, dossiers: [] };
      groups.set(agencyCode, group);
    }
    const apologisedAt = by(row.lateness_apology_at);
    const explainedAt = by(row.lateness_explained_at);
    const due = row.explanation_due_at;
    const { counts } = group;
    counts.late += 1;
    counts[apologisedAt ? 'apologised' : 'notApologised'] += 1;
    counts[explainedAt ? 'explained' : 'notExplained'] += 1;
    if (explainedAt && due && explainedAt > due) counts.explainedLate += 1;
    if (!explainedAt && due && due < query.asOf) counts.explanationOverdue += 1;
    group.dossiers.push({
      dossierCode: row.dossier_code,
      overdueAt: row.overdue_at!.toISOString(),
      latenessApologyAt: apologisedAt?.toISOString() ?? null,
      latenessExplainedAt: explainedAt?.toISOString() ?? null,
      explanationDueAt: due?.toISOString() ?? null,
    });
  }
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: query.asOf.toISOString(),
    end: end.toISOString(),
    groups: [...groups].map(([agencyCode, group]) => ({ agencyCode, ...group.counts, dossiers: group.dossiers })),
  };
}
