// An operator's way back for a dossier whose workflow run ended before its lifecycle did (terminated
// by hand, say). Only a reception starts a dossier's run, so such a dossier would take no more
// commands; this starts a run that folds the dossier's log first (docs/lifecycle.md).
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dossierWorkflow, dossierWorkflowId } from '../workflows/dossier.js';
import { AGENCY_CODE, DOSSIER_STATUS, PROCEDURE_CODE } from '../workflows/search-attributes.js';

export class UnknownDossier extends Error {
  override readonly name = 'UnknownDossier';
  constructor(readonly dossierCode: string) {
    super(`No dossier ${dossierCode} in this database: check the code (the read model knows every received dossier).`);
  }
}

/** Starts the dossier's workflow from its log, unless a run is going: 'started' or 'running'. */
export async function resumeDossier(temporal: Client, db: Kysely<Database>, taskQueue: string, dossierCode: string): Promise<'started' | 'running'> {
  const summary = await db.selectFrom('dossier_summary').select(['agency_code', 'procedure_code', 'status']).where('dossier_code', '=', dossierCode).executeTakeFirst();
  if (!summary) throw new UnknownDossier(dossierCode);
  const workflowId = dossierWorkflowId(dossierCode);
  try {
    const described = await temporal.workflow.getHandle(workflowId).describe();
    if (described.status.name === 'RUNNING') return 'running';
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  try {
    await temporal.workflow.start(dossierWorkflow, {
      workflowId,
      taskQueue,
      args: [{ dossierCode, resumeFromLog: true }],
      typedSearchAttributes: [
        { key: AGENCY_CODE, value: summary.agency_code },
        { key: PROCEDURE_CODE, value: summary.procedure_code },
        { key: DOSSIER_STATUS, value: summary.status },
      ],
    });
  } catch (error) {
    // Started in between, by another operator or a reception retried under its key.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw error;
  }
  return 'started';
}
