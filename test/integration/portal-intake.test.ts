// The portals' intake over a real socket: HTTP → API → PostgreSQL (claim, code) → Temporal
// (update-with-start) → worker → PostgreSQL → HTTP. Each test submits for a centre of its own.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../api/auth/token-verifier.js';
import { authAs, getJson, postJson, startTestEngine, TEST_JWT_SECRET, type TestEngine, uniqueAgencyCode } from '../support/engine.js';

let engine: TestEngine;
let pdf: Buffer;
let documentDir: string;
beforeAll(async () => {
  documentDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-portal-intake-'));
  engine = await startTestEngine({ name: 'portal-intake', documentDirectory: documentDir });
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('To khai', { x: 20, y: 100, size: 12 });
  pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
});
afterAll(async () => {
  await engine?.close();
  rmSync(documentDir, { recursive: true, force: true });
});

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let serial = 0;
const portalId = () => `G22-${process.pid}-${Date.now()}-${++serial}`;

async function portalAuth(scope: { units: string[]; procedures?: string[]; portal?: string }) {
  const token = await mintToken(TEST_JWT_SECRET, { sub: `portal-${scope.portal ?? 'dvcqg'}`, name: 'Cổng Dịch vụ công quốc gia', role: 'portal', portal: scope.portal ?? 'dvcqg', units: scope.units, procedures: (scope.procedures ?? ['*']) as [string, ...string[]] }, { audience: 'motcua' });
  return { authorization: `Bearer ${token}` };
}
const reception = (agencyCode: string) => authAs({ userId: `letan@${agencyCode}`, role: 'reception', agencyCode });

function nativeBody(agencyCode: string, overrides: Record<string, unknown> = {}) {
  return {
    portalDossierId: portalId(),
    submittedAt: '2026-12-02T08:15:00+07:00',
    agencyCode,
    procedureCode: '1.001193',
    // A test's own centre is in no commune of the sample directory: the dossier is for Hòa Bình's bodies.
    locality: '99001',
    applicant: { kind: 'citizen', fullName: 'Nguyễn Thị Hoa', identityNumber: '001190012345', phone: '0912345678' },
    assuranceLevel: 2,
    components: [
      { componentId: 'declaration', form: 'original', files: [{ name: 'to-khai.pdf', contentBase64: pdf.toString('base64') }] },
      { componentId: 'birth-certificate', files: [{ name: 'giay-chung-sinh.png', contentBase64: PNG.toString('base64') }] },
    ],
    ...overrides,
  };
}

function thBody(agencyCode: string, overrides: Record<string, unknown> = {}) {
  return {
    MaHoSo: portalId(),
    MaTTHC: '1.001193',
    DonVi: agencyCode,
    KenhThucHien: '2',
    NgayNopHoSo: '20261202081500',
    TrichYeuHoSo: 'Đăng ký khai sinh cho con',
    ChuHoSo: 'Trần Văn Bình',
    SoGiayToChuHoSo: '001090054321',
    SoDienThoaiChuHoSo: '0987654321',
    EmailChuHoSo: '',
    DiaChiChuHoSo: 'Thôn 3, xã Đông Sơn',
    MaDiaBan: '99001',
    Key: 'shared-key-ignored',
    ThanhPhanHoSo: [
      { TenThanhPhan: 'Tờ khai đăng ký khai sinh', SoBanChinh: '1', SoBanSao: '0', TepDinhKem: [{ TenTep: 'to-khai.pdf', Base64: pdf.toString('base64') }] },
      // Named loosely: case, diacritics and spacing ignored.
      { TenThanhPhan: '  GIAY CHUNG SINH ', SoBanChinh: 1, TepDinhKem: [{ TenTep: 'chung-sinh.png', Base64: PNG.toString('base64') }] },
    ],
    ...overrides,
  };
}

/** What a refused submission must not have left: a dossier, its stream, its claim, its serial. */
async function nothingStored(agencyCode: string, portalDossierId?: string) {
  const events = await engine.db.selectFrom('events').select('stream_id').where('stream_id', 'like', `${agencyCode}-%`).execute();
  const summaries = await engine.db.selectFrom('dossier_summary').select('dossier_code').where('agency_code', '=', agencyCode).execute();
  const serials = await engine.db.selectFrom('dossier_daily_serials').selectAll().where('agency_code', '=', agencyCode).execute();
  const claims = portalDossierId ? await engine.db.selectFrom('portal_submissions').select('dossier_code').where('portal_dossier_id', '=', portalDossierId).execute() : [];
  // Nothing left half-written in the store's staging area either.
  const staging = path.join(documentDir, 'staging');
  const staged = existsSync(staging) ? readdirSync(staging).length : 0;
  return { events: events.length, summaries: summaries.length, serials: serials.length, claims: claims.length, staged };
}
const NOTHING = { events: 0, summaries: 0, serials: 0, claims: 0, staged: 0 };

