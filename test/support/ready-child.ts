// A process of the engine's started by a test (a worker, a relay): waits for the line that says it
// runs, keeps its output for the failure message, and ends it as a crash (SIGKILL) or a stop (SIGTERM) would.
import type { ChildProcess } from 'node:child_process';

export interface ReadyChild {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Ends it at once, as a crash or an OOM kill would: no draining, no goodbye. */
  kill(): Promise<void>;
  /** Graceful stop: in-flight tasks finish first. */
  stop(): Promise<void>;
}

export async function untilReady(child: ChildProcess, readyLine: string, what: string): Promise<ReadyChild> {
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s:\n${output.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (chunk.toString().includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} while starting:\n${output.join('\n')}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, output, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
