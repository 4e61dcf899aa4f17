import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AppendDossierEventsInput, AppendDossierEventsResult, DossierEventActivities } from '../../activities/dossier-events.js';
import { LOCAL_APPEND_PATCH } from './patches.js';

const { appendDossierEvents } = proxyActivities<DossierEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '15 seconds',
  },
});

// The append runs first as a local activity, in the worker that decided it: no trip through
// Temporal's matching, and the update completes in the workflow task that accepted it. A worker that
// dies after the commit leaves the log ahead of the run, which the catch-up answers (the next
// worker decides again, conflicts, and finds the command's outcome in the log). Its retries are few
// and short, because they keep the workflow task open; a database that stays down is left to the
// remote append's patient retries.
const { appendDossierEvents: appendInWorker } = proxyLocalActivities<DossierEventActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 3 },
});

/** Appends in the worker, then (the database still failing) through Temporal's retries. */
export async function appendEvents(request: AppendDossierEventsInput): Promise<AppendDossierEventsResult> {
  if (!patched(LOCAL_APPEND_PATCH)) return appendDossierEvents(request);
  try {
    return await appendInWorker(request);
  } catch (error) {
    if (logIsAhead(error)) throw error;
    // The same request: if a local try committed after all, the remote one finds it stored.
    return appendDossierEvents(request);
  }
}

/** The append found versions taken that this run thought free: the log is ahead of the run. */
export function logIsAhead(error: unknown): boolean {
  // A remote activity's failure arrives wrapped in an ActivityFailure; a local activity's, as the
  // activity threw it.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && (failure.type === 'StreamVersionConflict' || failure.type === 'EventContentConflict');
}
