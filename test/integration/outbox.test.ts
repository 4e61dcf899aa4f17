import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { type LedgerReceiver, startLedgerReceiver } from '../support/ledger-receiver.js';
import { issueSignedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';

// The outbox's mechanism (docs/integrations.md#the-mechanism) end to end: commands through the API,
// events in PostgreSQL, the relay planning from the committed log, lanes in Temporal carrying the
// deliveries to loopback receivers that count what they act on by idempotency key. The receivers'
// own contracts are tested with their own doubles; here the receivers only count and fail on demand.

const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: ['email', 'sms'], defaultChannels: ['sms', 'email'], preferredOnly: false } };
const PHONE = '0912 345 678';
const NAME = 'Trần Thị Bưu Điện';

let engine: TestEngine;
let portal: LedgerReceiver;
let citizen: LedgerReceiver;

beforeAll(async () => {
  portal = await startLedgerReceiver();
  citizen = await startLedgerReceiver();
  engine = await startTestEngine({
    name: 'outbox',
    databaseUrl: await databaseOfItsOwn(),
    outbox: {
      policy: POLICY,
      channels: [portal.channel('portal'), citizen.channel('email'), citizen.channel('sms')],
      lane: { firstRetryMs: 200, retryCeilingMs: 1000, deadLetterAfterMs: 6000, attemptTimeoutMs: 4000, idleMs: 5000 },
    },
  });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await portal?.close();
  await citizen?.close();
});

async function procedure() {
  return loadTestProcedure(engine.db, { calendar: ROUND_THE_CLOCK, series: '999018', clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 }, stepBudget: { unit: 'working-days', amount: 3 } });
}

async function receive(centre: string, procedureCode: string): Promise<string> {
  const { locality: _locality, ...reception } = receptionBody(centre, { procedureCode });
  const body = { ...reception, applicant: { kind: 'citizen' as const, fullName: NAME, identityNumber: '001090099999', phone: PHONE, email: 'tran.thi@example.vn' } };
  const received = await postJson(`${engine.url}/dossiers`, body, await authAs(actor('reception', centre)));
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  return received.json.dossierCode as string;
}

const deliveriesOf = (code: string) => engine.db.selectFrom('deliveries').selectAll().where('dossier_code', '=', code).orderBy('receiver').orderBy('sequence').execute();
/** No delivery of any dossier in flight: a fault set now hits the next test's first delivery. */
const settled = () => expect.poll(async () => (await engine.db.selectFrom('deliveries').select('key').where('state', '=', 'pending').execute()).length, { timeout: 30_000, interval: 200 }).toBe(0);
const allDelivered = async (code: string) => (await deliveriesOf(code)).every((row) => row.state === 'delivered');

