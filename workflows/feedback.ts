import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { FeedbackEdgeActivities } from '../activities/feedback-edge-activities.js';
import { parseInstant } from '../domain/calendar/civil-day.js';
import { nextFeedbackAlert } from '../domain/feedback/feedback-clock.js';
import { isFinalFeedback, isReceivedFeedback } from '../domain/feedback/feedback-state.js';
import { FeedbackCommandHandler } from './feedback/feedback-handler.js';
import { feedbackCommandUpdate, feedbackStateQuery, type FeedbackWorkflowInput, feedbackWorkflowId, receiveFeedbackUpdate } from './feedback/messages.js';

export { feedbackCommandUpdate, feedbackStateQuery, feedbackWorkflowId, type FeedbackLifecycleCommand, type FeedbackWorkflowInput, receiveFeedbackUpdate } from './feedback/messages.js';

// The host of a feedback item's decider (docs/feedback.md#the-workflow; docs/decisions/0023-feedback-stream-kind.md):
// one workflow per item, the only writer of its event stream. It receives each command as an
// Update (feedback/feedback-handler.ts). Between commands it sleeps until the next alert of the four
// clocks, which it raises through the same rules as a command of the system. Beside it, its edges:
// once the item is answered the signed answer document is issued and recorded through the rules,
// and after each change the national PAKN system is told. It ends when the item is published,
// refused or sent outside, and both edges are done; it continues as new when its history grows long.

// The answer is rendered and signed once; its retries are Temporal's, patient: a signing service
// that is down delays publication, never loses the answer.
const { issueFeedbackAnswer } = proxyActivities<Pick<FeedbackEdgeActivities, 'issueFeedbackAnswer'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
// The national system may be away for hours: retried for as long as it takes, the latest version each time.
const { syncFeedbackToNational } = proxyActivities<Pick<FeedbackEdgeActivities, 'syncFeedbackToNational'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** How long a run started for a reception waits for it to be recorded before it ends as refused. */
const RECEPTION_WAIT = '5 seconds';

export async function feedbackWorkflow(input: FeedbackWorkflowInput): Promise<void> {
  const item = new FeedbackCommandHandler(input.feedbackId, input.carried);
  let syncedVersion = input.carried?.syncedVersion ?? 0;
  setHandler(receiveFeedbackUpdate, item.handle, { validator: item.validate });
  setHandler(feedbackCommandUpdate, item.handle, { validator: item.validate });
  setHandler(feedbackStateQuery, () => ({ state: item.state, streamVersion: item.streamVersion }));

  while (input.resumeFromLog && !input.carried) {
    try {
      await item.resumeFromLog();
      // What the log holds was told to the national system by the run that wrote it.
      syncedVersion = item.streamVersion;
      break;
    } catch (error) {
      log.error('resuming from the log failed; trying again in a minute', { feedbackId: input.feedbackId, error: String(error) });
      await sleep('1 minute');
    }
  }

  const needsDocument = () => isReceivedFeedback(item.state) && item.state.answer !== undefined && item.state.answerDocument === undefined;
  const needsSync = () => item.streamVersion > syncedVersion;
  let edgesBusy = false;
  // The edges run beside the clock's loop, so a national system that is down delays neither alerts nor commands.
  const edges = (async () => {
    for (;;) {
      await condition(() => needsDocument() || needsSync() || isFinalFeedback(item.state));
      if (!needsDocument() && !needsSync()) {
        if (isFinalFeedback(item.state)) return;
        continue;
      }
      edgesBusy = true;
      try {
        if (needsDocument()) {
          const answered = item.streamVersion;
          const issued = await issueFeedbackAnswer({ feedbackId: input.feedbackId, upToVersion: answered });
          await item
            .handle({
              type: 'RecordFeedbackAnswerDocument',
              commandId: `${feedbackWorkflowId(input.feedbackId)}/answer-document`,
              actor: { userId: 'feedback-documents', role: 'system', agencyCode: isReceivedFeedback(item.state) ? item.state.currentAgencyCode : 'system' },
              feedbackId: input.feedbackId,
              documentId: issued.documentId,
              file: issued.file,
              signer: issued.signer,
            })
            .catch(ignoreRefusal('DOCUMENT_ALREADY_RECORDED'));
        }
        if (needsSync()) {
          const upToVersion = item.streamVersion;
          await syncFeedbackToNational({ feedbackId: input.feedbackId, upToVersion });
          syncedVersion = Math.max(syncedVersion, upToVersion);
        }
      } finally {
        edgesBusy = false;
      }
    }
  })();

  // Started with a reception the rules refused (a sending time in the future, say): nothing to keep,
  // so the run ends once no handler is left (an accepted reception's append may still be under way).
  if (item.state.status === 'none' && !(await condition(() => item.state.status !== 'none', RECEPTION_WAIT))) {
    await condition(() => allHandlersFinished() && item.idle);
    if (item.state.status === 'none') return;
  }

  for (;;) {
    if (isFinalFeedback(item.state)) break;
    const seen = item.streamVersion;
    const now = Date.now();
    const alert = isReceivedFeedback(item.state) ? nextFeedbackAlert(item.state, new Date(now).toISOString()) : null;
    const changed = alert
      ? await condition(() => item.streamVersion !== seen || historyIsLong(input), Math.max(1, parseInstant(alert.at) - now))
      : await condition(() => item.streamVersion !== seen || historyIsLong(input));
    if (!changed && alert && isReceivedFeedback(item.state)) {
      await item
        .handle({
          type: 'MarkFeedbackDeadline',
          commandId: `${feedbackWorkflowId(input.feedbackId)}/alert/${item.streamVersion}`,
          actor: { userId: 'feedback-clock', role: 'system', agencyCode: item.state.currentAgencyCode },
          feedbackId: input.feedbackId,
          clock: alert.clock,
          alert: alert.alert,
        })
        .catch(ignoreRefusal('ALERT_NOT_DUE'));
    }
    if (historyIsLong(input)) {
      await condition(() => allHandlersFinished() && item.idle && !edgesBusy);
      await continueAsNew<typeof feedbackWorkflow>({ ...input, resumeFromLog: false, carried: item.carried(syncedVersion) });
    }
  }
  await edges;
  await condition(() => allHandlersFinished() && item.idle);
}

function historyIsLong(input: FeedbackWorkflowInput): boolean {
  const info = workflowInfo();
  return input.historyLimit !== undefined ? info.historyLength >= input.historyLimit : info.continueAsNewSuggested;
}

function ignoreRefusal(code: string) {
  return (error: unknown): void => {
    // Between choosing the step and taking it a command may have moved the item; the rules then
    // refuse it, and the loop looks again.
    if (error instanceof ApplicationFailure && error.type === code) return;
    throw error;
  };
}
