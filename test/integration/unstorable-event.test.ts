import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainRefusalIn } from '../../api/problem-details.js';
import { dossierCommandUpdate, dossierWorkflowId } from '../../workflows/dossier.js';
import { findStuckDossiers } from '../../worker/stuck-dossiers.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

// An append PostgreSQL refuses for good (a value it cannot hold, a constraint that will never pass)
// fails its one command at once, instead of retrying for ever behind a client's 503: nothing is
// recorded, the workflow keeps running with no activity retrying, and the dossier takes its next
// command. The API validates text before a command reaches its dossier, so these tests get an
// unstorable event to the append another way: a NUL sent to the workflow directly (PostgreSQL's
// jsonb refuses it, SQLSTATE 22P05), and a test-only trigger that refuses events carrying a marker.

const NOT_STORABLE_MARKER = `unstorable-${randomUUID().slice(0, 8)}`;
const CONSTRAINT_MARKER = `constrained-${randomUUID().slice(0, 8)}`;
const RETRYABLE_MARKER = `contended-${randomUUID().slice(0, 8)}`;

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'unstorable-event', commandTimeoutMs: 20_000 });
  // Refuses, as PostgreSQL refuses a NUL in jsonb, any event whose payload carries the marker; and,
  // as a CHECK constraint would, any that carries the other; a third fails as a lost race does, every time.
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION test_refuse_marked_events() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.payload::text LIKE '%${NOT_STORABLE_MARKER}%' THEN
           RAISE EXCEPTION 'unsupported Unicode escape sequence' USING ERRCODE = 'untranslatable_character';
         END IF;
         IF NEW.payload::text LIKE '%${CONSTRAINT_MARKER}%' THEN
           RAISE EXCEPTION 'new row for relation "events" violates check constraint "test_marker"' USING ERRCODE = 'check_violation';
         END IF;
         IF NEW.payload::text LIKE '%${RETRYABLE_MARKER}%' THEN
           RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';
         END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER test_refuse_marked_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_events();`,
    )
    .execute(engine.db);
});
afterAll(async () => {
  await sql.raw('DROP TRIGGER IF EXISTS test_refuse_marked_events ON events; DROP FUNCTION IF EXISTS test_refuse_marked_events();').execute(engine.db).catch(() => undefined);
  await engine?.close();
});

async function eventCount(dossierCode: string): Promise<number> {
  const row = await engine.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('stream_id', '=', dossierCode).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function eventsOfCentre(centre: string): Promise<number> {
  const row = await engine.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('stream_id', 'like', `${centre}-%`).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The workflow is running and no activity of it is retrying. */
async function expectHealthy(dossierCode: string): Promise<void> {
  const description = await engine.temporal.workflow.getHandle(dossierWorkflowId(dossierCode)).describe();
  expect(description.status.name).toBe('RUNNING');
  expect(description.raw.pendingActivities ?? []).toEqual([]);
}

async function receivedDossier() {
  const centre = await engine.newCentre();
  const desk = { userId: 'unstorable-desk', role: 'reception' as const, agencyCode: centre };
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre), await authAs(desk));
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  return { centre, desk, code: received.json.dossierCode as string };
}

describe('an event PostgreSQL refuses for good', () => {
  it('fails a command whose text holds a NUL at once, records nothing, and the dossier takes its next command', async () => {
    const { desk, code } = await receivedDossier();
    const started = Date.now();
    // Past the API's validation, as a client of the workflow itself would send it.
    const failure = await engine.temporal.workflow
      .getHandle(dossierWorkflowId(code))
      .executeUpdate(dossierCommandUpdate, {
        args: [{ type: 'RefuseAtReception', commandId: randomUUID(), actor: desk, dossierCode: code, reasons: ['Không thuộc thẩm quyền\u0000'], legalBasis: 'Nghị định 01/2021/NĐ-CP' }],
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(domainRefusalIn(failure)).toMatchObject({ code: 'EVENT_NOT_STORABLE', message: expect.stringMatching(/SQLSTATE 22P05/) });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await eventCount(code)).toBe(1);
    await expectHealthy(code);

    const next = await postCommand(`${engine.url}/dossiers/${code}/refuse-at-reception`, desk, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 01/2021/NĐ-CP' });
    expect(next.status, JSON.stringify(next.json)).toBe(200);
    expect(await eventCount(code)).toBe(2);
  });

  it('answers the API’s command with 422 EVENT_NOT_STORABLE, and the next valid command succeeds', async () => {
    const { desk, code } = await receivedDossier();
    const started = Date.now();
    const refused = await postCommand(`${engine.url}/dossiers/${code}/request-supplement-at-reception`, desk, { missing: [{ description: `Giấy đề nghị ${NOT_STORABLE_MARKER}`, reason: 'Thiếu chữ ký' }] });
    expect(refused.status, JSON.stringify(refused.json)).toBe(422);
    expect(refused.json).toMatchObject({ code: 'EVENT_NOT_STORABLE', type: 'urn:motcua:problem:not-storable' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await eventCount(code)).toBe(1);
    await expectHealthy(code);

    const next = await postCommand(`${engine.url}/dossiers/${code}/request-supplement-at-reception`, desk, { missing: [{ description: 'Giấy đề nghị', reason: 'Thiếu chữ ký' }] });
    expect(next.status, JSON.stringify(next.json)).toBe(200);
    expect(await eventCount(code)).toBe(2);
  });

  it('answers 500 with a request id when a constraint, not the input, refuses the append', async () => {
    const { desk, code } = await receivedDossier();
    const refused = await postCommand(`${engine.url}/dossiers/${code}/request-supplement-at-reception`, desk, { missing: [{ description: `Giấy đề nghị ${CONSTRAINT_MARKER}`, reason: 'Thiếu chữ ký' }] });
    expect(refused.status, JSON.stringify(refused.json)).toBe(500);
    expect(refused.json.detail).toMatch(/request id/);
    expect(await eventCount(code)).toBe(1);
    await expectHealthy(code);
    const next = await postCommand(`${engine.url}/dossiers/${code}/request-supplement-at-reception`, desk, { missing: [{ description: 'Giấy đề nghị', reason: 'Thiếu chữ ký' }] });
    expect(next.status, JSON.stringify(next.json)).toBe(200);
  });

  it('refuses such a reception with no event, and a retry under the same Idempotency-Key gets the same refusal', async () => {
    const centre = await engine.newCentre();
    const desk = { userId: 'unstorable-desk', role: 'reception' as const, agencyCode: centre };
    const headers = { ...(await authAs(desk)), 'idempotency-key': `unstorable-${randomUUID()}` };
    const body = receptionBody(centre, { applicant: { ...receptionBody(centre).applicant, address: `thôn Đông ${NOT_STORABLE_MARKER}` } });
    const first = await postJson(`${engine.url}/dossiers`, body, headers);
    expect(first.status, JSON.stringify(first.json)).toBe(422);
    expect(first.json.code).toBe('EVENT_NOT_STORABLE');
    const retried = await postJson(`${engine.url}/dossiers`, body, headers);
    expect(retried.status, JSON.stringify(retried.json)).toBe(422);
    expect(retried.json.code).toBe('EVENT_NOT_STORABLE');
    expect(await eventsOfCentre(centre)).toBe(0);

    // The desk mends the input and receives the dossier, under a new key.
    const mended = await postJson(`${engine.url}/dossiers`, receptionBody(centre), { ...(await authAs(desk)), 'idempotency-key': `unstorable-${randomUUID()}` });
    expect(mended.status, JSON.stringify(mended.json)).toBe(201);
    await expectHealthy(mended.json.dossierCode);
  });
});

describe('a dossier whose activity keeps failing', () => {
  it('is listed for the operator with its activity, attempt and last failure', async () => {
    const { desk, code } = await receivedDossier();
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    // A failure a retry could cure (a serialization failure), which here never is.
    await handle.startUpdate(dossierCommandUpdate, {
      args: [{ type: 'RequestSupplementAtReception', commandId: randomUUID(), actor: desk, dossierCode: code, missing: [{ description: `Giấy đề nghị ${RETRYABLE_MARKER}`, reason: 'Thiếu chữ ký' }] }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    try {
      const deadline = Date.now() + 60_000;
      let listed: Awaited<ReturnType<typeof findStuckDossiers>> = [];
      while (Date.now() < deadline) {
        listed = (await findStuckDossiers(engine.temporal)).filter((entry) => entry.dossierCode === code);
        if (listed.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(listed).toEqual([
        { kind: 'dossier', dossierCode: code, workflowId: dossierWorkflowId(code), activityType: 'appendDossierEvents', attempt: expect.any(Number), lastFailure: expect.stringMatching(/could not serialize access/), lastFailedAt: expect.any(String) },
      ]);
      expect(listed[0]!.attempt).toBeGreaterThanOrEqual(3);
      expect(await eventCount(code)).toBe(1);
    } finally {
      await handle.terminate('test over: its append can never pass');
    }
  });
});

describe('text that cannot be stored, at the boundary of the real API', () => {
  it('refuses a NUL or a lone surrogate in a reception with 400 before any code is allocated', async () => {
    const centre = await engine.newCentre();
    const headers = { ...(await authAs({ userId: 'unstorable-desk', role: 'reception', agencyCode: centre })), 'idempotency-key': `unstorable-${randomUUID()}` };
    const body = receptionBody(centre);
    // Escaped in the JSON text, as a client's JSON encoder writes them; fetch would replace a raw surrogate.
    const withNul = JSON.stringify(body).replace('thôn Đông', 'thôn Đông\\u0000');
    const withSurrogate = JSON.stringify(body).replace('Nguyễn Thị Hoa', '\\ud800Nguyễn');
    for (const raw of [withNul, withSurrogate]) {
      const answer = await postJson(`${engine.url}/dossiers`, raw, headers);
      expect(answer.status, JSON.stringify(answer.json)).toBe(400);
      expect(answer.json.type).toBe('urn:motcua:problem:validation-failed');
    }
    const serials = await engine.db.selectFrom('dossier_daily_serials').selectAll().where('agency_code', '=', centre).execute();
    expect(serials).toEqual([]);
    // The key is not held by the refusals: the mended request goes through under it.
    const mended = await postJson(`${engine.url}/dossiers`, body, headers);
    expect(mended.status, JSON.stringify(mended.json)).toBe(201);
  });
});
