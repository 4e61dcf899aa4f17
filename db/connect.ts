import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

/** Opens the database and brings its schema up to date: what every process does on start. */
export async function connectAndMigrate(
  options: { connectionString: string; poolSize: number; applicationName: string },
  logger: Logger,
): Promise<Kysely<Database>> {
  const db = createDatabase(options);
  try {
    await migrateToLatest(db, logger);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
