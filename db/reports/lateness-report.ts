// Late dossiers of a period, per responsible agency: which got their apology for lateness and
// their accountability explanation, as of an instant (docs/reports.md#late-dossiers-apologies-and-explanations).
// A dossier counts in the period in which it went past the appointment in force (overdue_at), under
// the agency that held it then, as known at `end` (the period's end, or asOf when earlier). Its
// apology and explanation are judged as of `asOf`, whenever they came: the report is how the heads
// check that each late dossier of the period got both, so one explained after the period ends
// shows as explained. A report as of a past instant leaves out what came after it, so it stands.
// The counts are over every late dossier of the period; the dossiers themselves come a page at a
// time, in the order of (agency, overdue_at, dossier code), so no answer holds them all.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** The last dossier of a page: the next page starts after it. */
export interface LatenessPageKey {
  readonly agencyCode: string;
  readonly overdueAt: string;
  readonly dossierCode: string;
}

export interface LatenessReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  /** The unit and every unit below it (agencies.parent_code); every agency when absent. */
  readonly agencyCode?: string;
  /** How many dossiers the page lists, over all groups. */
  readonly limit: number;
  readonly after?: LatenessPageKey;
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
  /** This page's dossiers of the group; the others are on earlier or later pages. */
  readonly dossiers: readonly LateDossier[];
}

export interface LatenessReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly end: string;
  /** Every group with late dossiers in the period, with its exact counts. */
  readonly groups: readonly LatenessGroup[];
  /** Where the next page starts; absent on the last page. */
  readonly next?: LatenessPageKey;
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
  const lateInPeriod = () => {
    let select = db
      .selectFrom('report_dossiers')
      .where('overdue_at', '>=', query.from)
      .where('overdue_at', '<', end)
      .where('responsible_agency_code', 'is not', null);
    if (units !== undefined) select = select.where('responsible_agency_code', 'in', units);
    return select;
  };

  // What was known at asOf: an apology or explanation recorded later is not there yet.
  const asOf = query.asOf;
  const explainedByAsOf = sql`lateness_explained_at <= ${asOf}`;
  const countRows = await lateInPeriod()
    .select([
      'responsible_agency_code',
      sql<number>`count(*)::int`.as('late'),
      sql<number>`count(*) FILTER (WHERE lateness_apology_at <= ${asOf})::int`.as('apologised'),
      sql<number>`count(*) FILTER (WHERE ${explainedByAsOf})::int`.as('explained'),
      sql<number>`count(*) FILTER (WHERE ${explainedByAsOf} AND lateness_explained_at > explanation_due_at)::int`.as('explained_late'),
      sql<number>`count(*) FILTER (WHERE (lateness_explained_at IS NULL OR lateness_explained_at > ${asOf}) AND explanation_due_at < ${asOf})::int`.as('explanation_overdue'),
    ])
    .groupBy('responsible_agency_code')
    .orderBy('responsible_agency_code')
    .execute();

  let page = lateInPeriod().select(['dossier_code', 'responsible_agency_code', 'overdue_at', 'lateness_apology_at', 'lateness_explained_at', 'explanation_due_at']);
  if (query.after) {
    const { agencyCode, overdueAt, dossierCode } = query.after;
    page = page.where(sql<boolean>`(responsible_agency_code, overdue_at, dossier_code) > (${agencyCode}::text, ${overdueAt}::timestamptz, ${dossierCode}::text)`);
  }
  const rows = await page.orderBy('responsible_agency_code').orderBy('overdue_at').orderBy('dossier_code').limit(query.limit + 1).execute();
  const more = rows.length > query.limit;
  const listed = more ? rows.slice(0, query.limit) : rows;

  const by = (instant: Date | null) => (instant !== null && instant <= asOf ? instant : null);
  const dossiers = new Map<string, LateDossier[]>();
  for (const row of listed) {
    const agencyCode = row.responsible_agency_code!;
    const group = dossiers.get(agencyCode) ?? [];
    dossiers.set(agencyCode, group);
    group.push({
      dossierCode: row.dossier_code,
      overdueAt: row.overdue_at!.toISOString(),
      latenessApologyAt: by(row.lateness_apology_at)?.toISOString() ?? null,
      latenessExplainedAt: by(row.lateness_explained_at)?.toISOString() ?? null,
      explanationDueAt: row.explanation_due_at?.toISOString() ?? null,
    });
  }
  const last = listed.at(-1);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: asOf.toISOString(),
    end: end.toISOString(),
    groups: countRows.map((row) => ({
      agencyCode: row.responsible_agency_code!,
      late: row.late,
      apologised: row.apologised,
      notApologised: row.late - row.apologised,
      explained: row.explained,
      explainedLate: row.explained_late,
      notExplained: row.late - row.explained,
      explanationOverdue: row.explanation_overdue,
      dossiers: dossiers.get(row.responsible_agency_code!) ?? [],
    })),
    ...(more && last ? { next: { agencyCode: last.responsible_agency_code!, overdueAt: last.overdue_at!.toISOString(), dossierCode: last.dossier_code } } : {}),
  };
}
