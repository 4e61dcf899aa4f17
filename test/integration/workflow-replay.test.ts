// Replays the recorded history of every dossier path (test/fixtures/histories/, written by
// dossier-lifecycle.test.ts and log-ahead.test.ts with RECORD_FIXTURES=1; earlier generations of the
// workflow kept under v1- (before documents) and v2- (the append a remote activity))
// against the current workflow code. A change that
// would make a running dossier's workflow non-deterministic fails here, before it reaches CI's end.
import { readdirSync, readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { testPayloadCodec } from '../support/engine.js';

const dir = new URL('../fixtures/histories/', import.meta.url);
const fixtures = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();

// The fixtures are the SDK's own JSON form of a history (protobuf toJSON), read back with fromObject.
function history(file: string) {
  return temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
}

async function replay(file: string, events = history(file)) {
  // The suite's codec: fixtures recorded since payloads are encrypted decrypt with its key; older ones pass through.
  await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: { payloadCodecs: [testPayloadCodec()] }, replayName: file }, events, `replay-${file}`);
}

describe('recorded dossier histories replay against the current workflow code', () => {
  // Every generation of the workflow code that has run dossiers keeps its histories: v1 (before
  // documents) and the current one.
  it('has a fixture for every path, in every generation', () => {
    const paths = [
      'accepted-returned-evaluated.json',
      'apology-and-extension.json',
      'land-with-tax-payment.json',
      'overdue-alerts.json',
      'refused-after-appraisal.json',
      'refused-at-reception.json',
      'supplement-at-reception.json',
      'supplement-during-processing.json',
      'withdrawn.json',
    ];
    // Runs that caught up with a log ahead of them (test/integration/log-ahead.test.ts records them):
    // told by the read model's version, after their own append conflicted, and resumed by an operator.
    // An open dossier that adopted a calendar amendment (test/integration/calendar-amendment.test.ts).
    const current = [...paths, 'catch-up-with-log.json', 'catch-up-after-conflict.json', 'resumed-from-log.json', 'calendar-amendment-adopted.json'];
    // v1: before documents; v2: the append a remote activity; current: the append local.
    const v2 = [...paths, 'catch-up-with-log.json'].map((path) => `v2-${path}`);
    expect(fixtures).toEqual([...current, ...paths.map((path) => `v1-${path}`), ...v2].sort());
  });

  // The sandbox evaluates the workflow's modules for every dossier: zod's schemas cost each one
  // about 7 ms of worker CPU (docs/scaling.md). Schemas live in *-schemas.ts modules, which the
  // workflow's code may import as types only.
  it('keeps zod and the schema modules out of the workflow bundle', () => {
    const bundle = readFileSync(inject('workflowBundlePath'), 'utf8');
    expect(bundle).toContain('./workflows/dossier.ts');
    expect(bundle).not.toContain('node_modules/zod');
    expect(bundle).not.toMatch(/"\.\/domain\/[^"]*schemas?\.ts"/);
  });

  it.each(fixtures)('%s replays deterministically', async (file) => {
    await expect(replay(file)).resolves.toBeUndefined();
  });

  it('notices a history the code would not have made', async () => {
    // Rename the first activity the workflow scheduled: the code schedules another one.
    const tampered = history('supplement-at-reception.json');
    const scheduled = tampered.events!.find((event) => event.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'someOtherActivity' };
    await expect(replay('supplement-at-reception.json', tampered)).rejects.toThrow();
  });
});
