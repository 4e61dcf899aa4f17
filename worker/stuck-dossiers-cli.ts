// `npm run dossier:stuck [-- --min-attempt N] [--json]`: lists the dossiers and feedback items whose
// workflow has an activity failing again and again (worker/stuck-dossiers.ts) and, when DATABASE_URL
// is set, the feedback items whose workflow should be running and is not (worker/resume-feedback.ts);
// docs/operations.md says what to do about each. Needs TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE when
// not the default). Exits 1 when it finds any, so a monitor can run it.
import { Client, Connection } from '@temporalio/client';
import { createDatabase } from '../db/database.js';
import { readEnvironment } from '../platform/environment.js';
import { feedbackWithoutRun } from './resume-feedback.js';
import { findStuckDossiers, STUCK_FROM_ATTEMPT } from './stuck-dossiers.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const minIndex = args.indexOf('--min-attempt');
const minAttempt = minIndex === -1 ? STUCK_FROM_ATTEMPT : Number(args[minIndex + 1]);
const known = args.every((arg, index) => arg === '--json' || arg === '--min-attempt' || index === minIndex + 1);
if (!known || !Number.isInteger(minAttempt) || minAttempt < 1) {
  console.error('usage: npm run dossier:stuck -- [--min-attempt N] [--json]');
  process.exit(2);
}
const env = readEnvironment();
if (!env.TEMPORAL_ADDRESS) {
  console.error('Set TEMPORAL_ADDRESS to the engine\'s Temporal (npm start prints it).');
  process.exit(2);
}
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
// Only with the database can open feedback items be told from ended ones (no migrations: an operator's tool).
const db = env.DATABASE_URL ? createDatabase({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-operator' }) : undefined;
try {
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const stuck = await findStuckDossiers(client, { minAttempt });
  const withoutRun = db ? await feedbackWithoutRun(client, db) : [];
  if (json) console.log(JSON.stringify(db ? { stuck, feedbackWithoutRun: withoutRun } : stuck, null, 2));
  else {
    if (stuck.length === 0) console.log(`No dossier or feedback item has an activity at attempt ${minAttempt} or beyond.`);
    else {
      for (const entry of stuck) {
        console.log(`${entry.dossierCode}  ${entry.activityType}  attempt ${entry.attempt}  last failed ${entry.lastFailedAt ?? '?'}: ${entry.lastFailure ?? '(no failure recorded)'}`);
      }
      console.log(`${stuck.length} stuck activit${stuck.length === 1 ? 'y' : 'ies'}; see docs/operations.md, "A dossier whose activity keeps failing".`);
    }
    if (!db) console.log('(Set DATABASE_URL to check the open feedback items for a missing workflow too.)');
    else if (withoutRun.length === 0) console.log('Every open feedback item has its workflow running.');
    else {
      for (const feedbackId of withoutRun) console.log(`${feedbackId}  no running workflow`);
      console.log(`${withoutRun.length} feedback item(s) without a running workflow (no alerts until their next command): npm run feedback:resume -- --all-open; see docs/operations.md, "A feedback item whose workflow ended early".`);
    }
  }
  if (stuck.length > 0 || withoutRun.length > 0) process.exitCode = 1;
} finally {
  await connection.close();
  await db?.destroy();
}
