// The engine benchmarks' plumbing: a load of concurrent calls with its latency percentiles, an
// engine process (api/main.ts, worker/main.ts) started from a checkout and waited for, and the
// memory and quiet of processes watched from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf } from './cpu-meter.js';

export interface LatencyFigure {
  readonly concurrency: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** This checkout's root: where the engine's entries are started from unless told otherwise. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Runs `total` calls with `concurrency` loops; the rate and latency percentiles of the calls. */
export async function load(concurrency: number, total: number, call: (index: number) => Promise<void>): Promise<LatencyFigure> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const begun = performance.now();
        await call(index);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { concurrency, requests: total, perSecond: total / seconds, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99) };
}

/**
 * A process of the engine (`entry` relative to `root`, e.g. worker/main.ts), started with tsx and
 * waited for until its output says `ready`. `root` is this checkout unless given: the baseline
 * target starts the old revision's entries from its own worktree. `output`, when given, receives
 * everything it writes (dev/cluster.ts keeps each process's log in a file); `ownGroup` runs it in a
 * process group of its own, so a terminal's Ctrl-C reaches only the launcher, which then stops it
 * once (a second signal would cut its drain short).
 */
export async function startProcess(entry: string, env: Record<string, string>, ready: string, options: { readonly output?: NodeJS.WritableStream; readonly ownGroup?: boolean; readonly root?: string } = {}): Promise<ChildProcess> {
  const { output, root = REPOSITORY_ROOT } = options;
  // Info level, to see it start; its output is read to the end (and dropped once it is up unless
  // `output` takes it), so a full pipe never blocks it.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownGroup ?? false });
  const written: string[] = [];
  let started = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${written.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output?.write(chunk);
      if (started) return;
      written.push(chunk.toString());
      if (written.join('').includes(ready)) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${entry} exited with ${code}:\n${written.join('')}`));
    });
  });
  return child;
}

/** Samples processes' resident sets (VmRSS) until stopped; answers the peak of each in MiB. */
export function rssSampler(pids: () => readonly number[]): { stop(): number[] } {
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const pid of pids()) {
      try {
        const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kib / 1024));
      } catch {
        // The process ended; its peak so far stands.
      }
    }
  };
  const timer = setInterval(sample, 200);
  sample();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return [...peaks.values()];
    },
  };
}

/** Waits until processes together have used under 2% of a core for a whole second (at most 60 s). */
export async function untilQuiet(pids: readonly number[]): Promise<void> {
  const cpuSeconds = () => pids.reduce((sum, pid) => {
    try {
      return sum + cpuSecondsOf(pid);
    } catch {
      return sum; // ended
    }
  }, 0);
  const deadline = Date.now() + 60_000;
  let last = cpuSeconds();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSeconds();
    if (now - last < 0.02) return;
    last = now;
  }
}
