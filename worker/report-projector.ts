// Keeps the reporting projection (db/projections/report-projection.ts) caught up with the event
// log: a short poll, since a report a second behind the log is fine. Several workers may run it:
// the checkpoint's row lock lets one project while the others skip that round.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { catchUpReports } from '../db/projections/report-projection.js';
import type { Database } from '../db/schema.js';
import { startPolling } from '../platform/polling.js';

export interface ReportProjector {
  stop(): Promise<void>;
}

export function startReportProjector(db: Kysely<Database>, logger: Logger, options: { pollMs?: number } = {}): ReportProjector {
  return startPolling({
    round: () => catchUpReports(db, { skipIfBusy: true }),
    pollMs: options.pollMs ?? 1000,
    logger,
    what: 'report projection',
    onRound: (progress) => {
      if (progress.events > 0) logger.debug({ events: progress.events, dossiers: progress.dossiers, ms: Math.round(progress.elapsedMs) }, 'report projection caught up');
    },
  });
}
