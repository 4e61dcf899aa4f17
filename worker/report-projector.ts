// Keeps the reporting projection (db/projections/report-projection.ts) caught up with the event
// log: a short poll, since a report a second behind the log is fine. Several workers may run it:
// the checkpoint's row lock lets one project while the others skip that round.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { catchUpReports } from '../db/projections/report-projection.js';
import type { Database } from '../db/schema.js';

export interface ReportProjector {
  stop(): Promise<void>;
}

export function startReportProjector(db: Kysely<Database>, logger: Logger, options: { pollMs?: number } = {}): ReportProjector {
  const pollMs = options.pollMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let failing = false;

  const tick = () => {
    round = catchUpReports(db, { skipIfBusy: true })
      .then((progress) => {
        if (failing) logger.info('report projection recovered');
        failing = false;
        if (progress.events > 0) logger.debug({ events: progress.events, dossiers: progress.dossiers, ms: Math.round(progress.elapsedMs) }, 'report projection caught up');
      })
      .catch((error: unknown) => {
        // Logged once per outage, not once a second; the next round retries from the checkpoint.
        if (!failing) logger.warn({ err: error }, 'report projection failed; retrying');
        failing = true;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
