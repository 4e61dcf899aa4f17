// When the nightly reconciliation with the national portal runs (db/outbox/reconciliation.ts).
//
// Run it when: once a night, after midnight Vietnam time, for the day before (the default is
// 01:30, when the portal's own nightly jobs are done: TH reloads its catalogue at 01:00,
// docs/integrations/national-portal.md#the-nightly-reconciliation). `startPortalReconciliation` keeps a timer for it in a long-lived process
// (the relay's); `runPortalReconciliation` is the one run, for a CLI or a test. Several processes
// may hold the timer: each run first claims its day in `portal_reconciliations` (one row per day),
// so the portal is asked once per day; a claim left by a process that died is taken over after
// `staleClaimMs` (2 h). A process that was down at 01:30 catches up when it starts: the last
// `catchUpDays` days (2) that no one finished are run then.
//
// Logs counts only (and the dossier codes that differ, which are not personal data); a failed run
// is logged at error level and retried at the next tick.
import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { type PortalLookUp, previousVietnamDay, reconcilePortalDay, type ReconciliationSummary } from '../db/outbox/reconciliation.js';
import type { ReceivedDossier } from '../domain/dossier/state.js';
import type { Database } from '../db/schema.js';

export interface PortalReconciliationDeps {
  readonly db: Kysely<Database>;
  /** The portal's TraCuuHoSo, as the configured adapter asks it (integrations/portal/). */
  readonly lookUp: PortalLookUp;
  readonly logger: Logger;
  /** The deployment's status map, when it is not NATIONAL_PORTAL_STATUS. */
  readonly statusOf?: (state: ReceivedDossier) => number;
  /** Who claims the day (host and pid by default). */
  readonly claimant?: string;
  readonly concurrency?: number;
}

export interface PortalReconciliationSchedule {
  /** Vietnam wall-clock time of the nightly run, `HH:MM` (01:30 by default). */
  readonly at?: string;
  /** How many past days a starting process catches up on (2 by default). */
  readonly catchUpDays?: number;
  /** A claim older than this, never finished, is taken over (2 h by default). */
  readonly staleClaimMs?: number;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/**
 * Runs the reconciliation of `day` unless another process claimed it (and is not stale) or
 * finished it: null then. The summary is recorded on the day's row.
 */
export async function runPortalReconciliation(deps: PortalReconciliationDeps, day: string, options: { readonly staleClaimMs?: number; readonly now?: Date } = {}): Promise<ReconciliationSummary | null> {
  const claimant = deps.claimant ?? `${hostname()}:${process.pid}`;
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - (options.staleClaimMs ?? 2 * 3_600_000));
  const { rows } = await sql<{ day: string }>`
    INSERT INTO portal_reconciliations (day, claimed_by, claimed_at) VALUES (${day}::date, ${claimant}, ${now})
    ON CONFLICT (day) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at
      WHERE portal_reconciliations.finished_at IS NULL AND portal_reconciliations.claimed_at < ${staleBefore}
    RETURNING day::text`.execute(deps.db);
  if (rows.length === 0) return null;
  const log = deps.logger.child({ job: 'portal-reconciliation', day });
  log.info('portal reconciliation started');
  const summary = await reconcilePortalDay(deps.db, { day, lookUp: deps.lookUp, ...(deps.statusOf ? { statusOf: deps.statusOf } : {}), ...(deps.concurrency ? { concurrency: deps.concurrency } : {}) });
  // A day the portal did not fully answer stays unfinished and unclaimed: the next tick's catch-up
  // runs it again (what was already planned is not planned twice).
  await sql`
    UPDATE portal_reconciliations SET finished_at = CASE WHEN ${summary.failed} = 0 THEN now() END,
           claimed_at = CASE WHEN ${summary.failed} = 0 THEN claimed_at ELSE '-infinity'::timestamptz END, checked = ${summary.checked}, differing = ${summary.differing}, resent = ${summary.resent}, failed = ${summary.failed}
     WHERE day = ${day}::date AND claimed_by = ${claimant}`.execute(deps.db);
  const counts = { checked: summary.checked, differing: summary.differing, resent: summary.resent, failed: summary.failed };
  if (summary.differing > 0) log.warn({ ...counts, dossiers: summary.differences.map((difference) => difference.dossierCode).slice(0, 100) }, 'portal reconciliation found dossiers the portal holds otherwise; resync planned');
  else log.info(counts, 'portal reconciliation finished');
  if (summary.failed > 0) log.warn({ failed: summary.failed }, 'the portal did not answer for some dossiers; the day is run again at the next tick');
  return summary;
}

/** The next instant at Vietnam wall-clock `HH:MM` after `now`. */
export function nextRunAfter(now: Date, at: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!match) throw new RangeError(`not a time of day (HH:MM): ${at}`);
  const vietnamToday = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const today = new Date(`${vietnamToday}T${at}:00+07:00`);
  return today.getTime() > now.getTime() ? today : new Date(today.getTime() + 24 * 3_600_000);
}

/** Days before `now` (Vietnam time) to catch up on, oldest first: yesterday and the `count - 1` before it. */
function recentDays(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, index) => previousVietnamDay(new Date(now.getTime() - index * 24 * 3_600_000))).reverse();
}

/** Keeps the nightly timer in this process; `stop()` ends it (and waits for a run under way). */
export function startPortalReconciliation(deps: PortalReconciliationDeps, schedule: PortalReconciliationSchedule = {}): { stop(): Promise<void>; readonly running: () => Promise<void> } {
  const clock = schedule.now ?? (() => new Date());
  const at = schedule.at ?? '01:30';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const runDays = async (days: readonly string[]) => {
    for (const day of days) {
      if (stopped) return;
      try {
        await runPortalReconciliation(deps, day, { now: clock(), ...(schedule.staleClaimMs !== undefined ? { staleClaimMs: schedule.staleClaimMs } : {}) });
      } catch (error) {
        deps.logger.error({ err: error, job: 'portal-reconciliation', day }, 'portal reconciliation failed; it runs again at the next tick');
      }
    }
  };
  const arm = () => {
    if (stopped) return;
    const delay = Math.max(1000, nextRunAfter(clock(), at).getTime() - clock().getTime());
    // Timers longer than ~24.8 days overflow; a day is far below.
    timer = setTimeout(() => {
      current = runDays(recentDays(clock(), schedule.catchUpDays ?? 2)).finally(arm);
    }, delay);
    timer.unref?.();
  };
  current = runDays(recentDays(clock(), schedule.catchUpDays ?? 2)).finally(arm);
  return {
    running: () => current,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
