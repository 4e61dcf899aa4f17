// Decision 766 indicators over a period, as of an instant, from the reporting projection.
//
// A period is [from, to); the report looks at it as it stood at `end` = min(to, asOf): facts count
// only if they became true before `end`, and open dossiers are judged by the interval that holds
// the instant just before `end`. Since neither depends on events after `end`, a past period's report
// gives the same figures however many events arrive later.
import { type Kysely, sql, type RawBuilder } from 'kysely';
import { indicatorsOf, type Indicator, type IndicatorCounts, type IndicatorId, type Target } from '../../domain/reporting/indicators.js';
import type { Database } from '../schema.js';

export const REPORT_DIMENSIONS = ['none', 'agency', 'procedure', 'field'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  /** The unit and every unit below it (agencies.parent_code), as receiving centre or competent agency. */
  readonly agencyCode?: string;
  readonly procedureCode?: string;
  readonly field?: string;
  readonly groupBy: ReportDimension;
}

export interface ReportGroup {
  /** The group's agency code, procedure code or field; null for the whole selection or an unknown field. */
  readonly key: string | null;
  readonly counts: IndicatorCounts;
  readonly indicators: readonly Indicator[];
}

export interface IndicatorReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  /** The instant the figures describe: the period's end, or asOf when that comes first. */
  readonly end: string;
  readonly groups: readonly ReportGroup[];
}

const DIMENSION_SQL: Readonly<Record<ReportDimension, string>> = {
  none: 'NULL::text',
  agency: 'coalesce(competent_agency_code, agency_code)',
  procedure: 'procedure_code',
  field: 'field',
};

function selection(query: ReportQuery, units: readonly string[] | undefined): RawBuilder<unknown> {
  const filters: RawBuilder<unknown>[] = [sql`true`];
  if (units !== undefined) filters.push(sql`(agency_code = ANY(${units}::text[]) OR competent_agency_code = ANY(${units}::text[]))`);
  if (query.procedureCode !== undefined) filters.push(sql`procedure_code = ${query.procedureCode}`);
  if (query.field !== undefined) {
    // The field is pinned with the procedure at acceptance; before that the catalogue says it.
    filters.push(sql`(field = ${query.field} OR (field IS NULL AND procedure_code IN (SELECT code FROM procedure_versions WHERE definition->>'field' = ${query.field})))`);
  }
  return sql.join(filters, sql` AND `);
}

