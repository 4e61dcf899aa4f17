// Payment requests and the payment platform's confirmations through the dossier's workflow, on the
// real servers (docs/rules.md#payment-requests-and-online-payments): staff ask over HTTP; the
// platform's confirmation goes the way the platform's edge sends it (sendDossierCommand, role
// payment-platform, command id payment/<reference>), since no token carries that role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDossierCommand, type DossierCommandRequest } from '../../api/commands/send-dossier-command.js';
import { createLogger } from '../../platform/logger.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, PAYMENT_PLATFORM, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { authAs, CapturedLogs, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'payment-requests' });
});

afterAll(async () => {
  await engine?.close();
});

const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const landOfficer = actor('officer', LAND_OFFICE, 'vpdk.dung');
const taxOfficer = actor('officer', TAX_OFFICE, 'thue.giang');

async function receiveAndAccept(procedureCode: string): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode }), await authAs(reception));
  expect(received.status).toBe(201);
  const code = received.json.dossierCode as string;
  await command(code, 'accept', reception, { components: completeComponents(procedureCode) });
  return code;
}

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${path}`, who, body);
  if (result.status !== 200) throw new Error(`${path} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

async function summary(code: string) {
  return (await getJson(`${engine.url}/dossiers/${code}`, await authAs(reception))).json;
}

/** The platform's confirmation of `reference`, sent as its edge sends it. */
function confirm(code: string, reference: string, amountVnd: number, transactionId: string, commandId = `payment/${reference}`) {
  const deps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: createLogger({ level: 'silent', destination: new CapturedLogs() }) };
  const confirmation: DossierCommandRequest = {
    type: 'RecordPayment',
    commandId,
    dossierCode: code,
    actor: PAYMENT_PLATFORM,
    amountVnd,
    method: 'online',
    onlineGateway: 'national-portal',
    receiptNumber: transactionId,
    paidAt: '2026-12-03T10:15:00+07:00',
    platformPayment: { reference, transactionId, bankCode: 'VCB' },
  };
  return sendDossierCommand(deps, confirmation);
}

