import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeComponents } from '../support/dossier-fixtures.js';
import { sweepIdempotencyKeys } from '../../db/idempotency-keys.js';
import { authAs, getJson, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { startWorkerProcess } from '../support/worker-process.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';

// With no worker to run a dossier's workflow, Temporal holds a command for ever. The API gives up
// after its deadline with a 503 that says the command may still take effect, and the retry under
// the same Idempotency-Key, once a worker is back, gets the one outcome: nothing done twice.

const DEADLINE_MS = 2_000;
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'deadline', worker: false, commandTimeoutMs: DEADLINE_MS });
});
afterAll(async () => {
  await engine?.close();
});

async function streamEvents(dossierCode: string): Promise<string[]> {
  const rows = await engine.db.selectFrom('events').select('type').where('stream_id', '=', dossierCode).orderBy('stream_version').execute();
  return rows.map((row) => row.type);
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a command whose workflow does not answer', () => {
  it('gets a 503 after the deadline, and its retry under the same key acts once', async () => {
    const centre = await engine.newCentre();
    const reception = { userId: 'deadline-desk', role: 'reception' as const, agencyCode: centre };
    const headers = await authAs(reception);

    const started = Date.now();
    const unanswered = await postJson(`${engine.url}/dossiers`, receptionBody(centre), { ...headers, 'idempotency-key': 'deadline-receive' });
    const waited = Date.now() - started;
    expect(unanswered.status).toBe(503);
    expect(unanswered.json).toMatchObject({ type: 'urn:motcua:problem:not-answered', code: 'COMMAND_NOT_ANSWERED' });
    expect(unanswered.json.detail).toContain('same Idempotency-Key');
    expect(unanswered.headers.get('retry-after')).toBe('5');
    expect(waited).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(engine.logs.text).toContain('command not answered in time');

    // Without a key, the answer names the code this attempt allocated, to read before resending.
    const unkeyed = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
    expect(unkeyed.status).toBe(503);
    const unkeyedCode = unkeyed.headers.get('location')!.replace('/dossiers/', '');
    expect(unkeyedCode).toMatch(new RegExp(`^${centre.replaceAll('.', '\\.')}-\\d{6}-0002$`));
    expect(unkeyed.json.detail).toContain(`allocated dossier code ${unkeyedCode}`);
    expect(unkeyed.json.detail).toContain('Do not receive this dossier again');
    expect(unkeyed.headers.get('retry-after')).toBeNull();
    // The read model does not know it yet: why the answer says not to go by a 404.
    expect((await getJson(`${engine.url}/dossiers/${unkeyedCode}`, headers)).status).toBe(404);

    // The hourly sweep runs in between: the released key keeps the code its first attempt allocated.
    await sweepIdempotencyKeys(engine.db);

    const worker = await startWorkerProcess(engine.taskQueue);
    let dossierCode: string;
    try {
      const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre), { ...headers, 'idempotency-key': 'deadline-receive' });
      expect(received.status).toBe(201);
      dossierCode = received.json.dossierCode;
      // The code the first attempt allocated: serial 1 at a centre of its own.
      expect(dossierCode).toMatch(new RegExp(`^${centre.replaceAll('.', '\\.')}-\\d{6}-0001$`));
      expect(await streamEvents(dossierCode)).toEqual(['DossierReceived']);
      // The unanswered reception without a key took effect once a worker came: as the 503 warned.
      await until(async () => (await streamEvents(unkeyedCode)).length === 1);
      expect(await streamEvents(unkeyedCode)).toEqual(['DossierReceived']);
    } finally {
      await worker.stop();
    }

    // A lifecycle command on a dossier whose worker has gone: the same, through executeUpdate.
    const accept = { components: completeComponents('1.001193') };
    const acceptKey = { ...headers, 'idempotency-key': 'deadline-accept' };
    const notAccepted = await postJson(`${engine.url}/dossiers/${dossierCode}/accept`, accept, acceptKey);
    expect(notAccepted.status).toBe(503);
    expect(notAccepted.json.code).toBe('COMMAND_NOT_ANSWERED');
    expect(notAccepted.json.detail).toContain('same Idempotency-Key');
    // Another dossier, so the two held commands cannot race each other when the worker is back.
    const unkeyedAccept = await postJson(`${engine.url}/dossiers/${unkeyedCode}/accept`, accept, headers);
    expect(unkeyedAccept.status).toBe(503);
    expect(unkeyedAccept.json.detail).toContain('If-Match');

    const again = await startWorkerProcess(engine.taskQueue);
    try {
      const accepted = await postJson(`${engine.url}/dossiers/${dossierCode}/accept`, accept, acceptKey);
      expect(accepted.status).toBe(200);
      expect(accepted.json.events).toContain('DossierAccepted');
      const replayed = await postJson(`${engine.url}/dossiers/${dossierCode}/accept`, accept, acceptKey);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      const events = await streamEvents(dossierCode);
      expect(events.filter((type) => type === 'DossierAccepted')).toHaveLength(1);
      expect(events.filter((type) => type === 'DossierReceived')).toHaveLength(1);
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('answers a late retry of a reception whose dossier has ended since with its first outcome, starting nothing', async () => {
    const centre = await engine.newCentre();
    const headers = { ...(await authAs({ userId: 'late-desk', role: 'reception' as const, agencyCode: centre })), 'idempotency-key': 'late-retry' };
    const unanswered = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
    expect(unanswered.status).toBe(503);
    const code = unanswered.headers.get('location')!.replace('/dossiers/', '');

    const worker = await startWorkerProcess(engine.taskQueue);
    try {
      // The held reception takes effect; then the dossier's workflow ends (as after its evaluation
      // window) before the client retries. Temporal knows the update id in the ended run and answers
      // its outcome: no second run begins at version 0.
      // Wait for the update's completion in the history, not just the event in the store: the
      // append commits before the workflow records the update's outcome.
      const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
      await until(async () => ((await handle.fetchHistory()).events ?? []).some((event) => event.workflowExecutionUpdateCompletedEventAttributes));
      expect(await streamEvents(code)).toEqual(['DossierReceived']);
      await handle.terminate('test: the dossier ended');
      const ended = await handle.describe();
      const late = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
      expect(late.status).toBe(201);
      expect(late.json).toMatchObject({ dossierCode: code, streamVersion: 1 });
      const after = await handle.describe();
      expect([after.runId, after.status.name]).toEqual([ended.runId, 'TERMINATED']);
      expect(await streamEvents(code)).toEqual(['DossierReceived']);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
