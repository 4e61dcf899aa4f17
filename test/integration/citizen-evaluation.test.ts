// The applicant's own evaluation and the public pages on the real servers (HTTP → API → Temporal →
// worker → PostgreSQL): refused before the dossier is finished, taken online with the receipt's
// code and secret once, a retry answered with what was recorded, staff refused unless they enter a
// paper form with its reference, refused once the 30 days have passed, and counted by source in the
// unit's published results.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import { projectDossierReadModels } from '../../db/projections/dossier-read-models.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, DossierScenario, ECONOMY } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, TEST_LOOKUP_KEY, type TestEngine, testDatabase } from '../support/engine.js';
import { projectReportsPast } from '../support/report-projection.js';
import { verifiedResult } from '../support/result-fields.js';
import { issueSignedResult } from '../support/signed-result.js';

let engine: TestEngine;
const db = testDatabase(3);

beforeAll(async () => {
  engine = await startTestEngine({ name: 'citizen-evaluation' });
});

afterAll(async () => {
  await engine?.close();
  await db.destroy();
});

const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const economyHead = actor('head', ECONOMY, 'truongphong.cuong');
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${path}`, who, body);
  if (result.status !== 200) throw new Error(`${path} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

/** A business registration received and accepted; its lookup secret from the acceptance. */
async function accepted(): Promise<{ code: string; secret: string }> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(reception));
  expect(received.status).toBe(201);
  const code: string = received.json.dossierCode;
  const acceptance = await command(code, 'accept', reception, { components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] });
  return { code, secret: acceptance.lookupSecret };
}

async function resolvedAndReturned(code: string): Promise<void> {
  await command(code, 'complete-step', economyOfficer, { stepId: 'business-registration', outcome: 'approved' });
  const result = await issueSignedResult(engine.url, code, economyHead, `HKD-${code.slice(-4)}`);
  expect(result.status).toBe(200);
  await command(code, 'return-result', reception, { method: 'counter', applicantNotifiedInAdvance: true });
}

const evaluate = (code: string, body: unknown) => postJson(`${engine.url}/lookup/${code}/evaluation`, body);
const lookup = async (code: string, secret: string) => (await getJson(`${engine.url}/lookup/${code}?secret=${secret}`)).json;

describe("the citizen's own evaluation", () => {
  it('opens once the dossier is finished, is taken once, and a retry answers what was recorded', async () => {
    const { code, secret } = await accepted();
    expect((await lookup(code, secret)).evaluation).toEqual({ state: 'not-yet-open', until: null, recorded: null });
    const early = await evaluate(code, { secret, rating: 'satisfied' });
    expect(early.status).toBe(422);
    expect(early.json).toMatchObject({ code: 'EVALUATION_NOT_OPEN' });

    await resolvedAndReturned(code);
    const open = (await lookup(code, secret)).evaluation;
    expect(open).toMatchObject({ state: 'open', recorded: null });
    expect(Date.parse(open.until) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // A wrong secret looks like an unknown code, and records nothing.
    const wrong = await evaluate(code, { secret: lookupSecretFor(TEST_LOOKUP_KEY, `${code.slice(0, -1)}${code.endsWith('9') ? '8' : '9'}`), rating: 'not-satisfied' });
    expect(wrong.status).toBe(404);

    const taken = await evaluate(code, { secret: secret.toLowerCase(), rating: 'very-satisfied', comment: 'Cán bộ hướng dẫn tận tình' });
    expect(taken.status).toBe(200);
    expect(taken.json).toMatchObject({ dossierCode: code, evaluation: { rating: 'very-satisfied', source: 'online' } });
    // Sent again (a lost answer, another rating): the one recorded, unchanged.
    const again = await evaluate(code, { secret, rating: 'not-satisfied' });
    expect(again.status).toBe(200);
    expect(again.json.evaluation).toEqual(taken.json.evaluation);

    const events = (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events.filter((event: { type: string }) => event.type === 'EvaluationRecorded');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ data: { rating: 'very-satisfied', source: 'online', comment: 'Cán bộ hướng dẫn tận tình' } });
    const { rows } = await sql<{ metadata: { actor: { userId: string; role: string; agencyCode: string }; commandId: string } }>`
      SELECT metadata FROM events WHERE stream_id = ${code} AND type = 'EvaluationRecorded'`.execute(db);
    expect(rows[0]!.metadata).toMatchObject({ actor: { userId: `citizen:${code}`, role: 'citizen', agencyCode: CENTRE }, commandId: `citizen/${code}/evaluation` });

    // The lookup shows it, without the comment; the evaluated dossier's workflow ends.
    const shown = (await lookup(code, secret)).evaluation;
    expect(shown).toEqual({ state: 'recorded', until: null, recorded: taken.json.evaluation });
    expect(JSON.stringify(await lookup(code, secret))).not.toContain('tận tình');
    await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).result();

    // Staff cannot add another, paper or not.
    const paper = await postCommand(`${engine.url}/dossiers/${code}/record-evaluation`, reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-1' });
    expect(paper.status).toBe(422);
  });

  it('staff enter only a paper form, with its reference; the citizen then finds it recorded', async () => {
    const { code, secret } = await accepted();
    await resolvedAndReturned(code);
    const online = await postCommand(`${engine.url}/dossiers/${code}/record-evaluation`, reception, { rating: 'satisfied', source: 'online' });
    expect(online.status).toBe(403);
    expect(online.json).toMatchObject({ code: 'EVALUATION_BY_CITIZEN_ONLY' });
    const bare = await postCommand(`${engine.url}/dossiers/${code}/record-evaluation`, reception, { rating: 'satisfied', source: 'paper-form' });
    expect(bare.status).toBe(422);
    expect(bare.json).toMatchObject({ code: 'PAPER_FORM_REFERENCE_REQUIRED', errors: [{ field: 'body.paperFormReference' }] });
    const missingSource = await postCommand(`${engine.url}/dossiers/${code}/record-evaluation`, reception, { rating: 'satisfied' });
    expect(missingSource.status).toBe(400);

    await command(code, 'record-evaluation', reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-2026/0042' });
    expect((await lookup(code, secret)).evaluation).toMatchObject({ state: 'recorded', recorded: { rating: 'satisfied', source: 'paper-form' } });
    const citizen = await evaluate(code, { secret, rating: 'not-satisfied' });
    expect(citizen.status).toBe(422);
    expect(citizen.json).toMatchObject({ code: 'EVALUATION_ALREADY_RECORDED' });
  });
});

const asNew = (event: DossierEvent, commandId: string, who: { userId: string; role: string; agencyCode: string }): NewEvent => ({
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: { actor: who, commandId },
  occurredAt: event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at,
});

/** A business registration of May 2026, returned on 6 May; evaluated online by its applicant when `evaluated`. */
function mayDossier(serial: number, evaluated: boolean): DossierScenario {
  const dossier = DossierScenario.received(BUSINESS_PROCEDURE, '2026-05-04T08:30:00', serial);
  dossier.accept('2026-05-04T09:00:00');
  dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-05-05T10:00:00');
  dossier.play(dossier.command('IssueResult', economyHead, verifiedResult(`GCN ${dossier.dossierCode}`, economyHead.agencyCode, 'c'.repeat(64))), '2026-05-05T10:00:00');
  dossier.play(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: true }), '2026-05-06T09:00:00');
  if (evaluated) dossier.play(dossier.command('RecordEvaluation', actor('citizen', CENTRE, `citizen:${dossier.dossierCode}`), { rating: 'very-satisfied', source: 'online' }), '2026-05-06T15:00:00');
  return dossier;
}

