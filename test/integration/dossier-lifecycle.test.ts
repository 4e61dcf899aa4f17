// Every path a dossier can take, end to end: HTTP → API → Temporal → worker → PostgreSQL, on the
// real servers. Each path's workflow history is kept as a replay fixture (RECORD_FIXTURES=1 writes
// them to test/fixtures/histories/), which workflow-replay.test.ts replays against the current code.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { formatDossierCode } from '../../domain/dossier/dossier-code.js';
import { dossierCommandUpdate, dossierStateQuery, dossierWorkflow, dossierWorkflowId, receiveDossierUpdate } from '../../workflows/dossier.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { authAs, documentsIssued, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';

const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'lifecycle' });
});

afterAll(async () => {
  await engine?.close();
});

const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const economyHead = actor('head', ECONOMY, 'truongphong.cuong');
const landOfficer = actor('officer', LAND_OFFICE, 'vpdk.dung');
const landHead = actor('head', LAND_OFFICE, 'giamdoc.em');
const taxOfficer = actor('officer', TAX_OFFICE, 'thue.giang');

async function receive(procedureCode: string, agencyCode = CENTRE): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(agencyCode, { procedureCode }), await authAs(actor('reception', agencyCode)));
  expect(received.status).toBe(201);
  return received.json.dossierCode;
}

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${path}`, who, body);
  if (result.status !== 200) throw new Error(`${path} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

