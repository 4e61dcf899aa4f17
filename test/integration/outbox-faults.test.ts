// The outbox under faults (issue 18, "Reliability, measured"; docs/integrations.md#reliability-measured):
// a load of dossiers moving through their lifecycles through the API while the dossier worker is
// SIGKILLed, the relay is SIGKILLed, PostgreSQL restarts, the portal is down for a while, the SMS
// gateway loses its answers after acting (so the relay resends) and the e-mail receiver answers slowly
// with jitter (some answers later than the sender waits: resends again). Afterwards, at each receiver,
// counted by idempotency key: every delivery planned for those dossiers, and independently every one
// their events call for, arrived exactly once, in event order per dossier, and none is left pending or
// dead. The worker and the relay are processes of their own (test/support/worker-process.ts,
// relay-process.ts), on a PostgreSQL of this file's own (the planner reads the whole log).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { freePort } from '../../dev/free-port.js';
import { startPostgres, type RunningPostgres } from '../../dev/postgres-server.js';
import { isReceived, evolveDossier, newDossier, type DossierState } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { deliveryKey, RECEIVERS as ALL_RECEIVERS, type Receiver } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import { portalSyncWanted } from '../../domain/portal-sync/sync-rule.js';
import { createLogger } from '../../platform/logger.js';
import { outboxTaskQueue } from '../../worker/delivery-relay.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postInsisting, receptionBody, startTestEngine, TEST_PAYLOAD_KEYS, type TestEngine } from '../support/engine.js';
import { type LedgerReceiver, startLedgerReceiver } from '../support/ledger-receiver.js';
import { type RelayProcess, startRelayProcess } from '../support/relay-process.js';
import { signedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const DOSSIERS = 16;
const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: ['email', 'sms'], defaultChannels: ['sms', 'email'], preferredOnly: false } };
// Retries quick, lanes ending soon (more lane restarts to get wrong), and a dead-letter time far
// longer than any outage here: nothing may be dead-lettered.
const LANE = { firstRetryMs: 200, retryCeilingMs: 2_000, deadLetterAfterMs: 15 * 60_000, attemptTimeoutMs: 5_000, idleMs: 3_000 };
const NAME = 'Lê Thị Chịu Lỗi';
const PHONE = '0987 654 321';
const RECEIVERS: readonly Receiver[] = ['portal', 'email', 'sms'];

const logger = createLogger({ level: 'silent', name: 'outbox-faults' });
const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-outbox-faults-'));
chmodSync(scratch, 0o755);
const clusterDir = path.join(scratch, 'postgres');
let port: number;
let postgres: RunningPostgres;
let engine: TestEngine;
const receivers = {} as Record<Receiver, LedgerReceiver>;
const workers: WorkerProcess[] = [];
const relays: RelayProcess[] = [];

const startWorker = async () => {
  const worker = await startWorkerProcess(engine.taskQueue, inject('temporalAddress'), postgres.url);
  workers.push(worker);
  return worker;
};
const startRelay = async () => {
  const relay = await startRelayProcess({
    databaseUrl: postgres.url,
    temporalAddress: inject('temporalAddress'),
    taskQueue: outboxTaskQueue(engine.taskQueue),
    payloadKeys: TEST_PAYLOAD_KEYS,
    workflowBundlePath: inject('workflowBundlePath'),
    receivers: { portal: receivers.portal.url, email: receivers.email.url, sms: receivers.sms.url },
    policy: POLICY,
    lane: LANE,
  });
  relays.push(relay);
  return relay;
};

beforeAll(async () => {
  port = await freePort();
  postgres = await startPostgres({ clusterDir, port, disposable: true }, logger);
  const setup = await connectAndMigrate({ connectionString: postgres.url, poolSize: 1, applicationName: 'fault-setup' }, logger);
  await loadCatalogue(setup, readCatalogueFile(SAMPLE_CATALOGUE_FILE)).finally(() => setup.destroy());
  for (const receiver of RECEIVERS) receivers[receiver] = await startLedgerReceiver();
  // The API and the Temporal client here; the dossier worker and the relay in processes of their own.
  engine = await startTestEngine({ name: 'outbox-faults', worker: false, databaseUrl: postgres.url });
  await Promise.all([startWorker(), startRelay()]);
}, 180_000);

afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  await Promise.all(workers.map((worker) => worker.stop()));
  await engine?.close();
  await Promise.all(Object.values(receivers).map((receiver) => receiver.close()));
  await postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The keys the dossiers' events call for, worked out from the events without the planner. */
