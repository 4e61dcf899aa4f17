// Issue 20 end to end (docs/integrations.md#interagency): a land-and-tax dossier of the sample
// catalogue (1.004227 version 2026.2: land-registration and certificate-issuance carried out by the
// land information system, tax-assessment by the tax authority's) and a birth registration
// (1.001193 2026.2, by the civil-status system), on real PostgreSQL and Temporal with the outbox's
// relay running and the systems' loopback doubles (doubles/interagency-doubles.ts): land and civil
// status answer by signed callback, tax is polled. Only the commune's verification, the head's
// result and the return are done by people; every external step is done by its system, its events
// recorded under `system:<name>`. With the land double down for a while, the hand-off is retried
// by the outbox and nothing is lost or done twice; the step's mark comes from its own budget.
import { inboundOf, interagencyConfigSchema } from '../../integrations/interagency/interagency-config.js';
import { mkdtempSync } from 'node:fs';
import { freePort } from '../../dev/free-port.js';
import { locateTemporalCli } from '../../dev/temporal-cli.js';
import { startTemporalServer } from '../../dev/temporal-server.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { readStream, type StoredEvent } from '../../db/event-store.js';
import { type InteragencyDoubles, startInteragencyDoubles } from '../../doubles/interagency-doubles.js';
import { createOutbox, outboxConfigSchema } from '../../integrations/outbox/channels.js';
import { createLogger } from '../../platform/logger.js';
import { actor, CENTRE, completeComponents, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, TEST_FILE_LINK_KEY, TEST_LOOKUP_KEY, type TestEngine } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';

const CIVIL_PROCEDURE = '1.001193';
const EXTERNAL_STEPS = { 'land-registration': 'land-registry', 'tax-assessment': 'tax', 'certificate-issuance': 'land-registry' } as const;
/** The sample's working day: 8 h minus the lunch break, 450 minutes (domain/calendar). */
const WORKING_DAY_MINUTES = 450;

let engine: TestEngine;
let doubles: InteragencyDoubles;
let temporal: Awaited<ReturnType<typeof startTemporalServer>>;
const quiet = createLogger({ level: 'warn', name: 'interagency-land-tax' });
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));
const reception = actor('reception', CENTRE, 'letan.an');