async function dossiersAt(agencyCode: string) {
  return (await engine.db.selectFrom('dossier_summary').select(['dossier_code', 'channel', 'status']).where('agency_code', '=', agencyCode).execute()).length;
}

describe('an online submission in the native body', () => {
  it('lands received, online, with its files, on the centre’s queue labelled online; the receipt gives the code, the files and the lookup secret', async () => {
    const centre = await engine.newCentre();
    const body = nativeBody(centre);
    const posted = await postJson(`${engine.url}/intake/dossiers`, body, await portalAuth({ units: [centre] }));
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(posted.headers.get('idempotent-replayed')).toBeNull();
    const code: string = posted.json.dossierCode;
    expect(code.startsWith(`${centre}-`)).toBe(true);
    expect(posted.json).toMatchObject({
      status: 'received',
      files: [
        { componentId: 'declaration', mediaType: 'application/pdf', size: pdf.length },
        { componentId: 'birth-certificate', mediaType: 'image/png', size: PNG.length },
      ],
    });
    expect(posted.json.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    const desk = await reception(centre);
    const summary = await getJson(`${engine.url}/dossiers/${code}`, desk);
    expect(summary.json).toMatchObject({ channel: 'online', status: 'received', applicant: { fullName: 'Nguyễn Thị Hoa' } });
    const history = await getJson(`${engine.url}/dossiers/${code}/events`, desk);
    expect(history.json.events.map((event: { type: string }) => event.type)).toEqual(['DossierReceived', 'ComponentFileAttached', 'ComponentFileAttached']);
    expect(history.json.events[0]).toMatchObject({
      data: { channel: 'online', submission: { portal: 'dvcqg', portalDossierId: body.portalDossierId, submittedAt: body.submittedAt, assuranceLevel: 2 } },
      metadata: { actor: { userId: 'portal-dvcqg', role: 'portal', agencyCode: centre } },
    });
    expect(history.json.events[1].data).toMatchObject({ componentId: 'declaration', file: { sha256: posted.json.files[0].sha256, mediaType: 'application/pdf', name: 'to-khai.pdf' }, origin: { kind: 'portal', portal: 'dvcqg' } });

    // The bytes are in the store under their digest.
    const stored = await engine.db.selectFrom('documents').select(['sha256', 'size']).where('sha256', '=', posted.json.files[0].sha256).executeTakeFirst();
    expect(stored?.size).toBe(pdf.length);

    const queue = await getJson(`${engine.url}/agencies/${centre}/queue?kind=check-dossier`, desk);
    expect(queue.json.items).toEqual([expect.objectContaining({ dossierCode: code, kind: 'check-dossier', task: 'Kiểm tra hồ sơ nộp trực tuyến, tiếp nhận hoặc hướng dẫn bổ sung' })]);

    // The citizen follows it on the portal with the code and the secret the portal relays.
    const lookup = await getJson(`${engine.url}/lookup/${code}?secret=${posted.json.lookupSecret}`);
    expect(lookup.status).toBe(200);

    // Reception then accepts it as a counter dossier.
    const accepted = await postJson(`${engine.url}/dossiers/${code}/accept`, { components: [{ componentId: 'declaration', form: 'original' }, { componentId: 'birth-certificate', form: 'original' }, { componentId: 'parents-identity', form: 'photocopy' }] }, desk);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect((await getJson(`${engine.url}/dossiers/${code}`, desk)).json.status).not.toBe('received');
  });

  it('answers a resend with the first answer, marked a replay, and receives no second dossier', async () => {
    const centre = await engine.newCentre();
    const body = nativeBody(centre);
    const auth = await portalAuth({ units: [centre] });
    const first = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(first.status).toBe(201);
    const again = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await dossiersAt(centre)).toBe(1);
  });

  it('receives a claim whose answer was lost (its process died) once, with its code, when the portal resends', async () => {
    const centre = await engine.newCentre();
    const body = nativeBody(centre);
    const auth = await portalAuth({ units: [centre] });
    const first = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(first.status).toBe(201);
    // As if the API had died after the workflow received the dossier, before it kept the answer.
    await engine.db.updateTable('portal_submissions').set({ answer: null, answered_at: null }).where('portal_dossier_id', '=', body.portalDossierId).execute();
    const again = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await dossiersAt(centre)).toBe(1);
    const history = await getJson(`${engine.url}/dossiers/${first.json.dossierCode}/events`, await reception(centre));
    expect(history.json.events).toHaveLength(3);
  });

  it('refuses another submission under an id already received (409), and keeps the first', async () => {
    const centre = await engine.newCentre();
    const body = nativeBody(centre);
    const auth = await portalAuth({ units: [centre] });
    expect((await postJson(`${engine.url}/intake/dossiers`, body, auth)).status).toBe(201);
    const changed = await postJson(`${engine.url}/intake/dossiers`, { ...body, applicant: { ...body.applicant, fullName: 'Nguyễn Thị Hòa' } }, auth);
    expect(changed.status).toBe(409);
    expect(changed.json).toMatchObject({ code: 'PORTAL_SUBMISSION_CONFLICT', errors: [{ field: 'portalDossierId' }] });
    // Another portal may use the same id for a submission of its own.
    const other = await postJson(`${engine.url}/intake/dossiers`, body, await portalAuth({ units: [centre], portal: 'portal-h38' }));
    expect(other.status).toBe(201);
    expect(await dossiersAt(centre)).toBe(2);
  });

  it('receives one dossier from concurrent posts of the same submission, and answers each with it', async () => {
    const centre = await engine.newCentre();
    const body = nativeBody(centre);
    const auth = await portalAuth({ units: [centre] });
    const answers = await Promise.all(Array.from({ length: 4 }, () => postJson(`${engine.url}/intake/dossiers`, body, auth)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.json.dossierCode)).size).toBe(1);
    expect(await dossiersAt(centre)).toBe(1);
    const serials = await engine.db.selectFrom('dossier_daily_serials').select('last_serial').where('agency_code', '=', centre).execute();
    expect(serials.map((row) => row.last_serial)).toEqual([1]);
  });
});

