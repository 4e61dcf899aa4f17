// `npm run dossier:resume -- <dossier code>`: starts the workflow of a dossier whose run ended before
// its lifecycle did, from the dossier's log (worker/resume-dossier.ts). Needs DATABASE_URL and
// TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE when not the defaults).
import { Client, Connection } from '@temporalio/client';
import { connectAndMigrate } from '../db/connect.js';
import { isDossierCode } from '../domain/dossier/dossier-code.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { resumeDossier, UnknownDossier } from './resume-dossier.js';

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
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-operator' });
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-operator' }, logger);
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
try {
  const outcome = await resumeDossier(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), db, env.TEMPORAL_TASK_QUEUE, code);
  console.log(outcome === 'started' ? `${code}: workflow started from the dossier's log.` : `${code}: its workflow is running; nothing to do.`);
} catch (error) {
  if (!(error instanceof UnknownDossier)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await connection.close();
  await db.destroy();
}