beforeAll(async () => {
  temporal = await startTemporalServer({ cli: await locateTemporalCli(quiet, process.env.TEMPORAL_CLI), port: await freePort(), namespace: 'default' }, quiet);
  doubles = await startInteragencyDoubles({ secretsDir: path.join(mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-')), 'secrets'), answerDelayMs: 50, retryMaxMs: 500, pollSeconds: 1 });
  // `interagency`: the systems' secrets for the callback route and what the poller polls; the
  // outbox's own copy names the API's address as the callback base.
  const options = {
    name: 'interagency-land-tax',
    // A database of its own (the outbox's planner plans each database's log once, with its relay's
    // policy: on the suite's, another file's relay, which connects no system, could plan first), and
    // so a Temporal server of its own: the sample centre's dossiers are numbered from 0001 again
    // here, and their workflow ids must never meet other files' dossiers of the same centre.
    databaseUrl: await databaseOfItsOwn(),
    temporalAddress: temporal.address,
    // The systems' files (result, notice, receipt) are stored like uploads.
    documentDirectory: mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-documents-')),
    interagency: inboundOf(interagencyConfigSchema.parse(doubles.config())),
    outbox: (url: string) => {
      const config = outboxConfigSchema.parse({ publicBaseUrl: url, notices: { quietHours: {}, preferredOnly: false }, interagency: doubles.config(url) });
      const outbox = createOutbox(config, { lookupKey: TEST_LOOKUP_KEY, fileLinkKey: TEST_FILE_LINK_KEY, logger: createLogger({ level: 'silent' }) });
      return { channels: outbox.channels, policy: outbox.policy, lane: { ...outbox.lane, firstRetryMs: 200, retryCeilingMs: 1000 } };
    },
  };
  engine = await startTestEngine(options);
  await loadCatalogue(engine.db, readCatalogueFile(SAMPLE_CATALOGUE_FILE));
}, 180_000);
afterAll(async () => {
  await engine?.close();
  await doubles?.close();
  await temporal?.stop();
});

async function command(code: string, route: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${route}`, who, body);
  if (result.status !== 200) throw new Error(`${route} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

async function summary(code: string) {
  return (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
}

async function receive(procedureCode: string): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode }), await authAs(reception));
  expect(received.status, JSON.stringify(received.json)).toBe(201);
  return received.json.dossierCode;
}

const events = (code: string) => readStream(engine.db, code);
const ofType = (all: readonly StoredEvent[], type: string, stepId?: string) => all.filter((event) => event.type === type && (stepId === undefined || (event.data as { stepId?: string }).stepId === stepId));
const actorOf = (event: StoredEvent) => (event.metadata as { actor: { userId: string; role: string } }).actor;
const commandIdOf = (event: StoredEvent) => (event.metadata as { commandId: string }).commandId;

/** Waits until the dossier's stream has an event of this type (for the step). */
async function until(code: string, type: string, stepId?: string, timeout = 60_000): Promise<StoredEvent[]> {
  await expect.poll(async () => ofType(await events(code), type, stepId).length, { timeout, interval: 250 }).toBeGreaterThan(0);
  return events(code);
}

/** Receives and accepts a land dossier and has the commune's officer verify it: the land office's step starts. */
async function landDossierAtTheLandOffice(): Promise<{ code: string; communeOfficer: ReturnType<typeof actor> }> {
  const code = await receive(LAND_PROCEDURE);
  const accepted = await command(code, 'accept', reception, { components: completeComponents(LAND_PROCEDURE) });
  expect(accepted.status).toBe('in-processing');
  // Pinned at acceptance: the version in force today, whose external steps name their systems.
  expect(await summary(code)).toMatchObject({ procedureVersion: '2026.2' });
  const [commune] = (await summary(code)).currentAgencies as string[];
  const communeOfficer = actor('officer', commune!, 'diachinh.xa');
  await command(code, 'complete-step', communeOfficer, { stepId: 'commune-verification', outcome: 'approved' });
  return { code, communeOfficer };
}

describe('a land-and-tax dossier whose external steps are done by the systems', () => {
  it('goes from reception to its returned result: the land office and the tax authority do their steps, the notice pauses the clock and the receipt resumes it', async () => {
    const { code, communeOfficer } = await landDossierAtTheLandOffice();

    // The land office takes the step, says so, and completes it with its transfer slip.
    await until(code, 'StepCompleted', 'land-registration');
    // The tax authority's notice: the clock stops.
    await until(code, 'FinancialObligationRequested');
    expect(await summary(code)).toMatchObject({ status: 'awaiting-financial-obligation', clockState: 'paused' });
    const [notice] = ofType(await events(code), 'FinancialObligationRequested');
    expect(notice!.data).toMatchObject({ amountVnd: 2_350_000, dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), noticeFile: expect.anything() });
    // The tax double downloaded the land office's slip from the engine (the earlier step's result).
    expect(doubles.tax.handOffs().find((one) => one.dossierCode === code && one.outcome === 'taken')).toMatchObject({ stepId: 'tax-assessment', filesFetched: expect.any(Number) });
    expect(doubles.tax.handOffs().find((one) => one.dossierCode === code && one.outcome === 'taken')!.filesFetched).toBeGreaterThanOrEqual(1);

    // The citizen pays; the receipt resumes the clock; the tax step completes; the land office issues the certificate.
    expect((await fetch(`${doubles.tax.url}/__pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dossierCode: code }) })).status).toBe(200);
    await until(code, 'PaymentRecorded');
    // The dossier's read shows the notice and the receipt, with their files served by the file route.
    const { obligations } = await summary(code);
    expect(obligations).toMatchObject({
      notices: [{ stepId: 'tax-assessment', amountVnd: 2_350_000, noticeNumber: (notice!.data as { noticeNumber: string }).noticeNumber, dueDate: (notice!.data as { dueDate: string }).dueDate, noticeFile: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } }],
      payments: [{ amountVnd: 2_350_000, method: 'online', receiptNumber: expect.any(String), paidAt: expect.any(String), receiptFile: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } }],
    });
    for (const file of [obligations.notices[0].noticeFile, obligations.payments[0].receiptFile]) {
      expect((await fetch(`${engine.url}/dossiers/${code}/files/${file.sha256}`, { headers: await auditor() })).status).toBe(200);
    }
    await until(code, 'StepCompleted', 'certificate-issuance', 90_000);
    const running = await summary(code);
    expect(running.clockState).not.toBe('paused');

    // The competent body's head issues the result; the centre returns it.
    const head = actor('head', running.competentAgencyCode as string, 'giamdoc.vpdk');
    const issued = await issueSignedResult(engine.url, code, head, 'GCN 000123');
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    await command(code, 'return-result', reception, { method: 'counter', applicantNotifiedInAdvance: true });
    expect(await summary(code)).toMatchObject({ status: 'returned', portalStatus: 10 });

    const all = await events(code);
    // The commune's step by its officer; every external step by its system, never by an officer's command.
    expect(actorOf(ofType(all, 'StepCompleted', 'commune-verification')[0]!)).toMatchObject({ userId: communeOfficer.userId, role: 'officer' });
    for (const [stepId, system] of Object.entries(EXTERNAL_STEPS)) {
      const handedOff = ofType(all, 'StepHandedOff', stepId);
      expect(handedOff, stepId).toHaveLength(1);
      expect(handedOff[0]!.data).toMatchObject({ run: 1, system });
      const done = ofType(all, 'StepCompleted', stepId);
      expect(done, stepId).toHaveLength(1);
      expect(actorOf(done[0]!)).toMatchObject({ userId: `system:${system}`, role: 'interagency' });
      expect(commandIdOf(done[0]!)).toMatch(new RegExp(`^interagency/${system}/`));
    }
    for (const type of ['FinancialObligationRequested', 'PaymentRecorded']) expect(ofType(all, type).map((event) => actorOf(event).userId)).toEqual(['system:tax']);
    expect(ofType(all, 'ExternalProgressReported').map((event) => [(event.data as { stepId: string }).stepId, actorOf(event).userId])).toEqual([
      ['land-registration', 'system:land-registry'],
      ['certificate-issuance', 'system:land-registry'],
    ]);
    expect(ofType(all, 'PaymentRecorded')[0]!.data).toMatchObject({ amountVnd: 2_350_000, method: 'online', receiptFile: expect.anything() });
    expect(ofType(all, 'StepCompleted', 'land-registration')[0]!.data).toMatchObject({ outcome: 'approved', resultFile: expect.anything() });

    // Each system holds each of its steps once and had every answer taken once.
    expect(doubles.land.held(code).map((step) => step.stepId)).toEqual(['land-registration', 'certificate-issuance']);
    expect(doubles.land.summary().duplicates).toBe(0);
    // Taken at the first try: applied at once, or stored for the relay's sweep when the workflow was slow to answer.
    for (const answer of doubles.land.answers(code)) expect(answer.deliveries.map((delivery) => delivery.outcome)).toEqual([expect.stringMatching(/^(applied|stored)$/)]);
    expect(doubles.tax.answers(code).map((answer) => answer.kind)).toEqual(['financial-obligation', 'payment-receipt', 'completed']);
    expect(doubles.tax.answers(code).every((answer) => answer.served >= 1)).toBe(true);
    expect(engine.logs.text).not.toContain('Nguyễn Thị Hoa');
  }, 240_000);

  it('with the land office down for a while: the hand-off is retried until it is taken, each answer applied once, and the step marked from its own budget', async () => {
    doubles.land.faults({ down: true });
    const { code } = await landDossierAtTheLandOffice();
    const handOffKey = async () =>
      (await engine.db.selectFrom('deliveries').select(['key', 'state', 'attempts']).where('dossier_code', '=', code).where('receiver', '=', 'land-registry').execute()).find((row) => row.key.endsWith('/hand-off'));
    // The outbox tries, the system answers 503, the outbox tries again.
    await expect.poll(async () => (await handOffKey())?.attempts ?? 0, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(2);
    expect(ofType(await events(code), 'StepHandedOff')).toEqual([]);
    expect(doubles.land.held(code)).toEqual([]);
    // Back, and sending each answer twice (as systems that resend do).
    doubles.land.faults({ down: false, duplicateAnswers: true });
    const all = await until(code, 'StepCompleted', 'land-registration');
    await doubles.land.drained();
    expect((await handOffKey())?.state).toBe('delivered');

    expect(ofType(all, 'StepHandedOff', 'land-registration')).toHaveLength(1);
    const after = await events(code);
    expect(ofType(after, 'ExternalProgressReported', 'land-registration')).toHaveLength(1);
    expect(ofType(after, 'StepCompleted', 'land-registration')).toHaveLength(1);
    expect(doubles.land.handOffs().filter((one) => one.dossierCode === code && one.outcome === 'taken')).toHaveLength(1);
    // Each answer went twice; the engine applied the first and knew the second.
    for (const answer of doubles.land.answers(code)) expect(answer.deliveries.map((delivery) => delivery.outcome)).toEqual([expect.stringMatching(/^(applied|stored)$/), 'duplicate']);

    // The step's own budget (8 working days), counted on the legal clock from its start, not from the hand-off.
    const started = ofType(after, 'StepStarted', 'land-registration')[0]!;
    const handedOff = ofType(after, 'StepHandedOff', 'land-registration')[0]!;
    expect(Date.parse((handedOff.data as { at: string }).at)).toBeGreaterThan(Date.parse((started.data as { at: string }).at));
    const completed = ofType(after, 'StepCompleted', 'land-registration')[0]!.data as { allottedMinutes: number; usedMinutes: number; mark: string };
    expect(completed.allottedMinutes).toBe(8 * WORKING_DAY_MINUTES);
    expect(completed.usedMinutes).toBeLessThan(completed.allottedMinutes);
    expect(completed.mark).toBe('early');
    const slip = (await getJson(`${engine.url}/dossiers/${code}/control-slip`, await auditor())).json.steps as { stepId: string; receivedAt: string; mark: string | null }[];
    expect(slip.find((row) => row.stepId === 'land-registration')).toMatchObject({ receivedAt: (started.data as { at: string }).at, mark: 'early' });
    doubles.land.faults({ duplicateAnswers: false });
  }, 240_000);
});

describe('answers that arrive out of order, with malformed ones among them', () => {
  it('applies each once, in the order the system did things; the malformed ones are refused and change nothing', async () => {
    doubles.land.faults({ outOfOrder: true, malformedAnswers: true });
    try {
      const { code } = await landDossierAtTheLandOffice();
      const all = await until(code, 'StepCompleted', 'land-registration');
      await doubles.land.drained();
      // The completion went first and waited for the progress report before it.
      const progress = ofType(all, 'ExternalProgressReported', 'land-registration');
      const completed = ofType(all, 'StepCompleted', 'land-registration');
      expect(progress).toHaveLength(1);
      expect(completed).toHaveLength(1);
      expect(progress[0]!.streamVersion).toBeLessThan(completed[0]!.streamVersion);
      const [first, second] = [...doubles.land.answers(code)].sort((a, b) => a.sequence - b.sequence);
      expect(first!.kind).toBe('progress');
      expect(second!.deliveries.map((delivery) => delivery.outcome)).toEqual(['held']);
      const sentFor = doubles.land.callbacks().filter((attempt) => attempt.answerIds.some((id) => id === first!.answerId || id === second!.answerId));
      expect(sentFor.map((attempt) => [attempt.variant.split(':')[0], attempt.answerIds[0] === second!.answerId ? 'completed' : 'progress'])).toEqual([
        ['malformed', 'completed'],
        ['answers', 'completed'],
        ['malformed', 'progress'],
        ['answers', 'progress'],
      ]);
      expect(sentFor.filter((attempt) => attempt.variant.startsWith('malformed')).map((attempt) => attempt.status)).toEqual([400, 400]);
    } finally {
      doubles.land.faults({ outOfOrder: false, malformedAnswers: false });
    }
  }, 180_000);
});

describe('a birth registration by the civil-status system', () => {
  it('the result carries the registration number the system gave', async () => {
    const code = await receive(CIVIL_PROCEDURE);
    await command(code, 'accept', reception, { components: completeComponents(CIVIL_PROCEDURE) });
    expect(await summary(code)).toMatchObject({ procedureVersion: '2026.2' });
    const all = await until(code, 'StepCompleted', 'civil-status');
    const [completed] = ofType(all, 'StepCompleted', 'civil-status');
    expect(actorOf(completed!)).toMatchObject({ userId: 'system:civil-status', role: 'interagency' });
    const given = doubles.civil.held(code)[0]!.notes.registration as string;
    expect(given).toMatch(/^\d+\/\d{4}$/);
    expect(completed!.data).toMatchObject({ registration: { number: given } });

    const head = actor('head', (await summary(code)).competentAgencyCode as string, 'chutich.xa');
    const issued = await issueSignedResult(engine.url, code, head, `KS ${given}`);
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    const [result] = ofType(await events(code), 'ResultIssued');
    expect(JSON.stringify((result!.data as { registrations?: unknown }).registrations)).toContain(given);
  }, 180_000);
});
