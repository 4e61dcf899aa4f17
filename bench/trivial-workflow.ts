// The baseline of the reception benchmark: a workflow that runs one activity, on the same Temporal
// server. What the engine adds beyond it is the decider, the event store and the API.
import { proxyActivities } from '@temporalio/workflow';

export const trivialActivities = {
  async touch(): Promise<number> {
    return 1;
  },
};

const { touch } = proxyActivities<typeof trivialActivities>({ startToCloseTimeout: '10 seconds' });

export async function trivialWorkflow(): Promise<number> {
  return touch();
}
