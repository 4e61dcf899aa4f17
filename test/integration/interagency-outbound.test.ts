import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../db/catalogue.js';
import { agencySchema } from '../../domain/catalogue/agency.js';
import { procedureVersionSchema } from '../../domain/catalogue/procedure.js';
import { interagencyConfigSchema } from '../../integrations/interagency/interagency-config.js';
import { createReferenceChannel } from '../../integrations/interagency/reference-channel.js';
import { publicFileLinks } from '../../integrations/outbox/channels.js';
import { actor } from '../support/dossier-fixtures.js';
import { postCommand, postJson, authAs, receptionBody, startTestEngine, TEST_FILE_LINK_KEY, type TestEngine, uniqueAgencyCode } from '../support/engine.js';
import { type HandOffReceiver, startHandOffReceiver } from '../support/hand-off-receiver.js';
import { ROUND_THE_CLOCK } from '../support/test-procedure.js';
import { dossierWorkflowId } from '../../workflows/dossier/messages.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';

// Handing steps over (docs/integrations.md#handing-steps-over) end to end on PostgreSQL and
// Temporal: a dossier whose route gives its land step to the land registry's system is accepted
// through the API; the relay plans the hand-off from the committed log, its lane delivers it with
// the reference adapter to a loopback system that enforces the contract, and the delivered hand-off
// is recorded on the dossier (StepHandedOff, as the system). The systems' answers are the inbox's.
const TOKEN = 'land-token-of-the-integration-test';
let engine: TestEngine;
let land: HandOffReceiver;

beforeAll(async () => {
  land = await startHandOffReceiver({ token: TOKEN, system: 'land-registry' });
  engine = await startTestEngine({
    name: 'interagency-outbound',
    databaseUrl: await databaseOfItsOwn(),
    outbox: (engineUrl) => {
      const config = interagencyConfigSchema.parse({ systems: { 'land-registry': { baseUrl: land.url, token: 'env:LAND_TOKEN', answers: 'poll', timeoutMs: 2000 } } });
      return {
        policy: { portal: false, notices: { enabled: [], defaultChannels: [], preferredOnly: true }, interagency: ['land-registry'] },
        channels: [createReferenceChannel('land-registry', config, { publicBaseUrl: engineUrl, fileLink: publicFileLinks(engineUrl, TEST_FILE_LINK_KEY), env: { LAND_TOKEN: TOKEN } })],
        lane: { firstRetryMs: 200, retryCeilingMs: 1000, deadLetterAfterMs: 20_000, attemptTimeoutMs: 8000, idleMs: 5000 },
      };
    },
  });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await land?.close();
});

