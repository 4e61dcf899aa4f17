// `npm run dossier:stuck [-- --min-attempt N] [--json]`: lists the dossiers whose workflow has an
// activity failing again and again (worker/stuck-dossiers.ts); docs/operations.md says what to do
// about each. Needs TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE when not the default). Exits 1 when it
// finds any, so a monitor can run it.
import { Client, Connection } from '@temporalio/client';
import { readEnvironment } from '../platform/environment.js';
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
try {
  const stuck = await findStuckDossiers(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), { minAttempt });
  if (json) console.log(JSON.stringify(stuck, null, 2));
  else if (stuck.length === 0) console.log(`No dossier has an activity at attempt ${minAttempt} or beyond.`);
  else {
    for (const entry of stuck) {
      console.log(`${entry.dossierCode}  ${entry.activityType}  attempt ${entry.attempt}  last failed ${entry.lastFailedAt ?? '?'}: ${entry.lastFailure ?? '(no failure recorded)'}`);
    }
    console.log(`${stuck.length} stuck activit${stuck.length === 1 ? 'y' : 'ies'}; see docs/operations.md, "A dossier whose activity keeps failing".`);
  }
  if (stuck.length > 0) process.exitCode = 1;
} finally {
  await connection.close();
}
