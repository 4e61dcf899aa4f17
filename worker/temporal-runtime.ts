import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sends the Temporal SDK's own logs through our pino logger and, given `metricsPort`, has its Core
 * serve its Prometheus metrics (temporal_*: workflow tasks, activities, polls, slots, requests) on
 * 127.0.0.1:<metricsPort>, durations in seconds, which the process's /metrics serves after its own
 * (serveMetrics' `alsoFrom`). Call once per process, before any worker or native connection is
 * made (the Runtime is a process-wide singleton).
 */
export function installTemporalRuntime(logger: Logger, level: LogLevel = 'WARN', metricsPort?: number): void {
  const temporalLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    // Our entry points decide how to stop (API first, then workers, then the stack): the SDK must
    // not start draining workers on its own when a signal arrives.
    shutdownSignals: [],
    ...(metricsPort === undefined ? {} : { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}`, useSecondsForDurations: true } } } }),
    logger: new DefaultLogger(level, (entry) => {
      const { sdkComponent, ...meta } = entry.meta ?? {};
      temporalLogger[LEVELS[entry.level]]({ sdkComponent, ...scrub(meta) }, entry.message);
    }),
  });
}

// Activity and workflow log metadata can include arguments; keep only identifiers.
function scrub(meta: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of ['workflowId', 'workflowType', 'runId', 'activityId', 'activityType', 'taskQueue', 'attempt', 'namespace']) {
    if (key in meta) kept[key] = meta[key];
  }
  return kept;
}
