// A feedback item whose workflow run was terminated: nothing runs for it between commands, so its
// clocks raise no alert. The operator's resume (worker/resume-feedback.ts, `npm run feedback:resume`)
// starts its run from the item's log; the next alert then comes at its time. On the real feedback
// workflow and PostgreSQL, with a time-skipping Temporal test server of its own
// (test/support/time-skipping-engine.ts) moved to the instant the alert falls due.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackEdgeActivities } from '../../activities/feedback-edge-activities.js';
import { type FeedbackCommandDeps, receiveFeedback } from '../../api/commands/send-feedback-command.js';
import { loadFeedback, readFeedbackEvents } from '../../db/feedback/feedback-queries.js';
import { nextFeedbackAlert } from '../../domain/feedback/feedback-clock.js';
import { isReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { createLogger } from '../../platform/logger.js';
import { feedbackWorkflowId } from '../../workflows/feedback.js';
import { feedbackWithoutRun, resumeFeedback, resumeOpenFeedback } from '../../worker/resume-feedback.js';
import { registerCentre } from '../support/engine.js';
import { databaseOfItsOwn, startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const MINUTE = 60_000;

const edges: FeedbackEdgeActivities = {
  issueFeedbackAnswer: async () => {
    throw new Error('no answer is given in this test');
  },
  syncFeedbackToNational: async () => 'not-configured',
};

let engine: TimeSkippingEngine;
beforeAll(async () => {
  // A database of its own: resuming every open item must not reach other tests' items.
  engine = await startTimeSkippingEngine({ name: 'feedback-resume', databaseUrl: await databaseOfItsOwn(), feedbackEdges: edges });
});
afterAll(async () => {
  await engine?.close();
});

/** Waits until the item's run has no activity or workflow task outstanding. */
async function untilIdle(feedbackId: string): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    const { raw } = await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).describe();
    if ((raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${feedbackId}'s run did not become idle`);
}

describe('a feedback item whose workflow was terminated', () => {
  it('is found without a run, resumed from its log once (a second resume finds it running), and its next alert comes at its time', async () => {
    const unit = await registerCentre(engine.db, `8${randomBytes(1).toString('hex').toUpperCase()}.${String(randomBytes(1)[0]! % 100).padStart(2, '0')}.01.H99`);
    const deps: FeedbackCommandDeps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 30_000, log: createLogger({ level: 'warn' }) };
    const received = await receiveFeedback(deps, {
      request: { agencyCode: unit, channel: 'phone', submitter: { fullName: 'Đỗ Văn Hùng' }, title: 'Không được hướng dẫn', content: 'Cán bộ không hướng dẫn cách khai tờ khai.', attachments: [], sentAt: new Date(await engine.now()).toISOString() },
      actor: { userId: 'reception-1', role: 'reception', agencyCode: unit },
    });
    if (received.kind !== 'received') throw new Error(JSON.stringify(received));
    const { feedbackId } = received;
    const loaded = await loadFeedback(engine.db, feedbackId);
    if (!loaded || !isReceivedFeedback(loaded.state)) throw new Error('the item is not in the log');
    // The first alert the item's clocks owe: the refusal clock's due-soon.
    const alert = nextFeedbackAlert(loaded.state, new Date(await engine.now()).toISOString());
    expect(alert).toMatchObject({ clock: 'refuse', alert: 'due-soon' });

    // Terminated once idle (its push to the national system done): the test server skips no time
    // while a task it handed out is outstanding, and a terminated run's would stay so.
    await untilIdle(feedbackId);
    await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).terminate('lost, as an operator might lose it');
    expect(await feedbackWithoutRun(engine.temporal, engine.db)).toContain(feedbackId);

    expect(await resumeFeedback(engine.temporal, engine.db, engine.taskQueue, feedbackId)).toEqual({ feedbackId, outcome: 'resumed', streamVersion: loaded.streamVersion });
    // Idempotent: once running, nothing more is started, one by one or all at once.
    expect(await resumeFeedback(engine.temporal, engine.db, engine.taskQueue, feedbackId)).toEqual({ feedbackId, outcome: 'running' });
    const all = await resumeOpenFeedback(engine.temporal, engine.db, engine.taskQueue);
    expect(all.failed).toEqual([]);
    expect(all.results).toContainEqual({ feedbackId, outcome: 'running' });
    expect(await feedbackWithoutRun(engine.temporal, engine.db)).not.toContain(feedbackId);

    await untilIdle(feedbackId);
    await engine.skipTo(Date.parse(alert!.at) + MINUTE);
    let alerts: Awaited<ReturnType<typeof readFeedbackEvents>> = [];
    for (let tries = 0; tries < 100 && alerts.length === 0; tries += 1) {
      alerts = (await readFeedbackEvents(engine.db, feedbackId)).filter((event) => event.type === 'FeedbackDeadlineAlerted');
      if (alerts.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(alerts.map((event) => event.data)).toEqual([expect.objectContaining({ clock: 'refuse', alert: 'due-soon' })]);
    expect((await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).describe()).status.name).toBe('RUNNING');
  });

  it('refuses to resume an item it does not know', async () => {
    await expect(resumeFeedback(engine.temporal, engine.db, engine.taskQueue, 'PAKN-000.01.01.H99-261203-9999')).rejects.toThrow(/No feedback item PAKN-000.01.01.H99-261203-9999/);
  });
});
