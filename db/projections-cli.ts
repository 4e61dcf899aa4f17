// npm run projections:rebuild [name]: rebuilds a projection from the event log: the reports into
// shadow tables swapped in while the live ones keep serving; the index of reusable files and the
// applicant search's hashes dossier by dossier. Prints progress.
import { connectAndMigrate } from './connect.js';
import { rebuildReports, REPORT_PROJECTION } from './projections/report-projection.js';
import { COMPONENT_FILE_INDEX, rebuildComponentFileIndex } from './projections/component-file-index.js';
import { APPLICANT_SEARCH, rebuildApplicantSearch } from './projections/applicant-search.js';
import { FEEDBACK_SUMMARY, rebuildFeedbackSummary } from './feedback/feedback-projection.js';
import { applicantKey, readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';

const REBUILDERS = {
  [REPORT_PROJECTION]: rebuildReports,
  // Needs MOTCUA_APPLICANT_KEY, the workers' own: the index is keyed by its HMAC of the applicant.
  [COMPONENT_FILE_INDEX]: (db: Parameters<typeof rebuildReports>[0], options: Parameters<typeof rebuildReports>[1]) => rebuildComponentFileIndex(db, applicantKey(env), options),
  // The same key: the summary's hash of the applicant's identity number, for the search by it.
  [APPLICANT_SEARCH]: (db: Parameters<typeof rebuildReports>[0], options: Parameters<typeof rebuildReports>[1]) => rebuildApplicantSearch(db, applicantKey(env), options),
  // Feedback items' summaries (a stream kind of their own: docs/decisions/0023-feedback-stream-kind.md), item by item.
  [FEEDBACK_SUMMARY]: rebuildFeedbackSummary,
} as const;

const [command, name = REPORT_PROJECTION] = process.argv.slice(2);
const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-projections' });

if (command !== 'rebuild' || !(name in REBUILDERS)) {
  console.error(`usage: npm run projections:rebuild [${Object.keys(REBUILDERS).join('|')}]`);
  console.error('The inline read models (summary, queues, control slip) are checked by npm run audit:replay.');
  process.exit(2);
}
if (!env.DATABASE_URL) {
  console.error('DATABASE_URL is not set: point it at the engine\'s PostgreSQL (npm start prints it).');
  process.exit(2);
}

const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 2, applicationName: 'motcua-projections' }, logger);
try {
  let lastPrinted = 0;
  const result = await REBUILDERS[name as keyof typeof REBUILDERS](db, {
    onProgress: (progress) => {
      if (progress.phase === 'copying' && progress.elapsedMs - lastPrinted < 1000) return;
      lastPrinted = progress.elapsedMs;
      const rate = progress.elapsedMs > 0 ? Math.round((progress.events * 1000) / progress.elapsedMs) : 0;
      console.log(`${progress.phase.padEnd(8)} ${progress.events} events, ${progress.dossiers} dossier folds, ${(progress.elapsedMs / 1000).toFixed(1)} s, ${rate} events/s`);
    },
  });
  console.log(`rebuilt ${name}: ${result.events} events in ${(result.elapsedMs / 1000).toFixed(1)} s; the new tables are live`);
} finally {
  await db.destroy();
}
