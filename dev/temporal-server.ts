import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { DOSSIER_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { type LocatedTemporalCli, NO_TEMPORAL_SERVER_HELP } from './temporal-cli.js';

export interface TemporalServerOptions {
  readonly cli: LocatedTemporalCli;
  /** SQLite file that keeps workflows across restarts; in memory when absent (tests). */
  readonly dbFilename?: string;
  readonly port: number;
  /** Serve the Temporal UI on this port; no UI when absent. */
  readonly uiPort?: number;
  readonly namespace: string;
}

export interface RunningTemporalServer {
  readonly address: string;
  readonly uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` (through @temporalio/testing, which owns the process) with the
 * search attributes our workflows set already registered.
 */
export async function startTemporalServer(options: TemporalServerOptions, logger: Logger): Promise<RunningTemporalServer> {
  const extraArgs = options.dbFilename ? ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'] : [];
  let environment: TestWorkflowEnvironment;
  try {
    environment = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: options.cli.executable,
        ip: '127.0.0.1',
        port: options.port,
        namespace: options.namespace,
        ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
        searchAttributes: DOSSIER_SEARCH_ATTRIBUTES,
        log: { format: 'json', level: 'error' },
        extraArgs,
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the Temporal dev server (${options.cli.origin}) did not start: ${reason}\n\n${NO_TEMPORAL_SERVER_HELP}`);
  }
  logger.info({ address: environment.address, origin: options.cli.origin, dbFilename: options.dbFilename ?? 'in memory' }, 'Temporal dev server started');
  return {
    address: environment.address,
    ...(options.uiPort ? { uiUrl: `http://127.0.0.1:${options.uiPort}` } : {}),
    stop: () => environment.teardown(),
  };
}
