// `npm run catalogue:load -- <file>`: checks a catalogue file and loads it into DATABASE_URL.
// Agencies are updated; procedure versions are added once and never changed.
import { connectAndMigrate } from './connect.js';
import { CatalogueError, loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from './catalogue.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-catalogue' });
const file = process.argv[2] ?? env.MOTCUA_CATALOGUE;
if (!env.DATABASE_URL || !file) {
  logger.fatal(`usage: DATABASE_URL=… npm run catalogue:load -- <catalogue.json> (the sample is ${SAMPLE_CATALOGUE_FILE})`);
  process.exit(1);
}
try {
  const catalogue = readCatalogueFile(file);
  const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-catalogue' }, logger);
  try {
    logger.info({ file, ...(await loadCatalogue(db, catalogue)) }, 'catalogue loaded');
  } finally {
    await db.destroy();
  }
} catch (error) {
  logger.fatal(error instanceof CatalogueError ? error.message : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
