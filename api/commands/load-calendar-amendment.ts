// The one path of a calendar amendment into the engine, for the API and the CLI alike: checked and
// stored once under its version (db/calendar-amendments.ts), then its roll-out to the open dossiers
// started (workflows/calendar-rollout.ts). The same content again stores nothing and makes sure the
// roll-out has run: a running one is left alone, a finished one runs again.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import type { CalendarAmendment } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { storeCalendarAmendment } from '../../db/calendar-amendments.js';
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
  const rollout = calendarRolloutWorkflowId(calendarId, version);
  try {
    await deps.temporal.workflow.start(calendarRolloutWorkflow, {
      workflowId: rollout,
      taskQueue: deps.taskQueue,
      args: [{ calendarId, version, ...(deps.rolloutSettleMs !== undefined ? { settleMs: deps.rolloutSettleMs } : {}) }],
    });
  } catch (error) {
    // Still running: it will reach every dossier.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { kind: outcome.kind, calendarId, version, rollout };
}
