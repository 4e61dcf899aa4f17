import type { Logger } from 'pino';

/**
 * What a process must stop on its way out, stopped in reverse order of start (the API before the
 * worker, the worker before the databases it writes to). Every entry point registers each part as
 * soon as it runs, so a start that fails half-way stops what did start.
 */
export class Closers {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /** Closes everything once; later calls wait for the same run. A failing closer does not stop the rest. */
  closeAll(): Promise<void> {
    this.closing ??= (async () => {
      for (const { name, close } of this.closers.reverse()) {
        try {
          await close();
        } catch (error) {
          this.logger.error({ err: error, part: name }, 'failed to stop cleanly');
        }
      }
    })();
    return this.closing;
  }
}

/**
 * Closes everything on SIGINT or SIGTERM, then exits. A second signal while closing exits at once
 * (servers we spawned are still told to stop: platform/child-process.ts).
 */
export function closeOnSignals(logger: Logger, closers: Closers, onClosed?: () => void): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    void closers.closeAll().then(() => {
      onClosed?.();
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Logs why the process cannot go on, closes what it started, and exits non-zero. */
export async function failAndExit(logger: Logger, closers: Closers, error: unknown): Promise<never> {
  logger.fatal(error instanceof Error ? error.message : String(error));
  await closers.closeAll();
  process.exit(1);
}
