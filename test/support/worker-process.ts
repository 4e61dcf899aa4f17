import { spawn } from 'node:child_process';
import { type ReadyChild, untilReady } from './ready-child.js';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { TEST_APPLICANT_KEY, TEST_PAYLOAD_KEYS } from './engine.js';
import { testSigningEnvironment } from './test-pki.js';

const WORKER_ENTRY = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export type WorkerProcess = ReadyChild;

/** `worker/main.ts` in a process of its own, as production runs it, on the suite's stack. */
export async function startWorkerProcess(taskQueue: string, temporalAddress: string = inject('temporalAddress'), databaseUrl: string = inject('databaseUrl'), env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      MOTCUA_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      LOG_LEVEL: 'info',
      MOTCUA_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      MOTCUA_APPLICANT_KEY: TEST_APPLICANT_KEY,
      ...testSigningEnvironment(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return untilReady(child, 'worker running', 'worker');
}
