// The nightly reconciliation with the national portal (docs/integrations/national-portal.md#the-nightly-reconciliation: sync on
// every transition through an outbox, and reconcile nightly with TraCuuHoSo; issue 18). For the dossiers
// the portal heard of on a day, it asks the portal what it holds and compares it with what the
// engine last told it; a dossier where they differ gets a `resync` delivery, which its lane sends
// like any other (the adapter sends the dossier as it stood at that sequence, whole).
//
// - Which dossiers: those with a portal delivery delivered that day, or planned from an event
//   committed that day (the events the portal hears of: domain/portal-sync/sync-rule.ts), Vietnam
//   time. A dossier never delivered to the portal is not asked about: its lane has not spoken yet.
// - What the engine told it: the status of the dossier folded up to its last delivered portal
//   delivery's sequence (NATIONAL_PORTAL_STATUS, or the deployment's map through `statusOf`).
// - The resend: one `deliveries` row, trigger `resync`, at the dossier's latest portal sequence,
//   key deliveryKey('portal', code, sequence, 'resync', <day>): running the reconciliation of a day
//   twice plans nothing twice (ON CONFLICT DO NOTHING), and the lane orders it after the pending
//   rows of earlier sequences. The relay's dispatcher starts its lane as for any planned row.
// A portal that does not answer for a dossier is counted (`failed`) and the others go on; nothing
// personal is logged or returned, only codes and status numbers.
import { type Kysely, sql } from 'kysely';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import { foldDossier, isReceived, NATIONAL_PORTAL_STATUS, newDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { readStream } from '../event-store.js';
import type { Database } from '../schema.js';

/** What the portal holds for a dossier (TraCuuHoSo): its status code, or null when it holds nothing. */
export type PortalLookUp = (dossierCode: string) => Promise<{ readonly status: number | null }>;

export interface ReconciliationOptions {
  /** The day to reconcile, `yyyy-mm-dd` in Vietnam time (the day before the run, usually). */
  readonly day: string;
  readonly lookUp: PortalLookUp;
  /** The portal status the sync sends for a state; NATIONAL_PORTAL_STATUS by default. */
  readonly statusOf?: (state: ReceivedDossier) => number;
  /** Look-ups in flight at once (4 by default): the portal is not to be flooded. */
  readonly concurrency?: number;
}

export interface Difference {
  readonly dossierCode: string;
  /** The sequence of the last delivered portal delivery, and the status it told. */
  readonly deliveredSequence: number;
  readonly engineStatus: number;
  readonly portalStatus: number | null;
  /** The resync delivery's key, and whether this run planned it (false: an earlier run of the day did). */
  readonly key: string;
  readonly resent: boolean;
}

export interface ReconciliationSummary {
  readonly day: string;
  /** Dossiers asked about. */
  readonly checked: number;
  readonly differing: number;
  /** Resync deliveries planned by this run. */
  readonly resent: number;
  /** Dossiers the portal did not answer for (the look-up threw). */
  readonly failed: number;
  readonly differences: readonly Difference[];
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** [start, end) of a Vietnam civil day (UTC+7, no daylight saving). */
export function vietnamDayBounds(day: string): { readonly start: Date; readonly end: Date } {
  if (!DAY.test(day)) throw new RangeError(`not a day (yyyy-mm-dd): ${day}`);
  const start = new Date(`${day}T00:00:00+07:00`);
  if (new Date(start.getTime() + 7 * 3_600_000).toISOString().slice(0, 10) !== day) throw new RangeError(`not a calendar day: ${day}`);
  return { start, end: new Date(start.getTime() + 24 * 3_600_000) };
}

/** The day before `now`, in Vietnam time: what a run just after midnight reconciles. */
export function previousVietnamDay(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000 - 24 * 3_600_000).toISOString().slice(0, 10);
}

/** The dossiers the portal heard of that day, with their last delivered and latest portal sequences. */
export async function dossiersToReconcile(db: Kysely<Database>, day: string): Promise<{ dossierCode: string; deliveredSequence: number; latestSequence: number }[]> {
  const { start, end } = vietnamDayBounds(day);
  const { rows } = await sql<{ dossier_code: string; delivered_sequence: number; latest_sequence: number }>`
    WITH touched AS (
      SELECT dossier_code FROM deliveries
       WHERE receiver = 'portal' AND state = 'delivered' AND delivered_at >= ${start} AND delivered_at < ${end}
      UNION
      SELECT dossier_code FROM deliveries
       WHERE receiver = 'portal' AND event_committed_at >= ${start} AND event_committed_at < ${end}
    )
    SELECT t.dossier_code,
           (SELECT max(d.sequence) FROM deliveries d WHERE d.receiver = 'portal' AND d.dossier_code = t.dossier_code AND d.state = 'delivered') AS delivered_sequence,
           (SELECT max(d.sequence) FROM deliveries d WHERE d.receiver = 'portal' AND d.dossier_code = t.dossier_code) AS latest_sequence
      FROM touched t
     ORDER BY t.dossier_code`.execute(db);
  return rows
    .filter((row) => row.delivered_sequence !== null)
    .map((row) => ({ dossierCode: row.dossier_code, deliveredSequence: Number(row.delivered_sequence), latestSequence: Number(row.latest_sequence) }));
}

/** The portal status the engine told with the delivery at `sequence`: the fold of the events up to it. */
export async function statusTold(db: Kysely<Database>, dossierCode: string, sequence: number, statusOf: (state: ReceivedDossier) => number = (state) => NATIONAL_PORTAL_STATUS[state.status]): Promise<number | null> {
  const events = await readStream(db, dossierCode, { afterVersion: 0, limit: sequence });
  const state = foldDossier(newDossier(dossierCode), events.map(asDossierEvent));
  return isReceived(state) ? statusOf(state) : null;
}

/** Plans the resync delivery of a dossier at its latest portal sequence; true when this call inserted it. */
export async function planResync(db: Kysely<Database>, dossierCode: string, latestSequence: number, day: string): Promise<{ key: string; inserted: boolean }> {
  const key = deliveryKey('portal', dossierCode, latestSequence, 'resync', day);
  const { rows } = await sql<{ key: string }>`
    INSERT INTO deliveries (key, receiver, dossier_code, sequence, event_type, trigger, global_position, event_committed_at)
    SELECT ${key}, 'portal', dossier_code, sequence, event_type, 'resync', global_position, event_committed_at
      FROM deliveries
     WHERE receiver = 'portal' AND dossier_code = ${dossierCode} AND sequence = ${latestSequence}
     ORDER BY (trigger = 'status') DESC
     LIMIT 1
    ON CONFLICT DO NOTHING
    RETURNING key`.execute(db);
  return { key, inserted: rows.length > 0 };
}

/**
 * Reconciles one day: asks the portal about each dossier it heard of that day and plans a resync
 * for each that differs. Run it once a night for the day before (`previousVietnamDay()`); the
 * worker's schedule is worker/portal-reconciliation.ts.
 */
export async function reconcilePortalDay(db: Kysely<Database>, options: ReconciliationOptions): Promise<ReconciliationSummary> {
  const candidates = await dossiersToReconcile(db, options.day);
  const differences: Difference[] = [];
  let checked = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const candidate = candidates[next++]!;
      const engineStatus = await statusTold(db, candidate.dossierCode, candidate.deliveredSequence, options.statusOf);
      if (engineStatus === null) continue;
      let portalStatus: number | null;
      try {
        portalStatus = (await options.lookUp(candidate.dossierCode)).status;
      } catch {
        failed += 1;
        continue;
      }
      checked += 1;
      if (portalStatus === engineStatus) continue;
      const planned = await planResync(db, candidate.dossierCode, candidate.latestSequence, options.day);
      differences.push({ dossierCode: candidate.dossierCode, deliveredSequence: candidate.deliveredSequence, engineStatus, portalStatus, key: planned.key, resent: planned.inserted });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  differences.sort((a, b) => a.dossierCode.localeCompare(b.dossierCode));
  return { day: options.day, checked, differing: differences.length, resent: differences.filter((difference) => difference.resent).length, failed, differences };
}
