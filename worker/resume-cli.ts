// `npm run dossier:resume -- <dossier code>`: starts the workflow of a dossier whose run ended before
// its lifecycle did, from the dossier's log (worker/resume-dossier.ts). Needs DATABASE_URL,
// TEMPORAL_ADDRESS and MOTCUA_PAYLOAD_KEYS (and TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE when not the defaults).
import { isDossierCode } from '../domain/dossier/dossier-code.js';
import { openOperatorSession } from './operator-session.js';
import { CannotResume, resumeDossier } from './resume-dossier.js';

const [code, ...rest] = process.argv.slice(2);
if (!code || rest.length > 0 || !isDossierCode(code)) {
  console.error('usage: npm run dossier:resume -- <dossier code>');
  process.exit(2);
}
const session = await openOperatorSession();
try {
  const resumed = await resumeDossier(session.temporal, session.db, session.taskQueue, code);
  console.log(resumed.outcome === 'resumed' ? `${code}: workflow resumed from the dossier's log, at version ${resumed.streamVersion}.` : `${code}: its workflow is running; nothing to do.`);
} catch (error) {
  if (!(error instanceof CannotResume)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await session.close();
}
