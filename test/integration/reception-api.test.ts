import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { parseDossierCode } from '../../domain/dossier/dossier-code.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { authAs, getJson, postJson, receptionBody, startTestEngine, type TestEngine, uniqueAgencyCode } from '../support/engine.js';

/** The reception desk of an agency, as a bearer token. */
const desk = (agencyCode: string) => authAs({ userId: `letan@${agencyCode}`, role: 'reception', agencyCode });
/** An auditor, who may read every dossier. */
const auditor = () => authAs({ userId: 'kiemtoan.1', role: 'auditor', agencyCode: '000.00.00.H99' });

// Over a real socket: HTTP → API → Temporal (update-with-start) → worker → PostgreSQL → HTTP.

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'reception' });
});
afterAll(() => engine?.close());

async function storedFor(agencyCode: string) {
  const events = await engine.db
    .selectFrom('events')
    .select('stream_id')
    .where('stream_id', 'like', `${agencyCode}-%`)
    .execute();
  const serials = await engine.db.selectFrom('dossier_daily_serials').selectAll().where('agency_code', '=', agencyCode).execute();
  const summaries = await engine.db.selectFrom('dossier_summary').select('dossier_code').where('agency_code', '=', agencyCode).execute();
  return { events: events.length, serials: serials.length, summaries: summaries.length };
}