describe('the outbox', () => {
  it('delivers every planned delivery of a lifecycle exactly once, in event order per receiver, with its attempts recorded and nothing personal logged', async () => {
    const { centre, office, procedureCode } = await procedure();
    const reception = actor('reception', centre);
    const code = await receive(centre, procedureCode);
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: [] })).status).toBe(200);
    const completed = await postCommand(`${engine.url}/dossiers/${code}/complete-step`, actor('officer', office), { stepId: 'review', outcome: 'approved' });
    expect(completed.status, JSON.stringify(completed.json)).toBe(200);
    const issued = await issueSignedResult(engine.url, code, actor('head', office), `KQ-${code.slice(-4)}`);
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/return-result`, reception, { method: 'counter', applicantNotifiedInAdvance: true })).status).toBe(200);

    await expect.poll(async () => (await deliveriesOf(code)).some((row) => row.trigger === 'result-returned') && (await allDelivered(code)), { timeout: 60_000, interval: 250 }).toBe(true);
    const rows = await deliveriesOf(code);
    const triggers = (receiver: string) => rows.filter((row) => row.receiver === receiver).map((row) => row.trigger);
    expect(triggers('sms')).toEqual(['received', 'accepted', 'result-ready-early', 'result-returned']);
    expect(triggers('email')).toEqual(triggers('sms'));
    expect(new Set(triggers('portal'))).toEqual(new Set(['status']));

    // At the receivers: each key acted on once, in sequence order per dossier, the portal's last status 10.
    const acted = (receiver: LedgerReceiver, prefix: string) => receiver.ledger.receipts().filter((receipt) => receipt.dossierCode === code && receipt.key.startsWith(prefix));
    expect(acted(portal, 'portal/').map((receipt) => receipt.key)).toEqual(rows.filter((row) => row.receiver === 'portal').map((row) => row.key));
    expect(acted(citizen, 'sms/').map((receipt) => receipt.key)).toEqual(rows.filter((row) => row.receiver === 'sms').map((row) => row.key));
    expect(acted(portal, 'portal/').at(-1)?.detail).toEqual({ status: 10 });
    expect(portal.ledger.summary().outOfOrder).toEqual([]);

    const attempts = await engine.db.selectFrom('delivery_attempts').selectAll().where('delivery_key', 'in', rows.map((row) => row.key)).execute();
    expect(attempts.length).toBeGreaterThanOrEqual(rows.length);
    expect(attempts.every((attempt) => attempt.request_sha256 !== null && attempt.finished_at >= attempt.started_at)).toBe(true);
    expect(engine.logs.text).not.toContain(NAME);
    expect(engine.logs.text).not.toContain(PHONE);
  }, 180_000);

  it('holds back a dossier’s later deliveries to a receiver behind a refused one until an operator retries it, then sends them in order', async () => {
    const { centre, procedureCode } = await procedure();
    await settled();
    portal.faults.fail({ mode: '5xx', status: 422, times: 1 });
    const code = await receive(centre, procedureCode);
    const first = `portal/${code}/1/status`;
    await expect.poll(async () => (await engine.db.selectFrom('deliveries').select('state').where('key', '=', first).executeTakeFirst())?.state, { timeout: 30_000, interval: 200 }).toBe('dead');
    expect(engine.logs.text).toContain('delivery dead-lettered');

    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', centre), { components: [] })).status).toBe(200);
    await expect.poll(async () => (await deliveriesOf(code)).filter((row) => row.receiver === 'portal').length, { timeout: 30_000, interval: 200 }).toBeGreaterThan(1);
    // The notices go on; the portal's lane waits behind its dead letter.
    await expect.poll(async () => (await deliveriesOf(code)).filter((row) => row.receiver === 'sms' && row.state === 'delivered').length, { timeout: 30_000, interval: 200 }).toBe(2);
    expect(portal.ledger.receipts().filter((receipt) => receipt.dossierCode === code)).toEqual([]);

    await engine.db.updateTable('deliveries').set({ state: 'pending' }).where('key', '=', first).execute();
    await engine.relay!.wake('portal', code);
    await expect.poll(() => allDelivered(code), { timeout: 30_000, interval: 200 }).toBe(true);
    const sequences = portal.ledger.receipts().filter((receipt) => receipt.dossierCode === code).map((receipt) => receipt.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(sequences[0]).toBe(1);
  }, 120_000);

  it('does not have a receiver act twice when its answer was lost, and dead-letters a receiver that stays down past the dead-letter time', async () => {
    const { centre, procedureCode } = await procedure();
    await settled();
    portal.faults.fail({ mode: 'lose-answer', times: 1 });
    const code = await receive(centre, procedureCode);
    const first = `portal/${code}/1/status`;
    await expect.poll(async () => (await engine.db.selectFrom('deliveries').select('state').where('key', '=', first).executeTakeFirst())?.state, { timeout: 30_000, interval: 200 }).toBe('delivered');
    expect(portal.ledger.summary().duplicateKeys).toContain(first);
    expect(portal.ledger.receipts().filter((receipt) => receipt.key === first)).toHaveLength(1);
    const outcomes = await engine.db.selectFrom('delivery_attempts').select(['attempt', 'outcome']).where('delivery_key', '=', first).orderBy('attempt').execute();
    expect(outcomes.map((row) => row.outcome)).toEqual(['failed', 'already-delivered']);

    portal.faults.fail({ mode: 'down' });
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', centre), { components: [] })).status).toBe(200);
    const accepted = `portal/${code}/2/status`;
    await expect.poll(async () => (await engine.db.selectFrom('deliveries').select('state').where('key', '=', accepted).executeTakeFirst())?.state, { timeout: 40_000, interval: 250 }).toBe('dead');
    const dead = await engine.db.selectFrom('deliveries').select(['attempts', 'last_error']).where('key', '=', accepted).executeTakeFirstOrThrow();
    expect(dead.attempts).toBeGreaterThan(2);
    expect(dead.last_error).toMatch(/still failing after 6 s/);

    portal.faults.fail({ mode: 'none' });
    await engine.db.updateTable('deliveries').set({ state: 'pending' }).where('key', '=', accepted).execute();
    await engine.relay!.wake('portal', code);
    await expect.poll(() => allDelivered(code), { timeout: 30_000, interval: 200 }).toBe(true);
  }, 120_000);
});
