import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLauncherLock, DataFolderBusyError, LAUNCHER_LOCK_FILE } from '../../dev/launcher-lock.js';
import { startToken } from '../../dev/local-processes.js';

// One `npm start` per data folder: a live owner refuses the next, a dead one (or a reused pid) does not.

let dir: string;
const lockFile = () => path.join(dir, LAUNCHER_LOCK_FILE);
const ownedBy = (owner: unknown) => writeFileSync(lockFile(), `${JSON.stringify(owner)}\n`);

/** Another live process, as another launcher would be. */
async function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  return { pid: child.pid!, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL'))) };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the launcher lock', () => {
  it('takes a free folder, writes our pid, and gives it back', () => {
    const lock = acquireLauncherLock(dir);
    expect(lock.previousOwner).toBeUndefined();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    expect(acquireLauncherLock(dir).previousOwner).toBeUndefined();
  });

  it('refuses while a live launcher owns the folder, naming its pid', async () => {
    const other = await otherProcess();
    try {
      ownedBy({ pid: other.pid, started: startToken(other.pid) });
      expect(() => acquireLauncherLock(dir)).toThrow(DataFolderBusyError);
      expect(() => acquireLauncherLock(dir)).toThrow(`(pid ${other.pid})`);
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: other.pid });
    } finally {
      await other.stop();
    }
  });

  it('takes over from a launcher that is gone', async () => {
    const other = await otherProcess();
    const owner = { pid: other.pid, started: startToken(other.pid) };
    await other.stop();
    ownedBy(owner);
    const lock = acquireLauncherLock(dir);
    expect(lock.previousOwner).toBe(owner.pid);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over when the recorded pid now names another process (pids are reused)', async () => {
    const other = await otherProcess();
    try {
      ownedBy({ pid: other.pid, started: 'an earlier life' });
      expect(acquireLauncherLock(dir).previousOwner).toBe(other.pid);
    } finally {
      await other.stop();
    }
  });

  it('takes over an unreadable lock, and one naming this very process', () => {
    writeFileSync(lockFile(), 'not json');
    acquireLauncherLock(dir);
    ownedBy({ pid: process.pid, started: 'an earlier life' });
    expect(acquireLauncherLock(dir).previousOwner).toBe(process.pid);
  });
});
