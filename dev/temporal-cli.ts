import { mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import type { Logger } from 'pino';
import { findOnPath, goInstall, isExecutable } from './go-install.js';

// Where the Temporal dev server comes from (README.md, "Temporal"): the machines we build on reach
// package registries but not the website @temporalio/testing downloads the CLI from, so the Go
// module proxy is our way in. v1.5.1 is the newest CLI tag whose go.mod has no `replace`
// directive, which `go install module@version` refuses.
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type TemporalCliOrigin = 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'go install' | 'download';

export interface LocatedTemporalCli {
  readonly origin: TemporalCliOrigin;
  readonly executable: EphemeralServerExecutable;
}

export function temporalCliCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'motcua', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export const NO_TEMPORAL_SERVER_HELP = [
  'No Temporal server could be found or provided. Any one of these fixes it:',
  '  1. point at a running server: TEMPORAL_ADDRESS=host:7233',
  `  2. install the Temporal CLI: TEMPORAL_CLI=/path/to/temporal, or \`temporal\` on PATH, or install Go so motcua can build it (go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION})`,
  '  3. allow @temporalio/testing to download the CLI (needs access to temporal.download)',
].join('\n');

/** Finds the Temporal CLI, building it with Go once if need be; see README.md for the order. */
export async function locateTemporalCli(logger: Logger, configured?: string): Promise<LocatedTemporalCli> {
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI=${configured} is not an executable file. Fix the path or unset TEMPORAL_CLI.`);
    return existing('TEMPORAL_CLI', configured);
  }
  const onPath = findOnPath('temporal');
  if (onPath) return existing('PATH', onPath);

  const cached = path.join(temporalCliCacheDir(), 'temporal');
  if (isExecutable(cached)) return existing('cache', cached);

  const go = findOnPath('go');
  if (go) {
    await buildWithGo(go, cached, logger);
    return existing('go install', cached);
  }
  logger.warn('no Temporal CLI and no Go: letting @temporalio/testing download the CLI');
  return { origin: 'download', executable: { type: 'cached-download' } };
}

function existing(origin: TemporalCliOrigin, cliPath: string): LocatedTemporalCli {
  return { origin, executable: { type: 'existing-path', path: cliPath } };
}

async function buildWithGo(go: string, target: string, logger: Logger): Promise<void> {
  const cacheDir = path.dirname(target);
  // Build into a private folder and move the binary in when complete, so a concurrent start never
  // sees half a file.
  const buildDir = path.join(cacheDir, `build-${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  logger.info(
    { module: `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`, into: cacheDir },
    'building the Temporal CLI with Go, once per machine; this takes a few minutes',
  );
  const started = Date.now();
  try {
    await goInstall({ go, packages: [`${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], gobin: buildDir, expect: ['temporal'], what: 'the Temporal CLI', help: NO_TEMPORAL_SERVER_HELP }, logger);
    const built = path.join(buildDir, 'temporal');
    renameSync(built, target);
    logger.info({ seconds: Math.round((Date.now() - started) / 1000), path: target }, 'Temporal CLI built');
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}
