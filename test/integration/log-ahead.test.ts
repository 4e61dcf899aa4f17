import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDossierEventActivities } from '../../activities/dossier-events.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { LifecycleCommand, ReceiveDossier } from '../../domain/dossier/commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import { evolveDossier, foldDossier, newDossier } from '../../domain/dossier/state.js';
import { appendToStream } from '../../db/event-store.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { dossierStateQuery, dossierWorkflowId } from '../../workflows/dossier.js';
import { CannotResume, resumeDossier } from '../../worker/resume-dossier.js';
import { completeComponents } from '../support/dossier-fixtures.js';
import { authAs, documentsIssued, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { startWorkerProcess } from '../support/worker-process.js';

// The event log is the dossier's record; a workflow run only holds a copy of it. A run that ends
// (terminated by an operator, say) after its append committed but before it recorded the command's
// outcome leaves the log ahead of Temporal. The retried command then starts a new run at version 0,
// whose append finds version 1 taken: the run folds the log, answers the retry with the outcome the
// log shows, and carries on with the dossier as it is.

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'log-ahead', worker: false, commandTimeoutMs: 2_000 });
});
afterAll(async () => {
  await engine?.close();
});

async function storedEvents(dossierCode: string) {
  return engine.db.selectFrom('events').select(['stream_version', 'type', 'payload', 'metadata']).where('stream_id', '=', dossierCode).orderBy('stream_version').execute();
}

/** A reception desk at a centre of its own, and a dossier it has received (a worker must run). */
async function receivedDossier(userId: string) {
  const centre = await engine.newCentre();
  const desk = { userId, role: 'reception' as const, agencyCode: centre };
  const headers = await authAs(desk);
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  return { centre, desk, headers, code: received.json.dossierCode as string };
}

/**
 * Appends commands' events as a run that died after its appends would have left them: decided by
 * the rules on the dossier as the log has it, through the append activity (read models with them)
 * or, with `readModels: false`, into the log alone. Returns the log's version and the state.
 */
async function appendAsLostRun(code: string, desk: Actor, commands: readonly LifecycleCommand[], { readModels }: { readModels: boolean }) {
  const at = new Date().toISOString();
  const stored = await storedEvents(code);
  let state = foldDossier(newDossier(code), stored.map((row) => asDossierEvent({ type: row.type, schemaVersion: 1, data: row.payload })));
  let version = stored.length;
  const append = createDossierEventActivities({ db: engine.db }).appendDossierEvents;
  for (const command of commands) {
    const decision = decideDossier(state, command, { now: at });
    if (!decision.ok) throw new Error(decision.error.message);
    const events = decision.events.map((event) => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: { actor: desk, commandId: command.commandId }, occurredAt: at }));
    if (readModels) await append({ dossierCode: code, expectedVersion: version, events });
    else await appendToStream(engine.db, code, version, events);
    version += decision.events.length;
    for (const event of decision.events) state = evolveDossier(state, event);
  }
  return { version, state };
}

