// Dossiers (and feedback items) whose workflow is running with an activity that keeps failing: an
// append the database refuses while it is down, a document that cannot be signed, the national PAKN
// system away. Temporal retries such an activity patiently, and the dossier takes no command
// meanwhile, so an operator must see it. Read from Temporal's visibility (running dossier and
// feedback workflows) and each one's description (its pending activities, their attempt and last failure).
import type { Client } from '@temporalio/client';

export interface StuckActivity {
  /** Whose workflow it is: a dossier's, or a feedback item's (then `dossierCode` holds the item's id). */
  readonly kind: 'dossier' | 'feedback';
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

const RUNNING_WORKFLOWS = "WorkflowType IN ('dossierWorkflow', 'feedbackWorkflow') AND ExecutionStatus = 'Running'";

/** Every pending activity of a running dossier or feedback workflow at `minAttempt` or beyond. */
export async function findStuckDossiers(client: Client, { minAttempt = STUCK_FROM_ATTEMPT }: { readonly minAttempt?: number } = {}): Promise<StuckActivity[]> {
  const stuck: StuckActivity[] = [];
  for await (const execution of client.workflow.list({ query: RUNNING_WORKFLOWS })) {
    const description = await client.workflow.getHandle(execution.workflowId, execution.runId).describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      const attempt = activity.attempt ?? 0;
      if (attempt < minAttempt) continue;
      const seconds = activity.lastAttemptCompleteTime?.seconds;
      const feedback = execution.type === 'feedbackWorkflow';
      stuck.push({
        kind: feedback ? 'feedback' : 'dossier',
        dossierCode: execution.workflowId.replace(feedback ? /^feedback-/ : /^dossier-/, ''),
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
