// Dossiers whose workflow is running with an activity that keeps failing: an append the database
// refuses while it is down, a document that cannot be signed. Temporal retries such an activity
// patiently, and the dossier takes no command meanwhile, so an operator must see it. Read from
// Temporal's visibility (running dossier workflows) and each one's description (its pending
// activities, their attempt and last failure).
import type { Client } from '@temporalio/client';

export interface StuckActivity {
  readonly dossierCode: string;
  readonly workflowId: string;
  readonly activityType: string;
  readonly attempt: number;
  /** The last failure's message, as the activity threw it (it names no personal data). */
  readonly lastFailure: string | null;
  readonly lastFailedAt: string | null;
}

/** The attempt from which an activity counts as failing: two quick retries are ordinary. */
export const STUCK_FROM_ATTEMPT = 3;

const DOSSIER_WORKFLOWS = "WorkflowType = 'dossierWorkflow' AND ExecutionStatus = 'Running'";

/** Every pending activity of a running dossier workflow at `minAttempt` or beyond. */
export async function findStuckDossiers(client: Client, { minAttempt = STUCK_FROM_ATTEMPT }: { readonly minAttempt?: number } = {}): Promise<StuckActivity[]> {
  const stuck: StuckActivity[] = [];
  for await (const execution of client.workflow.list({ query: DOSSIER_WORKFLOWS })) {
    const description = await client.workflow.getHandle(execution.workflowId, execution.runId).describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      const attempt = activity.attempt ?? 0;
      if (attempt < minAttempt) continue;
      const seconds = activity.lastAttemptCompleteTime?.seconds;
      stuck.push({
        dossierCode: execution.workflowId.replace(/^dossier-/, ''),
        workflowId: execution.workflowId,
        activityType: activity.activityType?.name ?? 'unknown',
        attempt,
        lastFailure: activity.lastFailure?.message ?? null,
        lastFailedAt: seconds === undefined || seconds === null ? null : new Date(Number(seconds) * 1000).toISOString(),
      });
    }
  }
  return stuck.sort((a, b) => b.attempt - a.attempt);
}