describe('receiving a dossier over HTTP', () => {
  it('registers the dossier, runs its workflow and reads it back', async () => {
    const agencyCode = await engine.newCentre();
    const before = new Date();
    const created = await postJson(`${engine.url}/dossiers`, receptionBody(agencyCode), await desk(agencyCode));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'received', streamVersion: 1 });
    const code: string = created.json.dossierCode;
    expect(created.headers.get('location')).toBe(`/dossiers/${code}`);

    const parts = parseDossierCode(code);
    expect(parts).toMatchObject({ agencyCode, serial: 1 });
    expect(formatIsoDate(parts!.receptionDate)).toBe(formatIsoDate(vietnamDateOf(before)));

    const summary = await getJson(`${engine.url}/dossiers/${code}`, await auditor());
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({
      dossierCode: code,
      agencyCode,
      procedureCode: '1.001193',
      channel: 'counter',
      status: 'received',
      portalStatus: 1,
      applicant: { kind: 'citizen', fullName: 'Nguyễn Thị Hoa' },
      streamVersion: 1,
    });

    const history = await getJson(`${engine.url}/dossiers/${code}/events`, await auditor());
    expect(history.status).toBe(200);
    expect(history.json.events).toHaveLength(1);
    expect(history.json.events[0]).toMatchObject({
      streamVersion: 1,
      type: 'DossierReceived',
      schemaVersion: 1,
      // The procedure named from the catalogue, for the forms issued before acceptance pins it.
      data: { dossierCode: code, agencyCode, channel: 'counter', procedureName: 'Đăng ký khai sinh' },
      metadata: { actor: { role: 'reception', agencyCode } },
    });

    const workflow = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).describe();
    expect(workflow.status.name).toBe('RUNNING');
    expect(workflow.searchAttributes).toMatchObject({
      MotcuaAgencyCode: [agencyCode],
      MotcuaProcedureCode: ['1.001193'],
      MotcuaDossierStatus: ['received'],
    });
  });

  it('gives concurrent receptions at one agency unique, gap-free codes', async () => {
    const agencyCode = await engine.newCentre();
    const count = 100;
    const headers = await desk(agencyCode);
    const responses = await Promise.all(Array.from({ length: count }, () => postJson(`${engine.url}/dossiers`, receptionBody(agencyCode), headers)));
    expect(responses.map((r) => r.status)).toEqual(Array(count).fill(201));
    const serials = responses.map((r) => parseDossierCode(r.json.dossierCode)!.serial).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(await storedFor(agencyCode)).toMatchObject({ events: count, summaries: count });
  });

  it('keeps personal data out of the logs', async () => {
    const agencyCode = await engine.newCentre();
    const body = receptionBody(agencyCode, {
      applicant: { kind: 'citizen', fullName: 'Phạm Thị Riêng Tư', identityNumber: '079301009999', phone: '0987 654 321', address: 'Ngõ Bí Mật' },
    });
    const created = await postJson(`${engine.url}/dossiers`, body, await desk(agencyCode));
    expect(created.status).toBe(201);
    await postJson(`${engine.url}/dossiers`, { ...body, channel: 'fax' }, await desk(agencyCode));
    expect(engine.logs.text).toContain(created.json.dossierCode);
    for (const secret of ['Phạm Thị Riêng Tư', '079301009999', '0987 654 321', 'Ngõ Bí Mật']) {
      expect(engine.logs.text).not.toContain(secret);
    }
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 and stores nothing', async () => {
    const agencyCode = await engine.newCentre();
    const response = await postJson(`${engine.url}/dossiers`, `{"agencyCode": "${agencyCode}", "channel": `, await desk(agencyCode));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ type: 'urn:motcua:problem:malformed-json', status: 400 });
    expect(await storedFor(agencyCode)).toEqual({ events: 0, serials: 0, summaries: 0 });
  });

  it('names every missing field and stores nothing', async () => {
    const agencyCode = await engine.newCentre();
    const response = await postJson(`${engine.url}/dossiers`, { agencyCode, applicant: { kind: 'citizen' } }, await desk(agencyCode));
    expect(response.status).toBe(400);
    const fields = response.json.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.applicant.fullName', 'body.applicant.identityNumber', 'body.channel', 'body.procedureCode']);
    expect(response.json.errors[0].message).toBe('is required');
    expect(await storedFor(agencyCode)).toEqual({ events: 0, serials: 0, summaries: 0 });
  });

  it('names fields of the wrong type or format and stores nothing', async () => {
    const agencyCode = await engine.newCentre();
    const response = await postJson(
      `${engine.url}/dossiers`,
      { ...receptionBody(agencyCode), procedureCode: 1001193, channel: 'fax', applicant: { kind: 'citizen', fullName: 'Đỗ Văn Sai', identityNumber: 'id?' } },
      await desk(agencyCode),
    );
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'body.procedureCode' }),
        expect.objectContaining({ field: 'body.channel' }),
        expect.objectContaining({ field: 'body.applicant.identityNumber', message: 'must be 6 to 20 digits, capitals or dashes' }),
      ]),
    );
    expect(response.json.detail).toMatch(/^Fix these fields and send again/);
    expect(await storedFor(agencyCode)).toEqual({ events: 0, serials: 0, summaries: 0 });
  });

  it('refuses a body that is not JSON', async () => {
    const response = await fetch(`${engine.url}/dossiers`, { method: 'POST', headers: { 'content-type': 'text/plain', ...(await desk('000.00.31.H38')) }, body: 'hồ sơ' });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers an unknown dossier with 404 and a malformed code with 400', async () => {
    const missing = await getJson(`${engine.url}/dossiers/${uniqueAgencyCode()}-260101-0001`, await auditor());
    expect(missing).toMatchObject({ status: 404, json: { type: 'urn:motcua:problem:dossier-not-found' } });
    const events = await getJson(`${engine.url}/dossiers/${uniqueAgencyCode()}-260101-0001/events`, await auditor());
    expect(events.status).toBe(404);
    const malformed = await getJson(`${engine.url}/dossiers/not-a-code`, await auditor());
    expect(malformed).toMatchObject({ status: 400, json: { errors: [{ field: 'params.code' }] } });
  });

  it('answers an unknown route with a problem, not an HTML page', async () => {
    const response = await getJson(`${engine.url}/hồ-sơ`);
    expect(response).toMatchObject({ status: 404, json: { type: 'urn:motcua:problem:not-found' } });
  });
});

describe('health', () => {
  it('is alive, and ready when the database and Temporal answer', async () => {
    expect(await getJson(`${engine.url}/health`)).toEqual({ status: 200, json: { status: 'up' } });
    expect(await getJson(`${engine.url}/ready`)).toEqual({ status: 200, json: { status: 'up', database: 'up', temporal: 'up' } });
  });
});
