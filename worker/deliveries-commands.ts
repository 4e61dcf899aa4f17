// The operator's commands on the outbox (`npm run deliveries -- ...`, worker/deliveries-cli.ts), as
// a function of their arguments, the database and an optional lane waker, so the tests run them
// without a process. What each does and when to use it: docs/integrations.md#dead-letters-and-the-operators-routine.
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { isDossierCode } from '../domain/dossier/dossier-code.js';
import { RECEIVERS, type Receiver } from '../domain/outbox/deliveries.js';
import {
  closeDelivery,
  closeReasonSchema,
  countDeadLetters,
  DELIVERY_KEY_PATTERN,
  DeliveryNotDead,
  DeliveryNotFound,
  dossierDeliveries,
  type Lane,
  listDeadLetters,
  type OperatorActor,
  RETRY_ALL_MAX,
  retryAllDead,
  retryDelivery,
} from '../db/outbox/operator-queries.js';
import type { Database } from '../db/schema.js';

export const DELIVERIES_USAGE = [
  'usage: npm run deliveries -- <command>',
  '  dead [--receiver R] [--agency CODE] [--since INSTANT] [--limit N] [--json]   the dead letters, oldest first',
  '  history <dossier code> [--receiver R] [--json]                               what was sent where and when',
  '  retry <key>                                                                  dead → pending',
  `  retry-all --receiver R [--agency CODE] [--since INSTANT] [--limit N≤${RETRY_ALL_MAX}]  after an outage`,
  '  close <key> --reason "why, 10–500 characters"                                dead → closed',
  `receivers: ${RECEIVERS.join(', ')}; a key reads receiver/dossier/sequence/trigger, as the lists print it.`,
].join('\n');

