// `npm run audit:replay`: folds every dossier's events with the current rules and compares them
// with the stored read models (and, with MOTCUA_APPLICANT_KEY, the index of reusable files), then (with TEMPORAL_ADDRESS) replays the dossier workflows'
// histories against the current workflow code (decrypting their payloads with MOTCUA_PAYLOAD_KEYS).
// Prints every mismatch; exits 1 if there is any.
import { Client, Connection } from '@temporalio/client';
import { connectAndMigrate } from '../db/connect.js';
import { checkAllProjections } from '../db/projection-check.js';
import { checkComponentFileIndex } from '../db/projections/component-file-index.js';
import { checkFeedbackProjections } from '../db/feedback/feedback-projection.js';
import { readEnvironment } from '../platform/environment.js';
import { operatorDataConverter } from '../platform/payload-codec.js';
import { createLogger } from '../platform/logger.js';
import { replayDossierHistories } from '../worker/history-replay.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-audit' });
if (!env.DATABASE_URL) {
  logger.fatal('set DATABASE_URL (and TEMPORAL_ADDRESS to replay workflow histories too)');
  process.exit(2);
}
// Checked before any work: a replay without the keys could not read a single encrypted history.
const dataConverter = env.TEMPORAL_ADDRESS ? operatorDataConverter(env, (message) => logger.fatal(message)) : undefined;
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 2, applicationName: 'motcua-audit' }, logger);
let problems = 0;
try {
  const projections = await checkAllProjections(db, (mismatch) => logger.error(mismatch, 'read model differs from the events'));
  logger.info(projections, 'read models checked against the events');
  problems += projections.mismatches;
  // Feedback items are a stream kind of their own with their own summary (db/feedback/feedback-projection.ts).
  const feedback = await checkFeedbackProjections(db, (mismatch) => logger.error(mismatch, 'feedback summary differs from the events'));
  logger.info(feedback, 'feedback summaries checked against the events');
  problems += feedback.mismatches;
  // The index of reusable files is keyed by the applicant's HMAC: checked with the workers' key only.
  if (env.MOTCUA_APPLICANT_KEY) {
    const index = await checkComponentFileIndex(db, env.MOTCUA_APPLICANT_KEY, (mismatch) => logger.error(mismatch, 'index of reusable files differs from the events'));
    logger.info(index, 'index of reusable files checked against the events');
    problems += index.mismatches;
  } else {
    logger.warn('MOTCUA_APPLICANT_KEY is not set: the index of reusable files was not checked');
  }
  if (env.TEMPORAL_ADDRESS) {
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, ...(dataConverter ? { dataConverter } : {}) });
      const replay = await replayDossierHistories(client, env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE } : {});
      for (const failure of replay.failures) logger.error(failure, 'workflow history does not replay on the current code');
      logger.info({ replayed: replay.replayed, failures: replay.failures.length }, 'workflow histories replayed');
      problems += replay.failures.length;
    } finally {
      await connection.close();
    }
  } else {
    logger.warn('TEMPORAL_ADDRESS is not set: workflow histories were not replayed');
  }
} finally {
  await db.destroy();
}
process.exitCode = problems === 0 ? 0 : 1;