/** The unit and every unit below it in the agency catalogue (the unit alone when it is not there). */
export async function unitsOf(db: Kysely<Database>, agencyCode: string): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    WITH RECURSIVE units AS (
      SELECT ${agencyCode}::text AS code
      UNION
      SELECT agencies.code FROM agencies JOIN units ON agencies.parent_code = units.code
    )
    SELECT code FROM units`.execute(db);
  return rows.map((row) => row.code);
}

export async function indicatorReport(db: Kysely<Database>, query: ReportQuery): Promise<IndicatorReport> {
  const end = new Date(Math.min(query.to.getTime(), query.asOf.getTime()));
  // The instant just before the end: a dossier resolved exactly at the end is resolved after the period.
  const judgedAt = new Date(end.getTime() - 1);
  const from = query.from;
  // Just before the period began: what was still open then was carried over into it.
  const carriedAt = new Date(from.getTime() - 1);
  const key = sql.raw(DIMENSION_SQL[query.groupBy]);
  const units = query.agencyCode === undefined ? undefined : await unitsOf(db, query.agencyCode);
  const where = selection(query, units);
  const inPeriod = (column: string) => sql`(${sql.ref(column)} >= ${from} AND ${sql.ref(column)} < ${end})`;
  const acceptedInPeriod = inPeriod('accepted_at');
  const resolvedInPeriod = inPeriod('resolved_at');
  const before = (column: string) => sql`${sql.ref(column)} < ${end}`;
  // Decision 766 (3.3, 4.2) counts a dossier whose procedure needs a written result only with its
  // e-result: every procedure's result is a document, so a result issued without its file fails it.
  const eResultWhereNeeded = sql`NOT coalesce(resolution = 'result' AND resolved_at < ${end} AND (e_result_at IS NULL OR e_result_at >= ${end}), false)`;

  // Only the dossiers registered, accepted or resolved in the period count here (the indexes find
  // them by those instants); those open across it come from the open intervals below.
  const facts = await sql<Record<string, string | null>>`
    SELECT ${key} AS key,
      count(*) FILTER (WHERE ${inPeriod('registered_at')}) AS registered,
      count(*) FILTER (WHERE ${inPeriod('refused_at_reception_at')}) AS refused_at_reception,
      count(*) FILTER (WHERE ${acceptedInPeriod}) AS accepted,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND channel = 'online') AS accepted_online,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND channel = 'counter') AS accepted_at_counter,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND channel = 'post') AS accepted_by_post,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND channel = 'online' AND ${eResultWhereNeeded}) AS accepted_online_766,
      count(*) FILTER (WHERE ${resolvedInPeriod}) AS resolved,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND resolution = 'result') AS resolved_with_result,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND resolution = 'refused') AS resolved_by_refusal,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND resolution = 'withdrawn') AS withdrawn,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND dossier_rule = 'early') AS resolved_early,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND dossier_rule = 'on-time') AS resolved_on_time,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND dossier_rule = 'late') AS resolved_late,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND decision766 = 'early') AS resolved_early_766,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND decision766 = 'on-time') AS resolved_on_time_766,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND decision766 = 'late') AS resolved_late_766,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND supplement_requests > 1) AS resolved_after_repeated_supplement,
      coalesce(sum(processing_days) FILTER (WHERE ${resolvedInPeriod} AND resolution = 'result'), 0) AS processing_days_sum,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND resolution = 'result' AND ${before('e_result_at')}) AS e_results,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND ${before('fee_bearing_from')}) AS fee_bearing,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND ${before('fee_bearing_from')} AND ${before('paid_online_at')}) AS paid_online,
      -- digitised = a component's file approved by the receiving official (or reused) before end (docs/reports.md#digitisation-and-reuse)
      count(*) FILTER (WHERE ${acceptedInPeriod} AND ${before('digitised_at')}) AS digitised,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND ${before('digitised_at')} AND ${eResultWhereNeeded}) AS digitised_766,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND ${before('reused_data_at')}) AS reused_data,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND rating = 'very-satisfied') AS very_satisfied,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND rating = 'satisfied') AS satisfied,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND rating = 'not-satisfied') AS not_satisfied,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND evaluation_source = 'online') AS evaluations_online,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND evaluation_source = 'paper-form') AS evaluations_on_paper_form,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND ${before('evaluated_at')} AND coalesce(evaluation_source, 'staff-recorded') = 'staff-recorded') AS evaluations_staff_recorded,
      -- synced = a portal delivery of the dossier delivered before end (Decision 766, items 1.4 and 3.3; docs/reports.md#synced-to-the-national-portal)
      -- a mirror was synced by the ministry's system that handles it, which pushed it here (docs/reports.md#mirrored-dossiers)
      count(*) FILTER (WHERE ${acceptedInPeriod} AND (${before('portal_synced_at')} OR mirrored_from IS NOT NULL)) AS accepted_synced,
      count(*) FILTER (WHERE ${acceptedInPeriod} AND mirrored_from IS NOT NULL) AS accepted_mirrored,
      count(*) FILTER (WHERE ${resolvedInPeriod} AND mirrored_from IS NOT NULL) AS resolved_mirrored
    FROM report_dossiers
    LEFT JOIN LATERAL (
      SELECT min(d.delivered_at) AS portal_synced_at FROM deliveries d
       WHERE d.dossier_code = report_dossiers.dossier_code AND d.receiver = 'portal' AND d.state = 'delivered'
    ) portal_sync ON true
    WHERE ${where} AND (${inPeriod('registered_at')} OR ${acceptedInPeriod} OR ${resolvedInPeriod})
    GROUP BY 1`.execute(db);

  const carried = await sql<Record<string, string | null>>`
    SELECT ${key} AS key, count(*) AS carried_over
    FROM report_open_intervals
    WHERE valid @> ${carriedAt}::timestamptz AND ${where}
    GROUP BY 1`.execute(db);

  const open = await sql<Record<string, string | null>>`
    SELECT ${key} AS key,
      count(*) FILTER (WHERE NOT paused AND (overdue_from IS NULL OR overdue_from > ${judgedAt})) AS in_progress_within_time,
      count(*) FILTER (WHERE NOT paused AND overdue_from <= ${judgedAt}) AS in_progress_overdue,
      count(*) FILTER (WHERE paused AND (overdue_from IS NULL OR overdue_from > ${judgedAt})) AS paused_within_time,
      count(*) FILTER (WHERE paused AND overdue_from <= ${judgedAt}) AS paused_overdue,
      count(*) FILTER (WHERE late766_from <= ${judgedAt}) AS open_late_766
    FROM report_open_intervals
    WHERE valid @> ${judgedAt}::timestamptz AND ${where}
    GROUP BY 1`.execute(db);

  const services = await onlineServices(db, query, units, { from, end, acceptedInPeriod, where });

  const keys = new Set([...facts.rows, ...carried.rows, ...open.rows, ...services.rows].map((row) => row.key ?? null));
  if (query.groupBy === 'none') keys.add(null);
  const targets = await targetsFor(db, query.agencyCode, query.from);
  const groups = [...keys]
    .sort((a, b) => (a ?? '').localeCompare(b ?? ''))
    .map((groupKey) => {
      const of = (rows: Record<string, string | null>[]) => rows.find((row) => (row.key ?? null) === groupKey);
      const counts = countsOf({ ...of(facts.rows), ...of(carried.rows), ...of(services.rows) }, of(open.rows));
      return { key: groupKey, counts, indicators: indicatorsOf(counts, targets) };
    });
  return { from: query.from.toISOString(), to: query.to.toISOString(), asOf: query.asOf.toISOString(), end: end.toISOString(), groups };
}

function countsOf(facts: Record<string, string | null> | undefined, open: Record<string, string | null> | undefined): IndicatorCounts {
  const n = (row: Record<string, string | null> | undefined, column: string) => Number(row?.[column] ?? 0);
  return {
    registered: n(facts, 'registered'),
    refusedAtReception: n(facts, 'refused_at_reception'),
    carriedOver: n(facts, 'carried_over'),
    accepted: n(facts, 'accepted'),
    acceptedOnline: n(facts, 'accepted_online'),
    acceptedAtCounter: n(facts, 'accepted_at_counter'),
    acceptedByPost: n(facts, 'accepted_by_post'),
    acceptedOnline766: n(facts, 'accepted_online_766'),
    resolved: n(facts, 'resolved'),
    resolvedWithResult: n(facts, 'resolved_with_result'),
    resolvedByRefusal: n(facts, 'resolved_by_refusal'),
    withdrawn: n(facts, 'withdrawn'),
    resolvedEarly: n(facts, 'resolved_early'),
    resolvedOnTime: n(facts, 'resolved_on_time'),
    resolvedLate: n(facts, 'resolved_late'),
    resolvedEarly766: n(facts, 'resolved_early_766'),
    resolvedOnTime766: n(facts, 'resolved_on_time_766'),
    resolvedLate766: n(facts, 'resolved_late_766'),
    resolvedAfterRepeatedSupplement: n(facts, 'resolved_after_repeated_supplement'),
    inProgressWithinTime: n(open, 'in_progress_within_time'),
    inProgressOverdue: n(open, 'in_progress_overdue'),
    pausedWithinTime: n(open, 'paused_within_time'),
    pausedOverdue: n(open, 'paused_overdue'),
    openLate766: n(open, 'open_late_766'),
    processingDaysSum: n(facts, 'processing_days_sum'),
    eResults: n(facts, 'e_results'),
    feeBearing: n(facts, 'fee_bearing'),
    paidOnline: n(facts, 'paid_online'),
    digitised: n(facts, 'digitised'),
    digitised766: n(facts, 'digitised_766'),
    reusedData: n(facts, 'reused_data'),
    verySatisfied: n(facts, 'very_satisfied'),
    satisfied: n(facts, 'satisfied'),
    notSatisfied: n(facts, 'not_satisfied'),
    evaluationsOnline: n(facts, 'evaluations_online'),
    evaluationsOnPaperForm: n(facts, 'evaluations_on_paper_form'),
    evaluationsStaffRecorded: n(facts, 'evaluations_staff_recorded'),
    onlineServices: n(facts, 'online_services'),
    onlineServicesUsed: n(facts, 'online_services_used'),
    acceptedSynced: n(facts, 'accepted_synced'),
    acceptedMirrored: n(facts, 'accepted_mirrored'),
    resolvedMirrored: n(facts, 'resolved_mirrored'),
  };
}

/** How a procedure of the catalogue is grouped: by its competent agency, its code or its field. */
const SERVICE_DIMENSION_SQL: Readonly<Record<ReportDimension, string>> = {
  none: 'NULL::text',
  agency: 'services.agency_code',
  procedure: 'services.code',
  field: "services.definition->>'field'",
};

/**
 * Decision 766, item 3.2: the online services (procedures offered fully or partly online) of the
 * selection in force at some time in the period, and how many of them received at least one dossier
 * submitted online and accepted in the period. A unit's services are those it is competent for.
 */
async function onlineServices(
  db: Kysely<Database>,
  query: ReportQuery,
  units: readonly string[] | undefined,
  period: { from: Date; end: Date; acceptedInPeriod: RawBuilder<unknown>; where: RawBuilder<unknown> },
) {
  const vietnamDay = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const firstDay = vietnamDay(period.from);
  const lastDay = vietnamDay(new Date(Math.max(period.from.getTime(), period.end.getTime() - 1)));
  const filters: RawBuilder<unknown>[] = [sql`services.definition->>'onlineLevel' IN ('full', 'partial')`];
  if (units !== undefined) filters.push(sql`services.agency_code = ANY(${units}::text[])`);
  if (query.procedureCode !== undefined) filters.push(sql`services.code = ${query.procedureCode}`);
  if (query.field !== undefined) filters.push(sql`services.definition->>'field' = ${query.field}`);
  // A procedure that names its competent body by role (docs/catalogue.md) is a service of every agency
  // the current directory gives that role at some time in the period: one service per such agency.
  return sql<Record<string, string | null>>`
    WITH versions AS (
      SELECT DISTINCT ON (code) code, definition
      FROM procedure_versions
      WHERE effective_from <= ${lastDay}::date AND (effective_until IS NULL OR effective_until >= ${firstDay}::date)
      ORDER BY code, effective_from DESC
    )
    , directory AS (SELECT definition FROM agency_directories ORDER BY seq DESC LIMIT 1)
    , services AS (
      SELECT code, definition, definition->>'competentAgencyCode' AS agency_code
      FROM versions WHERE definition->>'competentAgencyCode' IS NOT NULL
      UNION ALL
      SELECT DISTINCT versions.code, versions.definition, entry->>'agencyCode'
      FROM versions, directory, jsonb_array_elements(directory.definition->'entries') AS entry
      WHERE versions.definition->>'competentRole' IS NOT NULL
        AND entry->'roles' ? (versions.definition->>'competentRole')
        AND entry->>'validFrom' <= ${lastDay} AND coalesce(entry->>'validUntil', '9999-12-31') >= ${firstDay}
    )
    , used AS (
      SELECT DISTINCT procedure_code, competent_agency_code FROM report_dossiers
      WHERE channel = 'online' AND ${period.acceptedInPeriod} AND ${period.where}
    )
    SELECT ${sql.raw(SERVICE_DIMENSION_SQL[query.groupBy])} AS key,
      count(*) AS online_services,
      count(used.procedure_code) AS online_services_used
    FROM services LEFT JOIN used ON used.procedure_code = services.code AND used.competent_agency_code = services.agency_code
    WHERE ${sql.join(filters, sql` AND `)}
    GROUP BY 1`.execute(db);
}

/**
 * The targets that apply to a unit in the period's year (Vietnam time): its own, else those of the
 * nearest unit above it. Without a unit there is no local plan to compare with.
 */
async function targetsFor(db: Kysely<Database>, agencyCode: string | undefined, from: Date): Promise<Map<IndicatorId, Target>> {
  if (agencyCode === undefined) return new Map();
  const year = new Date(from.getTime() + 7 * 3_600_000).getUTCFullYear();
  const { rows } = await sql<{ indicator: IndicatorId; target: string; agency_code: string; source: string }>`
    WITH RECURSIVE chain AS (
      SELECT ${agencyCode}::text AS code, 0 AS depth
      UNION ALL
      SELECT agencies.parent_code, chain.depth + 1 FROM agencies JOIN chain ON agencies.code = chain.code
      WHERE agencies.parent_code IS NOT NULL AND chain.depth < 20
    )
    SELECT DISTINCT ON (t.indicator) t.indicator, t.target::text, t.agency_code, t.source
    FROM report_targets t JOIN chain ON chain.code = t.agency_code
    WHERE t.year = ${year}
    ORDER BY t.indicator, chain.depth`.execute(db);
  return new Map(rows.map((row) => [row.indicator, { target: Number(row.target), agencyCode: row.agency_code, source: row.source }]));
}
