import { realpathSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { acquireLauncherLock, type LauncherLock } from './launcher-lock.js';
import { allProcesses, commandLine, isRunning, stopProcess } from './local-processes.js';
import { readPostmasterLock } from './postgres-server.js';

// A launcher killed outright (kill -9, the OOM killer, a closed CI job) cannot stop the servers it
// started: they run in process groups of their own, so they outlive it, holding the data folder's
// PostgreSQL cluster and Temporal's SQLite file. The next launcher of that folder, once it holds
// the folder (dev/launcher-lock.ts: no live launcher owns it), stops them cleanly and starts them
// again, so no one has to hunt them down by hand. Only servers running on this folder's own files
// are touched.

export interface DataFolderServers {
  readonly dataDir: string;
  /** The PostgreSQL cluster folder, when this launcher runs PostgreSQL. */
  readonly clusterDir?: string;
  /** Temporal's SQLite file, when this launcher runs the Temporal dev server. */
  readonly temporalDbFile?: string;
}

/**
 * Takes the data folder for this launcher and stops what a dead one left running in it. Refuses
 * (DataFolderBusyError) when a live launcher holds the folder.
 */
export async function claimDataFolder(servers: DataFolderServers, logger: Logger): Promise<LauncherLock> {
  const lock = acquireLauncherLock(servers.dataDir);
  try {
    await Promise.all([
      servers.clusterDir ? stopOrphanedPostgres(servers.clusterDir, lock.previousOwner, logger) : undefined,
      servers.temporalDbFile ? stopOrphanedTemporal(servers.temporalDbFile, lock.previousOwner, logger) : undefined,
    ]);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

async function stopOrphanedPostgres(clusterDir: string, previousLauncher: number | undefined, logger: Logger): Promise<void> {
  const postmaster = readPostmasterLock(clusterDir);
  if (!postmaster || !isRunning(postmaster.pid)) return; // none, or a stale file PostgreSQL clears itself
  const args = commandLine(postmaster.pid);
  if (args && !path.basename(args[0] ?? '').startsWith('postgres')) {
    // The pid was reused by an unrelated process (common after a container restart); PostgreSQL
    // would refuse to start while its lock names a live pid.
    logger.warn({ serverPid: postmaster.pid }, 'postmaster.pid names a process that is not PostgreSQL: removing the stale file');
    unlinkSync(path.join(clusterDir, 'postmaster.pid'));
    return;
  }
  if (!args || !sameFile(postmaster.dataDir, clusterDir)) {
    throw new Error(`postmaster.pid in ${clusterDir} names pid ${postmaster.pid}, which could not be confirmed as this folder's PostgreSQL: stop it by hand, or set MOTCUA_DATA_DIR to another folder.`);
  }
  const left = { serverPid: postmaster.pid, previousLauncher: previousLauncher ?? 'unknown' };
  logger.warn(left, 'PostgreSQL was left running on this data folder by an `npm start` that is gone: stopping it (fast shutdown) to start it again');
  const started = Date.now();
  // SIGINT is PostgreSQL's fast shutdown (what `pg_ctl stop -m fast` sends); SIGQUIT, the immediate
  // one, only if that hangs: the next start then recovers from the WAL.
  if (!(await stopProcess(postmaster.pid, 'SIGINT', 'SIGQUIT', 30_000))) {
    throw new Error(`the PostgreSQL server (pid ${postmaster.pid}) left running on ${clusterDir} did not stop: stop it by hand.`);
  }
  logger.info({ serverPid: postmaster.pid, seconds: (Date.now() - started) / 1000 }, 'orphaned PostgreSQL stopped');
}

async function stopOrphanedTemporal(dbFile: string, previousLauncher: number | undefined, logger: Logger): Promise<void> {
  // `temporal server start-dev` leaves no pid file: it is known by the SQLite file it was given.
  const orphans = allProcesses().filter(({ pid, args }) => {
    if (pid === process.pid || !args.includes('start-dev')) return false;
    const at = args.indexOf('--db-filename');
    return at >= 0 && args[at + 1] !== undefined && sameFile(args[at + 1]!, dbFile);
  });
  for (const { pid } of orphans) {
    logger.warn({ serverPid: pid, previousLauncher: previousLauncher ?? 'unknown' }, 'the Temporal dev server was left running on this data folder by an `npm start` that is gone: stopping it to start it again');
    const started = Date.now();
    if (!(await stopProcess(pid, 'SIGTERM', 'SIGKILL', 15_000))) {
      throw new Error(`the Temporal dev server (pid ${pid}) left running on ${dbFile} did not stop: stop it by hand.`);
    }
    logger.info({ serverPid: pid, seconds: (Date.now() - started) / 1000 }, 'orphaned Temporal dev server stopped');
  }
}

function sameFile(a: string, b: string): boolean {
  const resolve = (file: string) => {
    try {
      return realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  return resolve(a) === resolve(b);
}
