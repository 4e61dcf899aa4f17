// `npm run pakn:held [-- --state held|expired|received] [--retry <MaPAKN>]`: the items the national
// PAKN system served that reception refused (worker/national-pakn-inbox.ts holds them; 
// docs/integrations.md#national-pakn-system), against the PostgreSQL at DATABASE_URL. Lists them
// (national id, unit, state, the refusal, tries; nothing personal), or puts one back to be tried at
// the inbox's next round once what refused it is fixed (a unit added to the catalogue). Exits 1 when
// items are held or expired (so a monitor can run it), or when --retry names no such item; 2 usage.
import { connectAndMigrate } from '../db/connect.js';
import { sessionNameFor } from '../db/database.js';
import { type HeldPaknState, listHeldPaknItems, retryHeldPaknItem } from '../db/national-pakn.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';

const USAGE = 'usage: npm run pakn:held -- [--state held|expired|received] [--retry <MaPAKN>]';
const args = process.argv.slice(2);
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const state = value('--state');
const retry = value('--retry');
const known = args.every((arg, index) => arg === '--state' || arg === '--retry' || args[index - 1] === '--state' || args[index - 1] === '--retry');
if (!known || (args.includes('--state') && !['held', 'expired', 'received'].includes(state ?? '')) || (args.includes('--retry') && !retry)) {
  console.error(USAGE);
  process.exit(2);
}
const env = readEnvironment();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is not set: point it at the engine's PostgreSQL (npm start prints it).");
  process.exit(2);
}
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: sessionNameFor('motcua-pakn-held') }, createLogger({ level: env.LOG_LEVEL, name: 'motcua-pakn-held' }));
try {
  if (retry) {
    const done = await retryHeldPaknItem(db, retry);
    console.log(done ? `${retry} will be tried again at the inbox's next round.` : `No held or expired item ${retry}.`);
    process.exitCode = done ? 0 : 1;
  } else {
    const items = await listHeldPaknItems(db, state as HeldPaknState | undefined);
    for (const item of items) {
      console.log(`${item.externalId}  ${item.agencyCode}  ${item.state}${item.feedbackId ? ` → ${item.feedbackId}` : ''}  held ${item.heldAt.toISOString()}  tries ${item.tries}  ${item.refusalCode}: ${item.refusalDetail}`);
    }
    const waiting = items.filter((item) => item.state !== 'received').length;
    console.log(items.length === 0 ? 'No national PAKN item was refused at reception.' : `${waiting} item(s) held or expired; see docs/integrations.md, "National PAKN system".`);
    if (waiting > 0) process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
