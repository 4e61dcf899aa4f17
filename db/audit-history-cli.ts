// `npm run audit:history -- <dossier code> [--at <instant>] [--since <instant>]`: the dossier's
// history from DATABASE_URL, one line per event (version, time in Vietnam, actor, what happened);
// with --at, the dossier as it stood then and its clock; with --since as well, only the changes in
// between. Instants take an offset, e.g. 2026-03-05T17:00:00+07:00. A feedback item's id
// (PAKN-…) prints its history the same way, and with --at its status and clocks then.
import { parseArgs } from 'node:util';
import { formatVietnameseDateTime } from '../domain/calendar/vietnam-time.js';
import { isDossierCode } from '../domain/dossier/dossier-code.js';
import { FEEDBACK_ID_PATTERN } from '../domain/feedback/commands.js';
import { asFeedbackEvent } from '../domain/feedback/events.js';
import { readFeedbackClocks } from '../domain/feedback/feedback-clock.js';
import { foldFeedback, isReceivedFeedback, nationalFeedbackLabel, newFeedback } from '../domain/feedback/feedback-state.js';
import { isReceived } from '../domain/dossier/state.js';
import { readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { connectAndMigrate } from './connect.js';
import { dossierAt, historyLine, type HistoryLine } from './dossier-history.js';
import { readStream } from './event-store.js';

const usage = 'usage: npm run audit:history -- <dossier code | feedback id> [--at <instant with offset>] [--since <instant with offset>]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { at: { type: 'string' }, since: { type: 'string' } } });
const [code] = positionals;
const instant = (value: string | undefined) => value === undefined || (/[+-]\d\d:\d\d$|Z$/.test(value) && !Number.isNaN(Date.parse(value)));
if (!code || positionals.length !== 1 || !(isDossierCode(code) || FEEDBACK_ID_PATTERN.test(code)) || !instant(values.at) || !instant(values.since) || (values.since && !values.at)) {
  console.error(usage);
  process.exit(2);
}
const env = readEnvironment();
if (!env.DATABASE_URL) {
  console.error('DATABASE_URL is not set: point it at the engine\'s PostgreSQL (npm start prints it).');
  process.exit(2);
}
const db = await connectAndMigrate({ connectionString: env.DATABASE_URL, poolSize: 1, applicationName: 'motcua-audit' }, createLogger({ level: env.LOG_LEVEL, name: 'motcua-audit' }));
try {
  const stored = await readStream(db, code);
  if (stored.length === 0) {
    console.error(`No dossier ${code} in this database.`);
    process.exitCode = 1;
  } else if (!values.at) {
    for (const line of stored.map(historyLine)) console.log(format(line));
  } else if (FEEDBACK_ID_PATTERN.test(code)) {
    const at = Date.parse(values.at);
    const upTo = stored.filter((event) => event.occurredAt.getTime() <= at);
    const item = foldFeedback(newFeedback(code), upTo.map(asFeedbackEvent));
    console.log(`${code} at ${formatVietnameseDateTime(new Date(at))} (version ${upTo.length}): ${isReceivedFeedback(item) ? `${item.status} (${nationalFeedbackLabel(item)})` : 'not yet received'}`);
    if (isReceivedFeedback(item)) for (const clock of readFeedbackClocks(item, new Date(at).toISOString())) console.log(`  ${clock.clock}: due ${formatVietnameseDateTime(new Date(clock.due))}${clock.open ? ' (running)' : ''}${clock.late ? ' (late)' : ''}`);
    const since = values.since === undefined ? undefined : Date.parse(values.since);
    if (since !== undefined) for (const line of upTo.filter((event) => event.occurredAt.getTime() > since).map(historyLine)) console.log(format(line));
  } else {
    const view = dossierAt(code, stored, values.at, values.since);
    console.log(`${code} at ${formatVietnameseDateTime(new Date(view.at))} (version ${view.streamVersion}): ${view.state.status === 'mirrored' ? `mirrored from ${view.state.system}, portal status ${view.state.facts.status}` : isReceived(view.state) ? view.state.status : 'not yet received'}`);
    if (view.clock) console.log(`  clock ${view.clock.state}, due ${view.clock.due}${view.clock.overdue ? ' (overdue)' : ''}, elapsed ${view.clock.elapsed.days} ${view.clock.budget.unit === 'same-day' ? 'days (same-day budget)' : `of ${view.clock.budget.amount} ${view.clock.budget.unit}`}`);
    for (const line of view.changes ?? []) console.log(format(line));
  }
} finally {
  await db.destroy();
}

function format(line: HistoryLine): string {
  const who = `${line.actor.role} ${line.actor.userId}@${line.actor.agencyCode}`;
  return `v${String(line.streamVersion).padStart(3)}  ${formatVietnameseDateTime(new Date(line.occurredAt))}  ${who.padEnd(46)}  ${line.label.vi} | ${line.label.en}`;
}
