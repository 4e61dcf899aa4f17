// `npm run dossier:resume-all [-- --concurrency <n>] [-- --json]`: after Temporal's database was lost
// (or restored from an older backup), starts from the event log every dossier's and feedback item's
// run that should be going, hands the delivery lanes back to the relay and starts the calendar
// roll-outs again (worker/resume-all.ts), and reports what it did. Idempotent: a second run finds
// everything running. Needs DATABASE_URL, TEMPORAL_ADDRESS and MOTCUA_PAYLOAD_KEYS (and
// TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE when not the defaults); workers must run, to fold the logs,
// and the relay, to carry the deliveries. Exits 1 when anything could not be resumed.
import { openOperatorSession } from './operator-session.js';
import { resumeAll, type ResumeAllReport } from './resume-all.js';

const USAGE = 'usage: npm run dossier:resume-all [-- --concurrency <1..512>] [-- --json]';
const args = process.argv.slice(2);
let concurrency = 32;
let json = false;
for (let index = 0; index < args.length; index += 1) {
  const arg = args[index];
  if (arg === '--json') json = true;
  else if (arg === '--concurrency' && /^\d+$/.test(args[index + 1] ?? '') && Number(args[index + 1]) >= 1 && Number(args[index + 1]) <= 512) concurrency = Number(args[(index += 1)]);
  else {
    console.error(`${arg === '--concurrency' ? '--concurrency takes a whole number from 1 to 512' : `unknown argument ${arg}`}\n${USAGE}`);
    process.exit(2);
  }
}

const session = await openOperatorSession();
try {
  const report = await resumeAll(session.temporal, session.db, session.taskQueue, {
    concurrency,
    onProgress: (progress) => console.error(`${progress.phase === 'starting' ? 'started or found' : 'folded'} ${progress.done}, ${(progress.elapsedMs / 1000).toFixed(1)} s`),
  });
  if (json) console.log(JSON.stringify(report, null, 2));
  else console.log(describeReport(report));
  if (report.dossiers.failed.length + report.feedback.failed.length > 0) process.exitCode = 1;
} finally {
  await session.close();
}

function describeReport(report: ResumeAllReport): string {
  const lines = [
    `Resumed from the log in ${(report.durationMs / 1000).toFixed(1)} s (every run started after ${(report.startsMs / 1000).toFixed(1)} s):`,
    `  dossiers:       ${report.dossiers.resumed.length} resumed, ${report.dossiers.running} already running, ${report.dossiers.ended} rightly ended, ${report.dossiers.failed.length} failed`,
    `  feedback items: ${report.feedback.resumed.length} resumed, ${report.feedback.running} already running, ${report.feedback.ended} rightly ended, ${report.feedback.failed.length} failed`,
    `  delivery lanes: ${report.deliveries.lanesRedispatched} handed back to the relay (${report.deliveries.pendingDeliveries} pending deliveries), ${report.deliveries.lanesRunning} already running`,
    `  calendar roll-outs started or running: ${report.rollouts.length === 0 ? 'none' : report.rollouts.join(', ')}`,
  ];
  for (const failure of [...report.dossiers.failed, ...report.feedback.failed]) lines.push(`  FAILED ${failure.id}: ${failure.reason}`);
  return lines.join('\n');
}
