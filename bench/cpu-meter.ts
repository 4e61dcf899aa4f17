// Where a benchmark's CPU goes, by process: CPU seconds (user + system, from /proc) that each
// group of processes spent between two snapshots. Groups are the engine's own processes by pid,
// and the Temporal server and PostgreSQL found by name, so the figure covers every backend.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuGroups = Readonly<Record<string, (process: { readonly pid: number; readonly comm: string; readonly cmdline: string }) => boolean>>;

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

/** A process's command name and CPU seconds so far (user + system), from /proc/<pid>/stat. */
function statOf(pid: number): { readonly comm: string; readonly cpuSeconds: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields are counted after it.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND }; // utime, stime
}

/** CPU seconds a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  return statOf(pid).cpuSeconds;
}

/** CPU seconds per group, now: processes that exited since are not counted. */
function snapshot(groups: CpuGroups): Map<string, number> {
  const totals = new Map<string, number>(Object.keys(groups).map((name) => [name, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm, cpuSeconds: seconds } = statOf(Number(entry));
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const process = { pid: Number(entry), comm, cmdline };
      for (const [name, matches] of Object.entries(groups)) {
        if (matches(process)) {
          totals.set(name, totals.get(name)! + seconds);
          break;
        }
      }
    } catch {
      // The process ended between listing and reading.
    }
  }
  return totals;
}

/** Starts measuring; `stop()` answers the CPU seconds each group spent since. */
export function cpuMeter(groups: CpuGroups): { stop(): Record<string, number> } {
  const before = snapshot(groups);
  return {
    stop() {
      const after = snapshot(groups);
      return Object.fromEntries([...after].map(([name, seconds]) => [name, Math.max(0, seconds - (before.get(name) ?? 0))]));
    },
  };
}
