import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { TEST_APPLICANT_KEY, TEST_PAYLOAD_KEYS } from './engine.js';
import { testSigningEnvironment } from './test-pki.js';

const WORKER_ENTRY = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Ends it at once, as a crash or an OOM kill would: no draining, no goodbye. */
  kill(): Promise<void>;
  /** Graceful stop: in-flight tasks finish first. */
  stop(): Promise<void>;
}

/** `worker/main.ts` in a process of its own, as production runs it, on the suite's stack. */
export async function startWorkerProcess(taskQueue: string, temporalAddress: string = inject('temporalAddress'), databaseUrl: string = inject('databaseUrl')): Promise<WorkerProcess> {
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${output.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (chunk.toString().includes('worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} while starting:\n${output.join('\n')}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, output, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