/** The competent body's head issues the result: a PDF signed with its agency's keystore. */
async function issueResult(code: string, who: ReturnType<typeof actor>, reference: string) {
  const result = await issueSignedResult(engine.url, code, who, reference);
  if (result.status !== 200) throw new Error(`issue-result → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

async function summary(code: string) {
  return (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
}

/**
 * The dossier's lifecycle events. DocumentIssued events are left out: the workflow issues documents
 * beside the commands, so where they fall among the others depends on timing (documents.test.ts
 * checks them).
 */
async function eventTypes(code: string): Promise<string[]> {
  return (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events.map((event: { type: string }) => event.type).filter((type: string) => type !== 'DocumentIssued');
}

/** Waits until the workflow has recorded a document of this kind. */
async function documentRecorded(code: string, kind: string): Promise<void> {
  await documentsIssued(engine.url, code, [kind], await auditor());
}

async function keepHistory(name: string, code: string): Promise<void> {
  const history = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).fetchHistory();
  expect(history.events?.length).toBeGreaterThan(0);
  if (process.env.RECORD_FIXTURES === '1') writeFileSync(new URL(`../fixtures/histories/${name}.json`, import.meta.url), `${JSON.stringify(history, null, 1)}\n`);
}

async function waitForWorkflowEnd(code: string): Promise<void> {
  await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).result();
}

describe('the paths of a dossier', () => {
  it('accepted, processed, returned and evaluated: the workflow then ends', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    const accepted = await command(code, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    expect(accepted).toMatchObject({ status: 'in-processing', portalStatus: 4, events: ['DossierAccepted', 'StepStarted'] });
    const queue = (await getJson(`${engine.url}/agencies/${ECONOMY}/queue`, await auditor())).json.items.filter((item: { dossierCode: string }) => item.dossierCode === code);
    expect(queue).toMatchObject([{ kind: 'step', item: 'step:business-registration#1' }]);
    await command(code, 'assign-handler', economyHead, { stepId: 'business-registration', handlerUserId: economyOfficer.userId });
    await command(code, 'complete-step', economyOfficer, { stepId: 'business-registration', outcome: 'approved' });
    const result = await issueResult(code, economyHead, 'HKD-0001');
    expect(result).toMatchObject({ status: 'result-ready', portalStatus: 9 });
    await command(code, 'return-result', reception, { method: 'counter', applicantNotifiedInAdvance: true });
    await command(code, 'record-evaluation', reception, { rating: 'very-satisfied', source: 'paper-form', paperFormReference: 'PĐG-0001' });
    await waitForWorkflowEnd(code);
    expect(await summary(code)).toMatchObject({ status: 'returned', portalStatus: 10, resultCode: `${code}-KQ1`, procedureVersion: '2025.1', calendarVersion: '2025.2' });
    const slip = (await getJson(`${engine.url}/dossiers/${code}/control-slip`, await auditor())).json.steps;
    expect(slip).toMatchObject([{ stepId: 'business-registration', fromAgencyCode: CENTRE, toAgencyCode: ECONOMY, status: 'completed', handlerUserId: economyOfficer.userId, mark: 'early' }]);
    expect((await getJson(`${engine.url}/agencies/${ECONOMY}/queue`, await auditor())).json.items.some((item: { dossierCode: string }) => item.dossierCode === code)).toBe(false);
    await keepHistory('accepted-returned-evaluated', code);
  });

  it('supplement at reception, then accepted', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    await command(code, 'request-supplement-at-reception', reception, { missing: [{ componentId: 'application', description: 'Giấy đề nghị', reason: 'Thiếu chữ ký' }] });
    expect(await summary(code)).toMatchObject({ status: 'awaiting-supplement-at-reception', portalStatus: 5 });
    await command(code, 'provide-supplement', reception, { components: [] });
    await command(code, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    expect(await eventTypes(code)).toEqual(['DossierReceived', 'SupplementRequestedAtReception', 'SupplementProvided', 'DossierAccepted', 'StepStarted']);
    await keepHistory('supplement-at-reception', code);
  });

  it('refused at reception (form 03)', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    await command(code, 'refuse-at-reception', reception, { reasons: ['Ngành nghề không được phép kinh doanh'], legalBasis: 'Luật Đầu tư 2020, Điều 6' });
    expect(await summary(code)).toMatchObject({ status: 'refused-at-reception', portalStatus: 3 });
    await keepHistory('refused-at-reception', code);
  });

  it('supplement during processing: the clock pauses, then restarts, and the due date moves', async () => {
    const code = await receive(LAND_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(LAND_PROCEDURE) });
    const before = await summary(code);
    await command(code, 'request-supplement', economyOfficer, { stepId: 'commune-verification', missing: [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }] });
    expect(await summary(code)).toMatchObject({ status: 'awaiting-supplement', portalStatus: 5, clockState: 'paused', supplementRequests: 1 });
    expect((await getJson(`${engine.url}/agencies/${CENTRE}/queue`, await auditor())).json.items.find((item: { dossierCode: string }) => item.dossierCode === code)).toMatchObject({ kind: 'await-supplement' });
    const provided = await command(code, 'provide-supplement', reception, { components: [] });
    expect(provided.status).toBe('in-processing');
    const after = await summary(code);
    // The land procedure restarts the legal time from the complete supplement: a new legal period
    // with the whole budget. (Outside office hours both counts begin at the next opening, so the
    // due time may not move when this runs at night; it never moves earlier.)
    expect(Date.parse(after.due)).toBeGreaterThanOrEqual(Date.parse(before.due));
    const explanation = (await getJson(`${engine.url}/dossiers/${code}/due-explanation`, await auditor())).json;
    expect(explanation).toMatchObject({ period: 2, budgetMinutes: 20 * 450, calendarVersion: 'vn-civil-service@2025.2' });
    await keepHistory('supplement-during-processing', code);
  });

  it('a land dossier through the land office and the tax office, waiting for the payment', async () => {
    const code = await receive(LAND_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(LAND_PROCEDURE) });
    await command(code, 'complete-step', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' });
    expect(await summary(code)).toMatchObject({ currentAgencies: [LAND_OFFICE] });
    await command(code, 'complete-step', landOfficer, { stepId: 'land-registration', outcome: 'approved' });
    expect(await summary(code)).toMatchObject({ currentAgencies: [TAX_OFFICE] });
    await command(code, 'request-financial-obligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 });
    expect(await summary(code)).toMatchObject({ status: 'awaiting-financial-obligation', portalStatus: 6, clockState: 'paused' });
    const paid = await command(code, 'record-payment', reception, { amountVnd: 12_500_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-7' });
    expect(paid.status).toBe('in-processing');
    await command(code, 'complete-step', taxOfficer, { stepId: 'tax-assessment', outcome: 'approved' });
    await command(code, 'complete-step', landOfficer, { stepId: 'certificate-issuance', outcome: 'approved' });
    await issueResult(code, landHead, 'CS 01234');
    const slip = (await getJson(`${engine.url}/dossiers/${code}/control-slip`, await auditor())).json.steps;
    expect(slip.map((row: { stepId: string; toAgencyCode: string; status: string }) => `${row.stepId}@${row.toAgencyCode}:${row.status}`)).toEqual([
      `commune-verification@${ECONOMY}:completed`,
      `land-registration@${LAND_OFFICE}:completed`,
      `tax-assessment@${TAX_OFFICE}:completed`,
      `certificate-issuance@${LAND_OFFICE}:completed`,
    ]);
    await keepHistory('land-with-tax-payment', code);
  });

  it('apology with a new appointment: the extended due date is kept beside the original', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    const { due } = await summary(code);
    const newAppointment = new Date(Date.parse(due) + 7 * 86_400_000).toISOString();
    await command(code, 'issue-apology', economyHead, { reason: 'Chờ ý kiến của cơ quan thuế', newAppointment });
    const after = await summary(code);
    expect(after.due).toBe(due);
    expect(Date.parse(after.extendedDue)).toBeGreaterThanOrEqual(Date.parse(newAppointment));
    const second = await postCommand(`${engine.url}/dossiers/${code}/issue-apology`, economyHead, { reason: 'Lần nữa', newAppointment });
    expect(second).toMatchObject({ status: 422, json: { code: 'EXTENSION_ALREADY_GRANTED' } });
    await keepHistory('apology-and-extension', code);
  });

  it('refused after appraisal, then the refusal is returned', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    await command(code, 'complete-step', economyOfficer, { stepId: 'business-registration', outcome: 'not-approved', note: 'Ngành nghề cấm' });
    await command(code, 'refuse-to-resolve', economyHead, { reasons: ['Ngành nghề kinh doanh bị cấm'], legalBasis: 'Luật Đầu tư 2020, Điều 6' });
    expect(await summary(code)).toMatchObject({ status: 'result-ready', portalStatus: 9 });
    await command(code, 'return-result', reception, { method: 'electronic', applicantNotifiedInAdvance: true });
    expect(await eventTypes(code)).toContain('ResolutionRefused');
    await keepHistory('refused-after-appraisal', code);
  });

  it('withdrawn at the applicant’s request (form 05)', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    await command(code, 'request-withdrawal', reception, { reason: 'Công dân không còn nhu cầu' });
    expect(await summary(code)).toMatchObject({ portalStatus: 7 });
    await command(code, 'decide-withdrawal', economyHead, { approved: true, reason: 'Đồng ý dừng giải quyết' });
    expect(await summary(code)).toMatchObject({ status: 'stopped', portalStatus: 8, currentAgencies: [] });
    await keepHistory('withdrawn', code);
  });
});

describe('refusals over HTTP', () => {
  it('a command a rule refuses gets 422 with the rule, and leaves no trace', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    const refused = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE).slice(1) });
    expect(refused).toMatchObject({ status: 422, json: { code: 'REQUIRED_COMPONENTS_MISSING', rule: expect.stringMatching(/Decree 61/), errors: [{ field: 'body.components' }] } });
    const wrongAgency = await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', LAND_OFFICE), { components: completeComponents(BUSINESS_PROCEDURE) });
    expect(wrongAgency).toMatchObject({ status: 403, json: { code: 'NOT_THE_RECEIVING_CENTRE' } });
    expect(await eventTypes(code)).toEqual(['DossierReceived']);
    const history = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).fetchHistory();
    expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(1);
  });

  it('asks the caller to say who acts, names unknown dossiers, and checks bodies', async () => {
    const code = await receive(BUSINESS_PROCEDURE);
    const anonymous = await postJson(`${engine.url}/dossiers/${code}/accept`, { components: [] });
    expect(anonymous).toMatchObject({ status: 401, json: { detail: expect.stringMatching(/bearer token/) } });
    const unknown = await postCommand(`${engine.url}/dossiers/${CENTRE}-200101-0001/accept`, reception, { components: [] });
    expect(unknown.status).toBe(404);
    const invalid = await postCommand(`${engine.url}/dossiers/${code}/complete-step`, economyOfficer, { stepId: 'business-registration', outcome: 'maybe' });
    expect(invalid).toMatchObject({ status: 400, json: { errors: [{ field: 'body.outcome' }] } });
  });

  it('refuses reception at an agency that is not a one-stop centre, or for an unknown procedure', async () => {
    const atOffice = await postJson(`${engine.url}/dossiers`, receptionBody(ECONOMY), await authAs(actor('reception', ECONOMY)));
    expect(atOffice).toMatchObject({ status: 422, json: { code: 'UNKNOWN_RECEIVING_CENTRE' } });
    const unknown = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: '2.999999' }), await authAs(reception));
    expect(unknown).toMatchObject({ status: 422, json: { code: 'UNKNOWN_PROCEDURE', errors: [{ field: 'body.procedureCode' }] } });
  });
});

describe('timers from the legal clock', () => {
  it('raises due-soon and overdue on their own and puts them on the queue', async () => {
    // An agency open round the clock and a procedure of 18 seconds, so the test need not wait days.
    const { centre, office, procedureCode } = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999001',
      clock: { budget: { unit: 'working-hours', amount: 0.005 }, receptionCutOff: null, dueSoonWithinWorkingMinutes: 0.1 },
      stepBudget: { unit: 'working-hours', amount: 0.005 },
    });
    const code = await receive(procedureCode, centre);
    await command(code, 'accept', actor('reception', centre), { components: [] });
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    // Normally about 20 s; the minute 23:59–24:00 Vietnam time is outside office hours (HH:MM
    // cannot say 24:00), so a run that crosses it waits a minute longer.
    const deadline = Date.now() + 150_000;
    let alerts: string[] = [];
    while (Date.now() < deadline) {
      const { state } = await handle.query(dossierStateQuery);
      alerts = state.status === 'none' ? [] : [...state.alerts, ...state.steps.flatMap((step) => step.alerts.map((alert) => `step ${alert}`))];
      if (alerts.includes('overdue') && alerts.includes('step overdue')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(alerts.sort()).toEqual(['due-soon', 'overdue', 'step due-soon', 'step overdue']);
    expect(await summary(code)).toMatchObject({ overdue: true, dueSoon: true });
    const queue = (await getJson(`${engine.url}/agencies/${office}/queue?overdue=true`, await auditor())).json.items;
    expect(queue).toMatchObject([{ dossierCode: code, kind: 'step', overdue: true }]);
    await keepHistory('overdue-alerts', code);
  }, 200_000);
});

describe('a long-lived dossier', () => {
  it('continues as new when its history grows, carrying its state, and keeps taking commands', async () => {
    const centre = await engine.newCentre();
    const receivedAt = new Date();
    const code = formatDossierCode({ agencyCode: centre, receptionDate: vietnamDateOf(receivedAt), serial: 1 });
    // Started directly with a small history limit, as the API would start it without one.
    await engine.temporal.workflow.executeUpdateWithStart(receiveDossierUpdate, {
      args: [{ type: 'ReceiveDossier', commandId: 'receive', actor: actor('reception', centre), dossierCode: code, agencyCode: centre, procedureCode: BUSINESS_PROCEDURE, channel: 'online', applicant: { kind: 'citizen', fullName: 'Phạm Văn Dài', identityNumber: '001080001111' }, receivedAt: receivedAt.toISOString(), locality: '99001' }],
      updateId: 'receive',
      startWorkflowOperation: new WithStartWorkflowOperation(dossierWorkflow, { workflowId: dossierWorkflowId(code), taskQueue: engine.taskQueue, args: [{ dossierCode: code, historyLimit: 40 }], workflowIdConflictPolicy: 'USE_EXISTING' }),
    });
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    const firstRun = (await handle.describe()).runId;
    await command(code, 'accept', actor('reception', centre), { components: completeComponents(BUSINESS_PROCEDURE) });
    // The receipt (form 01) is recorded beside the commands: let it land first, so versions are fixed.
    await documentRecorded(code, 'form-01');
    const direct = { type: 'AssignHandler' as const, commandId: 'assign-before-continue', actor: economyHead, dossierCode: code, stepId: 'business-registration', handlerUserId: 'chuyenvien.truoc' };
    const first = await handle.executeUpdate(dossierCommandUpdate, { args: [direct], updateId: direct.commandId });
    for (let i = 0; i < 8; i += 1) await command(code, 'assign-handler', economyHead, { stepId: 'business-registration', handlerUserId: `chuyenvien.${i}` });
    const deadline = Date.now() + 30_000;
    while ((await handle.describe()).runId === firstRun && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const { state, streamVersion } = await handle.query(dossierStateQuery);
    expect(streamVersion).toBe(13);
    // A retry of a command from before the continue-as-new answers with its first result, and acts not again.
    const retried = await handle.executeUpdate(dossierCommandUpdate, { args: [direct], updateId: direct.commandId });
    expect(retried).toEqual(first);
    expect((await handle.query(dossierStateQuery)).streamVersion).toBe(13);
    expect(state).toMatchObject({ status: 'in-processing', steps: [{ stepId: 'business-registration', handlerUserId: 'chuyenvien.7' }] });
    const next = await command(code, 'complete-step', economyOfficer, { stepId: 'business-registration', outcome: 'approved' });
    expect(next).toMatchObject({ streamVersion: 14, events: ['StepCompleted'] });
  });
});
