// `npm run deliveries -- dead|history|retry|retry-all|close ...`: the operator's commands on the
// outbox (worker/deliveries-commands.ts; docs/integrations.md#dead-letters-and-the-operators-routine)
// against the PostgreSQL at DATABASE_URL. A retry or close is committed there; the relay's
// dispatcher then wakes the lane at its next sweep. Exits 0 done, 1 refused or not found, 2 usage.
import os from 'node:os';
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { DELIVERIES_USAGE, runDeliveriesCli } from './deliveries-commands.js';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  console.error(DELIVERIES_USAGE);
  process.exit(args.length === 0 ? 2 : 0);
}
const env = readEnvironment();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is not set: point it at the engine's PostgreSQL (npm start prints it).");
  process.exit(2);
}
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: sessionNameFor('motcua-deliveries') }, createLogger({ level: env.LOG_LEVEL, name: 'motcua-deliveries' }));
try {
  // The lane waker (a Temporal signal when TEMPORAL_ADDRESS is set) is wired with the relay; until
  // then the relay's dispatcher wakes the lanes of what this commits, within its sweep interval.
  process.exitCode = await runDeliveriesCli(args, {
    db,
    actor: { userId: `cli:${os.userInfo().username}` },
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} finally {
  await db.destroy();
}
