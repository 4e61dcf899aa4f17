// `npm start` builds the staff console when its build is missing or older than its sources or the
// API's routes and schemas (which its client is generated from), showing the build's progress in
// the log (docs/console.md#building-it). A console folder named by MOTCUA_CONSOLE_DIR elsewhere is
// the deployment's own: it is served as it is, never built here.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultDir = path.join(root, 'console', 'dist');
/** What the build reads: the console's own sources and the API it is generated from. */
const SOURCES = ['console/src', 'console/index.html', 'console/vite.config.ts', 'console/tsconfig.json', 'console/scripts', 'api', 'domain', 'package-lock.json'];
const GENERATED = new Set([path.join(root, 'console/src/api/schema.d.ts'), path.join(root, 'console/src/api/openapi.json')]);

function newestChange(target: string): number {
  if (!existsSync(target) || GENERATED.has(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestChange(path.join(target, name))));
}

/** Why the console must be built, or null when its build is current. */
export function consoleBuildNeeded(directory: string): string | null {
  const index = path.join(directory, 'index.html');
  if (!existsSync(index)) return 'no build yet';
  const built = statSync(index).mtimeMs;
  const changed = SOURCES.find((source) => newestChange(path.join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

export async function ensureConsoleBuilt(directory: string, logger: Logger): Promise<void> {
  if (path.resolve(directory) !== defaultDir) {
    if (!existsSync(path.join(directory, 'index.html'))) logger.warn({ directory }, 'MOTCUA_CONSOLE_DIR holds no console build (index.html); /console/ answers 503 until it does');
    return;
  }
  const reason = consoleBuildNeeded(directory);
  if (!reason) return;
  logger.info({ reason }, 'building the staff console (npm run console:build; seconds)');
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'console', 'scripts', 'build.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (line.startsWith('[console')) logger.info(line);
    }
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the console's build failed (npm run console:build shows why):\n${output.slice(-30).join('\n')}`);
}
