// `npm run calendar:amend -- <amendment.json>`: checks a calendar amendment (the days, their kind,
// the source letter and its date, a version), stores it once and starts its roll-out to the open
// dossiers, as POST /calendars/vn-civil-service/amendments does. Needs DATABASE_URL,
// TEMPORAL_ADDRESS and MOTCUA_PAYLOAD_KEYS (and TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE when not the
// defaults). docs/deadlines.md#amendments-loaded-as-data-and-their-adoption has the format.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { createDatabase } from '../db/database.js';
import { calendarAmendmentSchema } from '../domain/calendar/calendar-schemas.js';
import { readEnvironment } from '../platform/environment.js';
import { operatorDataConverter } from '../platform/payload-codec.js';
import { loadCalendarAmendment } from './commands/load-calendar-amendment.js';

const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length > 0) {
  console.error('usage: npm run calendar:amend -- <amendment.json>');
  process.exit(2);
}
const env = readEnvironment();
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  console.error("Set DATABASE_URL and TEMPORAL_ADDRESS to the engine's PostgreSQL and Temporal (npm start prints them).");
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (error) {
  console.error(`${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
let json: unknown;
try {
  json = JSON.parse(text);
} catch (error) {
  console.error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const parsed = calendarAmendmentSchema.safeParse(json);
if (!parsed.success) {
  console.error(`${file} is not a calendar amendment: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  process.exit(1);
}
const dataConverter = operatorDataConverter(env, (message) => console.error(message));
// No migrations: an operator's tool from another checkout must not change the production schema.
const db = createDatabase({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-operator' });
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
try {
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
  const outcome = await loadCalendarAmendment({ db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE }, parsed.data, `cli:${userInfo().username}`);
  if (outcome.kind === 'refused') {
    console.error(`Not stored: ${outcome.problems.join('; ')}.`);
    process.exitCode = 1;
  } else {
    const rollout = outcome.rollout ? `roll-out ${outcome.rollout} running (progress: GET /calendars/vn-civil-service/amendments)` : 'built into this release, so there is nothing to roll out';
    console.log(`${outcome.calendarId}@${outcome.version}: ${outcome.kind === 'stored' ? 'stored' : 'already known, unchanged'}; ${rollout}.`);
  }
} finally {
  await connection.close();
  await db.destroy();
}
