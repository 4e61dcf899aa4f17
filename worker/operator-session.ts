// What an operator's tool that acts on workflows opens (`dossier:resume`, `feedback:resume`): the
// engine's PostgreSQL without migrating it (a tool from another checkout must not change the
// production schema) and a Temporal client with the payload codec's keys. Exits 2 with what to set
// when DATABASE_URL or TEMPORAL_ADDRESS is missing.
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { readEnvironment } from '../platform/environment.js';
import { operatorDataConverter } from '../platform/payload-codec.js';

export interface OperatorSession {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  close(): Promise<void>;
}

export async function openOperatorSession(): Promise<OperatorSession> {
  const env = readEnvironment();
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    console.error('Set DATABASE_URL and TEMPORAL_ADDRESS to the engine\'s PostgreSQL and Temporal (npm start prints them).');
    process.exit(2);
  }
  const dataConverter = operatorDataConverter(env, (message) => console.error(message));
  const db = createDatabase({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-operator' });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  return {
    db,
    temporal: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter }),
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    close: async () => {
      await connection.close();
      await db.destroy();
    },
  };
}
