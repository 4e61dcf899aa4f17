// A worker's or relay's metrics on MOTCUA_METRICS_PORT (docs/operations.md#metrics-and-traces): the
// engine's own (platform/metrics.ts) and, after them in the same answer, the Temporal SDK's, which
// its Core serves on a loopback port of its own that nothing outside the process needs to know.
import type { Logger } from 'pino';
import { freePort } from '../platform/free-port.js';
import { serveMetrics } from '../platform/metrics.js';
import type { Closers } from '../platform/shutdown.js';

/**
 * A loopback port for the SDK's exporter, picked before the Runtime is installed (Core binds it
 * itself and does not say which port it got): free now, and no other process of ours picks ports.
 */
export async function sdkMetricsPort(): Promise<number> {
  return freePort();
}

/** Serves GET /metrics on host:port (MOTCUA_METRICS_HOST, loopback unless set: it answers without a token). */
export async function serveProcessMetrics(port: number, host: string, sdkPort: number | undefined, closers: Closers, logger: Logger): Promise<string> {
  const metrics = await serveMetrics({ port, host, ...(sdkPort === undefined ? {} : { alsoFrom: `http://127.0.0.1:${sdkPort}/metrics` }) });
  closers.add('metrics', () => metrics.close());
  logger.info({ metrics: metrics.url }, 'metrics served');
  return metrics.url;
}
