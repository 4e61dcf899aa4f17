// The one path of a calendar amendment into the engine, for the API and the CLI alike: checked and
// stored once under its version (db/calendar-amendments.ts), then its roll-out to the open dossiers
// started (workflows/calendar-rollout.ts). The same content again stores nothing and makes sure the
// roll-out has run: a running one is left alone, a finished one runs again.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { civilDayFromIso, civilDayOfInstant, instantAt, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { compareCalendarVersions, type CalendarAmendment } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { acceptedBehindSince, finishedRollouts, storeCalendarAmendment, storedCalendarAmendments } from '../../db/calendar-amendments.js';
import type { Database } from '../../db/schema.js';
import { calendarRolloutWorkflow, calendarRolloutWorkflowId } from '../../workflows/calendar-rollout.js';

export interface CalendarAmendmentDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  /** The wait between the roll-out's passes; 10 minutes by default. */
  readonly rolloutSettleMs?: number;
}

export type LoadOutcome =
  /** `rollout` is null for a version built into the code: it reaches dossiers accepted after the release. */
  | { readonly kind: 'stored' | 'unchanged'; readonly calendarId: string; readonly version: string; readonly rollout: string | null }
  | { readonly kind: 'refused'; readonly problems: readonly string[] };

export async function loadCalendarAmendment(deps: CalendarAmendmentDeps, amendment: CalendarAmendment, loadedBy: string, now = new Date()): Promise<LoadOutcome> {
  const calendarId = VIETNAM_CIVIL_SERVICE_CALENDAR.id;
  const outcome = await storeCalendarAmendment(deps.db, VIETNAM_CIVIL_SERVICE_CALENDAR, amendment, loadedBy, isoOfCivilDay(civilDayOfInstant(now.getTime())));
  if (outcome.kind === 'refused') return outcome;
  const version = outcome.amendment.version;
  if (outcome.kind === 'unchanged' && outcome.builtIn) return { kind: 'unchanged', calendarId, version, rollout: null };
  const rollout = await startRollout(deps, calendarId, version);
  return { kind: outcome.kind, calendarId, version, rollout };
}

/** Starts a version's roll-out under its deterministic id, after `delayMs`; one still running is left alone. */
async function startRollout(deps: CalendarAmendmentDeps, calendarId: string, version: string, delayMs = 0): Promise<string> {
  const rollout = calendarRolloutWorkflowId(calendarId, version, deps.taskQueue);
  try {
    await deps.temporal.workflow.start(calendarRolloutWorkflow, {
      workflowId: rollout,
      taskQueue: deps.taskQueue,
      args: [{ calendarId, version, ...(deps.rolloutSettleMs !== undefined ? { settleMs: deps.rolloutSettleMs } : {}) }],
      ...(delayMs > 0 ? { startDelay: delayMs } : {}),
    });
  } catch (error) {
    // Still running: it will reach every dossier.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return rollout;
}

/** How long before a roll-out's recorded end an acceptance may have been decided and missed by its last pass. */
const FINISH_MARGIN_MS = 5 * 60_000;

/**
 * Starts the roll-out of every version whose roll-out has not finished: a version built into this
 * release reaches the dossiers accepted before the release, and a stored one whose roll-out never
 * started (Temporal was down when it was stored) gets it; a version that takes effect later is
 * rolled out from the day it does. And when a dossier was accepted behind the latest version after
 * that version's roll-out finished (its acceptance waited in Temporal longer than the settle time),
 * the latest roll-out runs again: it brings the dossier through every version it missed. The worker
 * runs this at start-up and then periodically. Returns the roll-outs started (or still running).
 */
export async function startPendingRollouts(deps: CalendarAmendmentDeps, now = new Date()): Promise<string[]> {
  const calendar = VIETNAM_CIVIL_SERVICE_CALENDAR;
  const finished = await finishedRollouts(deps.db, calendar.id);
  const stored = await storedCalendarAmendments(deps.db, calendar.id);
  const versions = new Map<string, string>();
  for (const amendment of [...calendar.amendments, ...stored]) versions.set(amendment.version, amendment.effectiveFrom);
  const started: string[] = [];
  for (const [version, effectiveFrom] of versions) {
    if (finished.has(version)) continue;
    const delayMs = instantAt(civilDayFromIso(effectiveFrom), 0) - now.getTime();
    started.push(await startRollout(deps, calendar.id, version, Math.max(0, delayMs)));
  }
  const today = isoOfCivilDay(civilDayOfInstant(now.getTime()));
  const latest = [...versions].filter(([, effectiveFrom]) => effectiveFrom <= today).map(([version]) => version).sort(compareCalendarVersions).at(-1);
  const latestFinished = latest === undefined ? undefined : finished.get(latest);
  // From a little before the end: an acceptance decided before the last pass read the summary and
  // committed after it carries an earlier instant than the end the roll-out recorded.
  if (latest !== undefined && latestFinished !== undefined && (await acceptedBehindSince(deps.db, latest, new Date(latestFinished.getTime() - FINISH_MARGIN_MS)))) {
    started.push(await startRollout(deps, calendar.id, latest));
  }
  return started;
}
