import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { findOnPath, goInstall, isExecutable } from './go-install.js';

// Where the production Temporal server comes from when motcua runs it itself (the cluster mode and
// the `cluster` test project): the server and its SQL schema tool, built from Temporal's Go module
// at the version docker-compose.yml runs (docs/decisions/0025-temporal-server-on-postgresql.md).
// The machines we build on reach the Go module proxy but no release download site, as for the CLI
// (dev/temporal-cli.ts). The schema files ship inside the module; we keep a copy next to the
// binaries so that `update-schema` never depends on the Go module cache still being there.

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
/** The one version motcua runs: here, in docker-compose.yml's images, and in the dev CLI's embedded server. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const PACKAGES = [
  { pkg: `${TEMPORAL_SERVER_MODULE}/cmd/server`, built: 'server', name: 'temporal-server' },
  { pkg: `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`, built: 'sql', name: 'temporal-sql-tool' },
] as const;

export interface TemporalServerBinaries {
  readonly server: string;
  readonly sqlTool: string;
  /** Holds postgresql/v12/{temporal,visibility}/versioned, as in the admin-tools image's /etc/temporal/schema. */
  readonly schemaDir: string;
  readonly origin: 'TEMPORAL_SERVER_BIN' | 'cache' | 'go install';
}

export function temporalServerCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'motcua', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

export const NO_TEMPORAL_SERVER_BUILD_HELP = [
  'The Temporal server (for the cluster mode and the cluster tests) could not be found or built. Any one of these fixes it:',
  `  1. install Go (1.25 or newer, what its go.mod asks) so motcua can build it once: go install ${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  '  2. point at binaries of that version: TEMPORAL_SERVER_BIN=/path/to/temporal-server and TEMPORAL_SQL_TOOL=/path/to/temporal-sql-tool',
  '     (the schema files are then taken from TEMPORAL_SCHEMA_DIR, or from the Go module cache)',
].join('\n');

/** Finds the server and the SQL tool, building both with Go once per machine if need be. */
export async function locateTemporalServer(logger: Logger): Promise<TemporalServerBinaries> {
  const configuredServer = process.env.TEMPORAL_SERVER_BIN;
  const configuredTool = process.env.TEMPORAL_SQL_TOOL;
  if (configuredServer || configuredTool) {
    if (!configuredServer || !configuredTool) {
      throw new Error('set both TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL (the server and its SQL tool go together), or neither.');
    }
    for (const [name, file] of [['TEMPORAL_SERVER_BIN', configuredServer], ['TEMPORAL_SQL_TOOL', configuredTool]] as const) {
      if (!isExecutable(file)) throw new Error(`${name}=${file} is not an executable file. Fix the path or unset it.`);
    }
    const schemaDir = process.env.TEMPORAL_SCHEMA_DIR ?? moduleSchemaDir();
    if (!schemaDir || !existsSync(path.join(schemaDir, 'postgresql'))) {
      throw new Error(
        `no Temporal schema files for TEMPORAL_SERVER_BIN: set TEMPORAL_SCHEMA_DIR to the folder holding postgresql/v12 (the server's schema/ folder at ${TEMPORAL_SERVER_VERSION}).`,
      );
    }
    return { server: configuredServer, sqlTool: configuredTool, schemaDir, origin: 'TEMPORAL_SERVER_BIN' };
  }

  const dir = temporalServerCacheDir();
  if (isComplete(dir)) return { ...inCache(dir), origin: 'cache' };
  const go = findOnPath('go');
  if (!go) throw new Error(`Go is not installed.\n\n${NO_TEMPORAL_SERVER_BUILD_HELP}`);
  await buildWithGo(go, dir, logger);
  return { ...inCache(dir), origin: 'go install' };
}

function inCache(dir: string) {
  return { server: path.join(dir, 'temporal-server'), sqlTool: path.join(dir, 'temporal-sql-tool'), schemaDir: path.join(dir, 'schema') };
}

function isComplete(dir: string): boolean {
  const { server, sqlTool, schemaDir } = inCache(dir);
  return isExecutable(server) && isExecutable(sqlTool) && existsSync(path.join(schemaDir, 'postgresql', 'v12', 'visibility', 'versioned'));
}

function moduleSchemaDir(go = findOnPath('go')): string | undefined {
  if (!go) return undefined;
  try {
    const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const dir = path.join(modCache, `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

// Everything is built into a private folder that is renamed into place when complete, so a
// concurrent start never sees half a build, and a second builder that loses the race keeps the
// winner's folder.
async function buildWithGo(go: string, target: string, logger: Logger): Promise<void> {
  const buildDir = `${target}.build-${process.pid}`;
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  logger.info(
    { module: `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`, into: target },
    'building the Temporal server and its SQL tool with Go, once per machine; this takes a few minutes',
  );
  const started = Date.now();
  try {
    await goInstall(
      {
        go,
        packages: PACKAGES.map((p) => `${p.pkg}@${TEMPORAL_SERVER_VERSION}`),
        gobin: buildDir,
        expect: PACKAGES.map((p) => p.built),
        what: 'the Temporal server',
        help: NO_TEMPORAL_SERVER_BUILD_HELP,
      },
      logger,
    );
    for (const p of PACKAGES) renameSync(path.join(buildDir, p.built), path.join(buildDir, p.name));
    const schema = moduleSchemaDir(go);
    if (!schema) throw new Error(`the schema files of ${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} are not in the Go module cache after the build`);
    cpSync(schema, path.join(buildDir, 'schema'), { recursive: true });
    // The module cache is read-only; our copy must stay removable.
    execFileSync('chmod', ['-R', 'u+w', path.join(buildDir, 'schema')]);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      renameSync(buildDir, target);
    } catch (error) {
      // Another process finished first: its folder is as good as ours.
      if (!isComplete(target)) throw error;
    }
    logger.info({ seconds: Math.round((Date.now() - started) / 1000), path: target }, 'Temporal server built');
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}