async function expectedKeys(codes: readonly string[]): Promise<Record<Receiver, string[]>> {
  const rows = await engine.db.selectFrom('events').select(['stream_id', 'stream_version', 'type', 'schema_version', 'payload']).where('stream_id', 'in', codes).orderBy('stream_id').orderBy('stream_version').execute();
  // No system carries out a step of these dossiers, and none is configured: nothing for the interagency receivers.
  const expected = Object.fromEntries(ALL_RECEIVERS.map((receiver) => [receiver, [] as string[]])) as Record<Receiver, string[]>;
  // The citizen hears of these in this lifecycle (a result issued before its appointment day is "ready early").
  const notices: Record<string, string> = { DossierReceived: 'received', DossierAccepted: 'accepted', ResultIssued: 'result-ready-early', ResultReturned: 'result-returned' };
  for (const row of rows) {
    const event = asDossierEvent({ type: row.type, schemaVersion: row.schema_version, data: row.payload });
    if (portalSyncWanted(event)) expected.portal.push(deliveryKey('portal', row.stream_id, row.stream_version, 'status'));
    const trigger = notices[row.type];
    if (trigger) for (const channel of ['email', 'sms'] as const) expected[channel].push(`${channel}/${row.stream_id}/${row.stream_version}/${trigger}`);
  }
  return expected;
}

