// One catalogue for a whole province, through the API on the real servers: the sample's two
// communes, Hòa Bình and An Phú, run the same version of birth registration (1.001193, the one in
// force: 2026.2 from 1 December 2026, whose step names the civil-status system; with none connected,
// the officers do it in the engine), each with
// its own civil-status officer, and a dossier received at Hòa Bình's centre for An Phú goes to An
// Phú's officer while Hòa Bình's centre keeps the reception duties (docs/catalogue.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../db/catalogue.js';
import { procedureVersionSchema } from '../../domain/catalogue/procedure.js';
import { actor, CATALOGUE, completeComponents } from '../support/dossier-fixtures.js';
import { authAs, documentsIssued, getJson, type ListedDocument, postCommand, postJson, receptionBody, startTestEngine, type TestEngine, uniqueAgencyCode } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';

const BIRTH = '1.001193';
const BUSINESS = '2.000720';
const HOA_BINH = { centre: '000.01.01.H99', justice: '000.02.01.H99', commune: '99001' };
const AN_PHU = { centre: '000.01.02.H99', justice: '000.02.02.H99', commune: '99002' };
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'province' });
});
afterAll(() => engine?.close());

async function receive(centre: string, locality?: string, procedureCode = BIRTH) {
  // No locality unless the test names one: the centre's own commune is the default.
  const { locality: _testDefault, ...body } = receptionBody(centre, { procedureCode });
  return postJson(`${engine.url}/dossiers`, locality ? { ...body, locality } : body, await authAs(actor('reception', centre)));
}

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  return postCommand(`${engine.url}/dossiers/${code}/${path}`, who, body);
}