/** A procedure whose one step is carried out by the land registry's system. */
async function landProcedure(): Promise<{ centre: string; office: string; procedureCode: string }> {
  const centre = uniqueAgencyCode();
  const office = uniqueAgencyCode();
  const procedureCode = `2.999020.${centre.slice(1, 7)}`;
  await loadCatalogue(engine.db, {
    sample: true,
    agencies: [
      agencySchema.parse({ code: centre, name: 'Bộ phận Một cửa thử nghiệm', kind: 'one-stop-centre', ...ROUND_THE_CLOCK }),
      agencySchema.parse({ code: office, name: 'Chi nhánh Văn phòng đăng ký đất đai thử nghiệm', kind: 'specialist-office', ...ROUND_THE_CLOCK }),
    ],
    procedures: [
      procedureVersionSchema.parse({
        code: procedureCode,
        version: 'test',
        effectiveFrom: '2020-01-01',
        legalBasis: 'test',
        name: 'Đăng ký đất đai thử nghiệm',
        field: 'Đất đai',
        competentAgencyCode: office,
        clock: { budget: { unit: 'working-days', amount: 10 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
        route: { stages: [{ steps: [{ id: 'land-registration', agencyCode: office, task: 'Kiểm tra hồ sơ, đo đạc', budget: { unit: 'working-days', amount: 8 }, system: 'land-registry' }] }] },
        components: [],
        resultType: 'written-confirmation',
        onlineLevel: 'full',
        sample: true,
      }),
    ],
  });
  return { centre, office, procedureCode };
}

async function acceptedDossier(): Promise<{ code: string; office: string; centre: string }> {
  const { centre, office, procedureCode } = await landProcedure();
  const { locality: _locality, ...reception } = receptionBody(centre, { procedureCode });
  const received = await postJson(`${engine.url}/dossiers`, reception, await authAs(actor('reception', centre)));
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  const code = received.json.dossierCode as string;
  const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', centre), { components: [] });
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
  return { code, office, centre };
}

const eventsOf = (code: string) => engine.db.selectFrom('events').select(['stream_version', 'type', 'payload', 'metadata']).where('stream_id', '=', code).orderBy('stream_version').execute();
const handOffKeyOf = async (code: string) => {
  const started = (await eventsOf(code)).find((row) => row.type === 'StepStarted')!;
  return `land-registry/${code}/${started.stream_version}/hand-off`;
};

describe('handing a step over to the system that carries it out', () => {
  it('delivers the hand-off once, a valid message under its key, and records it on the dossier as the system with its reference', async () => {
    const { code, office } = await acceptedDossier();
    const key = await handOffKeyOf(code);
    await expect.poll(async () => (await eventsOf(code)).some((row) => row.type === 'StepHandedOff'), { timeout: 60_000, interval: 250 }).toBe(true);
    const receipts = land.receipts().filter((receipt) => receipt.message.dossier.code === code);
    expect(receipts.map((receipt) => receipt.key)).toEqual([key]);
    expect(receipts[0]!.message).toMatchObject({ kind: 'hand-off', system: 'land-registry', step: { stepId: 'land-registration', run: 1, agencyCode: office }, answers: { mode: 'poll' } });
    const row = await engine.db.selectFrom('deliveries').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'delivered', receiver: 'land-registry', trigger: 'hand-off', receiver_reference: receipts[0]!.reference });
    const handedOff = (await eventsOf(code)).filter((event) => event.type === 'StepHandedOff');
    expect(handedOff).toHaveLength(1);
    expect(handedOff[0]!.payload).toMatchObject({ stepId: 'land-registration', run: 1, system: 'land-registry', reference: receipts[0]!.reference });
    expect(handedOff[0]!.metadata).toMatchObject({ commandId: `handoff/${key}`, actor: { userId: 'system:land-registry', role: 'interagency', agencyCode: office } });
    // The attempt's record: masked, nothing personal in the logs.
    const attempt = await engine.db.selectFrom('delivery_attempts').selectAll().where('delivery_key', '=', key).executeTakeFirstOrThrow();
    expect(JSON.stringify(attempt.request)).not.toContain(receipts[0]!.message.dossier.applicant.identityNumber);
    expect(engine.logs.text).not.toContain(receipts[0]!.message.dossier.applicant.identityNumber);
  }, 120_000);

  it('does not have the system act twice when its answer was lost, and records the hand-off once', async () => {
    land.fail({ mode: 'lose-answer', times: 1 });
    const { code } = await acceptedDossier();
    const key = await handOffKeyOf(code);
    await expect.poll(async () => (await eventsOf(code)).some((row) => row.type === 'StepHandedOff'), { timeout: 60_000, interval: 250 }).toBe(true);
    expect(land.receipts().filter((receipt) => receipt.key === key)).toHaveLength(1);
    const outcomes = await engine.db.selectFrom('delivery_attempts').select(['attempt', 'outcome']).where('delivery_key', '=', key).orderBy('attempt').execute();
    expect(outcomes.map((row) => row.outcome)).toEqual(['failed', 'already-delivered']);
    expect((await eventsOf(code)).filter((row) => row.type === 'StepHandedOff')).toHaveLength(1);
  }, 120_000);

  it('tells the system to stop when the dossier is withdrawn while it holds the step', async () => {
    const { code, office, centre } = await acceptedDossier();
    await expect.poll(async () => (await eventsOf(code)).some((row) => row.type === 'StepHandedOff'), { timeout: 60_000, interval: 250 }).toBe(true);
    expect((await postCommand(`${engine.url}/dossiers/${code}/request-withdrawal`, actor('reception', centre), { reason: 'Người nộp xin rút hồ sơ' })).status).toBe(200);
    const decided = await postCommand(`${engine.url}/dossiers/${code}/decide-withdrawal`, actor('head', office), { approved: true, reason: 'Đồng ý cho rút hồ sơ' });
    expect(decided.status, JSON.stringify(decided.json)).toBe(200);
    await expect.poll(() => land.receipts().filter((receipt) => receipt.message.dossier.code === code).map((receipt) => receipt.message.kind), { timeout: 60_000, interval: 250 }).toEqual(['hand-off', 'cancel']);
    const cancel = land.receipts().find((receipt) => receipt.message.dossier.code === code && receipt.message.kind === 'cancel')!;
    expect(cancel.message.reason).toMatch(/Đồng ý cho rút hồ sơ/);
    expect(cancel.key).toMatch(new RegExp(`^land-registry/${code.replaceAll('.', '\\.')}/\\d+/cancel$`));
  }, 120_000);

  it('does not hold the lane when the hand-off cannot be recorded: the dossier closed meanwhile, or its workflow gone', async () => {
    // The system is down while the dossier is withdrawn: the hand-off arrives after the dossier closed.
    land.fail({ mode: 'status', status: 503, times: 1_000_000 });
    const closed = await acceptedDossier();
    expect((await postCommand(`${engine.url}/dossiers/${closed.code}/request-withdrawal`, actor('reception', closed.centre), { reason: 'Người nộp xin rút hồ sơ' })).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${closed.code}/decide-withdrawal`, actor('head', closed.office), { approved: true, reason: 'Đồng ý cho rút hồ sơ' })).status).toBe(200);
    // Another dossier's workflow is terminated by hand while its hand-off waits.
    const gone = await acceptedDossier();
    await engine.temporal.workflow.getHandle(dossierWorkflowId(gone.code)).terminate('test: the workflow is gone');
    land.fail({ mode: 'none' });
    const kinds = (code: string) => land.receipts().filter((receipt) => receipt.message.dossier.code === code).map((receipt) => receipt.message.kind);
    await expect.poll(() => kinds(closed.code), { timeout: 60_000, interval: 250 }).toEqual(['hand-off', 'cancel']);
    await expect.poll(async () => (await engine.db.selectFrom('deliveries').select('state').where('dossier_code', 'in', [closed.code, gone.code]).execute()).map((row) => row.state), { timeout: 60_000, interval: 250 }).toEqual(['delivered', 'delivered', 'delivered']);
    expect(kinds(gone.code)).toEqual(['hand-off']);
    // Whatever the dossier's rules say of a hand-off after it closed, the delivery stands; the workflow that is gone is said in the log.
    await expect.poll(() => engine.logs.text.includes("the dossier's workflow has ended: the hand-off was delivered but its time is not recorded"), { timeout: 30_000, interval: 250 }).toBe(true);
    const recordedOrSaid = (await eventsOf(closed.code)).some((row) => row.type === 'StepHandedOff') || engine.logs.text.includes("the dossier's rules refused to record the hand-off");
    expect(recordedOrSaid).toBe(true);
  }, 120_000);
});
