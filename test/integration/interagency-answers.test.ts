// The outside systems' answers end to end on real PostgreSQL and Temporal
// (docs/integrations.md#answers-from-the-systems): a dossier whose office step is carried out by
// the land registry; the registry's signed callbacks move it as an officer's commands would, in its
// sequence order whatever order they arrive in; resends are recognised, a changed resend refused;
// an answer stored while Temporal is unreachable stays pending, and the relay's sweep applies it.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { laneAnswers, pollCursorOf, storeAnswers } from '../../db/interagency/answers.js';
import { applyLane } from '../../activities/interagency-answers.js';
import { sendDossierCommand } from '../../api/commands/send-dossier-command.js';
import { commandOfAnswer } from '../../domain/interagency/answer-command.js';
import { prepareAnswers } from '../../integrations/interagency/answer-files.js';
import { interagencyAnswerSchema } from '../../domain/interagency/answer.js';
import { readStream } from '../../db/event-store.js';
import { createDocumentStore } from '../../documents/document-store.js';
import { signAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import type { InteragencyInbound } from '../../integrations/interagency/inbound-config.js';
import { createLogger } from '../../platform/logger.js';
import { startInteragencyInbox } from '../../worker/interagency-inbox.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, CapturedLogs, testDatabase, getJson, postInsisting, receptionBody, startTestEngine, TEST_JWT_SECRET, TEST_LOOKUP_KEY, testPayloadCodec, type TestEngine } from '../support/engine.js';
import { pdfOf } from '../support/file-fixtures.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';
import { createDatabase } from '../../db/database.js';
import { holdAnswers } from '../../db/interagency/answers.js';

const SECRET = 'land-registry-callback-secret-of-the-integration-test';
const config: InteragencyInbound = { systems: { 'land-registry': { callbackSecret: SECRET, answers: 'callback', holdMinutes: 10, baseUrl: 'http://127.0.0.1:1', token: 'unused', pollSeconds: 30 } } };

let engine: TestEngine;
let centre: string;
let office: string;
let procedureCode: string;
let desk: Record<string, string>;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'interagency-answers', documentDirectory: mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-')), interagency: config });
  ({ centre, office, procedureCode } = await loadTestProcedure(engine.db, {
    calendar: ROUND_THE_CLOCK,
    series: '999201',
    clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
    stepBudget: { unit: 'working-days', amount: 3 },
    system: 'land-registry',
  }));
  desk = await authAs(actor('reception', centre));
}, 120_000);
afterAll(() => engine?.close());

/** A dossier received and accepted: its office step is with the land registry. */
async function dossierAtTheRegistry(name: string): Promise<string> {
  const { locality: _locality, ...reception } = receptionBody(centre, { procedureCode });
  const received = await postInsisting(`${engine.url}/dossiers`, reception, desk, `interagency-receive-${name}`);
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  const code = received.json.dossierCode as string;
  const accepted = await postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: [] }, desk, `interagency-accept-${code}`);
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
  return code;
}

const answerOf = (code: string, answerId: string, sequence: number, rest: Record<string, unknown>) => ({ answerId, dossierCode: code, stepId: 'review', run: 1, sequence, at: '2026-12-03T09:00:00+07:00', ...rest });

