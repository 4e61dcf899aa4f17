// An operator's way back for a dossier whose workflow run ended before its lifecycle did (terminated
// by hand, say). Only a reception starts a dossier's run, so such a dossier would take no more
// commands; this starts a run that folds the dossier's log first (docs/lifecycle.md).
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { workflowShouldRun } from '../db/dossier-log-facts.js';
import type { Database } from '../db/schema.js';
import { dossierStateQuery, dossierWorkflow, dossierWorkflowId } from '../workflows/dossier.js';
import { dossierSearchAttributes } from '../workflows/search-attributes.js';

/** Why a dossier was not resumed; the message says what to do. */
export class CannotResume extends Error {
  override readonly name = 'CannotResume';
}

export type Resumed = { readonly outcome: 'running' } | { readonly outcome: 'resumed'; readonly streamVersion: number };

/**
 * Starts the dossier's workflow from its log, unless a run is going, and waits (up to `waitMs`) for
 * the run to have folded the whole log, which needs a worker.
 */
export async function resumeDossier(temporal: Client, db: Kysely<Database>, taskQueue: string, dossierCode: string, waitMs = 60_000): Promise<Resumed> {
  const summary = await db.selectFrom('dossier_summary').select(['agency_code', 'procedure_code', 'status', 'stream_version', 'closed_at']).where('dossier_code', '=', dossierCode).executeTakeFirst();
  if (!summary) throw new CannotResume(`No dossier ${dossierCode} in this database: check the code (every received dossier is there).`);
  const workflowId = dossierWorkflowId(dossierCode);
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    if ((await handle.describe()).status.name === 'RUNNING') return { outcome: 'running' };
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  if (!(await workflowShouldRun(db, dossierCode, summary.closed_at))) {
    throw new CannotResume(`Dossier ${dossierCode} is closed, and evaluated or past its evaluation window: its workflow has rightly ended, and nothing more can be recorded on it but a late dossier's apology for lateness or explanation, which start a run by themselves (docs/lifecycle.md).`);
  }
  try {
    await temporal.workflow.start(dossierWorkflow, {
      workflowId,
      taskQueue,
      args: [{ dossierCode, resumeFromLog: true }],
      typedSearchAttributes: dossierSearchAttributes({ agencyCode: summary.agency_code, procedureCode: summary.procedure_code, status: summary.status }),
    });
  } catch (error) {
    // Started in between, by another operator or a reception retried under its key.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'running' };
    throw error;
  }
  const streamVersion = await untilFolded(temporal, () => handle.query(dossierStateQuery), summary.stream_version, waitMs, `Dossier ${dossierCode}'s workflow`, taskQueue);
  return { outcome: 'resumed', streamVersion };
}

/**
 * Waits (up to `waitMs`) until a run started from a log answers `query` with the log's version, and
 * answers the version it reached; a CannotResume naming `what` when it does not in time.
 */
export async function untilFolded(temporal: Client, query: () => Promise<{ readonly streamVersion: number }>, logVersion: number, waitMs: number, what: string, taskQueue: string): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const seen = await temporal
      .withDeadline(Date.now() + 5_000, query)
      .then((answer) => answer.streamVersion)
      .catch(() => 0);
    if (seen >= logVersion) return seen;
    if (Date.now() > deadline) {
      throw new CannotResume(`${what} was started but has not folded its log (version ${logVersion}) within ${Math.round(waitMs / 1000)} s: check that a worker runs on task queue ${taskQueue}, and the workflow's errors in the Temporal UI.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
