import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createDossierEventActivities } from '../activities/dossier-events.js';
import type { Database } from '../db/schema.js';

export interface DossierWorkerDeps {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Kysely<Database>;
  /**
   * A workflow bundle made ahead of time (`bundleWorkflowCode`), which saves the seconds of bundling
   * at start-up; without one the worker bundles `workflows/` itself.
   */
  readonly workflowBundlePath?: string;
}

/** The worker that hosts every dossier workflow and runs their activities. */
export async function createDossierWorker(deps: DossierWorkerDeps): Promise<Worker> {
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = deps.workflowBundlePath
    ? { workflowBundle: { codePath: deps.workflowBundlePath } }
    : { workflowsPath: workflowsEntryPath() };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...workflowSource,
    activities: createDossierEventActivities({ db: deps.db }),
  });
}

/** workflows/index.ts when run from source (tsx), workflows/index.js when compiled. */
export function workflowsEntryPath(): string {
  for (const extension of ['ts', 'js']) {
    const candidate = fileURLToPath(new URL(`../workflows/index.${extension}`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('workflows/index.ts (or .js) not found next to worker/: the installation is incomplete');
}