async function callback(base: string, answers: unknown[], secret = SECRET) {
  const body = JSON.stringify({ answers });
  const response = await fetch(`${base}/interagency/land-registry/answers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-motcua-signature': signAnswerCallback(secret, body) }, body });
  return { status: response.status, json: (await response.json()) as { results?: { answerId: string; outcome: string; code?: string }[]; code?: string } };
}

const eventsOf = async (code: string) => (await readStream(engine.db, code)).map((event) => ({ type: event.type, data: event.data as Record<string, unknown>, actor: event.metadata.actor, commandId: event.metadata.commandId }));

describe('answers of the land registry by callback', () => {
  it('applies progress in sequence order (holding one that came early), recognises resends, refuses a changed one, and completes the step as the system', async () => {
    const code = await dossierAtTheRegistry('flow');

    const first = await callback(engine.url, [answerOf(code, 'ldr-1', 1, { kind: 'progress', status: 'Đã tiếp nhận' })]);
    expect(first).toEqual({ status: 200, json: { results: [{ answerId: 'ldr-1', outcome: 'applied' }] } });

    // 3 before 2: held, then both applied in order when 2 arrives.
    const early = await callback(engine.url, [answerOf(code, 'ldr-3', 3, { kind: 'progress', status: 'Chờ ký' })]);
    expect(early.json.results).toEqual([{ answerId: 'ldr-3', outcome: 'held' }]);
    const late = await callback(engine.url, [answerOf(code, 'ldr-2', 2, { kind: 'progress', status: 'Đang đo đạc' })]);
    expect(late.json.results).toEqual([{ answerId: 'ldr-2', outcome: 'applied' }]);
    const progress = (await eventsOf(code)).filter((event) => event.type === 'ExternalProgressReported');
    expect(progress.map((event) => event.data.status)).toEqual(['Đã tiếp nhận', 'Đang đo đạc', 'Chờ ký']);
    expect(progress.map((event) => event.commandId)).toEqual(['interagency/land-registry/ldr-1', 'interagency/land-registry/ldr-2', 'interagency/land-registry/ldr-3']);
    expect(progress[0]!.actor).toEqual({ userId: 'system:land-registry', role: 'interagency', agencyCode: office });

    // A resend: nothing done again. The same id with another content: refused whole, nothing stored.
    const resend = await callback(engine.url, [answerOf(code, 'ldr-1', 1, { kind: 'progress', status: 'Đã tiếp nhận' })]);
    expect(resend.json.results).toEqual([{ answerId: 'ldr-1', outcome: 'duplicate' }]);
    const changed = await callback(engine.url, [answerOf(code, 'ldr-4', 4, { kind: 'progress', status: 'Mới' }), answerOf(code, 'ldr-1', 1, { kind: 'progress', status: 'Khác' })]);
    expect(changed.status).toBe(409);
    expect(changed.json.code).toBe('INTERAGENCY_ANSWER_CHANGED');
    expect((await laneAnswers(engine.db, 'land-registry', code)).map((row) => row.answerId)).toEqual(['ldr-1', 'ldr-2', 'ldr-3']);
    expect((await eventsOf(code)).filter((event) => event.type === 'ExternalProgressReported')).toHaveLength(3);
    // A changed resend carrying a file: refused before the file is kept, so nothing of it is in the store.
    const stray = await pdfOf(3);
    const withFile = await callback(engine.url, [answerOf(code, 'ldr-1', 1, { kind: 'completed', file: { name: 'khac.pdf', mediaType: 'application/pdf', contentBase64: stray.toString('base64') } })]);
    expect(withFile.status).toBe(409);
    expect(await engine.documentStore.get(createHash('sha256').update(stray).digest('hex'))).toBeUndefined();

    // Completed, with the registry's result file: the step is completed by the system.
    const result = await pdfOf(1);
    const done = await callback(engine.url, [answerOf(code, 'ldr-4', 4, { kind: 'completed', note: 'Đã cập nhật biến động', file: { name: 'giay-chung-nhan.pdf', mediaType: 'application/pdf', contentBase64: result.toString('base64') } })]);
    expect(done.json.results).toEqual([{ answerId: 'ldr-4', outcome: 'applied' }]);
    const completed = (await eventsOf(code)).find((event) => event.type === 'StepCompleted')!;
    expect(completed.actor.userId).toBe('system:land-registry');
    expect(completed.data).toMatchObject({ stepId: 'review', outcome: 'approved', note: 'Đã cập nhật biến động' });
    expect(completed.commandId).toBe('interagency/land-registry/ldr-4');
    // The file is checked and stored; the inbox keeps its StoredFile (the command's resultFile), never its bytes.
    const kept = (await laneAnswers(engine.db, 'land-registry', code)).find((row) => row.answerId === 'ldr-4')!;
    const file = (kept.body as { file: { sha256: string } }).file;
    expect(file).toMatchObject({ mediaType: 'application/pdf', size: result.length, pages: 1, name: 'giay-chung-nhan.pdf' });
    expect(JSON.stringify(kept.body)).not.toContain('contentBase64');
    const stored = await engine.documentStore.get(file.sha256);
    expect(stored?.bytes.equals(result)).toBe(true);

    // An answer for a step already done is refused by the dossier's rules, and kept as refused.
    const after = await callback(engine.url, [answerOf(code, 'ldr-5', 5, { kind: 'sent-back', reason: 'Sai thửa' })]);
    expect(after.json.results?.[0]).toMatchObject({ answerId: 'ldr-5', outcome: 'refused', code: expect.any(String) });

    // The operators' view: every answer and its outcome, no file bytes.
    const admin = await authAs(actor('admin', centre));
    const listed = await getJson(`${engine.url}/dossiers/${code}/interagency-answers`, admin);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((item: { answerId: string; status: string }) => [item.answerId, item.status])).toEqual([
      ['ldr-5', 'refused'],
      ['ldr-4', 'applied'],
      ['ldr-2', 'applied'],
      ['ldr-3', 'applied'],
      ['ldr-1', 'applied'],
    ]);
    expect(JSON.stringify(listed.json)).not.toContain(result.toString('base64').slice(0, 40));
    const stranger = await authAs(actor('head', await engine.newCentre()));
    expect((await getJson(`${engine.url}/dossiers/${code}/interagency-answers`, stranger)).status).toBe(403);
  }, 120_000);

  it('keeps an answer stored while Temporal is unreachable, and the sweep applies it once it answers', async () => {
    const code = await dossierAtTheRegistry('outage');
    // A second API on the same database whose workflow client reaches nothing.
    const logs = new CapturedLogs();
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const cut: App = await buildApp({
      db: engine.db,
      temporal: new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [testPayloadCodec()] } }),
      taskQueue: engine.taskQueue,
      logger: createLogger({ level: 'info', destination: logs }),
      auth: { secret: TEST_JWT_SECRET, audience: 'motcua' },
      lookupKey: TEST_LOOKUP_KEY,
      commandTimeoutMs: 1_500,
      documents: { store: engine.documentStore, trustAnchorFiles: [] },
      temporalCodec: { codec: testPayloadCodec(), callers: 'readers' },
      interagency: config,
    });
    try {
      const base = await cut.listen({ host: '127.0.0.1', port: 0 });
      const answered = await callback(base, [answerOf(code, 'out-1', 1, { kind: 'completed' })]);
      expect(answered.json.results).toEqual([{ answerId: 'out-1', outcome: 'stored' }]);
    } finally {
      await cut.close();
      await connection.close();
    }
    const [pending] = await laneAnswers(engine.db, 'land-registry', code);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });
    expect((await eventsOf(code)).some((event) => event.type === 'StepCompleted')).toBe(false);

    const inbox = startInteragencyInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: createDocumentStore(engine.db), config, logger: createLogger({ level: 'silent', destination: new CapturedLogs() }), loops: false });
    try {
      // Just failed (as of now, whatever the machine's speed): the sweep waits attempts × 5 s before trying the lane again.
      await engine.db.updateTable('interagency_answers').set({ tried_at: new Date() }).where('dossier_code', '=', code).execute();
      await inbox.sweepOnce();
      expect((await laneAnswers(engine.db, 'land-registry', code))[0]).toMatchObject({ status: 'pending', attempts: 1 });
      // Its wait over (the failure moved 10 s back), the sweep applies it.
      await engine.db.updateTable('interagency_answers').set({ tried_at: new Date(Date.now() - 10_000) }).where('dossier_code', '=', code).execute();
      await inbox.sweepOnce();
    } finally {
      await inbox.stop();
    }
    const [applied] = await laneAnswers(engine.db, 'land-registry', code);
    expect(applied).toMatchObject({ status: 'applied', attempts: 2, lastError: null });
    const completed = (await eventsOf(code)).filter((event) => event.type === 'StepCompleted');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.commandId).toBe('interagency/land-registry/out-1');
  }, 120_000);
});

describe('an answer applied before a crash', () => {
  it('is settled applied from the dossier\'s log, not refused because the step has run again since', async () => {
    // A route whose system step can be sent back and run again: the office's check, then the registry's review.
    const twoStages = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999202',
      clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
      stepBudget: { unit: 'working-days', amount: 3 },
      system: 'land-registry',
      checkFirst: true,
    });
    const reception = await authAs(actor('reception', twoStages.centre));
    const { locality: _locality, ...body } = receptionBody(twoStages.centre, { procedureCode: twoStages.procedureCode });
    const received = await postInsisting(`${engine.url}/dossiers`, body, reception, 'interagency-receive-crash');
    expect(received.status, JSON.stringify(received.json)).toBe(201);
    const code = received.json.dossierCode as string;
    expect((await postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: [] }, reception, `interagency-accept-${code}`)).status).toBe(200);
    const quiet = createLogger({ level: 'silent', destination: new CapturedLogs() });
    const deps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: quiet };
    const officer = actor('officer', twoStages.office);
    const byOfficer = async (commandId: string, command: Record<string, unknown>) => {
      const sent = await sendDossierCommand(deps, { commandId: `${code}/${commandId}`, actor: officer, dossierCode: code, ...command } as Parameters<typeof sendDossierCommand>[1]);
      expect(sent.kind, JSON.stringify(sent)).toBe('answered');
    };
    await byOfficer('check-1', { type: 'CompleteStep', stepId: 'check', outcome: 'approved' });

    const answer = interagencyAnswerSchema.parse({ ...answerOf(code, 'crash-1', 1, { kind: 'progress', status: 'Đang đo đạc' }) });
    await storeAnswers(engine.db, 'land-registry', 'callback', await prepareAnswers(engine.documentStore, 'land-registry', [answer]), { onChanged: 'refuse' });
    // The process applied the answer's command, then died before settling the inbox row.
    const applied = await sendDossierCommand(deps, commandOfAnswer('land-registry', answer, twoStages.office, {}));
    expect(applied.kind, JSON.stringify(applied)).toBe('answered');
    expect((await laneAnswers(engine.db, 'land-registry', code))[0]).toMatchObject({ answerId: 'crash-1', status: 'pending' });
    // Meanwhile the officers sent the step back, and it runs again: run 1 has ended.
    await byOfficer('back-1', { type: 'SendStepBack', stepId: 'review', reason: 'Cần kiểm tra lại' });
    await byOfficer('check-2', { type: 'CompleteStep', stepId: 'check', outcome: 'approved' });

    const outcomes = await applyLane({ ...deps, holdMsOf: () => 600_000 }, 'land-registry', code);
    expect(outcomes?.get('crash-1')).toEqual({ outcome: 'applied' });
    expect((await laneAnswers(engine.db, 'land-registry', code))[0]).toMatchObject({ answerId: 'crash-1', status: 'applied', outcomeCode: null });
    expect((await eventsOf(code)).filter((event) => event.commandId === 'interagency/land-registry/crash-1').map((event) => event.type)).toEqual(['ExternalProgressReported']);
  }, 120_000);
});

describe('the hold', () => {
  it('applies an answer whose predecessor never came once its hold has passed, with a warning, and the predecessor after it if it comes', async () => {
    const code = await dossierAtTheRegistry('hold');
    expect((await callback(engine.url, [answerOf(code, 'hold-2', 2, { kind: 'progress', status: 'Đang đo đạc' })])).json.results).toEqual([{ answerId: 'hold-2', outcome: 'held' }]);
    const logs = new CapturedLogs();
    // The lane as the sweep applies it, with its clock moved on (only this dossier's lane: other tests' holds are theirs).
    const sweepAt = (minutesLater: number) => applyLane({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: createLogger({ level: 'info', destination: logs }), holdMsOf: () => 10 * 60_000, now: () => new Date(Date.now() + minutesLater * 60_000) }, 'land-registry', code);
    await sweepAt(9);
    expect((await laneAnswers(engine.db, 'land-registry', code))[0]).toMatchObject({ answerId: 'hold-2', status: 'held' });
    await sweepAt(11);
    expect((await laneAnswers(engine.db, 'land-registry', code))[0]).toMatchObject({ answerId: 'hold-2', status: 'applied' });
    const warning = logs.lines.find((line) => line.includes('without its predecessor'))!;
    expect(JSON.parse(warning)).toMatchObject({ level: 40, system: 'land-registry', answerId: 'hold-2', sequence: 2 });
    expect(warning).not.toContain('Đang đo đạc');
    // The predecessor comes late: applied after it, marked late.
    expect((await callback(engine.url, [answerOf(code, 'hold-1', 1, { kind: 'progress', status: 'Đã tiếp nhận' })])).json.results).toEqual([{ answerId: 'hold-1', outcome: 'applied' }]);
    expect((await eventsOf(code)).filter((event) => event.type === 'ExternalProgressReported').map((event) => event.data.status)).toEqual(['Đang đo đạc', 'Đã tiếp nhận']);
  }, 120_000);
});

describe('two processes on one lane', () => {
  it('apply each answer once and in order when two appliers with their own pools run the same lane at once', async () => {
    const code = await dossierAtTheRegistry('concurrent');
    const answers = [5, 3, 1, 4, 2].map((sequence) => interagencyAnswerSchema.parse(answerOf(code, `cc-${sequence}`, sequence, { kind: 'progress', status: `Bước ${sequence}` })));
    await storeAnswers(engine.db, 'land-registry', 'callback', await prepareAnswers(engine.documentStore, 'land-registry', answers), { onChanged: 'refuse' });
    const other = testDatabase(4);
    try {
      const applier = (db: typeof engine.db) => ({ db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: createLogger({ level: 'silent', destination: new CapturedLogs() }), holdMsOf: () => 600_000 });
      const runs = await Promise.all([applyLane(applier(engine.db), 'land-registry', code), applyLane(applier(other), 'land-registry', code), applyLane(applier(other), 'land-registry', code)]);
      // Whoever held the lane applied it; the others found it taken or found nothing left.
      expect(runs.filter((run) => run !== undefined).length).toBeGreaterThanOrEqual(1);
    } finally {
      await other.destroy();
    }
    const progress = (await eventsOf(code)).filter((event) => event.type === 'ExternalProgressReported');
    expect(progress.map((event) => event.data.status)).toEqual(['Bước 1', 'Bước 2', 'Bước 3', 'Bước 4', 'Bước 5']);
    expect((await laneAnswers(engine.db, 'land-registry', code)).map((row) => [row.answerId, row.status, row.attempts])).toEqual([1, 2, 3, 4, 5].map((sequence) => [`cc-${sequence}`, 'applied', 1]));
  }, 120_000);
});

describe('answers of the tax authority by polling', () => {
  it('stores a page with its cursor, applies it in sequence order, keeps the cursor on a malformed page and on an empty one', async () => {
    const tax = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999202',
      clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
      stepBudget: { unit: 'working-days', amount: 3 },
      system: 'tax',
    });
    const taxDesk = await authAs(actor('reception', tax.centre));
    const { locality: _locality, ...reception } = receptionBody(tax.centre, { procedureCode: tax.procedureCode });
    const received = await postInsisting(`${engine.url}/dossiers`, reception, taxDesk, 'interagency-poll-receive');
    const code = received.json.dossierCode as string;
    expect((await postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: [] }, taxDesk, `interagency-poll-accept-${code}`)).status).toBe(200);

    // The tax authority's side: pages by cursor, the first one served malformed once.
    const asked: string[] = [];
    let malformedOnce = true;
    const pages: Record<string, unknown> = {
      '': { answers: [answerOf(code, 'tax-2', 2, { kind: 'progress', status: 'Đang tính thuế' }), answerOf(code, 'tax-1', 1, { kind: 'progress', status: 'Đã nhận phiếu chuyển' })], next: 'c1' },
      c1: { answers: [answerOf(code, 'tax-3', 3, { kind: 'completed', note: 'Đã xác định nghĩa vụ tài chính' })], next: 'c2' },
      c2: { answers: [], next: null },
    };
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (request.headers.authorization !== 'Bearer tax-token' || url.pathname !== '/answers' || url.searchParams.get('limit') !== '50') {
        response.writeHead(401).end();
        return;
      }
      const after = url.searchParams.get('after') ?? '';
      asked.push(after);
      const page = after === '' && malformedOnce ? { answers: [{ kind: 'bogus' }], next: 'c9' } : pages[after];
      if (after === '') malformedOnce = false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taxConfig: InteragencyInbound = { systems: { tax: { callbackSecret: 'unused-for-polling', answers: 'poll', holdMinutes: 10, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'tax-token', pollSeconds: 3600 } } };
    const logs = new CapturedLogs();
    const inbox = startInteragencyInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, config: taxConfig, logger: createLogger({ level: 'info', destination: logs }), loops: false });
    try {
      expect(await inbox.pollOnce('tax')).toEqual({ stored: 0 });
      expect(await pollCursorOf(engine.db, 'tax')).toBeNull();
      expect(logs.lines.join('')).toContain('the page is not the contract');

      expect(await inbox.pollOnce('tax')).toEqual({ stored: 2 });
      expect(await pollCursorOf(engine.db, 'tax')).toBe('c1');
      expect((await eventsOf(code)).filter((event) => event.type === 'ExternalProgressReported').map((event) => event.data.status)).toEqual(['Đã nhận phiếu chuyển', 'Đang tính thuế']);

      expect(await inbox.pollOnce('tax')).toEqual({ stored: 1 });
      expect(await pollCursorOf(engine.db, 'tax')).toBe('c2');
      const completed = (await eventsOf(code)).find((event) => event.type === 'StepCompleted')!;
      expect(completed.actor).toEqual({ userId: 'system:tax', role: 'interagency', agencyCode: tax.office });

      expect(await inbox.pollOnce('tax')).toEqual({ stored: 0 });
      expect(await pollCursorOf(engine.db, 'tax')).toBe('c2');
      expect(asked).toEqual(['', '', 'c1', 'c2']);
      expect((await laneAnswers(engine.db, 'tax', code)).map((row) => [row.answerId, row.via, row.status])).toEqual([
        ['tax-1', 'poll', 'applied'],
        ['tax-2', 'poll', 'applied'],
        ['tax-3', 'poll', 'applied'],
      ]);
    } finally {
      await inbox.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
  it('sweeps a lane with an answer pending before lanes that only hold answers for a predecessor, however old', async () => {
    // A database of its own: the sweep reads every lane.
    const db = createDatabase({ connectionString: await databaseOfItsOwn(), poolSize: 4, applicationName: 'motcua-test-sweep-order' });
    const inbox = startInteragencyInbox({ db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, config: { systems: {} }, logger: createLogger({ level: 'silent', destination: new CapturedLogs() }), loops: false, lanesPerSweep: 1 });
    try {
      const held = '000.00.99.H99-261203-0001';
      const pending = '000.00.99.H99-261203-0002';
      const store = async (code: string, id: string, sequence: number) => storeAnswers(db, 'land-registry', 'callback', await prepareAnswers(engine.documentStore, 'land-registry', [interagencyAnswerSchema.parse(answerOf(code, id, sequence, { kind: 'progress', status: 'Đang xử lý' }))]), { onChanged: 'refuse' });
      // The older lane waits for its sequence 1, which has not come.
      await store(held, 'old-held-2', 2);
      await holdAnswers(db, 'land-registry', ['old-held-2']);
      await store(pending, 'new-pending-1', 1);
      expect(await inbox.sweepOnce()).toEqual({ lanes: 1 });
      expect((await laneAnswers(db, 'land-registry', pending)).map((row) => [row.answerId, row.status, row.outcomeCode])).toEqual([['new-pending-1', 'refused', 'DOSSIER_NOT_RECEIVED']]);
      expect((await laneAnswers(db, 'land-registry', held)).map((row) => row.status)).toEqual(['held']);
    } finally {
      await inbox.stop();
      await db.destroy();
    }
  });

  it("polls a system through its adapter's pollAnswers, the port a deployment implements for a real system, not the reference contract's HTTP", async () => {
    // The reference contract's address answers nothing: only the adapter is asked.
    const config: InteragencyInbound = { systems: { 'civil-status': { callbackSecret: 'unused-for-polling', answers: 'poll', holdMinutes: 10, baseUrl: 'http://127.0.0.1:9', token: 'unused', pollSeconds: 3600, timeoutMs: 500 } } };
    const code = `000.00.99.H99-261203-${String(Date.now()).slice(-7)}`;
    const asked: (string | null)[] = [];
    const pollAnswers = async (after: string | null) => {
      asked.push(after);
      const answers = after === null ? [interagencyAnswerSchema.parse(answerOf(code, `hotich-${code}`, 1, { kind: 'progress', status: 'Đã tiếp nhận' }))] : [];
      return { answers, next: after === null ? 'p1' : null };
    };
    const inbox = startInteragencyInbox({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, store: engine.documentStore, config, pollers: { 'civil-status': pollAnswers }, logger: createLogger({ level: 'silent', destination: new CapturedLogs() }), loops: false });
    try {
      // From the start, whatever an earlier run of this test left.
      await engine.db.deleteFrom('interagency_poll_cursors').where('system', '=', 'civil-status').execute();
      expect(await inbox.pollOnce('civil-status')).toEqual({ stored: 1 });
      expect(asked).toEqual([null]);
      expect(await pollCursorOf(engine.db, 'civil-status')).toBe('p1');
      expect((await laneAnswers(engine.db, 'civil-status', code)).map((row) => [row.via, row.status, row.outcomeCode])).toEqual([['poll', 'refused', 'DOSSIER_NOT_RECEIVED']]);
    } finally {
      await inbox.stop();
    }
  });
});
