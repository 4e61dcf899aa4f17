// What the reads show of a step carried out in an outside system, on the real servers: a birth
// registration of the sample's version 2026.2 (its step done in the civil-status system). The
// system's answers go through the same path as the API's commands (api/commands/send-dossier-command.ts),
// as the inbox's applier sends them; the summary, the control slip, the receiving centre's queue and
// the audit's projection check then agree (docs/deadlines.md#steps-carried-out-by-another-agencys-system).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DossierCommandRequest, sendDossierCommand } from '../../api/commands/send-dossier-command.js';
import { checkDossierProjections } from '../../db/projection-check.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { interagencyUserId } from '../../domain/interagency/systems.js';
import { actor, completeComponents } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';

const BIRTH = '1.001193';
const CENTRE = '000.01.01.H99';
const JUSTICE = '000.02.01.H99';
const civilStatus: Actor = { userId: interagencyUserId('civil-status'), role: 'interagency', agencyCode: JUSTICE };
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'external-reads' });
});
afterAll(() => engine?.close());

type AnswerCommand = DossierCommandRequest extends infer C ? (C extends unknown ? Omit<C, 'commandId' | 'actor'> : never) : never;

/** A system's answer, sent as the inbox's applier sends it. */
async function answer(command: AnswerCommand, by: Actor = civilStatus) {
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined, fatal: () => undefined, child: () => log, level: 'info', silent: () => undefined } as never;
  const outcome = await sendDossierCommand({ db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 30_000, log }, { ...command, commandId: `interagency/${by.userId.slice('system:'.length)}/${randomUUID()}`, actor: by } as DossierCommandRequest);
  if (outcome.kind !== 'answered') throw new Error(`${command.type}: ${JSON.stringify(outcome)}`);
  return outcome.answer;
}

