import { WorkflowUpdateFailedError } from '@temporalio/client';
import os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionNameFor } from '../../db/database.js';
import { parseDossierCode } from '../../domain/dossier/dossier-code.js';
import { dossierStateQuery, dossierWorkflowId, receiveDossierUpdate } from '../../workflows/dossier.js';
import { authAs, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { PausableProxy } from '../support/pausable-proxy.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// The worker is a separate process here, as in production, so it can really die: SIGKILL, with
// activities in flight. Two windows are forced, not hoped for:
// - appends inside open transactions (a table lock holds them) when the worker dies: rolled back,
//   then run again by the next worker;
// - appends committed whose completion the worker could not report (it talks to Temporal through a
//   proxy that drops its bytes from then on): the next worker must find them in the log (the append
//   runs in the worker, so the next one decides again, conflicts and catches up with the log).

let engine: TestEngine;
const workers: WorkerProcess[] = [];
let lock: pg.Client;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'crash', worker: false });
  lock = new pg.Client({ connectionString: inject('databaseUrl') });
  await lock.connect();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await lock?.end();
  await engine?.close();
});

const startWorker = async (temporalAddress: string = inject('temporalAddress')) => {
  const worker = await startWorkerProcess(engine.taskQueue, temporalAddress);
  workers.push(worker);
  return worker;
};

async function eventCount(agencyCode: string): Promise<number> {
  const { rows } = await lock.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1', [`${agencyCode}-%`]);
  return rows[0]!.n;
}

/** Appends of this worker process (not of other test files' workers) waiting on the lock. */
async function appendsWaitingOnLock(worker: WorkerProcess): Promise<number> {
  // Inside a transaction PostgreSQL caches pg_stat_activity: drop the cache to see now.
  await lock.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await lock.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
    [sessionNameFor('motcua-worker', os.hostname(), worker.child.pid)],
  );
  return rows[0]!.n;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds every append inside its transaction (events inserted, not committed) until `release`. */
async function holdAppends(): Promise<{ release: () => Promise<void> }> {
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE dossier_summary IN EXCLUSIVE MODE');
  return { release: async () => void (await lock.query('COMMIT')) };
}

/** Whether the append activity of this dossier's workflow answered "already stored". */
/**
 * Whether the dossier's workflow found its append already in the log: a remote append's retry that
 * found its events stored, or (the append runs in the worker) the next worker's catch-up with the
 * log, which answers the command with the outcome the log holds.
 */
async function appendFoundInLog(code: string): Promise<boolean> {
  const history = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).fetchHistory();
  return (history.events ?? []).some((event) => {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'readDossierEvents') return true;
    const payload = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
    return payload ? JSON.parse(Buffer.from(payload).toString()).alreadyStored === true : false;
  });
}

describe('a worker killed mid-flight', () => {
  it('is replaced, and every dossier completes with exactly one event', async () => {
    const agencyCode = await engine.newCentre();
    const applicantName = 'Vũ Thị Kín Đáo';
    const body = receptionBody(agencyCode, { applicant: { kind: 'citizen', fullName: applicantName, identityNumber: '036185000777' } });
    const desk = await authAs({ userId: 'letan.crash', role: 'reception', agencyCode });
    const first = await startWorker();

    const done = await Promise.all(Array.from({ length: 4 }, () => postJson(`${engine.url}/dossiers`, body, desk)));
    expect(done.map((r) => r.status)).toEqual([201, 201, 201, 201]);

    // Window 1: killed while appends are inside open transactions.
    const held = await holdAppends();
    const caughtUncommitted = Array.from({ length: 6 }, () => postJson(`${engine.url}/dossiers`, body, desk));
    await until(async () => (await appendsWaitingOnLock(first)) >= 1, 'appends blocked on the lock');
    await first.kill();
    await held.release();
    expect(await eventCount(agencyCode)).toBe(4);

    // Window 2: appends commit after the worker lost its voice to Temporal, then the worker dies.
    const proxy = await PausableProxy.start(inject('temporalAddress'));
    const second = await startWorker(proxy.address);
    await expect(Promise.all(caughtUncommitted)).resolves.toHaveLength(6);
    const heldAgain = await holdAppends();
    const caughtUnreported = Array.from({ length: 6 }, () => postJson(`${engine.url}/dossiers`, body, desk));
    await until(async () => (await appendsWaitingOnLock(second)) >= 1, 'appends blocked on the lock');
    proxy.pause();
    await heldAgain.release();
    await until(async () => (await eventCount(agencyCode)) > 10, 'appends committed after the worker lost its voice');
    await second.kill();
    await proxy.close();

    await startWorker();
    const responses = [...done, ...(await Promise.all(caughtUncommitted)), ...(await Promise.all(caughtUnreported))];
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(201));

    const codes = responses.map((r) => r.json.dossierCode as string);
    expect(codes.map((code) => parseDossierCode(code)!.serial).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const rows = await engine.db.selectFrom('events').select(['stream_id', 'stream_version']).where('stream_id', 'in', codes).execute();
    expect(rows).toHaveLength(16);
    expect(rows.every((row) => row.stream_version === 1)).toBe(true);
    const summaries = await engine.db.selectFrom('dossier_summary').select('dossier_code').where('agency_code', '=', agencyCode).execute();
    expect(summaries).toHaveLength(16);

    // The appends committed during the freeze were found in the log by the new worker.
    const unreportedCodes = responses.slice(10).map((r) => r.json.dossierCode as string);
    const recognised = await Promise.all(unreportedCodes.map(appendFoundInLog));
    expect(recognised.filter(Boolean).length).toBeGreaterThanOrEqual(1);

    // The new worker rebuilt each dossier's state from history: it knows the dossier is received.
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(codes[0]!));
    expect(await handle.query(dossierStateQuery)).toMatchObject({ streamVersion: 1, state: { status: 'received' } });
    const again = handle.executeUpdate(receiveDossierUpdate, {
      args: [
        {
          ...body,
          type: 'ReceiveDossier',
          commandId: 'repeat-after-crash',
          actor: { userId: 'test', role: 'reception', agencyCode },
          dossierCode: codes[0]!,
          receivedAt: new Date().toISOString(),
        },
      ],
    });
    await expect(again).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(again).rejects.toMatchObject({ cause: { type: 'DOSSIER_ALREADY_RECEIVED' } });
    expect(await eventCount(agencyCode)).toBe(16);

    // What the worker processes logged holds no personal data.
    const workerLogs = workers.flatMap((worker) => worker.output).join('\n');
    expect(workerLogs).toContain('worker running');
    expect(workerLogs).not.toContain(applicantName);
    expect(workerLogs).not.toContain('036185000777');
  });
});