describe('payment requests through the workflow', () => {
  it('asks for the fees, records the platform’s confirmation once, and refuses what does not match', async () => {
    const code = await receiveAndAccept(BUSINESS_PROCEDURE);
    const requested = await command(code, 'request-payment', reception, { purpose: 'fees', note: 'Lệ phí đăng ký hộ kinh doanh' });
    expect(requested).toMatchObject({ events: ['PaymentRequested'], status: 'in-processing' });
    const [request] = (await summary(code)).obligations.requests;
    // The reference names the dossier and the version of its request, letters and digits only.
    expect(request).toMatchObject({ purpose: 'fees', amountVnd: 100_000, status: 'pending', note: 'Lệ phí đăng ký hộ kinh doanh', reference: `dvc${code.replace(/\W/g, '')}v${requested.streamVersion}` });

    const again = await postCommand(`${engine.url}/dossiers/${code}/request-payment`, reception, { purpose: 'fees' });
    expect(again.status).toBe(422);
    expect(again.json.code).toBe('PAYMENT_ALREADY_REQUESTED');

    const unknown = await confirm(code, `${request.reference}0`, 100_000, 'GD-0');
    expect(unknown).toMatchObject({ kind: 'refused', problem: { code: 'UNKNOWN_PAYMENT_REQUEST' } });
    const short = await confirm(code, request.reference, 90_000, 'GD-1');
    expect(short).toMatchObject({ kind: 'refused', problem: { code: 'PAYMENT_AMOUNT_MISMATCH' } });

    const paid = await confirm(code, request.reference, 100_000, 'GD-2');
    expect(paid).toMatchObject({ kind: 'answered', answer: { events: ['PaymentRecorded'], status: 'in-processing' } });
    // The same confirmation again (a repeated callback) is the same command: the same answer, no new event.
    const repeated = await confirm(code, request.reference, 100_000, 'GD-2');
    expect(repeated).toEqual(paid);
    const events = (await getJson(`${engine.url}/dossiers/${code}/events`, await authAs(reception))).json.events as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((event) => event.type === 'PaymentRecorded')).toHaveLength(1);
    // Another transaction for the paid request, under another command id, is refused.
    const double = await confirm(code, request.reference, 100_000, 'GD-3', `payment/${request.reference}/GD-3`);
    expect(double).toMatchObject({ kind: 'refused', problem: { code: 'PAYMENT_ALREADY_RECORDED' } });

    const after = await summary(code);
    expect(after.obligations.requests[0]).toMatchObject({ status: 'paid', transactionId: 'GD-2', paidAt: '2026-12-03T10:15:00+07:00' });
    expect(after.obligations.payments[0]).toMatchObject({ method: 'online', amountVnd: 100_000, platformPayment: { reference: request.reference, transactionId: 'GD-2', bankCode: 'VCB' } });
    // Fees touch no clock.
    expect(after.clockState).toBe('running');
  });

  /** A land dossier at the tax step, its notice pending and asked to be paid online. */
  async function obligationRequested(): Promise<string> {
    const code = await receiveAndAccept(LAND_PROCEDURE);
    await command(code, 'complete-step', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' });
    await command(code, 'complete-step', landOfficer, { stepId: 'land-registration', outcome: 'approved' });
    await command(code, 'request-financial-obligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 });
    await command(code, 'request-payment', taxOfficer, { purpose: 'obligation' });
    return code;
  }

  it('resumes the clock when the platform confirms an obligation’s payment, as a payment staff record does', async () => {
    const code = await obligationRequested();
    const waiting = await summary(code);
    expect(waiting).toMatchObject({ status: 'awaiting-financial-obligation', clockState: 'paused' });
    const [request] = waiting.obligations.requests;
    expect(request).toMatchObject({ purpose: 'obligation', amountVnd: 12_500_000, noticeNumber: '125/TB-CCT', status: 'pending' });

    const paid = await confirm(code, request.reference, 12_500_000, 'GD-12');
    expect(paid).toMatchObject({ kind: 'answered', answer: { status: 'in-processing' } });
    expect(await summary(code)).toMatchObject({ status: 'in-processing', portalStatus: 4, clockState: 'running' });
  });

  it('leaves the online request settled otherwise when the notice is paid at the counter first', async () => {
    const code = await obligationRequested();
    const [request] = (await summary(code)).obligations.requests;
    await command(code, 'record-payment', reception, { amountVnd: 12_500_000, method: 'counter', receiptNumber: 'BL-12' });
    const settled = await summary(code);
    expect(settled).toMatchObject({ status: 'in-processing', clockState: 'running' });
    expect(settled.obligations.requests[0]).toMatchObject({ reference: request.reference, status: 'settled-otherwise', transactionId: null });
    // Paid online as well after all: the money came, so it is recorded, and resumes nothing.
    const paid = await confirm(code, request.reference, 12_500_000, 'GD-13');
    expect(paid).toMatchObject({ kind: 'answered', answer: { status: 'in-processing' } });
    const after = await summary(code);
    expect(after.obligations.requests[0]).toMatchObject({ status: 'paid', transactionId: 'GD-13' });
    expect(after.obligations.payments.map((payment: { method: string }) => payment.method)).toEqual(['counter', 'online']);
  });

  it('refuses an online payment typed in by staff', async () => {
    const code = await receiveAndAccept(BUSINESS_PROCEDURE);
    const refused = await postCommand(`${engine.url}/dossiers/${code}/record-payment`, reception, { amountVnd: 100_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-1' });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'ONLINE_PAYMENT_BY_PLATFORM_ONLY', errors: [{ field: 'body.method' }] });
    // What staff do instead: ask the applicant to pay online, offered on the dossier's actions.
    const { json } = await getJson(`${engine.url}/dossiers/${code}/actions`, await authAs(reception));
    expect(json.actions.map((action: { type: string }) => action.type)).toContain('RequestPayment');
  });
});
