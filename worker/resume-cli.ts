// `npm run dossier:resume -- <dossier code>`: starts the workflow of a dossier whose run ended before
// its lifecycle did, from the dossier's log (worker/resume-dossier.ts). Needs DATABASE_URL,
// TEMPORAL_ADDRESS and MOTCUA_PAYLOAD_KEYS (and TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE when not the defaults).
import { Client, Connection } from '@temporalio/client';
import { createDatabase } from '../db/database.js';
import { isDossierCode } from '../domain/dossier/dossier-code.js';
import { readEnvironment } from '../platform/environment.js';
import { operatorDataConverter } from '../platform/payload-codec.js';
import { CannotResume, resumeDossier } from './resume-dossier.js';

const [code, ...rest] = process.argv.slice(2);
if (!code || rest.length > 0 || !isDossierCode(code)) {
  console.error('usage: npm run dossier:resume -- <dossier code>');
  process.exit(2);
}
const env = readEnvironment();
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  console.error('Set DATABASE_URL and TEMPORAL_ADDRESS to the engine\'s PostgreSQL and Temporal (npm start prints them).');
  process.exit(2);
}
const dataConverter = operatorDataConverter(env, (message) => console.error(message));
// No migrations: an operator's tool from another checkout must not change the production schema.
const db = createDatabase({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-operator' });
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
try {
  const resumed = await resumeDossier(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter }), db, env.TEMPORAL_TASK_QUEUE, code);
  console.log(resumed.outcome === 'resumed' ? `${code}: workflow resumed from the dossier's log, at version ${resumed.streamVersion}.` : `${code}: its workflow is running; nothing to do.`);
} catch (error) {
  if (!(error instanceof CannotResume)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await connection.close();
  await db.destroy();
}