describe('an online submission as multipart', () => {
  /** The native body as a multipart form: the submission first, then a part per file, named file:<componentId>. */
  function multipartOf(body: ReturnType<typeof nativeBody>, parts?: [string, Buffer, string][]) {
    const form = new FormData();
    const listed = { ...body, components: body.components.map((component) => ({ ...component, files: component.files.map(({ name }) => ({ name })) })) };
    form.append('submission', JSON.stringify(listed));
    const files = parts ?? body.components.flatMap((component) => component.files.map((file): [string, Buffer, string] => [`file:${component.componentId}`, Buffer.from(file.contentBase64, 'base64'), file.name]));
    for (const [field, bytes, name] of files) form.append(field, new Blob([new Uint8Array(bytes)]), name);
    return form;
  }
  const postForm = async (form: FormData, headers: Record<string, string>) => {
    const response = await fetch(`${engine.url}/intake/dossiers`, { method: 'POST', headers, body: form });
    return { status: response.status, headers: response.headers, json: (await response.json()) as any };
  };

  it('streams each part to the store and lands as the JSON body does; the same submission in JSON is its resend', async () => {
    const centre = await engine.newCentre();
    const auth = await portalAuth({ units: [centre] });
    const body = nativeBody(centre);
    const posted = await postForm(multipartOf(body), auth);
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(posted.json.files.map((file: { mediaType: string }) => file.mediaType)).toEqual(['application/pdf', 'image/png']);
    const history = await getJson(`${engine.url}/dossiers/${posted.json.dossierCode}/events`, await reception(centre));
    expect(history.json.events.map((event: { type: string }) => event.type)).toEqual(['DossierReceived', 'ComponentFileAttached', 'ComponentFileAttached']);
    // The same fields and bytes, base64 this time: the same submission, so the first answer.
    const asJson = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(asJson.status).toBe(201);
    expect(asJson.headers.get('idempotent-replayed')).toBe('true');
    expect(asJson.json).toEqual(posted.json);
  });

  it('refuses parts that do not match the files listed, a bad file and a missing submission, storing nothing', async () => {
    const centre = await engine.newCentre();
    const auth = await portalAuth({ units: [centre] });
    const body = nativeBody(centre);
    const swapped = await postForm(multipartOf(body, [['file:birth-certificate', PNG, 'b.png'], ['file:declaration', pdf, 'a.pdf']]), auth);
    expect(swapped.status).toBe(400);
    expect(swapped.json).toMatchObject({ code: 'PORTAL_FILE_PARTS_MISMATCH', errors: [{ field: 'file:declaration[0]' }] });
    const extra = await postForm(multipartOf(body, [['file:declaration', pdf, 'a.pdf'], ['file:birth-certificate', PNG, 'b.png'], ['file:birth-certificate', PNG, 'c.png']]), auth);
    expect(extra.json).toMatchObject({ code: 'PORTAL_FILE_PARTS_MISMATCH', errors: [{ field: 'file:birth-certificate' }] });
    const wrongType = await postForm(multipartOf(body, [['file:declaration', Buffer.from('GIF89a…'), 'a.pdf'], ['file:birth-certificate', PNG, 'b.png']]), auth);
    expect(wrongType.json).toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED', errors: [{ field: 'file:declaration[0]' }] });
    const invalid = multipartOf({ ...body, applicant: { ...body.applicant, identityNumber: '!' } });
    expect((await postForm(invalid, auth)).json.errors[0].field).toBe('submission.applicant.identityNumber');
    const noSubmission = new FormData();
    noSubmission.append('file:declaration', new Blob([new Uint8Array(pdf)]), 'a.pdf');
    expect(await postForm(noSubmission, auth)).toMatchObject({ status: 400, json: { errors: [{ field: 'submission' }] } });
    expect(await nothingStored(centre, body.portalDossierId)).toEqual(NOTHING);
    // The connection still serves: the right parts are received.
    expect((await postForm(multipartOf(body), auth)).status).toBe(201);
  });

  /** A PNG of `mib` MiB: its header, then zeros. */
  const pngOf = (mib: number) => {
    const bytes = Buffer.alloc(mib * 1024 * 1024);
    PNG.copy(bytes);
    return bytes;
  };

  it('refuses a file over its component’s limit at once, without stalling the request, storing nothing', async () => {
    const centre = await engine.newCentre();
    const auth = await portalAuth({ units: [centre] });
    const body = nativeBody(centre);
    // The part is cut off at the limit and the rest of the body drained: the answer comes, the connection serves on.
    const refused = await postForm(multipartOf(body, [['file:declaration', pdf, 'to-khai.pdf'], ['file:birth-certificate', pngOf(21), 'giay-chung-sinh.png']]), auth);
    expect(refused.status).toBe(413);
    expect(refused.json).toMatchObject({ code: 'FILE_TOO_LARGE', errors: [{ field: 'file:birth-certificate[0]' }] });
    expect(await nothingStored(centre, body.portalDossierId)).toEqual(NOTHING);
    expect((await postForm(multipartOf(body), auth)).status).toBe(201);
  });

  it('refuses a submission whose files together weigh more than one submission may carry, storing nothing', async () => {
    const centre = await engine.newCentre();
    const auth = await portalAuth({ units: [centre] });
    const body = nativeBody(centre);
    // Eleven PNGs of 19 MiB each: every one within its component's 20 MiB, 209 MiB together.
    const big = pngOf(19);
    const names = Array.from({ length: 11 }, (_, index) => `anh-${index}.png`);
    const heavy = { ...body, components: [body.components[0]!, { componentId: 'birth-certificate', files: names.map((name) => ({ name, contentBase64: '' })) }] };
    const parts: [string, Buffer, string][] = [['file:declaration', pdf, 'to-khai.pdf'], ...names.map((name): [string, Buffer, string] => ['file:birth-certificate', big, name])];
    const refused = await postForm(multipartOf(heavy, parts), auth);
    expect(refused.status).toBe(413);
    expect(refused.json).toMatchObject({ code: 'FILE_TOO_LARGE', errors: [{ field: 'file:birth-certificate[10]' }] });
    expect(refused.json.detail).toContain('together');
    expect(await nothingStored(centre, body.portalDossierId)).toEqual(NOTHING);
  });
});

