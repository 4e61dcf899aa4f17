import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { freePort, preferredOrFreePort } from './free-port.js';
import { claimDataFolder } from './orphaned-servers.js';
import { startPostgres } from './postgres-server.js';
import { locateTemporalCli } from './temporal-cli.js';
import { startTemporalServer } from './temporal-server.js';

// The stack motcua needs (PostgreSQL and a Temporal server), reused when the environment names
// them, started by us in the data folder when it does not. Used by `npm start` and the test suite.

export interface LocalStackOptions {
  readonly dataDir: string;
  readonly namespace: string;
  /** Given: use this PostgreSQL and start none. */
  readonly databaseUrl?: string;
  /** Given: use this Temporal server and start none. */
  readonly temporalAddress?: string;
  readonly temporalCli?: string;
  readonly postgresBinDir?: string;
  /**
   * `durable`: data survives restarts and the Temporal UI is served (npm start).
   * `disposable`: fast and thrown away, on random ports, no UI (tests).
   */
  readonly mode: 'durable' | 'disposable';
  readonly temporalUiPort?: number;
  /** The remote codec the Temporal UI decrypts payloads through (durable mode only). */
  readonly temporalUiCodecEndpoint?: string;
}

export interface LocalStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl?: string;
  /** Where each part came from, for the start-up banner. */
  readonly origins: { readonly postgres: string; readonly temporal: string };
  /** Stops what this stack started; leaves alone what it only reused. */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions, logger: Logger): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o755 });
  const durable = options.mode === 'durable';
  // One launcher per data folder; a dead one's servers are stopped before ports are chosen, so ours get theirs back.
  const claim =
    durable && (!options.databaseUrl || !options.temporalAddress)
      ? await claimDataFolder(
          {
            dataDir: options.dataDir,
            ...(options.databaseUrl ? {} : { clusterDir: path.join(options.dataDir, 'postgres') }),
            ...(options.temporalAddress ? {} : { temporalDbFile: path.join(options.dataDir, 'temporal.db') }),
          },
          logger,
        )
      : undefined;

  const postgres = options.databaseUrl
    ? Promise.resolve({ url: options.databaseUrl, stop: async () => undefined, origin: 'DATABASE_URL' })
    : (async () => {
        const running = await startPostgres(
          {
            clusterDir: path.join(options.dataDir, 'postgres'),
            port: durable ? await preferredOrFreePort(55432) : await freePort(),
            disposable: !durable,
            ...(options.postgresBinDir ? { binDir: options.postgresBinDir } : {}),
          },
          logger,
        );
        return { ...running, origin: `started in ${path.join(options.dataDir, 'postgres')}` };
      })();

  const temporal = options.temporalAddress
    ? Promise.resolve({ address: options.temporalAddress, uiUrl: undefined, stop: async () => undefined, origin: 'TEMPORAL_ADDRESS' })
    : (async () => {
        const cli = await locateTemporalCli(logger, options.temporalCli);
        logger.info({ origin: cli.origin, executable: cli.executable }, 'Temporal CLI located');
        const running = await startTemporalServer(
          {
            cli,
            port: durable ? await preferredOrFreePort(7233) : await freePort(),
            namespace: options.namespace,
            ...(durable
              ? {
                  dbFilename: path.join(options.dataDir, 'temporal.db'),
                  uiPort: options.temporalUiPort ?? (await preferredOrFreePort(8233)),
                  ...(options.temporalUiCodecEndpoint ? { uiCodecEndpoint: options.temporalUiCodecEndpoint } : {}),
                }
              : {}),
          },
          logger,
        );
        return { ...running, origin: `dev server (CLI from ${cli.origin})` };
      })();

  const [postgresResult, temporalResult] = await Promise.allSettled([postgres, temporal]);
  if (postgresResult.status === 'rejected' || temporalResult.status === 'rejected') {
    // Leave nothing running behind a failed start.
    if (postgresResult.status === 'fulfilled') await postgresResult.value.stop();
    if (temporalResult.status === 'fulfilled') await temporalResult.value.stop();
    claim?.release();
    throw postgresResult.status === 'rejected' ? postgresResult.reason : (temporalResult as PromiseRejectedResult).reason;
  }
  const db = postgresResult.value;
  const server = temporalResult.value;
  return {
    databaseUrl: db.url,
    temporalAddress: server.address,
    ...(server.uiUrl ? { temporalUiUrl: server.uiUrl } : {}),
    origins: { postgres: db.origin, temporal: server.origin },
    async stop() {
      await Promise.allSettled([server.stop(), db.stop()]);
      claim?.release();
    },
  };
}
