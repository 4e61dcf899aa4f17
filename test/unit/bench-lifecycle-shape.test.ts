import { describe, expect, it } from 'vitest';
import { composeWorkerNodeOptions } from '../../bench/engine-targets.js';
import { shapeOf } from '../../bench/lifecycle-floor.js';

// The engine benchmark's floor takes its shape from a real lifecycle's history (bench/lifecycle-floor.ts),
// and its worker's heap limit from docker-compose.yml (bench/engine-targets.ts).

describe("the lifecycle floor's shape", () => {
  it('counts updates, and the local and remote activities each one led to, in history order', () => {
    const shape = shapeOf({
      events: [
        { workflowExecutionStartedEventAttributes: {} },
        { workflowTaskCompletedEventAttributes: {} },
        { workflowExecutionUpdateAcceptedEventAttributes: {} },
        { markerRecordedEventAttributes: {} },
        { timerStartedEventAttributes: {} },
        { workflowExecutionUpdateAcceptedEventAttributes: {} },
        { markerRecordedEventAttributes: {} },
        { activityTaskScheduledEventAttributes: {} },
        { activityTaskScheduledEventAttributes: {} },
        { workflowTaskCompletedEventAttributes: {} },
      ],
    });
    expect(shape.steps).toEqual([
      { local: 1, remote: 0 },
      { local: 1, remote: 2 },
    ]);
    expect(shape).toMatchObject({ historyEvents: 10, workflowTasks: 2, updates: 2, localActivities: 2, remoteActivities: 2, timers: 1, childWorkflows: 0 });
  });

  it('gives activities scheduled before the first update to the first update', () => {
    const shape = shapeOf({ events: [{ activityTaskScheduledEventAttributes: {} }, { workflowExecutionUpdateAcceptedEventAttributes: {} }, { markerRecordedEventAttributes: {} }] });
    expect(shape.steps).toEqual([{ local: 1, remote: 1 }]);
  });

  it('has no step when the history has no update', () => {
    expect(shapeOf({ events: [{ activityTaskScheduledEventAttributes: {} }] }).updates).toBe(0);
  });
});

describe("the benchmark's worker heap limit", () => {
  it('is the one docker-compose.yml gives the worker', () => {
    expect(composeWorkerNodeOptions()).toMatch(/^--max-old-space-size=\d+$/);
  });
});