describe('an online submission in the DongBoTaoMoiHoSo body', () => {
  it('matches the components by name, exactly or loosely, and lands as the native body does', async () => {
    const centre = await engine.newCentre();
    const body = thBody(centre);
    const posted = await postJson(`${engine.url}/intake/dvcqg/dossiers`, body, await portalAuth({ units: [centre], procedures: ['1.001193'] }));
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(posted.json.files.map((file: { componentId: string }) => file.componentId)).toEqual(['declaration', 'birth-certificate']);
    const history = await getJson(`${engine.url}/dossiers/${posted.json.dossierCode}/events`, await reception(centre));
    expect(history.json.events[0].data).toMatchObject({
      channel: 'online',
      applicant: { kind: 'citizen', fullName: 'Trần Văn Bình', identityNumber: '001090054321', address: 'Thôn 3, xã Đông Sơn' },
      submission: { portal: 'dvcqg', portalDossierId: body.MaHoSo, submittedAt: '2026-12-02T08:15:00+07:00' },
    });
    expect(history.json.events[0].data.applicant.email).toBeUndefined();
    const again = await postJson(`${engine.url}/intake/dvcqg/dossiers`, body, await portalAuth({ units: [centre], procedures: ['1.001193'] }));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.dossierCode).toBe(posted.json.dossierCode);
  });
});

