// A background loop of rounds (the report projector, the outbox's relay): one round at a time, the
// next `pollMs` after the last ended; a failing round is logged once per outage, not once a round,
// and the next round retries; stop() waits for the round under way.
import type { Logger } from 'pino';

export interface Polling {
  stop(): Promise<void>;
}

export function startPolling<T>(options: {
  readonly round: () => Promise<T>;
  readonly pollMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** What the loop does, for its log lines ("report projection", "delivery relay"). */
  readonly what: string;
  readonly onRound?: (result: T) => void;
}): Polling {
  const { logger, what } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let failing = false;
  const tick = () => {
    current = options
      .round()
      .then((result) => {
        if (failing) logger.info(`${what} recovered`);
        failing = false;
        options.onRound?.(result);
      })
      .catch((error: unknown) => {
        if (!failing) logger.warn({ err: error }, `${what} failed; retrying`);
        failing = true;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
