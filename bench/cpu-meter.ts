// Where a benchmark's CPU goes, by process: CPU seconds (user + system, from /proc) that each group
// of processes spent between two snapshots. A group is named by its root pids, the engine's own
// processes, the Temporal server's and PostgreSQL's postmaster, and counts their descendants too
// (PostgreSQL's backends), with the children they have reaped since, so a backend that ended between
// the snapshots is still counted. Only the given processes count: the machine is shared, and
// another PostgreSQL or Temporal on it is not ours.
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuGroup {
  /** The group's processes now (a restarted process has a new pid). */
  readonly roots: () => readonly number[];
  /** Also count every descendant of the roots (PostgreSQL's backends). */
  readonly withDescendants: boolean;
}

export type CpuGroups = Readonly<Record<string, CpuGroup>>;

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

interface ProcessStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in seconds. */
  readonly own: number;
  /** cutime + cstime: the children it has waited for, in seconds. */
  readonly reaped: number;
}

/** A process's parent and CPU seconds so far, from /proc/<pid>/stat. */
function statOf(pid: number): ProcessStat {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const seconds = (index: number) => Number(fields[index]) / TICKS_PER_SECOND;
  return { pid, ppid: Number(fields[1]), own: seconds(11) + seconds(12), reaped: seconds(13) + seconds(14) };
}

/** CPU seconds a process has used so far (user + system, itself only). */
export function cpuSecondsOf(pid: number): number {
  return statOf(pid).own;
}

function processTable(): ProcessStat[] {
  const table: ProcessStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      table.push(statOf(Number(entry)));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return table;
}

/** CPU seconds per group, now. */
function snapshot(groups: CpuGroups): Map<string, number> {
  const table = processTable();
  const byPid = new Map(table.map((stat) => [stat.pid, stat]));
  const children = new Map<number, ProcessStat[]>();
  for (const stat of table) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const totals = new Map<string, number>();
  for (const [name, group] of Object.entries(groups)) {
    const seen = new Set<number>();
    let seconds = 0;
    const visit = (stat: ProcessStat) => {
      if (seen.has(stat.pid)) return;
      seen.add(stat.pid);
      seconds += stat.own;
      if (!group.withDescendants) return;
      seconds += stat.reaped;
      for (const child of children.get(stat.pid) ?? []) visit(child);
    };
    for (const pid of group.roots()) {
      const stat = byPid.get(pid);
      if (stat) visit(stat);
    }
    totals.set(name, seconds);
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
