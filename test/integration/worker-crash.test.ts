import { WorkflowUpdateFailedError } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDossierCode } from '../../domain/dossier/dossier-code.js';
import { dossierStateQuery, dossierWorkflowId, receiveDossierUpdate } from '../../workflows/dossier.js';
import { postJson, receptionBody, startTestEngine, type TestEngine, uniqueAgencyCode } from '../support/engine.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// The worker is a separate process here, as in production, so it can really die: SIGKILL, with
// activities and workflow tasks in flight. Temporal hands the work to the next worker; the event
// store's idempotent append makes a re-run activity find its own events instead of doubling them.

let engine: TestEngine;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  engine = await startTestEngine({ name: 'crash', worker: false });
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await engine?.close();
});

async function eventCount(agencyCode: string): Promise<number> {
  const row = await engine.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stream_id', 'like', `${agencyCode}-%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('a worker killed mid-flight', () => {
  it('is replaced and every dossier completes, with no event lost or doubled', async () => {
    const agencyCode = uniqueAgencyCode();
    const first = await startWorkerProcess(engine.taskQueue);
    workers.push(first);

    // Some dossiers complete before the crash.
    const done = await Promise.all(Array.from({ length: 4 }, () => postJson(`${engine.url}/dossiers`, receptionBody(agencyCode))));
    expect(done.map((r) => r.status)).toEqual([201, 201, 201, 201]);

    // The rest are caught mid-append: a lock on the projection table holds their transactions open
    // (events inserted, not committed) when the worker dies.
    const lock = new pg.Client({ connectionString: inject('databaseUrl') });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE dossier_summary IN EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 12 }, () => postJson(`${engine.url}/dossiers`, receptionBody(agencyCode)));
    const deadline = Date.now() + 30_000;
    while ((await appendsWaitingOnLock(lock)) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await appendsWaitingOnLock(lock)).toBeGreaterThanOrEqual(1);
    await first.kill();
    await lock.query('COMMIT');
    await lock.end();
    expect(await eventCount(agencyCode)).toBe(4);

    const second = await startWorkerProcess(engine.taskQueue);
    workers.push(second);
    const responses = [...done, ...(await Promise.all(inFlight))];
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(201));

    const codes = responses.map((r) => r.json.dossierCode as string);
    expect(codes.map((code) => parseDossierCode(code)!.serial).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const rows = await engine.db.selectFrom('events').select(['stream_id', 'stream_version']).where('stream_id', 'in', codes).execute();
    expect(rows).toHaveLength(16);
    expect(rows.every((row) => row.stream_version === 1)).toBe(true);
    const summaries = await engine.db.selectFrom('dossier_summary').select('dossier_code').where('agency_code', '=', agencyCode).execute();
    expect(summaries).toHaveLength(16);

    // The new worker rebuilt each dossier's state from history: it knows the dossier is received.
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(codes[0]!));
    expect(await handle.query(dossierStateQuery)).toMatchObject({ streamVersion: 1, state: { status: 'received' } });
    const again = handle.executeUpdate(receiveDossierUpdate, {
      args: [
        {
          type: 'ReceiveDossier',
          commandId: 'repeat-after-crash',
          actor: { userId: 'test', role: 'reception', agencyCode },
          dossierCode: codes[0]!,
          receivedAt: new Date().toISOString(),
          ...receptionBody(agencyCode),
        },
      ],
    });
    await expect(again).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(again).rejects.toMatchObject({ cause: { type: 'DOSSIER_ALREADY_RECEIVED' } });
    expect(await eventCount(agencyCode)).toBe(16);
  });
});

async function appendsWaitingOnLock(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'motcua-worker' AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n ?? 0;
}