describe('a step carried out in the civil-status system', () => {
  it('shows who holds it, its hand-off, progress, answer and registration, on the summary, the slip, the queue and the result', async () => {
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BIRTH }), await authAs(actor('reception', CENTRE)));
    expect(received.status).toBe(201);
    const code: string = received.json.dossierCode;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', CENTRE), { components: completeComponents(BIRTH) })).status).toBe(200);

    // Not handed over yet: the civil-status office's step, as any.
    const waiting = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(waiting).toMatchObject({ procedureVersion: '2026.2', heldBySystems: [], registrations: [], steps: [{ stepId: 'civil-status', system: 'civil-status', handedOffAt: null, answeredAt: null, progress: null }] });
    const followUps = async () => (await getJson(`${engine.url}/agencies/${CENTRE}/queue?kind=follow-up`, await auditor())).json.items.filter((item: { dossierCode: string }) => item.dossierCode === code);
    expect(await followUps()).toEqual([]);

    await answer({ type: 'RecordStepHandOff', dossierCode: code, stepId: 'civil-status', run: 1, system: 'civil-status', reference: 'HT-2026-77' });
    const held = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(held).toMatchObject({ heldBySystems: ['civil-status'], steps: [{ stepId: 'civil-status', system: 'civil-status', handedOffAt: expect.any(String), externalReference: 'HT-2026-77' }] });
    // The receiving centre follows the step up; the civil-status office keeps its own item.
    expect(await followUps()).toMatchObject([{ item: 'follow-up:civil-status#1', kind: 'follow-up', heldBySystem: 'civil-status', overdue: false, task: expect.stringContaining('Hệ thống thông tin đăng ký và quản lý hộ tịch') }]);
    const officeQueue = (await getJson(`${engine.url}/agencies/${JUSTICE}/queue?kind=step`, await auditor())).json.items.filter((item: { dossierCode: string }) => item.dossierCode === code);
    expect(officeQueue).toMatchObject([{ item: 'step:civil-status#1', heldBySystem: 'civil-status' }]);
    const listed = (await getJson(`${engine.url}/dossiers?procedure=${BIRTH}&limit=200`, await auditor())).json.items.find((item: { dossierCode: string }) => item.dossierCode === code);
    expect(listed).toMatchObject({ heldBySystems: ['civil-status'] });

    await answer({ type: 'ReportExternalProgress', dossierCode: code, stepId: 'civil-status', run: 1, status: 'Đang ghi sổ', reportedAt: new Date().toISOString() });
    const registration = { system: 'civil-status' as const, number: '77/2026', book: 'Sổ đăng ký khai sinh 01/2026' };
    const resultFile = { sha256: 'e'.repeat(64), size: 1024, mediaType: 'application/pdf' as const, pages: 1 };
    await answer({ type: 'CompleteStep', dossierCode: code, stepId: 'civil-status', outcome: 'approved', run: 1, registration, resultFile });

    const slip = (await getJson(`${engine.url}/dossiers/${code}/control-slip`, await auditor())).json.steps;
    expect(slip).toMatchObject([
      { stepId: 'civil-status', status: 'completed', system: 'civil-status', externalReference: 'HT-2026-77', handedOffAt: expect.any(String), answeredAt: expect.any(String), progress: { status: 'Đang ghi sổ' }, registration, resultFile },
    ]);
    expect(slip[0].answeredAt).toBe(slip[0].finishedAt);

    expect((await issueSignedResult(engine.url, code, actor('head', JUSTICE), 'GKS-77')).status).toBe(200);
    const decided = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(decided).toMatchObject({ heldBySystems: [], registrations: [{ stepId: 'civil-status', ...registration }] });
    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
  }, 120_000);

  it('offers staff no system-only field: a complete-step body with one has it dropped', async () => {
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BIRTH }), await authAs(actor('reception', CENTRE)));
    const code: string = received.json.dossierCode;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', CENTRE), { components: completeComponents(BIRTH) })).status).toBe(200);
    const completed = await postCommand(`${engine.url}/dossiers/${code}/complete-step`, actor('officer', JUSTICE), { stepId: 'civil-status', outcome: 'approved', registration: { system: 'civil-status', number: '1' }, run: 1 });
    expect(completed.status).toBe(200);
    const slip = (await getJson(`${engine.url}/dossiers/${code}/control-slip`, await auditor())).json.steps;
    expect(slip).toMatchObject([{ stepId: 'civil-status', status: 'completed', registration: null, answeredAt: null }]);
  }, 120_000);

  it("puts an external step that goes overdue on the receiving centre's queue, on the step's own budget", async () => {
    // An office open round the clock and a step of 18 seconds carried out in the tax system.
    const { centre, office, procedureCode } = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999020',
      clock: { budget: { unit: 'working-hours', amount: 1 }, receptionCutOff: null },
      stepBudget: { unit: 'working-hours', amount: 0.005 },
      stepSystem: 'tax',
    });
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode }), await authAs(actor('reception', centre)));
    const code: string = received.json.dossierCode;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', centre), { components: [] })).status).toBe(200);
    await answer({ type: 'RecordStepHandOff', dossierCode: code, stepId: 'review', run: 1, system: 'tax' }, { userId: interagencyUserId('tax'), role: 'interagency', agencyCode: office });
    // Normally about 20 s; a run that crosses 23:59 Vietnam time (outside office hours) waits a minute longer.
    const followUp = async () => (await getJson(`${engine.url}/agencies/${centre}/queue?kind=follow-up`, await authAs(actor('reception', centre)))).json.items.filter((item: { dossierCode: string }) => item.dossierCode === code);
    await expect.poll(async () => (await followUp()).map((item: { overdue: boolean }) => item.overdue), { timeout: 150_000, interval: 500 }).toEqual([true]);
    expect(await followUp()).toMatchObject([{ item: 'follow-up:review#1', heldBySystem: 'tax', overdue: true }]);
    const events = (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events as { type: string; data: Record<string, any> }[];
    const stepAlerts = events.filter((event) => event.type === 'DeadlineAlerted' && event.data.scope.kind === 'step');
    expect(stepAlerts.map((event) => [event.data.alert, event.data.agencyCode])).toEqual(expect.arrayContaining([['overdue', centre]]));
    // The office's own item is overdue too: its officers may still act in the engine.
    const officeItems = (await getJson(`${engine.url}/agencies/${office}/queue?kind=step`, await auditor())).json.items.filter((item: { dossierCode: string }) => item.dossierCode === code);
    expect(officeItems).toMatchObject([{ heldBySystem: 'tax', overdue: true }]);
    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
  }, 200_000);
});
