import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/free-port.js';
import { allProcesses, isRunning, stopProcess } from '../../dev/local-processes.js';
import { readPostmasterLock } from '../../dev/postgres-server.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { authAs, getJson, postJson, receptionBody, TEST_JWT_SECRET } from '../support/engine.js';

// `npm start` killed outright (SIGKILL: no exit handler runs) leaves its PostgreSQL and Temporal dev
// server running, each in a process group of its own. The next `npm start` on the same data folder
// must stop them cleanly and come up on the same data; a second one while the first lives must refuse.
// The launcher runs as `npm start` runs it (dev/start.ts under tsx), in a throw-away data folder.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE_DESK = { userId: 'letan.crash', role: 'reception' as const, agencyCode: '000.01.01.H99' };
const APPLICANT = 'Đỗ Văn Bí Mật';

interface Launcher {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

let dataDir: string;
let apiPort: number;
let uiPort: number;
const launchers: Launcher[] = [];

function launch(port: number): Launcher {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'DATABASE_URL' || name === 'TEMPORAL_ADDRESS' || name.startsWith('MOTCUA_')) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/start.ts'], {
    cwd: ROOT,
    env: { ...env, MOTCUA_DATA_DIR: dataDir, PORT: String(port), TEMPORAL_UI_PORT: String(uiPort), MOTCUA_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own, so the clean-up can end it and anything it spawned in the same group.
    detached: true,
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const launcher = { child, output, exited };
  launchers.push(launcher);
  return launcher;
}

async function untilReady(launcher: Launcher): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (launcher.child.exitCode !== null) throw new Error(`the launcher exited (${launcher.child.exitCode}) while starting:\n${launcher.output.join('\n')}`);
    const ready = await fetch(`http://127.0.0.1:${apiPort}/ready`).then((response) => response.status === 200, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the launcher was not ready within 150 s:\n${launcher.output.join('\n')}`);
}

/** Processes running on this test's data folder: the servers a launcher started there. */
const serversOnDataFolder = () => allProcesses().filter(({ args }) => args.some((arg) => arg.startsWith(dataDir)));

const temporalServerPid = () => serversOnDataFolder().find(({ args }) => args.includes('start-dev'))?.pid;

/** The launcher's JSON log lines whose message holds `message`. */
function logged(launcher: Launcher, message: string): Record<string, unknown>[] {
  return launcher.output.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return String(entry.msg).includes(message) ? [entry] : [];
    } catch {
      return []; // not a log line (a runtime warning, say)
    }
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-launcher-'));
  // Under root, PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  apiPort = await freePort();
  uiPort = await freePort();
});

afterAll(async () => {
  for (const { child } of launchers) {
    if (child.exitCode === null && child.signalCode === null && child.pid) await stopProcess(child.pid, 'SIGTERM', 'SIGKILL', 30_000);
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is empty already
    }
  }
  // Whatever a failed test left behind on the data folder.
  await Promise.all(serversOnDataFolder().map(({ pid }) => stopProcess(pid, 'SIGKILL', 'SIGKILL', 5_000)));
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('npm start after a launcher was killed with SIGKILL', () => {
  let second: Launcher;

  it('stops the servers the dead launcher left running, starts them again, and the data is still there', async () => {
    const first = launch(apiPort);
    await untilReady(first);
    const desk = await authAs(SAMPLE_DESK);
    const received = await postJson(`http://127.0.0.1:${apiPort}/dossiers`, receptionBody(SAMPLE_DESK.agencyCode, { applicant: { kind: 'citizen', fullName: APPLICANT, identityNumber: '036185000999' } }), desk);
    expect(received.status).toBe(201);
    const code = received.json.dossierCode as string;

    const postgresPid = readPostmasterLock(path.join(dataDir, 'postgres'))!.pid;
    const temporalPid = temporalServerPid();
    expect(temporalPid).toBeDefined();
    first.child.kill('SIGKILL');
    await first.exited;
    // What made the issue: the servers outlive their launcher.
    expect(isRunning(postgresPid)).toBe(true);
    const temporalOutlived = isRunning(temporalPid!);

    second = launch(apiPort);
    await untilReady(second);
    const tookOver = logged(second, 'left running on this data folder');
    expect(tookOver).toContainEqual(expect.objectContaining({ serverPid: postgresPid, previousLauncher: first.child.pid, msg: expect.stringContaining('PostgreSQL') }));
    if (temporalOutlived) expect(tookOver).toContainEqual(expect.objectContaining({ serverPid: temporalPid, msg: expect.stringContaining('Temporal') }));
    expect(isRunning(postgresPid)).toBe(false);
    expect(isRunning(temporalPid!)).toBe(false);
    expect(readPostmasterLock(path.join(dataDir, 'postgres'))!.pid).not.toBe(postgresPid);

    // PostgreSQL kept the dossier's events, Temporal its workflow, and both take new work.
    const integrity = await getJson(`http://127.0.0.1:${apiPort}/dossiers/${code}/integrity`, desk);
    expect(integrity).toMatchObject({ status: 200, json: { intact: true, events: 1 } });
    const temporalAddress = logged(second, 'Temporal dev server started')[0]!.address as string;
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const described = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: dossierWorkflowId(code) } });
      expect(described.workflowExecutionInfo?.execution?.workflowId).toBe(dossierWorkflowId(code));
    } finally {
      await connection.close();
    }
    const next = await postJson(`http://127.0.0.1:${apiPort}/dossiers`, receptionBody(SAMPLE_DESK.agencyCode), desk);
    expect(next.status).toBe(201);

    const log = [...first.output, ...second.output].join('\n');
    expect(log).not.toContain(APPLICANT);
    expect(log).not.toContain('036185000999');
  }, 400_000);

  it('refuses a second launcher while the first lives, naming its pid, and leaves nothing running once stopped', async () => {
    const intruder = launch(await freePort());
    expect(await intruder.exited).toBe(1);
    expect(intruder.output.join('\n')).toContain(`another \`npm start\` (pid ${second.child.pid}) is running on the data folder`);
    expect((await fetch(`http://127.0.0.1:${apiPort}/ready`)).status).toBe(200);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'launcher.pid'), 'utf8'))).toMatchObject({ pid: second.child.pid });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(serversOnDataFolder()).toEqual([]);
    expect(() => readFileSync(path.join(dataDir, 'launcher.pid'))).toThrow();
  }, 120_000);
});