async function ok(code: string, path: string, who: ReturnType<typeof actor>, body: unknown = {}) {
  const result = await command(code, path, who, body);
  if (result.status !== 200) throw new Error(`${path} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

/** The result as the head of `who`'s agency signed it, sent as the competent body's file. */
async function issueResult(code: string, who: ReturnType<typeof actor>, reference: string) {
  return issueSignedResult(engine.url, code, who, reference);
}

async function eventsOf(code: string): Promise<{ type: string; data: Record<string, any> }[]> {
  return (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events;
}

/** Receives at `at`, accepts, and has `resolver`'s civil-status officer register the birth. */
async function birthRegistered(at: typeof HOA_BINH, resolver: typeof HOA_BINH, locality?: string) {
  const received = await receive(at.centre, locality);
  expect(received.status).toBe(201);
  const code: string = received.json.dossierCode;
  await ok(code, 'accept', actor('reception', at.centre), { components: completeComponents(BIRTH) });
  const accepted = (await eventsOf(code)).find((event) => event.type === 'DossierAccepted')!;
  const started = (await eventsOf(code)).find((event) => event.type === 'StepStarted')!;
  await ok(code, 'complete-step', actor('officer', resolver.justice), { stepId: 'civil-status', outcome: 'approved' });
  expect((await issueResult(code, actor('head', resolver.justice), `KS-${code.slice(-4)}`)).status).toBe(200);
  return { code, accepted, started };
}

describe('one procedure version, every commune of the province', () => {
  it('registers a birth at Hòa Bình with Hòa Bình’s officer and at An Phú with An Phú’s, under the same version', async () => {
    const hoaBinh = await birthRegistered(HOA_BINH, HOA_BINH);
    const anPhu = await birthRegistered(AN_PHU, AN_PHU);
    for (const [dossier, commune] of [[hoaBinh, HOA_BINH], [anPhu, AN_PHU]] as const) {
      expect(dossier.accepted.data.procedure).toMatchObject({ code: BIRTH, version: '2026.2', competentAgencyCode: commune.justice });
      expect(dossier.accepted.data.resolution).toMatchObject({
        directoryVersion: 'H99-2025.1',
        locality: { code: commune.commune },
        localityFrom: 'receiving-centre',
        assignments: [
          { target: 'competent', role: 'commune-civil-status', agencyCode: commune.justice },
          { target: 'civil-status', role: 'commune-civil-status', agencyCode: commune.justice },
        ],
      });
      expect(dossier.started.data).toMatchObject({ stepId: 'civil-status', agencyCode: commune.justice, fromAgencyCode: commune.centre });
      await ok(dossier.code, 'return-result', actor('reception', commune.centre), { method: 'counter', applicantNotifiedInAdvance: true });
      expect((await getJson(`${engine.url}/dossiers/${dossier.code}`, await auditor())).json).toMatchObject({ status: 'returned', competentAgencyCode: commune.justice });
    }
  });
});

describe('reception regardless of administrative boundary', () => {
  it('sends a dossier received at Hòa Bình for An Phú to An Phú’s officer; Hòa Bình’s centre keeps the reception and returns the result', async () => {
    const received = await receive(HOA_BINH.centre, AN_PHU.commune);
    expect(received.status).toBe(201);
    const code: string = received.json.dossierCode;
    expect(code.startsWith(`${HOA_BINH.centre}-`)).toBe(true);
    // Reception duties stay with the centre that received it: a supplement at reception, then the receipt.
    expect((await command(code, 'request-supplement-at-reception', actor('reception', AN_PHU.centre), { missing: [{ componentId: 'birth-certificate', description: 'Giấy chứng sinh', reason: 'Chưa nộp' }] })).json.code).toBe('NOT_THE_RECEIVING_CENTRE');
    await ok(code, 'request-supplement-at-reception', actor('reception', HOA_BINH.centre), { missing: [{ componentId: 'birth-certificate', description: 'Giấy chứng sinh', reason: 'Chưa nộp' }] });
    await ok(code, 'provide-supplement', actor('reception', HOA_BINH.centre), { components: [{ componentId: 'birth-certificate', form: 'original' }] });
    await ok(code, 'accept', actor('reception', HOA_BINH.centre), { components: completeComponents(BIRTH) });

    const events = await eventsOf(code);
    expect(events.find((event) => event.type === 'DossierReceived')!.data).toMatchObject({ agencyCode: HOA_BINH.centre, locality: AN_PHU.commune });
    expect(events.find((event) => event.type === 'DossierAccepted')!.data).toMatchObject({
      procedure: { competentAgencyCode: AN_PHU.justice },
      resolution: { locality: { code: AN_PHU.commune, name: 'Xã An Phú' }, localityFrom: 'reception-request' },
    });
    expect(events.find((event) => event.type === 'StepStarted')!.data).toMatchObject({ agencyCode: AN_PHU.justice, fromAgencyCode: HOA_BINH.centre });
    // Hòa Bình's officer does not hold the step; An Phú's work queue has it.
    expect((await command(code, 'complete-step', actor('officer', HOA_BINH.justice), { stepId: 'civil-status', outcome: 'approved' })).json.code).toBe('AGENCY_DOES_NOT_HOLD_STEP');
    const queue = (await getJson(`${engine.url}/agencies/${AN_PHU.justice}/queue`, await auditor())).json.items;
    expect(queue.some((item: { dossierCode: string }) => item.dossierCode === code)).toBe(true);
    await ok(code, 'complete-step', actor('officer', AN_PHU.justice), { stepId: 'civil-status', outcome: 'approved' });
    expect((await issueResult(code, actor('head', HOA_BINH.justice), 'KS-X1')).json.code).toBe('NOT_THE_COMPETENT_AGENCY');
    expect((await issueResult(code, actor('head', AN_PHU.justice), 'KS-X1')).status).toBe(200);
    // The result goes back through the centre that received the dossier.
    expect((await command(code, 'return-result', actor('reception', AN_PHU.centre), { method: 'counter', applicantNotifiedInAdvance: true })).json.code).toBe('NOT_THE_RECEIVING_CENTRE');
    await ok(code, 'return-result', actor('reception', HOA_BINH.centre), { method: 'counter', applicantNotifiedInAdvance: true });
    expect((await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json).toMatchObject({ status: 'returned', agencyCode: HOA_BINH.centre, competentAgencyCode: AN_PHU.justice });
    // The receipt is signed by the centre that received it; the result by An Phú's officer, who resolved it.
    const documents = await documentsIssued<ListedDocument & { signature: { valid: boolean; signer?: { subject: string } } }>(engine.url, code, ['form-01', 'result'], await auditor());
    expect(documents.find((document) => document.kind === 'form-01')!.signature).toMatchObject({ valid: true, signer: { subject: expect.stringContaining('xã Hòa Bình') } });
    expect(documents.find((document) => document.kind === 'result')!.signature).toMatchObject({ valid: true, signer: { subject: expect.stringContaining('xã An Phú') } });
  });

  it('refuses at reception a locality the directory does not know, before any code is spent', async () => {
    const refused = await receive(HOA_BINH.centre, '99999');
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'UNKNOWN_LOCALITY', errors: [{ field: 'body.locality' }] });
    expect(refused.json.detail).toContain('No administrative unit 99999');
  });

  it('refuses at reception a province as the locality: a dossier is resolved by a commune, ward or special zone', async () => {
    const refused = await receive(HOA_BINH.centre, '99');
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'UNKNOWN_LOCALITY', errors: [{ field: 'body.locality' }] });
    expect(refused.json.detail).toContain('Administrative unit 99 (Tỉnh Mẫu (dữ liệu mẫu)) is a province');
  });

  it('refuses at reception a dossier for An Phú of a procedure that names Hòa Bình’s office, and receives Hòa Bình’s at either centre', async () => {
    const named = await receive(HOA_BINH.centre, AN_PHU.commune, BUSINESS);
    expect(named.status).toBe(422);
    expect(named.json).toMatchObject({ code: 'JURISDICTION_UNRESOLVED', rule: expect.stringContaining('agency directory'), errors: [{ field: 'body.locality' }] });
    expect(named.json.detail).toMatch(/^Agency 000\.03\.01\.H99, which procedure 2\.000720 version 2025\.1 names, does not serve 99002 \(Xã An Phú\), the locality named at reception, on \d{4}-\d{2}-\d{2} in agency directory H99-2025\.1; it serves 99001\./);
    const atAnPhu = await receive(AN_PHU.centre, undefined, BUSINESS);
    expect(atAnPhu.status).toBe(422);
    expect(atAnPhu.json.detail).toContain(`the commune of receiving centre ${AN_PHU.centre}`);
    expect((await receive(AN_PHU.centre, HOA_BINH.commune, BUSINESS)).status).toBe(201);
    expect((await receive(HOA_BINH.centre, undefined, BUSINESS)).status).toBe(201);
  });

  it('checks a named locality at reception even when no version of the procedure is in force yet, so a bad code is never stored', async () => {
    const procedureCode = await procedureInForceFrom('2099-01-01');
    for (const [locality, code] of [['99999', 'UNKNOWN_LOCALITY'], ['99', 'UNKNOWN_LOCALITY']] as const) {
      const refused = await receive(HOA_BINH.centre, locality, procedureCode);
      expect(refused.status, locality).toBe(422);
      expect(refused.json, locality).toMatchObject({ code, errors: [{ field: 'body.locality' }] });
    }
    const received = await receive(HOA_BINH.centre, '99101', procedureCode);
    expect(received.status).toBe(201);
    expect((await eventsOf(received.json.dossierCode))[0]!.data).toMatchObject({ locality: '99101' });
  });

  it('refuses at reception a centre outside the directory that names no locality, saying to name one', async () => {
    const centre = await engine.newCentre();
    const refused = await receive(centre);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'UNKNOWN_LOCALITY', errors: [{ field: 'body.locality' }] });
    expect(refused.json.detail).toContain('name it in the reception request (locality)');
  });
});

describe('a province loads its directory as data', () => {
  const admin = () => authAs(actor('admin', HOA_BINH.centre, 'quantri.1'));

  it('shows the directory acceptances read, and loads the same version again as a no-op', async () => {
    const shown = await getJson(`${engine.url}/catalogue/directory`, await authAs(actor('reception', HOA_BINH.centre)));
    expect(shown.status).toBe(200);
    expect(shown.json.directory).toMatchObject({ version: 'H99-2025.1', entries: expect.arrayContaining([expect.objectContaining({ agencyCode: '000.20.99.H99', serves: [HOA_BINH.commune, AN_PHU.commune] })]) });
    const again = await putJson('/catalogue', CATALOGUE, await admin());
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ directory: { version: 'H99-2025.1', added: false }, proceduresAdded: 0 });
  });

  it('refuses a loaded directory version with other content: resolutions name it, so a change is a new version', async () => {
    const moved = { ...CATALOGUE, directory: { ...CATALOGUE.directory!, entries: CATALOGUE.directory!.entries.map((entry) => (entry.agencyCode === '000.20.99.H99' ? { ...entry, serves: [HOA_BINH.commune] } : entry)) } };
    const refused = await putJson('/catalogue', moved, await admin());
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'CATALOGUE_REFUSED' });
    expect(refused.json.detail).toContain('agency directory version H99-2025.1 is already loaded with different content');
  });

  it('refuses a file without a directory whose procedures name a role the loaded directory does not assign', async () => {
    const birth = CATALOGUE.procedures.find((procedure) => procedure.code === BIRTH && procedure.competentRole)!;
    const { directory: _directory, ...withoutDirectory } = CATALOGUE;
    const refused = await putJson('/catalogue', { ...withoutDirectory, procedures: [{ ...birth, version: 'test-police', competentRole: 'commune-police' }] }, await admin());
    expect(refused.status).toBe(422);
    expect(refused.json.detail).toContain('names roles no agency of the directory plays (commune-police)');
  });
});

/** A procedure of the test's own whose only version comes into force on `day`. */
async function procedureInForceFrom(day: string): Promise<string> {
  const procedureCode = `2.999004.${uniqueAgencyCode().slice(1, 7)}`;
  const business = CATALOGUE.procedures.find((procedure) => procedure.code === BUSINESS)!;
  await loadCatalogue(engine.db, { sample: true, agencies: [], procedures: [procedureVersionSchema.parse({ ...business, code: procedureCode, version: 'future', effectiveFrom: day })] });
  return procedureCode;
}

async function putJson(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const response = await fetch(`${engine.url}${path}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}
