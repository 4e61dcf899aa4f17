// GET /dossiers/{code}/actions on the real engine: a land dossier walked from reception to the land
// office, asking at each turn what each person may do, then doing it. Every action listed is taken
// (200), and an action listed as refused gets the same problem (code, detail, rule) from its route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY, LAND_OFFICE, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'actions' });
});

afterAll(async () => {
  await engine?.close();
});

type Who = ReturnType<typeof actor>;
const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const landOfficer = actor('officer', LAND_OFFICE, 'vpdk.dung');
const auditor = actor('auditor', '000.00.00.H99', 'kiemtoan.1');

interface Actions {
  readonly dossierCode: string;
  readonly status: string;
  readonly streamVersion: number;
  readonly actions: { command: string; type: string; steps?: string[]; consultations?: string[] }[];
  readonly unavailable: { command: string; type: string; code: string; message: string; rule: string }[];
}

async function receive(procedureCode: string): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode }), await authAs(reception));
  expect(received.status).toBe(201);
  return received.json.dossierCode;
}

async function actionsOf(code: string, who: Who): Promise<{ status: number; etag: string | null; json: Actions }> {
  const response = await fetch(`${engine.url}/dossiers/${code}/actions`, { headers: await authAs(who) });
  return { status: response.status, etag: response.headers.get('etag'), json: (await response.json()) as Actions };
}

async function listed(code: string, who: Who): Promise<Actions> {
  const answer = await actionsOf(code, who);
  expect(answer.status).toBe(200);
  expect(answer.etag).toBe(`"${answer.json.streamVersion}"`);
  return answer.json;
}

const commands = (answer: Actions) => answer.actions.map((action) => action.command);

/** A body each command route takes, for the step or consultation it names. */
function bodyFor(command: string, procedureCode: string, subject: { stepId?: string } = {}): unknown {
  const bodies: Record<string, unknown> = {
    accept: { components: completeComponents(procedureCode) },
    'request-supplement-at-reception': { missing: [{ componentId: 'application', description: 'Đơn đề nghị', reason: 'Thiếu chữ ký' }] },
    'refuse-at-reception': { reasons: ['Không thuộc thẩm quyền của xã'], legalBasis: 'Nghị định 61/2018/NĐ-CP, Điều 17' },
    'record-payment': { amountVnd: 50_000, method: 'counter', receiptNumber: 'BL-1' },
    'request-withdrawal': { reason: 'Công dân không còn nhu cầu' },
    'record-evaluation': { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-1' },
    'complete-step': { stepId: subject.stepId, outcome: 'approved' },
  };
  if (!(command in bodies)) throw new Error(`no body for ${command} in this test`);
  return bodies[command];
}

async function send(code: string, command: string, who: Who, body: unknown) {
  return postCommand(`${engine.url}/dossiers/${code}/${command}`, who, body);
}

describe('GET /dossiers/{code}/actions', () => {
  it('walks a land dossier: what reception, the commune, the land office and an auditor may do at each turn', async () => {
    const code = await receive(LAND_PROCEDURE);

    // Just received: reception may accept, ask once for what is missing, or refuse.
    const received = await listed(code, reception);
    expect(received).toMatchObject({ dossierCode: code, status: 'received' });
    expect(commands(received)).toEqual(expect.arrayContaining(['accept', 'request-supplement-at-reception', 'refuse-at-reception']));
    expect(received.actions.find((action) => action.command === 'accept')).toEqual({ command: 'accept', type: 'AcceptDossier' });
    expect(received.unavailable).toContainEqual(expect.objectContaining({ command: 'return-result', type: 'ReturnResult', code: 'COMMAND_OUT_OF_ORDER' }));

    const accepted = await send(code, 'accept', reception, bodyFor('accept', LAND_PROCEDURE));
    expect(accepted.status).toBe(200);

    // Accepted: reception no longer accepts, and the route says why.
    const afterAccept = await listed(code, reception);
    expect(afterAccept.status).toBe('in-processing');
    expect(afterAccept.streamVersion).toBe(accepted.json.streamVersion);
    expect(commands(afterAccept)).not.toContain('accept');
    const notAgain = afterAccept.unavailable.find((entry) => entry.command === 'accept')!;
    expect(notAgain).toMatchObject({ type: 'AcceptDossier', code: 'COMMAND_OUT_OF_ORDER' });
    const refused = await send(code, 'accept', reception, bodyFor('accept', LAND_PROCEDURE));
    expect(refused.json).toMatchObject({ code: notAgain.code, detail: notAgain.message, rule: notAgain.rule });
    expect(refused.status).toBe(422);

    // The commune's economic office holds the first step; the land office does not yet.
    const landBefore = await listed(code, landOfficer);
    expect(commands(landBefore)).not.toContain('complete-step');
    const notYet = landBefore.unavailable.find((entry) => entry.command === 'complete-step')!;
    expect(notYet).toMatchObject({ type: 'CompleteStep', code: 'AGENCY_DOES_NOT_HOLD_STEP' });
    const tooEarly = await send(code, 'complete-step', landOfficer, bodyFor('complete-step', LAND_PROCEDURE, { stepId: 'commune-verification' }));
    expect(tooEarly.json).toMatchObject({ code: notYet.code, detail: notYet.message });
    expect(tooEarly.status).toBe(403);

    const commune = await listed(code, economyOfficer);
    expect(commune.actions).toContainEqual({ command: 'complete-step', type: 'CompleteStep', steps: ['commune-verification'] });
    expect((await send(code, 'complete-step', economyOfficer, bodyFor('complete-step', LAND_PROCEDURE, { stepId: 'commune-verification' }))).status).toBe(200);

    // The route reaches the land office: its officer is offered its own step, and can complete it.
    const landAfter = await listed(code, landOfficer);
    expect(landAfter.actions).toContainEqual({ command: 'complete-step', type: 'CompleteStep', steps: ['land-registration'] });
    expect(landAfter.actions).toContainEqual({ command: 'send-step-back', type: 'SendStepBack', steps: ['land-registration'] });
    expect((await send(code, 'complete-step', landOfficer, bodyFor('complete-step', LAND_PROCEDURE, { stepId: 'land-registration' }))).status).toBe(200);

    // An auditor reads every dossier and sends nothing: no action, and none to explain.
    expect(await listed(code, auditor)).toMatchObject({ actions: [], unavailable: [] });
  });

  it("every action offered to reception on a dossier just received is taken by its route", async () => {
    const offered = commands(await listed(await receive(BUSINESS_PROCEDURE), reception));
    expect(offered.length).toBeGreaterThanOrEqual(3);
    for (const command of offered) {
      // Each on a dossier of its own, as each may end or change it.
      const code = await receive(BUSINESS_PROCEDURE);
      expect(commands(await listed(code, reception))).toEqual(offered);
      const sent = await send(code, command, reception, bodyFor(command, BUSINESS_PROCEDURE));
      expect(sent.status, `${command}: ${JSON.stringify(sent.json)}`).toBe(200);
    }
  });

  it('answers 404 for a dossier that does not exist and 403 to an agency that takes no part in it', async () => {
    const missing = await actionsOf(`${CENTRE}-260101-9999`, reception);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ type: 'urn:motcua:problem:dossier-not-found', status: 404 });
    const code = await receive(BUSINESS_PROCEDURE);
    const stranger = await actionsOf(code, actor('officer', '000.04.01.H99', 'xahoi.1'));
    expect(stranger.status).toBe(403);
    expect(stranger.json).toMatchObject({ type: 'urn:motcua:problem:forbidden', status: 403, detail: expect.stringMatching(/takes no part in dossier/) });
  });
});