describe('a workflow run behind its dossier’s log', () => {
  it('answers a retried reception with the outcome the log holds, and carries on from the log', async () => {
    const centre = await engine.newCentre();
    const desk = { userId: 'log-ahead-desk', role: 'reception' as const, agencyCode: centre };
    const key = 'lost-run';
    const headers = { ...(await authAs(desk)), 'idempotency-key': key };
    const body = receptionBody(centre);

    // No worker: the reception is held, and its code allocated.
    const held = await postJson(`${engine.url}/dossiers`, body, headers);
    expect(held.status).toBe(503);
    const code = held.headers.get('location')!.replace('/dossiers/', '');

    // The lost run: its append committed (through the same activity), then the run was terminated
    // before it recorded the update's outcome.
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    await handle.terminate('test: the run ends between its append and the update’s outcome');
    const receivedAt = new Date(Date.now() - 60_000).toISOString();
    const lost: ReceiveDossier = { ...body, type: 'ReceiveDossier', commandId: `${desk.userId}/${key}`, actor: desk, dossierCode: code, receivedAt, centre: { name: 'Trung tâm Phục vụ hành chính công' } };
    const decision = decideDossier(newDossier(code), lost, { now: receivedAt });
    if (!decision.ok) throw new Error(decision.error.message);
    await createDossierEventActivities({ db: engine.db }).appendDossierEvents({
      dossierCode: code,
      expectedVersion: 0,
      events: decision.events.map((event) => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: { actor: desk, commandId: lost.commandId }, occurredAt: receivedAt })),
    });

    const worker = await startWorkerProcess(engine.taskQueue);
    try {
      const retried = await postJson(`${engine.url}/dossiers`, body, headers);
      expect(retried.status, JSON.stringify(retried.json)).toBe(201);
      expect(retried.json).toMatchObject({ dossierCode: code, status: 'received', streamVersion: 1 });
      // Nothing doubled: the log keeps the lost run's event, with its time.
      const afterRetry = await storedEvents(code);
      expect(afterRetry.map((row) => row.type)).toEqual(['DossierReceived']);
      expect((afterRetry[0]!.payload as { receivedAt: string }).receivedAt).toBe(receivedAt);

      // The new run carries on from version 1: the acceptance appends after it, then its receipt.
      const accepted = await postJson(`${engine.url}/dossiers/${code}/accept`, { components: completeComponents('1.001193') }, await authAs(desk));
      expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
      expect(accepted.json.events).toContain('DossierAccepted');
      expect(accepted.json.streamVersion).toBe(1 + accepted.json.events.length);
      const documents = await documentsIssued(engine.url, code, ['form-01'], await authAs(desk));
      expect(documents.map((document) => document.kind)).toEqual(['form-01']);
      const runs: string[] = [];
      for await (const execution of engine.temporal.workflow.list({ query: `WorkflowId = '${dossierWorkflowId(code)}'` })) runs.push(execution.status.name);
      expect(runs.sort()).toEqual(['RUNNING', 'TERMINATED']);
      await keepHistory('catch-up-after-conflict', code);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('catches up before it judges a command the log allows and the run’s copy would refuse', async () => {
    const worker = await startWorkerProcess(engine.taskQueue);
    try {
      const { desk, headers, code } = await receivedDossier('behind-desk');
      // A supplement request the run never saw (its run was reset, or Temporal restored from an
      // older backup): the log and the read model are at version 2, the run at 1.
      await appendAsLostRun(code, desk, [{ type: 'RequestSupplementAtReception', commandId: 'lost-supplement-request', actor: desk, dossierCode: code, missing: [{ componentId: 'declaration', description: 'Tờ khai đăng ký khai sinh', reason: 'Thiếu chữ ký' }] }], { readModels: true });

      // The run's copy says nothing was asked for; the log says it was. The supplement is taken.
      const provided = await postJson(`${engine.url}/dossiers/${code}/provide-supplement`, { components: [] }, headers);
      expect(provided.status, JSON.stringify(provided.json)).toBe(200);
      expect(provided.json).toMatchObject({ streamVersion: 3, events: ['SupplementProvided'] });
      // The form 02 the lost request called for is issued by the run that caught up.
      await documentsIssued(engine.url, code, ['form-02'], headers);
      expect((await storedEvents(code)).map((row) => row.type)).toEqual(['DossierReceived', 'SupplementRequestedAtReception', 'SupplementProvided', 'DocumentIssued']);
      await keepHistory('catch-up-with-log', code);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('answers a command its run refuses with what the log says it did, when the log holds it', async () => {
    const worker = await startWorkerProcess(engine.taskQueue);
    try {
      const { desk, headers, code } = await receivedDossier('refused-desk');
      // The log holds a supplement request and the supplement brought (the latter under the key the
      // client will use), as a run that died after its local appends left them; nothing told the
      // run or the read model, so the API's hint cannot help, and the run's copy refuses the
      // supplement as out of order.
      const { version, state } = await appendAsLostRun(
        code,
        desk,
        [
          { type: 'RequestSupplementAtReception', commandId: 'lost-request', actor: desk, dossierCode: code, missing: [{ componentId: 'declaration', description: 'Tờ khai', reason: 'Thiếu chữ ký' }] },
          { type: 'ProvideSupplement', commandId: `${desk.userId}/brought-it`, actor: desk, dossierCode: code, components: [] },
        ],
        { readModels: false },
      );

      const answered = await postJson(`${engine.url}/dossiers/${code}/provide-supplement`, { components: [] }, { ...headers, 'idempotency-key': 'brought-it' });
      expect(answered.status, JSON.stringify(answered.json)).toBe(200);
      expect(answered.json).toMatchObject({ dossierCode: code, streamVersion: version, status: state.status === 'none' ? 'received' : state.status, events: ['SupplementProvided'] });
      expect(answered.headers.get('etag')).toBe(`"${version}"`);
      // The run caught up while answering: it holds the dossier as the log does.
      expect(await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).query(dossierStateQuery)).toMatchObject({ streamVersion: version });
      // Nothing was appended twice.
      expect((await storedEvents(code)).map((row) => row.type)).toEqual(['DossierReceived', 'SupplementRequestedAtReception', 'SupplementProvided']);
      // A command the log does not hold is still refused.
      const refused = await postJson(`${engine.url}/dossiers/${code}/provide-supplement`, { components: [] }, { ...headers, 'idempotency-key': 'never-sent' });
      expect(refused.status).toBe(422);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('resumes, from its log, a dossier whose run an operator terminated past reception', async () => {
    const worker = await startWorkerProcess(engine.taskQueue);
    try {
      const { centre, headers, code } = await receivedDossier('resume-desk');
      const accepted = await postJson(`${engine.url}/dossiers/${code}/accept`, { components: completeComponents('1.001193') }, headers);
      expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
      await documentsIssued(engine.url, code, ['form-01'], headers);
      const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
      await handle.terminate('test: an operator ends the run by hand');

      // With no run, the dossier takes no commands, and the answer says what to do.
      const stuck = await postJson(`${engine.url}/dossiers/${code}/request-withdrawal`, { reason: 'Người nộp xin rút hồ sơ' }, headers);
      expect(stuck.status).toBe(503);
      expect(stuck.json).toMatchObject({ code: 'WORKFLOW_NOT_RUNNING', detail: expect.stringContaining(`npm run dossier:resume -- ${code}`) });
      const logged = (await storedEvents(code)).map((row) => row.type);

      // It returns once the new run has folded the whole log.
      expect(await resumeDossier(engine.temporal, engine.db, engine.taskQueue, code)).toEqual({ outcome: 'resumed', streamVersion: logged.length });
      expect(await handle.query(dossierStateQuery)).toMatchObject({ streamVersion: logged.length, state: { status: 'in-processing' } });
      expect(await resumeDossier(engine.temporal, engine.db, engine.taskQueue, code)).toEqual({ outcome: 'running' });
      await expect(resumeDossier(engine.temporal, engine.db, engine.taskQueue, `${centre}-991231-9999`)).rejects.toThrow(CannotResume);

      // It takes commands again, on the dossier as the log has it, and queued no second receipt.
      const withdrawal = await postJson(`${engine.url}/dossiers/${code}/request-withdrawal`, { reason: 'Người nộp xin rút hồ sơ' }, headers);
      expect(withdrawal.status, JSON.stringify(withdrawal.json)).toBe(200);
      expect(withdrawal.json.streamVersion).toBe(logged.length + withdrawal.json.events.length);
      const documents = await documentsIssued(engine.url, code, ['form-01'], headers);
      expect(documents.map((document) => document.kind)).toEqual(['form-01']);
      await keepHistory('resumed-from-log', code);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});

/** With RECORD_FIXTURES=1, keeps the latest run's history for the replay test (the catch-up's paths). */
async function keepHistory(name: string, code: string): Promise<void> {
  if (process.env.RECORD_FIXTURES !== '1') return;
  const history = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).fetchHistory();
  writeFileSync(new URL(`../fixtures/histories/${name}.json`, import.meta.url), `${JSON.stringify(history, null, 1)}\n`);
}
