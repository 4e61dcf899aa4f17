import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

// What the Go-built tools share (the Temporal CLI, dev/temporal-cli.ts; the Temporal server and its
// SQL tool, dev/temporal-server-build.ts): finding a command on PATH, and one `go install` run with
// its progress shown every 30 s and its output's tail kept for the error.

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface GoInstall {
  /** The go command. */
  readonly go: string;
  /** module/path@version, one or more. */
  readonly packages: readonly string[];
  /** GOBIN: where the binaries land. */
  readonly gobin: string;
  /** The binaries' names in `gobin` that must exist afterwards. */
  readonly expect: readonly string[];
  /** What is built, for the progress lines and the error ("the Temporal CLI"). */
  readonly what: string;
  /** Appended to the error: how else to get it. */
  readonly help: string;
}

/** Runs `go install` (CGO off unless CGO_ENABLED says otherwise); throws with the output's last 20 lines when it fails. */
export async function goInstall(build: GoInstall, logger: Logger): Promise<void> {
  const started = Date.now();
  const progress = setInterval(() => logger.info(`still building ${build.what} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(build.go, ['install', ...build.packages], {
        env: { ...process.env, GOBIN: build.gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0 || !build.expect.every((name) => existsSync(path.join(build.gobin, name)))) {
      throw new Error(`go install of ${build.what} failed (exit ${code}):\n${output.slice(-20).join('\n')}\n\n${build.help}`);
    }
  } finally {
    clearInterval(progress);
  }
}
