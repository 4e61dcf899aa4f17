// An operator's way back for feedback items (PAKN) whose workflow run ended before the item did
// (terminated by hand, lost with a Temporal database restored from an old backup). Commands still
// reach such an item (the sending path starts a run from its log), but between commands nothing
// runs: no alert is raised, no signed answer issued. This starts the run from the item's log, as
// worker/resume-dossier.ts does for a dossier (docs/operations.md#a-feedback-item-whose-workflow-ended-early).
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { feedbackIdsThatShouldRun, loadFeedback } from '../db/feedback/feedback-queries.js';
import type { Database } from '../db/schema.js';
import { feedbackShouldRun } from '../domain/feedback/feedback-state.js';
import { feedbackStateQuery, feedbackWorkflow, feedbackWorkflowId } from '../workflows/feedback.js';
import { CannotResume, untilFolded } from './resume-dossier.js';

export { CannotResume };

export type FeedbackResumed =
  /** A run is going: nothing done. */
  | { readonly feedbackId: string; readonly outcome: 'running' }
  /** Published, refused, sent outside, or answered privately with its document: its run rightly ended. */
  | { readonly feedbackId: string; readonly outcome: 'ended' }
  /** Started from the log; the run has folded it up to this version. */
  | { readonly feedbackId: string; readonly outcome: 'resumed'; readonly streamVersion: number };

async function isRunning(temporal: Client, feedbackId: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Starts the item's workflow from its log unless a run is going or the item is done with, and waits
 * (up to `waitMs`) for the run to have folded the whole log, which needs a worker. Idempotent: a
 * second call finds the run going.
 */
export async function resumeFeedback(temporal: Client, db: Kysely<Database>, taskQueue: string, feedbackId: string, waitMs = 60_000): Promise<FeedbackResumed> {
  const loaded = await loadFeedback(db, feedbackId);
  if (!loaded) throw new CannotResume(`No feedback item ${feedbackId} in this database: check the id (every received item is there).`);
  if (await isRunning(temporal, feedbackId)) return { feedbackId, outcome: 'running' };
  if (!feedbackShouldRun(loaded.state)) return { feedbackId, outcome: 'ended' };
  const handle = temporal.workflow.getHandle(feedbackWorkflowId(feedbackId));
  try {
    await temporal.workflow.start(feedbackWorkflow, { workflowId: feedbackWorkflowId(feedbackId), taskQueue, args: [{ feedbackId, resumeFromLog: true }] });
  } catch (error) {
    // Started in between: by a command to the item, or another operator.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { feedbackId, outcome: 'running' };
    throw error;
  }
  const streamVersion = await untilFolded(temporal, () => handle.query(feedbackStateQuery), loaded.streamVersion, waitMs, `Feedback item ${feedbackId}'s workflow`, taskQueue);
  return { feedbackId, outcome: 'resumed', streamVersion };
}

/** The items whose workflow should be running and is not (feedbackIdsThatShouldRun, each asked of Temporal). */
export async function feedbackWithoutRun(temporal: Client, db: Kysely<Database>): Promise<string[]> {
  const missing: string[] = [];
  for (const feedbackId of await feedbackIdsThatShouldRun(db)) {
    if (!(await isRunning(temporal, feedbackId))) missing.push(feedbackId);
  }
  return missing;
}

/** Every item whose workflow should be running, resumed where it is not; one failure does not stop the others. */
export async function resumeOpenFeedback(temporal: Client, db: Kysely<Database>, taskQueue: string, waitMs = 60_000): Promise<{ readonly results: readonly FeedbackResumed[]; readonly failed: readonly { readonly feedbackId: string; readonly reason: string }[] }> {
  const results: FeedbackResumed[] = [];
  const failed: { feedbackId: string; reason: string }[] = [];
  for (const feedbackId of await feedbackIdsThatShouldRun(db)) {
    try {
      results.push(await resumeFeedback(temporal, db, taskQueue, feedbackId, waitMs));
    } catch (error) {
      if (!(error instanceof CannotResume)) throw error;
      failed.push({ feedbackId, reason: error.message });
    }
  }
  return { results, failed };
}