export interface DeliveriesCliDeps {
  readonly db: Kysely<Database>;
  /** Wakes a lane now (a Temporal signal); absent, the relay's dispatcher wakes it at its next sweep. */
  readonly wake?: (receiver: Receiver, dossierCode: string) => Promise<void>;
  readonly actor: OperatorActor;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs one command; answers the exit code (0 done, 1 refused or not found, 2 usage). */
export async function runDeliveriesCli(args: readonly string[], deps: DeliveriesCliDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { receiver: { type: 'string' }, agency: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    return usage(deps, (error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target, ...extra] = positionals;
  if (extra.length > 0) return usage(deps, `unexpected ${extra.join(' ')}`);
  const receiver = values.receiver;
  if (receiver !== undefined && !(RECEIVERS as readonly string[]).includes(receiver)) return usage(deps, `--receiver must be one of ${RECEIVERS.join(', ')}`);
  if (values.since !== undefined && !(/([+-]\d\d:\d\d|Z)$/.test(values.since) && !Number.isNaN(Date.parse(values.since)))) return usage(deps, '--since must be an instant with its offset, e.g. 2026-12-04T08:00:00+07:00');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= RETRY_ALL_MAX)) return usage(deps, `--limit must be a whole number from 1 to ${RETRY_ALL_MAX}`);
  const filters = { ...(receiver ? { receiver: receiver as Receiver } : {}), ...(values.agency ? { agencyCode: values.agency } : {}), ...(values.since ? { since: values.since } : {}) };
  const { db, out } = deps;

  switch (command) {
    case 'dead': {
      if (target !== undefined) return usage(deps, 'dead takes no positional argument');
      const page = await listDeadLetters(db, { ...filters, limit: limit ?? 200 });
      const counts = await countDeadLetters(db);
      if (values.json) {
        out(JSON.stringify({ items: page.rows, more: page.next !== null, counts }, null, 2));
        return 0;
      }
      for (const row of page.rows) {
        out(`${row.deadAt.toISOString()}  ${row.key}  ${row.eventType}  ${row.attempts} attempts  ${oneLine(row.lastError ?? '(no error recorded)')}`);
      }
      out(`${page.rows.length} shown${page.next ? ' (more: narrow with --receiver, --agency, --since or raise --limit)' : ''}; dead letters by receiver: ${Object.entries(counts).map(([name, count]) => `${name} ${count}`).join(', ')}`);
      return 0;
    }
    case 'history': {
      if (!target || !isDossierCode(target)) return usage(deps, 'history needs a dossier code, e.g. 000.00.31.H38-250701-0005');
      const page = await dossierDeliveries(db, target, { ...(receiver ? { receiver: receiver as Receiver } : {}), attemptsPerDelivery: 20, limit: 1000 });
      if (values.json) {
        out(JSON.stringify(page.rows, null, 2));
        return 0;
      }
      if (page.rows.length === 0) out(`No delivery planned for ${target} (yet).`);
      for (const row of page.rows) {
        const when = row.deliveredAt ?? row.closedAt ?? row.deadAt ?? row.plannedAt;
        out(`v${String(row.sequence).padStart(3)}  ${row.receiver.padEnd(13)}  ${row.trigger.padEnd(22)}  ${row.state.padEnd(9)}  ${when.toISOString()}  ${row.attemptCount} attempts${row.closedReason ? `  closed by ${row.closedBy}: ${oneLine(row.closedReason)}` : ''}`);
        for (const attempt of row.recentAttempts) {
          out(`        #${attempt.attempt}  ${attempt.startedAt.toISOString()}  ${attempt.outcome}${attempt.error ? `  ${oneLine(attempt.error)}` : ''}${attempt.requestSha256 ? `  sha256 ${attempt.requestSha256.slice(0, 16)}…` : ''}`);
        }
      }
      return 0;
    }
    case 'retry':
    case 'close': {
      if (!target || !DELIVERY_KEY_PATTERN.test(target)) return usage(deps, `${command} needs a delivery key, e.g. portal/000.00.31.H38-250701-0005/7/status`);
      if (command === 'close') {
        const reason = closeReasonSchema.safeParse(values.reason ?? '');
        if (!reason.success) return usage(deps, `close needs --reason "…": ${reason.error.issues[0]?.message ?? 'invalid'}`);
      } else if (values.reason !== undefined) return usage(deps, 'retry takes no --reason');
      try {
        const outcome = command === 'retry' ? await retryDelivery(db, target, deps.actor) : await closeDelivery(db, target, deps.actor, values.reason!);
        out(`${outcome.key}: ${outcome.state}. ${await wakeLanes(deps, [outcome])}`);
        return 0;
      } catch (error) {
        if (error instanceof DeliveryNotFound || error instanceof DeliveryNotDead) {
          deps.err(error.message);
          return 1;
        }
        throw error;
      }
    }
    case 'retry-all': {
      if (target !== undefined) return usage(deps, 'retry-all takes no positional argument');
      if (!receiver) return usage(deps, 'retry-all needs --receiver, the receiver that was down');
      const result = await retryAllDead(db, { ...filters, receiver: receiver as Receiver, ...(limit ? { limit } : {}) }, deps.actor);
      out(`${result.retried} dead letter(s) of ${receiver} pending again, in ${result.lanes.length} lane(s); ${result.remaining} still dead${result.remaining > 0 ? ' (run again to go on)' : ''}. ${await wakeLanes(deps, result.lanes)}`);
      return 0;
    }
    default:
      return usage(deps, command === undefined ? 'no command' : `unknown command ${command}`);
  }
}

async function wakeLanes(deps: DeliveriesCliDeps, lanes: readonly Lane[]): Promise<string> {
  if (lanes.length === 0) return '';
  if (!deps.wake) return "The relay's dispatcher wakes the lane(s) at its next sweep (within its interval).";
  let failed = 0;
  for (const lane of lanes) {
    try {
      await deps.wake(lane.receiver, lane.dossierCode);
    } catch {
      failed += 1;
    }
  }
  return failed === 0 ? 'Lane(s) woken.' : `${lanes.length - failed} lane(s) woken; ${failed} not reached, the relay's dispatcher wakes them at its next sweep.`;
}

/** An error or a reason on one line of the terminal, without control characters, at most 300 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

function usage(deps: DeliveriesCliDeps, problem: string): number {
  deps.err(`${problem}\n${DELIVERIES_USAGE}`);
  return 2;
}
