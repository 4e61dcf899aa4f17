// The lifecycle's floor: what the Temporal server and a worker that does nothing cost for a
// workflow shaped like a real lifecycle. The shape is counted from the history of a lifecycle run
// in the same benchmark (never written down here), so a change to the workflow moves its floor too.
import { fileURLToPath } from 'node:url';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { dossierWorkflowId } from '../workflows/dossier/messages.js';
import { type LatencyFigure, load } from './engine-load.js';
import { type FloorStep, floorStepUpdate, trivialActivities } from './trivial-workflow.js';

/** What a lifecycle's workflow did, from its history. */
export interface LifecycleShape {
  readonly historyEvents: number;
  readonly workflowTasks: number;
  /** Per update accepted, in order: the local activities (markers) and remote activities scheduled until the next update. */
  readonly steps: readonly FloorStep[];
  readonly updates: number;
  readonly localActivities: number;
  readonly remoteActivities: number;
  readonly timers: number;
  readonly childWorkflows: number;
}

/** Counts a workflow history's updates, activities, timers and children; activities before the first update go with it. */
export function shapeOf(history: temporal.api.history.v1.IHistory): LifecycleShape {
  const steps: { local: number; remote: number }[] = [];
  let workflowTasks = 0;
  let timers = 0;
  let childWorkflows = 0;
  let pending = { local: 0, remote: 0 };
  const current = () => steps.at(-1) ?? pending;
  for (const event of history.events ?? []) {
    if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      steps.push(steps.length === 0 ? pending : { local: 0, remote: 0 });
      pending = { local: 0, remote: 0 };
    } else if (event.activityTaskScheduledEventAttributes) current().remote++;
    else if (event.markerRecordedEventAttributes) current().local++;
    else if (event.workflowTaskCompletedEventAttributes) workflowTasks++;
    else if (event.timerStartedEventAttributes) timers++;
    else if (event.startChildWorkflowExecutionInitiatedEventAttributes) childWorkflows++;
  }
  const sum = (key: keyof FloorStep) => steps.reduce((total, step) => total + step[key], 0);
  return { historyEvents: history.events?.length ?? 0, workflowTasks, steps, updates: steps.length, localActivities: sum('local'), remoteActivities: sum('remote'), timers, childWorkflows };
}

/** The shape of a dossier's workflow, as its history stands. */
export async function lifecycleShape(client: Client, dossierCode: string): Promise<LifecycleShape> {
  return shapeOf(await client.workflow.getHandle(dossierWorkflowId(dossierCode)).fetchHistory());
}

let bundle: Promise<{ code: string }> | undefined;

/** A worker in this process for the floor and the one-activity baseline, on a target's Temporal server. */
export async function startBaselineWorker(address: string, namespace: string, taskQueue: string): Promise<{ stop(): Promise<void> }> {
  // Bundled once for every target, quietly.
  bundle ??= bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./trivial-workflow.ts', import.meta.url)), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, namespace, taskQueue, workflowBundle: await bundle, activities: trivialActivities });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

/**
 * `total` floor workflows, `concurrency` at a time, each driven as the API drives a dossier: the
 * first update with the start, the others one after the other, each awaited.
 */
export async function runFloor(client: Client, taskQueue: string, shape: LifecycleShape, concurrency: number, total: number, tag: string): Promise<LatencyFigure> {
  if (shape.updates === 0) throw new Error('the lifecycle history showed no update: nothing to build a floor from');
  return load(concurrency, total, async (index) => {
    const workflowId = `floor-${tag}-${index}-${process.pid}`;
    const [first, ...rest] = shape.steps;
    await client.workflow.executeUpdateWithStart(floorStepUpdate, {
      args: [first!],
      startWorkflowOperation: new WithStartWorkflowOperation('floorWorkflow', { workflowId, taskQueue, args: [{ updates: shape.updates }], workflowIdConflictPolicy: 'FAIL' }),
    });
    const handle = client.workflow.getHandle(workflowId);
    for (const step of rest) await handle.executeUpdate(floorStepUpdate, { args: [step] });
  });
}