async function store(dossier: DossierScenario): Promise<void> {
  await appendToStream(db, dossier.dossierCode, 0, dossier.events.map((event) => asNew(event, `seed/${dossier.dossierCode}`, reception)), [projectDossierReadModels]);
}

describe('past its window, and in the published results', () => {
  it('refuses an evaluation 30 days after the dossier closed', async () => {
    const dossier = mayDossier(9501, false);
    await store(dossier);
    // Projected now, so the results test below sees only its own dossier come in.
    await projectReportsPast(db, [dossier.dossierCode]);
    const late = await evaluate(dossier.dossierCode, { secret: lookupSecretFor(TEST_LOOKUP_KEY, dossier.dossierCode), rating: 'satisfied' });
    expect(late.status).toBe(422);
    expect(late.json).toMatchObject({ code: 'DOSSIER_CLOSED' });
    expect((await lookup(dossier.dossierCode, lookupSecretFor(TEST_LOOKUP_KEY, dossier.dossierCode))).evaluation).toMatchObject({ state: 'closed', recorded: null });
  });

  it('counts an online evaluation by its source in the unit’s results of a month that has ended', async () => {
    const results = async () => (await getJson(`${engine.url}/public/units/${CENTRE}/results?period=2026-05`)).json;
    const before = await results();
    expect(before).toMatchObject({ unit: { agencyCode: CENTRE }, period: { period: '2026-05', kind: 'month', firstDay: '2026-05-01', lastDay: '2026-05-31' } });
    const dossier = mayDossier(9502, true);
    await store(dossier);
    await projectReportsPast(db, [dossier.dossierCode]);
    const after = await results();
    expect(after.evaluations.bySource.online - before.evaluations.bySource.online).toBe(1);
    expect(after.evaluations.verySatisfied - before.evaluations.verySatisfied).toBe(1);
    expect(after.dossiers.resolved - before.dossiers.resolved).toBe(1);
    // Figures only: no dossier code, no person.
    expect(JSON.stringify(after)).not.toContain(dossier.dossierCode);
    expect(JSON.stringify(after)).not.toContain('Trần Thị Bình');
    const current = await getJson(`${engine.url}/public/units/${CENTRE}/results?period=2099-01`);
    expect(current.status).toBe(400);
  });
});

describe("a unit's public catalogue", () => {
  it('lists the procedures the unit and the units below it resolve today, with what to bring and the fees', async () => {
    const answer = await getJson(`${engine.url}/public/units/${CENTRE}/procedures`);
    expect(answer.status).toBe(200);
    const business = answer.json.procedures.find((procedure: { code: string }) => procedure.code === BUSINESS_PROCEDURE);
    expect(business).toMatchObject({ competentAgencies: [{ agencyCode: ECONOMY }], fees: [{ amountVnd: 100_000 }], timeLimit: { label: '3 ngày làm việc' }, online: { level: 'full' } });
    expect(business.components.length).toBeGreaterThan(0);
    const one = await getJson(`${engine.url}/public/units/${CENTRE}/procedures/${BUSINESS_PROCEDURE}`);
    expect(one.json.procedure).toEqual(business);
    expect((await getJson(`${engine.url}/public/units/${ECONOMY}/procedures/1.001776`)).status).toBe(404);
    expect((await getJson(`${engine.url}/public/units/000.99.99.H99/procedures`)).status).toBe(404);
  });
});