describe('the outbox under faults', () => {
  it('delivers every delivery of a load of lifecycles exactly once and in order at each receiver through worker and relay kills, a PostgreSQL restart, an outage, lost answers and slow answers', async () => {
    const { centre, office, procedureCode } = await loadTestProcedure(engine.db, { calendar: ROUND_THE_CLOCK, series: '999181', clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 }, stepBudget: { unit: 'working-days', amount: 3 } });
    const desk = await authAs(actor('reception', centre));
    const officer = await authAs(actor('officer', office));
    const head = await authAs(actor('head', office));
    const resultFile = await signedResult(office, 'KQ-FAULTS');
    const { locality: _locality, ...reception } = receptionBody(centre, { procedureCode });
    const body = { ...reception, applicant: { kind: 'citizen' as const, fullName: NAME, identityNumber: '001090055555', phone: PHONE, email: 'le.thi@example.vn' } };

    // The portal is down from the start; the e-mail receiver answers slowly, with jitter, some
    // answers later than the sender waits (3 s): it resends, and the receiver must recognise the key.
    receivers.portal.faults.fail({ mode: 'down' });
    let jittering = true;
    const jitter = (async () => {
      let turn = 0;
      while (jittering) {
        receivers.email.faults.fail(turn % 3 === 2 ? { mode: 'none' } : { mode: 'slow', delayMs: turn % 7 === 0 ? 3_500 : 100 + ((turn * 373) % 1_200) });
        turn += 1;
        await sleep(700);
      }
      receivers.email.faults.fail({ mode: 'none' });
    })();

    let commandsDone = 0;
    // The returns wait for the PostgreSQL restart to begin, so it always finds commands outstanding.
    let releaseReturns = () => {};
    const returnsHeld = new Promise<void>((resolve) => {
      releaseReturns = resolve;
    });
    const step = async <T>(done: Promise<T>) => {
      const answer = await done;
      commandsDone += 1;
      return answer;
    };
    const lifecycle = async (n: number) => {
      const received = await step(postInsisting(`${engine.url}/dossiers`, body, desk, `faults-receive-${n}`));
      expect(received.status, JSON.stringify(received.json)).toBe(201);
      const code = received.json.dossierCode as string;
      const expectOk = (answer: { status: number; json: unknown }) => expect(answer.status, `${code}: ${JSON.stringify(answer.json)}`).toBe(200);
      expectOk(await step(postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: [] }, desk, `faults-accept-${code}`)));
      expectOk(await step(postInsisting(`${engine.url}/dossiers/${code}/complete-step`, { stepId: 'review', outcome: 'approved' }, officer, `faults-step-${code}`)));
      const form = new FormData();
      form.append('reference', `KQ-${n}`);
      form.append('file', new Blob([resultFile], { type: 'application/pdf' }), 'result.pdf');
      expectOk(await step(postInsisting(`${engine.url}/dossiers/${code}/issue-result`, form, head, `faults-result-${code}`)));
      await returnsHeld;
      expectOk(await step(postInsisting(`${engine.url}/dossiers/${code}/return-result`, { method: 'counter', applicantNotifiedInAdvance: true }, desk, `faults-return-${code}`)));
      return code;
    };
    const load = Promise.all(Array.from({ length: DOSSIERS }, (_, n) => lifecycle(n)));
    const progress = async (commands: number) => {
      while (commandsDone < commands) await sleep(100);
    };

    // The faults, each while the load is under way.
    await progress(Math.round(DOSSIERS * 0.75));
    await workers.at(-1)!.kill();
    await startWorker();

    await progress(DOSSIERS * 2);
    // The relay dies with the portal's deliveries waiting on the outage.
    const waiting = await engine.db.selectFrom('deliveries').select('key').where('receiver', '=', 'portal').where('state', '=', 'pending').execute();
    expect(waiting.length).toBeGreaterThan(0);
    await relays.at(-1)!.kill();
    receivers.sms.faults.fail({ mode: 'lose-answer', times: 6 });
    await startRelay();
    receivers.portal.faults.fail({ mode: 'none' });

    await progress(DOSSIERS * 3);
    expect(commandsDone).toBeLessThan(DOSSIERS * 5);
    releaseReturns();
    await postgres.stop();
    await sleep(2_000);
    postgres = await startPostgres({ clusterDir, port, disposable: true }, logger);

    const codes = await load;
    jittering = false;
    await jitter;

    // Everything the events call for, delivered; nothing left pending or dead.
    const ours = () => engine.db.selectFrom('deliveries').select(['key', 'receiver', 'state', 'attempts']).where('dossier_code', 'in', codes).execute();
    const missing = async () => {
      const expected = await expectedKeys(codes);
      return RECEIVERS.flatMap((receiver) => expected[receiver].filter((key) => !receivers[receiver].ledger.has(key)));
    };
    await expect.poll(missing, { timeout: 120_000, interval: 500 }).toEqual([]);
    await expect.poll(async () => (await ours()).filter((row) => row.state !== 'delivered').map((row) => `${row.key} ${row.state}`), { timeout: 60_000, interval: 500 }).toEqual([]);

    const rows = await ours();
    const expected = await expectedKeys(codes);
    for (const receiver of RECEIVERS) {
      const ledger = receivers[receiver].ledger;
      const acted = ledger.receipts().filter((receipt) => codes.includes(receipt.dossierCode)).map((receipt) => receipt.key);
      const planned = rows.filter((row) => row.receiver === receiver).map((row) => row.key);
      // Each planned delivery acted on once, none acted on that was not planned, and the planner
      // planned what the events call for.
      expect(new Set(acted).size, receiver).toBe(acted.length);
      expect([...acted].sort(), receiver).toEqual([...planned].sort());
      expect([...planned].sort(), receiver).toEqual([...expected[receiver]].sort());
      expect(ledger.summary().outOfOrder, receiver).toEqual([]);
      // Per dossier, in the order of its events.
      for (const code of codes) {
        const sequences = ledger.receipts().filter((receipt) => receipt.dossierCode === code).map((receipt) => receipt.sequence);
        expect(sequences, `${receiver} ${code}`).toEqual([...sequences].sort((a, b) => a - b));
      }
    }
    expect(expected.portal.length).toBeGreaterThanOrEqual(DOSSIERS * 5);
    expect(expected.sms).toHaveLength(DOSSIERS * 4);

    // The faults did happen: resends were recognised at the receivers, the outage cost attempts, and
    // the portal's last word on every dossier is "returned" (10).
    expect(receivers.sms.ledger.summary().duplicates).toBeGreaterThanOrEqual(1);
    expect(rows.filter((row) => row.receiver === 'portal').some((row) => row.attempts > 1)).toBe(true);
    for (const code of codes) {
      expect(receivers.portal.ledger.receipts().filter((receipt) => receipt.dossierCode === code).at(-1)?.detail, code).toEqual({ status: 10 });
    }
    const states = new Map<string, DossierState>();
    for (const code of codes) states.set(code, newDossier(code));
    for (const event of await engine.db.selectFrom('events').select(['stream_id', 'type', 'schema_version', 'payload']).where('stream_id', 'in', codes).orderBy('stream_version').execute()) {
      states.set(event.stream_id, evolveDossier(states.get(event.stream_id)!, asDossierEvent({ type: event.type, schemaVersion: event.schema_version, data: event.payload })));
    }
    expect([...states.values()].every((state) => isReceived(state) && state.status === 'returned')).toBe(true);

    // The processes' logs hold no personal data.
    const logs = [...workers, ...relays].flatMap((process) => process.output).join('\n');
    expect(logs).toContain('delivery relay running');
    expect(logs).not.toContain(NAME);
    expect(logs).not.toContain(PHONE);
  }, 300_000);

  it('resends, after the relay is killed between the receiver acting and the row saying so, and the receiver does not act twice', async () => {
    const { centre, procedureCode } = await loadTestProcedure(engine.db, { calendar: ROUND_THE_CLOCK, series: '999182', clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 }, stepBudget: { unit: 'working-days', amount: 3 } });
    // The portal acts at once and answers 2.5 s later: the window is held open, not hoped for.
    receivers.portal.faults.fail({ mode: 'slow', delayMs: 2_500, times: 1 });
    const received = await postInsisting(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode }), await authAs(actor('reception', centre)), 'faults-window');
    expect(received.status).toBe(201);
    const key = `portal/${received.json.dossierCode as string}/1/status`;
    const state = async () => (await engine.db.selectFrom('deliveries').select('state').where('key', '=', key).executeTakeFirst())?.state;
    await expect.poll(() => receivers.portal.ledger.has(key), { timeout: 60_000, interval: 50 }).toBe(true);
    expect(await state()).toBe('pending');
    await relays.at(-1)!.kill();
    await startRelay();

    await expect.poll(state, { timeout: 60_000, interval: 250 }).toBe('delivered');
    expect(receivers.portal.ledger.receipts().filter((receipt) => receipt.key === key)).toHaveLength(1);
    expect(receivers.portal.ledger.summary().duplicateKeys).toContain(key);
    const outcomes = await engine.db.selectFrom('delivery_attempts').select('outcome').where('delivery_key', '=', key).orderBy('attempt').execute();
    expect(outcomes.map((row) => row.outcome).at(-1)).toBe('already-delivered');
  }, 180_000);
});
