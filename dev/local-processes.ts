import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// What the launcher needs to know about processes it did not spawn (or spawned in a previous life):
// alive or not, when they started, what they run. Linux answers from /proc; elsewhere `ps` does.

const HAS_PROC = existsSync('/proc/self/stat');

/** Alive and not a zombie: an orphan that exited but was not reaped yet counts as gone. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it is only not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const state = procStat(pid)?.[0] ?? psField(pid, 'state')?.[0];
  return state !== 'Z' && state !== 'X';
}

/**
 * When the process started, as an opaque token: a pid that names another process later (pids are
 * reused, in containers soon) has another token.
 */
export function startToken(pid: number): string | undefined {
  // Field 22 of /proc/<pid>/stat, the start time in clock ticks since boot; index 19 after the name.
  return procStat(pid)?.[19] ?? psField(pid, 'lstart');
}

/** The process's arguments, argv[0] first. */
export function commandLine(pid: number): string[] | undefined {
  if (HAS_PROC) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return undefined;
    }
  }
  return psField(pid, 'args')?.split(/\s+/);
}

/** Every process of the machine (of this pid namespace), with its arguments. */
export function allProcesses(): { pid: number; args: string[] }[] {
  const pids = HAS_PROC
    ? readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
    : (psOutput(['-A', '-o', 'pid=']) ?? '').split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
  return pids.flatMap((pid) => {
    const args = commandLine(pid);
    return args && args.length > 0 ? [{ pid, args }] : [];
  });
}

/** Waits until the process is gone; false if it is still running after `ms`. */
export async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Sends `signal`, then `forceSignal` after `graceMs`; true once the process is gone. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, forceSignal: NodeJS.Signals, graceMs: number): Promise<boolean> {
  const send = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone meanwhile
    }
  };
  send(signal);
  if (await waitUntilGone(pid, graceMs)) return true;
  send(forceSignal);
  return waitUntilGone(pid, 10_000);
}

function procStat(pid: number): string[] | undefined {
  if (!HAS_PROC) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name, in parentheses, may hold spaces: the fields that follow are after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function psField(pid: number, field: 'state' | 'lstart' | 'args'): string | undefined {
  if (HAS_PROC) return undefined;
  return psOutput(['-o', `${field}=`, '-p', String(pid)])?.trim() || undefined;
}

function psOutput(args: string[]): string | undefined {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
