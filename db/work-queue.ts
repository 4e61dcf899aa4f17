// An agency's work queue: the steps it has in hand and the centre's next acts on its dossiers,
// soonest due first, undated ones last.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, WorkQueueTable } from './schema.js';

export type WorkQueueRow = Selectable<WorkQueueTable>;

/** An item's place in the queue: its due time ('infinity' when it has none), dossier and item. */
export interface QueuePosition {
  readonly due: string;
  readonly dossierCode: string;
  readonly item: string;
}

export interface WorkQueueQuery {
  readonly agencyCode: string;
  readonly overdue?: boolean;
  readonly kind?: string;
  readonly limit: number;
  /** The instant `overdue` is judged at for items whose due time passes with no event: now by default. */
  readonly now?: Date;
  /** The last item of the previous page. */
  readonly after?: QueuePosition;
}

export interface WorkQueuePage {
  readonly rows: readonly WorkQueueRow[];
  /** Where the next page starts, when there is one. */
  readonly next: QueuePosition | null;
}

/**
 * Item kinds whose due time passes with no event to mark it (no alert is raised for them), so the
 * row's `overdue`, written at the dossier's latest event, is judged again when the queue is read.
 */
const JUDGED_WHEN_READ = ['explanation-due'];

/**
 * Item kinds written ahead of the moment they are owed, which no event marks: the apology owed
 * again once the new appointment a lateness apology promised passes without the result. The row's
 * `since` is that moment, and the queue lists it from that moment on.
 */
const SHOWN_FROM_SINCE = ['apology-due'];

/** Whether a queue row is listed at `now`, as the query below judges it (for the projection's tests). */
export function onQueueAt(row: { readonly kind: string; readonly since: string | Date }, now: Date): boolean {
  return !SHOWN_FROM_SINCE.includes(row.kind) || new Date(row.since) <= now;
}

export async function workQueuePage(db: Kysely<Database>, query: WorkQueueQuery): Promise<WorkQueuePage> {
  const now = query.now ?? new Date();
  const overdueNow = sql<boolean>`(overdue OR (kind IN (${sql.join(JUDGED_WHEN_READ)}) AND due_at < ${now}))`;
  let select = db
    .selectFrom('work_queue')
    .selectAll()
    .where('agency_code', '=', query.agencyCode)
    .where(sql<boolean>`(kind NOT IN (${sql.join(SHOWN_FROM_SINCE)}) OR since <= ${now})`);
  if (query.overdue !== undefined) select = select.where(overdueNow, '=', query.overdue);
  if (query.kind) select = select.where('kind', '=', query.kind);
  const dueKey = sql<Date>`coalesce(due_at, 'infinity'::timestamptz)`;
  if (query.after) select = select.where(sql<boolean>`(${dueKey}, dossier_code, item) > (${query.after.due}::timestamptz, ${query.after.dossierCode}, ${query.after.item})`);
  const fetched = await select.orderBy(dueKey).orderBy('dossier_code').orderBy('item').limit(query.limit + 1).execute();
  const rows = fetched.slice(0, query.limit).map((row) => (JUDGED_WHEN_READ.includes(row.kind) && row.due_at !== null && row.due_at < now ? { ...row, overdue: true } : row));
  const last = rows[rows.length - 1];
  return { rows, next: fetched.length > query.limit && last ? { due: last.due_at?.toISOString() ?? 'infinity', dossierCode: last.dossier_code, item: last.item } : null };
}
