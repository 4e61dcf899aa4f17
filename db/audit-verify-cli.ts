// `npm run audit:verify [dossier code ...]`: recomputes the hash chain of every dossier (or those
// named) in DATABASE_URL, prints each broken one with the first version at fault, and exits 1 if
// any is broken.
import { connectAndMigrate } from './connect.js';
import { verifyAllStreams, verifyStream } from './event-integrity.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-audit' });
if (!env.DATABASE_URL) {
  logger.fatal('set DATABASE_URL to the database to verify');
  process.exit(2);
}
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 2, applicationName: 'motcua-audit' }, logger);
try {
  const started = performance.now();
  const codes = process.argv.slice(2);
  let broken = 0;
  let events = 0;
  let streams = 0;
  const report = (result: { streamId: string; intact: boolean; brokenAt?: number; reason?: string }) => {
    if (!result.intact) logger.error({ dossierCode: result.streamId, brokenAt: result.brokenAt }, result.reason ?? 'broken');
  };
  if (codes.length > 0) {
    for (const code of codes) {
      const result = await verifyStream(db, code);
      streams += 1;
      events += result.events;
      if (!result.intact) broken += 1;
      report(result);
    }
  } else {
    ({ streams, events, broken } = await verifyAllStreams(db, report));
  }
  const seconds = (performance.now() - started) / 1000;
  logger.info({ streams, events, broken, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(events / Math.max(seconds, 0.001)) }, broken === 0 ? 'every hash chain is intact' : 'hash chains are broken');
  process.exitCode = broken === 0 ? 0 : 1;
} finally {
  await db.destroy();
}
