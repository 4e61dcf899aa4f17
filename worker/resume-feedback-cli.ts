// `npm run feedback:resume -- <feedback id>` or `npm run feedback:resume -- --all-open`: starts the
// workflow of a feedback item (or of every item that should have one) whose run ended before the
// item did, from the item's log (worker/resume-feedback.ts), and says what it did for each. Needs
// DATABASE_URL, TEMPORAL_ADDRESS and MOTCUA_PAYLOAD_KEYS (and TEMPORAL_NAMESPACE,
// TEMPORAL_TASK_QUEUE when not the defaults). Exits 1 when an item could not be resumed.
import { FEEDBACK_ID_PATTERN } from '../domain/feedback/commands.js';
import { openOperatorSession } from './operator-session.js';
import { CannotResume, type FeedbackResumed, resumeFeedback, resumeOpenFeedback } from './resume-feedback.js';

const args = process.argv.slice(2);
const all = args.length === 1 && args[0] === '--all-open';
const one = args.length === 1 && FEEDBACK_ID_PATTERN.test(args[0]!) ? args[0]! : undefined;
if (!all && !one) {
  console.error('usage: npm run feedback:resume -- <feedback id>     (e.g. PAKN-000.01.01.H99-261203-0001)\n       npm run feedback:resume -- --all-open   (every item whose workflow should be running)');
  process.exit(2);
}
const { db, temporal: client, taskQueue, close } = await openOperatorSession();

const said = (result: FeedbackResumed): string =>
  result.outcome === 'resumed'
    ? `${result.feedbackId}: workflow resumed from the item's log, at version ${result.streamVersion}.`
    : result.outcome === 'running'
      ? `${result.feedbackId}: its workflow is running; nothing to do.`
      : `${result.feedbackId}: its handling has ended (published, refused, sent outside, or answered privately with its signed answer); nothing to do.`;

try {
  if (one) {
    console.log(said(await resumeFeedback(client, db, taskQueue, one)));
  } else {
    const { results, failed } = await resumeOpenFeedback(client, db, taskQueue);
    for (const result of results) console.log(said(result));
    for (const failure of failed) console.error(`${failure.feedbackId}: ${failure.reason}`);
    const count = (outcome: FeedbackResumed['outcome']) => results.filter((result) => result.outcome === outcome).length;
    console.log(`${results.length + failed.length} item(s) should have a running workflow: ${count('resumed')} resumed, ${count('running')} already running, ${count('ended')} ended meanwhile, ${failed.length} not resumed.`);
    if (failed.length > 0) process.exitCode = 1;
  }
} catch (error) {
  if (!(error instanceof CannotResume)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await close();
}
