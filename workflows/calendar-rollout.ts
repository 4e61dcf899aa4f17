import { continueAsNew, defineQuery, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { CalendarRolloutActivities } from '../activities/calendar-rollout.js';

// Sends a stored calendar amendment to every open accepted dossier whose calendar is behind it
// (docs/deadlines.md#amendments-loaded-as-data-and-their-adoption, docs/decisions/0015): one
// workflow per amendment, started when it is stored. It pages through the dossiers in code order;
// each page is an activity that sends the command to each dossier with a deterministic update id,
// so a worker that dies mid-page repeats the page and no dossier adopts twice. Its history is the
// checkpoint, and the progress is in calendar_rollouts and in its `progress` query.
//
// A dossier accepted while the amendment was being stored may have pinned the calendar without it
// and committed after a pass read its page. So after a pass that found dossiers the workflow waits
// `settleMs` (longer than a command may wait for its dossier) and passes again; it ends after a
// pass that finds no dossier behind. The summary's calendar_version is the version a dossier
// follows, committed with its events, so a dossier that adopted drops out of the next pass.

export interface CalendarRolloutInput {
  readonly calendarId: string;
  readonly version: string;
  /** The wait before another pass (10 minutes by default). */
  readonly settleMs?: number;
  readonly pageSize?: number;
  /** What continue-as-new carries over. */
  readonly carried?: RolloutProgress;
}

export interface RolloutProgress {
  readonly pass: number;
  readonly afterCode: string;
  readonly foundInPass: number;
  readonly adopted: number;
  readonly already: number;
  readonly refused: readonly string[];
  readonly notRunning: readonly string[];
  readonly done: boolean;
}

export const calendarRolloutProgressQuery = defineQuery<RolloutProgress>('progress');

/**
 * One roll-out per version and task queue: a deployment has one queue, and engines that share a
 * Temporal (the test suite's) do not take over each other's roll-outs, which read their own database.
 */
export function calendarRolloutWorkflowId(calendarId: string, version: string, taskQueue: string): string {
  return `calendar-rollout-${calendarId}@${version}/${taskQueue}`;
}

// A page heartbeats after each dossier; a worker that dies mid-page is noticed within the heartbeat
// timeout and the page runs again elsewhere, under the same update ids.
const { adoptCalendarAmendmentPage, recordCalendarRollout } = proxyActivities<CalendarRolloutActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function calendarRolloutWorkflow(input: CalendarRolloutInput): Promise<RolloutProgress> {
  let progress: RolloutProgress = input.carried ?? { pass: 1, afterCode: '', foundInPass: 0, adopted: 0, already: 0, refused: [], notRunning: [], done: false };
  setHandler(calendarRolloutProgressQuery, () => progress);
  const record = () =>
    recordCalendarRollout({
      calendarId: input.calendarId,
      version: input.version,
      counts: { adopted: progress.adopted, already: progress.already, refused: progress.refused.length, notRunning: progress.notRunning.length },
      passes: progress.pass,
      lastDossierCode: progress.afterCode || null,
      done: progress.done,
    });
  for (;;) {
    const page = await adoptCalendarAmendmentPage({
      calendarId: input.calendarId,
      version: input.version,
      afterCode: progress.afterCode,
      limit: input.pageSize ?? 100,
      exclude: [...progress.refused, ...progress.notRunning],
    });
    progress = {
      ...progress,
      afterCode: page.lastCode ?? progress.afterCode,
      foundInPass: progress.foundInPass + page.sent,
      adopted: progress.adopted + page.adopted,
      already: progress.already + page.already,
      refused: [...progress.refused, ...page.refused],
      notRunning: [...progress.notRunning, ...page.notRunning],
    };
    if (page.lastCode === null) {
      if (progress.foundInPass === 0) {
        progress = { ...progress, done: true };
        await record();
        return progress;
      }
      await record();
      // Another pass after the settle wait, for dossiers accepted on the old calendar meanwhile.
      await sleep(input.settleMs ?? 10 * 60_000);
      progress = { ...progress, pass: progress.pass + 1, afterCode: '', foundInPass: 0 };
    } else {
      await record();
    }
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof calendarRolloutWorkflow>({ ...input, carried: progress });
  }
}
