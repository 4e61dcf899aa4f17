// The audit's workflow check: fetch dossier and feedback workflows' histories from Temporal and
// replay them against the current workflow code. A failure means the code would no longer reproduce what it
// did, and a running dossier could get stuck on its next task.
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowsEntryPath } from './dossier-worker.js';

export interface ReplayFailure {
  readonly workflowId: string;
  readonly error: string;
}

export async function replayDossierHistories(
  client: Client,
  options: { readonly workflowBundlePath?: string; readonly query?: string; readonly limit?: number } = {},
): Promise<{ replayed: number; failures: ReplayFailure[] }> {
  const query = options.query ?? "WorkflowType = 'dossierWorkflow' OR WorkflowType = 'feedbackWorkflow'";
  const histories = (async function* () {
    let count = 0;
    for await (const execution of client.workflow.list({ query })) {
      if (options.limit !== undefined && count >= options.limit) return;
      count += 1;
      yield { workflowId: execution.workflowId, history: await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory() };
    }
  })();
  const failures: ReplayFailure[] = [];
  let replayed = 0;
  const source = options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: workflowsEntryPath() };
  // The client's own converter decrypts the payloads it fetched; older, unencrypted ones pass as they are.
  for await (const result of Worker.runReplayHistories({ ...source, dataConverter: client.options.dataConverter, replayName: 'motcua-audit' }, histories)) {
    replayed += 1;
    if (result.error) failures.push({ workflowId: result.workflowId, error: result.error instanceof Error ? result.error.message : String(result.error) });
  }
  return { replayed, failures };
}