describe('a refused submission', () => {
  type Case = { what: string; status: number; code?: string; field?: string; body: (centre: string) => unknown; route?: string; scope?: (centre: string) => { units: string[]; procedures?: string[] } };
  const badBase64 = (centre: string) => nativeBody(centre, { components: [{ componentId: 'declaration', files: [{ name: 'a.pdf', contentBase64: 'JVBERi0x%%%=' }] }] });
  const cases: Case[] = [
    { what: 'bad base64', status: 422, code: 'FILE_BAD_BASE64', field: 'components[0].files[0].contentBase64', body: badBase64 },
    {
      what: 'bad base64 in the TH body',
      status: 422,
      code: 'FILE_BAD_BASE64',
      field: 'ThanhPhanHoSo[1].TepDinhKem[0].Base64',
      route: '/intake/dvcqg/dossiers',
      body: (centre) => thBody(centre, { ThanhPhanHoSo: [{ TenThanhPhan: 'Tờ khai đăng ký khai sinh', TepDinhKem: [{ TenTep: 'a.pdf', Base64: pdf.toString('base64') }] }, { TenThanhPhan: 'Giấy chứng sinh', TepDinhKem: [{ TenTep: 'b.png', Base64: 'not base64!' }] }] }),
    },
    { what: 'a file of the wrong type', status: 415, code: 'FILE_TYPE_NOT_ACCEPTED', field: 'components[1].files[0].contentBase64', body: (centre) => nativeBody(centre, { components: [{ componentId: 'declaration', files: [{ name: 'a.pdf', contentBase64: pdf.toString('base64') }] }, { componentId: 'birth-certificate', files: [{ name: 'b.pdf', contentBase64: Buffer.from('GIF89a not a scan').toString('base64') }] }] }) },
    { what: 'a declared digest that does not match', status: 422, code: 'FILE_DIGEST_MISMATCH', field: 'components[0].files[0].contentBase64', body: (centre) => nativeBody(centre, { components: [{ componentId: 'declaration', files: [{ name: 'a.pdf', contentBase64: pdf.toString('base64'), sha256: 'a'.repeat(64) }] }] }) },
    { what: 'an unknown component', status: 422, code: 'PORTAL_COMPONENT_UNKNOWN', field: 'components[0].componentId', body: (centre) => nativeBody(centre, { components: [{ componentId: 'marriage-certificate', files: [{ name: 'a.pdf', contentBase64: pdf.toString('base64') }] }] }) },
    { what: 'an unmatched component name', status: 422, code: 'PORTAL_COMPONENT_UNKNOWN', field: 'ThanhPhanHoSo[0].TenThanhPhan', route: '/intake/dvcqg/dossiers', body: (centre) => thBody(centre, { ThanhPhanHoSo: [{ TenThanhPhan: 'Giấy đăng ký kết hôn', TepDinhKem: [{ TenTep: 'a.pdf', Base64: pdf.toString('base64') }] }] }) },
    { what: 'a unit out of scope', status: 403, code: 'PORTAL_SCOPE_UNIT', field: 'agencyCode', body: (centre) => nativeBody(centre), scope: () => ({ units: [uniqueAgencyCode()] }) },
    { what: 'a procedure out of scope', status: 403, code: 'PORTAL_SCOPE_PROCEDURE', field: 'MaTTHC', route: '/intake/dvcqg/dossiers', body: (centre) => thBody(centre), scope: (centre) => ({ units: [centre], procedures: ['2.000720'] }) },
    { what: 'an unknown centre', status: 422, code: 'UNKNOWN_RECEIVING_CENTRE', field: 'agencyCode', body: (centre) => nativeBody(`${centre.slice(0, -3)}Z99`), scope: (centre) => ({ units: [`${centre.slice(0, -3)}Z99`] }) },
    { what: 'a counter channel', status: 422, code: 'PORTAL_CHANNEL_NOT_ONLINE', field: 'KenhThucHien', route: '/intake/dvcqg/dossiers', body: (centre) => thBody(centre, { KenhThucHien: '1' }) },
    { what: 'a counter channel in the native body', status: 422, code: 'PORTAL_CHANNEL_NOT_ONLINE', field: 'channel', body: (centre) => nativeBody(centre, { channel: 'counter' }) },
    { what: 'missing fields', status: 400, field: 'submittedAt', body: (centre) => ({ ...nativeBody(centre), submittedAt: undefined, applicant: undefined }) },
    { what: 'NUL in a name', status: 400, field: 'ChuHoSo', route: '/intake/dvcqg/dossiers', body: (centre) => thBody(centre, { ChuHoSo: 'Trần\u0000Bình' }) },
    { what: 'a lone surrogate', status: 400, field: 'applicant.fullName', body: (centre) => nativeBody(centre, { applicant: { kind: 'citizen', fullName: 'Hoa\ud800', identityNumber: '001190012345' } }) },
    { what: '10 MB of JSON in a field', status: 400, field: 'TrichYeuHoSo', route: '/intake/dvcqg/dossiers', body: (centre) => thBody(centre, { TrichYeuHoSo: 'x'.repeat(10 * 1024 * 1024) }) },
  ];

  for (const refusal of cases) {
    it(`${refusal.what}: ${refusal.status}${refusal.code ? ` ${refusal.code}` : ''} naming the field, nothing stored`, async () => {
      const centre = await engine.newCentre();
      const body = refusal.body(centre) as { portalDossierId?: string; MaHoSo?: string };
      const answer = await postJson(`${engine.url}${refusal.route ?? '/intake/dossiers'}`, body, await portalAuth(refusal.scope ? refusal.scope(centre) : { units: [centre] }));
      expect(answer.status, JSON.stringify(answer.json).slice(0, 500)).toBe(refusal.status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (refusal.code) expect(answer.json.code).toBe(refusal.code);
      expect(answer.json.errors.map((error: { field: string }) => error.field)).toContain(refusal.field);
      expect(await nothingStored(centre, body.portalDossierId ?? body.MaHoSo)).toEqual(NOTHING);
    });
  }

  it('deeply nested JSON: a 400, nothing stored', async () => {
    const centre = await engine.newCentre();
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await fetch(`${engine.url}/intake/dossiers`, { method: 'POST', headers: { ...(await portalAuth({ units: [centre] })), 'content-type': 'application/json' }, body: `{"portalDossierId":${nested}}` });
    expect(response.status).toBe(400);
    expect(await nothingStored(centre)).toEqual(NOTHING);
  });

  it('a corrected resend under the id of a refused submission is received', async () => {
    const centre = await engine.newCentre();
    const auth = await portalAuth({ units: [centre] });
    const refused = badBase64(centre);
    expect((await postJson(`${engine.url}/intake/dossiers`, refused, auth)).status).toBe(422);
    const corrected = await postJson(`${engine.url}/intake/dossiers`, nativeBody(centre, { portalDossierId: refused.portalDossierId }), auth);
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('who may use the intake', () => {
  it('only a portal; a portal may not receive at the counter nor read dossiers', async () => {
    const centre = await engine.newCentre();
    for (const role of ['reception', 'head', 'officer', 'auditor', 'admin'] as const) {
      const answer = await postJson(`${engine.url}/intake/dossiers`, nativeBody(centre), await authAs({ userId: `${role}.1`, role, agencyCode: centre }));
      expect(answer.status, role).toBe(403);
    }
    expect((await postJson(`${engine.url}/intake/dossiers`, nativeBody(centre))).status).toBe(401);
    const portal = await portalAuth({ units: [centre] });
    expect((await postJson(`${engine.url}/dossiers`, { agencyCode: centre, procedureCode: '1.001193', channel: 'online', applicant: { kind: 'citizen', fullName: 'A', identityNumber: '001190012345' } }, portal)).status).toBe(403);
    expect((await getJson(`${engine.url}/dossiers`, portal)).status).toBe(403);
    expect(await nothingStored(centre)).toEqual(NOTHING);
    expect((await postJson(`${engine.url}/intake/dossiers`, nativeBody(centre), portal)).status).toBe(201);
  });
});
