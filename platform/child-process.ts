import type { ChildProcess } from 'node:child_process';

/**
 * Ties a server we spawned to our own life: if this process exits without stopping it (a crash, a
 * second Ctrl-C, process.exit on an error path), the server is still told to shut down. Returns the
 * function that undoes the tie, for when the server was stopped properly.
 */
export function stopWithThisProcess(child: ChildProcess, signal: NodeJS.Signals): () => void {
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

/** Sends `signal` and waits for the process to end; `forceSignal` after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, forceSignal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill(forceSignal), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** The last lines a child wrote, for error messages when it fails to start. */
export class RecentOutput {
  private readonly lines: string[] = [];
  constructor(private readonly keep = 30) {}
  add(chunk: Buffer | string, each?: (line: string) => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
      each?.(line);
    }
  }
  toString(): string {
    return this.lines.join('\n');
  }
}
