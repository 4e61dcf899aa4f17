import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRunning, startToken } from './local-processes.js';

// One `npm start` per data folder. The launcher that starts servers in the folder writes its pid
// (and its start time, so a reused pid is not taken for it) to `launcher.pid` there. A later launcher
// that finds the file decides: its owner is alive (refuse, naming the pid) or gone, killed before it
// could clean up (take the folder over, and with it whatever servers that owner left running:
// dev/orphaned-servers.ts).

export const LAUNCHER_LOCK_FILE = 'launcher.pid';

interface LauncherOwner {
  readonly pid: number;
  readonly started?: string;
}

export interface LauncherLock {
  /** The launcher that held the folder before and is gone; absent when the folder was free. */
  readonly previousOwner?: number;
  release(): void;
}

export class DataFolderBusyError extends Error {
  override readonly name = 'DataFolderBusyError';
  constructor(dataDir: string, readonly ownerPid: number) {
    super(
      `another \`npm start\` (pid ${ownerPid}) is running on the data folder ${dataDir}. ` +
        `Stop it first (Ctrl-C in its terminal, or kill ${ownerPid}), or set MOTCUA_DATA_DIR to another folder.`,
    );
  }
}

export function acquireLauncherLock(dataDir: string): LauncherLock {
  const file = path.join(dataDir, LAUNCHER_LOCK_FILE);
  const me: LauncherOwner = { pid: process.pid, ...withStarted(startToken(process.pid)) };
  // Written whole to a file of our own, then linked into place: link fails if the lock exists, and
  // nobody ever reads a half-written lock.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  let previousOwner: number | undefined;
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        linkOrCreate(mine, file, me);
        const release = () => {
          if (readOwner(file)?.pid === me.pid && readOwner(file)?.started === me.started) unlinkSync(file);
        };
        return { ...(previousOwner ? { previousOwner } : {}), release };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(file);
      if (owner && isAlive(owner)) throw new DataFolderBusyError(dataDir, owner.pid);
      // Stale. Move it aside rather than delete it: of two launchers racing here, one moves it and
      // the other finds it gone; and a lock moved by mistake (a live launcher's, written meanwhile)
      // is put back.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = readOwner(aside);
      if (moved && isAlive(moved)) {
        try {
          linkSync(aside, file);
        } finally {
          unlinkSync(aside);
        }
        throw new DataFolderBusyError(dataDir, moved.pid);
      }
      unlinkSync(aside);
      previousOwner = moved?.pid ?? owner?.pid;
    }
    throw new Error(`could not take ${file}: other launchers keep writing it`);
  } finally {
    unlinkSync(mine);
  }
}

// Some mounted file systems have no hard links: there, an exclusive create (written in two steps)
// does the same job.
function linkOrCreate(mine: string, file: string, me: LauncherOwner): void {
  try {
    linkSync(mine, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    writeFileSync(file, `${JSON.stringify(me)}\n`, { mode: 0o644, flag: 'wx' });
  }
}

function isAlive(owner: LauncherOwner): boolean {
  if (owner.pid === process.pid) return false; // a previous life of a reused pid, not us
  if (!isRunning(owner.pid)) return false;
  return owner.started === undefined || startToken(owner.pid) === owner.started;
}

function readOwner(file: string): LauncherOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LauncherOwner>;
    if (!Number.isInteger(parsed.pid) || (parsed.pid as number) <= 0) return undefined;
    return { pid: parsed.pid as number, ...withStarted(typeof parsed.started === 'string' ? parsed.started : undefined) };
  } catch {
    return undefined;
  }
}

function withStarted(started: string | undefined): { started?: string } {
  return started === undefined ? {} : { started };
}
