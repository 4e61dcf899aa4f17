// The baselines of the engine benchmark, run on the same Temporal server as the engine:
// - a workflow that runs one activity: what the engine adds beyond it is the decider, the event
//   store and the API;
// - the lifecycle's floor: a workflow that takes as many updates and runs as many activities (local
//   and remote) as a real lifecycle's history shows (bench/lifecycle-floor.ts counts them), doing
//   nothing else. The lifecycle's throughput against it is what the engine's own work costs.
import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export const trivialActivities = {
  async touch(): Promise<number> {
    return 1;
  },
};

const { touch } = proxyActivities<typeof trivialActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<typeof trivialActivities>({ startToCloseTimeout: '10 seconds' });

export async function trivialWorkflow(): Promise<number> {
  return touch();
}

/** One of the floor's updates: the local activities it runs before it answers, the remote ones the workflow runs after. */
export interface FloorStep {
  readonly local: number;
  readonly remote: number;
}

export const floorStepUpdate = defineUpdate<number, [FloorStep]>('floorStep');

/** Takes `updates` updates, then ends once every remote activity they asked for has run. */
export async function floorWorkflow(plan: { readonly updates: number }): Promise<number> {
  let answered = 0;
  let pendingRemote = 0;
  let ran = 0;
  setHandler(floorStepUpdate, async (step) => {
    for (let i = 0; i < step.local; i++) ran += await local.touch();
    pendingRemote += step.remote;
    answered++;
    return answered;
  });
  for (;;) {
    await condition(() => pendingRemote > 0 || answered >= plan.updates);
    if (pendingRemote === 0) break;
    pendingRemote--;
    ran += await touch();
  }
  return ran;
}
