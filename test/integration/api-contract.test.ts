// The API's contract: the OpenAPI document, who may call what, retries and concurrency, the
// citizen lookup, lists, rate limits, and bad input on every command route.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ROUTES } from '../../api/routes/dossier-commands.js';
import { TOKEN_ROLES } from '../../api/auth/token-verifier.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { actor, BUSINESS_PROCEDURE, CATALOGUE, CENTRE, completeComponents, ECONOMY, LAND_OFFICE } from '../support/dossier-fixtures.js';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { projectReportsPast } from '../support/report-projection.js';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { authAs, documentsIssued, getJson, postCommand, postJson, receptionBody, startTestEngine, TEST_JWT_SECRET, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'contract' });
});
afterAll(() => engine?.close());

const reception = actor('reception', CENTRE, 'letan.an');
const auditor = actor('auditor', '000.00.00.H99', 'kiemtoan.1');

async function receive(agencyCode = CENTRE, procedureCode = BUSINESS_PROCEDURE): Promise<string> {
  const created = await postJson(`${engine.url}/dossiers`, receptionBody(agencyCode, { procedureCode }), await authAs(actor('reception', agencyCode)));
  expect(created.status).toBe(201);
  return created.json.dossierCode;
}

async function streamVersion(code: string): Promise<number> {
  const row = await engine.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('stream_id', '=', code).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and documents every route', async () => {
    const { status, json } = await getJson(`${engine.url}/openapi.json`);
    expect(status).toBe(200);
    expect(json.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(Object.entries(json.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
    const routes = engine.app.registeredRoutes
      .filter((route) => !route.url.startsWith('/docs') && route.url !== '/openapi.json')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
    // Every request body comes with an example a client can start from.
    type Media = { example?: unknown; examples?: unknown; schema?: { examples?: unknown[] } };
    const withoutExample = Object.entries(json.paths as Record<string, Record<string, { requestBody?: { content: Record<string, Media> } }>>)
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ at: `${method} ${path}`, media: operation.requestBody?.content['application/json'] })))
      .filter(({ media }) => media !== undefined && media.example === undefined && media.examples === undefined && !media.schema?.examples?.length)
      .map(({ at }) => at);
    expect(withoutExample).toEqual([]);
  });

  it('serves interactive docs', async () => {
    const response = await fetch(`${engine.url}/docs/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});

describe('who may do what', () => {
  it('refuses with 403 every role a command route is not for, before anything is stored', async () => {
    const code = await receive();
    const refusals: string[] = [];
    for (const route of COMMAND_ROUTES) {
      for (const role of TOKEN_ROLES.filter((candidate) => !(COMMAND_ROLES[route.type] as readonly string[]).includes(candidate))) {
        const response = await postCommand(`${engine.url}/dossiers/${code}/${route.path}`, actor(role, CENTRE), {});
        if (response.status !== 403) refusals.push(`${role} on ${route.path}: ${response.status}`);
      }
    }
    expect(refusals).toEqual([]);
    // Auditors and admins may send no command at all.
    for (const route of COMMAND_ROUTES) {
      expect(COMMAND_ROLES[route.type]).not.toContain('auditor');
      expect(COMMAND_ROLES[route.type]).not.toContain('admin');
    }
    expect(await streamVersion(code)).toBe(1);
  });

  it('answers 401 without a token, with a forged one, one that never expires, or one claiming the system role', async () => {
    const code = await receive();
    const none = await getJson(`${engine.url}/dossiers/${code}`);
    expect(none).toMatchObject({ status: 401, json: { detail: expect.stringMatching(/Authorization: Bearer/) } });
    const forged = await getJson(`${engine.url}/dossiers/${code}`, { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' });
    expect(forged).toMatchObject({ status: 401, json: { detail: expect.stringMatching(/not valid/) } });
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const forever = await new SignJWT({ name: 'A', role: 'auditor', agency: CENTRE }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setAudience('motcua').sign(key);
    expect((await getJson(`${engine.url}/dossiers/${code}`, { authorization: `Bearer ${forever}` })).status).toBe(401);
    const system = await new SignJWT({ name: 'S', role: 'system', agency: CENTRE }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setAudience('motcua').setExpirationTime('1h').sign(key);
    expect((await getJson(`${engine.url}/dossiers/${code}`, { authorization: `Bearer ${system}` })).status).toBe(401);
  });

  it('lets staff read only the dossiers their agency takes part in; auditors read all; admins none', async () => {
    const code = await receive();
    expect((await getJson(`${engine.url}/dossiers/${code}`, await authAs(reception))).status).toBe(200);
    expect((await getJson(`${engine.url}/dossiers/${code}`, await authAs(auditor))).status).toBe(200);
    expect((await getJson(`${engine.url}/dossiers/${code}/events`, await authAs(actor('officer', LAND_OFFICE)))).status).toBe(403);
    expect((await getJson(`${engine.url}/dossiers/${code}`, await authAs(actor('admin', CENTRE)))).status).toBe(403);
    expect((await getJson(`${engine.url}/agencies/${ECONOMY}/queue`, await authAs(reception))).status).toBe(403);
    expect((await getJson(`${engine.url}/agencies/${ECONOMY}/queue`, await authAs(actor('officer', ECONOMY)))).status).toBe(200);
  });

  it('refuses reception for another centre than the caller’s', async () => {
    const response = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE), await authAs(actor('reception', LAND_OFFICE)));
    expect(response.status).toBe(403);
  });

  it('lets auditors check a dossier’s hash chain', async () => {
    const code = await receive();
    await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    // Received, accepted, first step started, and the receipt (form 01) recorded beside them.
    await documentsIssued(engine.url, code, ['form-01'], await authAs(auditor));
    expect(await getJson(`${engine.url}/dossiers/${code}/integrity`, await authAs(auditor))).toEqual({ status: 200, json: { dossierCode: code, intact: true, events: 4 } });
  });

  it('shows auditors the dossier as it stood at any instant, and what changed since another', async () => {
    const code = await receive();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    const headers = await authAs(auditor);
    const then = await getJson(`${engine.url}/dossiers/${code}/state?at=${encodeURIComponent(between)}`, headers);
    expect(then.json).toMatchObject({ streamVersion: 1, state: { status: 'received' }, clock: null });
    const now = new Date().toISOString();
    const later = await getJson(`${engine.url}/dossiers/${code}/state?at=${encodeURIComponent(now)}&since=${encodeURIComponent(between)}`, headers);
    expect(later.json).toMatchObject({ state: { status: 'in-processing' }, clock: { state: expect.any(String), calendarVersion: 'vn-civil-service@2025.2' } });
    // The receipt's DocumentIssued may or may not have landed yet: it is issued beside the commands.
    expect(later.json.changes.map((change: { type: string }) => change.type).filter((type: string) => type !== 'DocumentIssued')).toEqual(['DossierAccepted', 'StepStarted']);
    expect(later.json.changes[0].actor).toMatchObject({ userId: 'letan.an', role: 'reception' });
    expect(later.json.changes[0].label.vi).toMatch(/^Tiếp nhận hồ sơ hợp lệ \(mẫu 01\), hẹn trả /);
    const history = await getJson(`${engine.url}/dossiers/${code}/events`, headers);
    expect(history.json.events[0].label).toEqual({ en: 'Received (counter) for procedure 2.000720', vi: 'Tiếp nhận hồ sơ (trực tiếp), thủ tục 2.000720' });
  });

  it('records the actor from the token, not from the body', async () => {
    const code = await receive();
    await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE), actor: { userId: 'someone-else', role: 'head', agencyCode: CENTRE } });
    const { json } = await getJson(`${engine.url}/dossiers/${code}/events`, await authAs(auditor));
    expect(json.events[1].metadata.actor).toEqual({ userId: 'letan.an', role: 'reception', agencyCode: CENTRE });
  });
});

describe('safe under retries and concurrency', () => {
  it('concurrent duplicates with one Idempotency-Key have one effect and the same answer', async () => {
    const centre = await engine.newCentre();
    const headers = { ...(await authAs(actor('reception', centre))), 'idempotency-key': 'reception-7d1c' };
    const body = receptionBody(centre);
    const duplicates = 32;
    const answers = await Promise.all(Array.from({ length: duplicates }, () => postJson(`${engine.url}/dossiers`, body, headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(duplicates).fill(201));
    expect(new Set(answers.map((answer) => answer.json.dossierCode)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true').length).toBe(duplicates - 1);
    expect(new Set(answers.map((answer) => answer.headers.get('location')))).toEqual(new Set([`/dossiers/${answers[0]!.json.dossierCode}`]));
    const stored = await engine.db.selectFrom('events').select('stream_id').where('stream_id', 'like', `${centre}-%`).execute();
    expect(stored).toHaveLength(1);
    const reused = await postJson(`${engine.url}/dossiers`, { ...body, channel: 'online' }, headers);
    expect(reused).toMatchObject({ status: 422, json: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('a retry after a lost answer reuses the dossier code of the first attempt', async () => {
    const centre = await engine.newCentre();
    const headers = { ...(await authAs(actor('reception', centre))), 'idempotency-key': 'lost-answer' };
    const first = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
    // As if the API died after acting but before keeping its answer (or answered 503).
    // The claim stays as it was written (microsecond precision), 40 s old: stale, so one retry takes over.
    await engine.db.updateTable('idempotency_keys').set({ status_code: null, response: null, claimed_at: sql<string>`now() - interval '40 seconds'` }).where('key', '=', 'lost-answer').execute();
    const started = Date.now();
    const retry = await postJson(`${engine.url}/dossiers`, receptionBody(centre), headers);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(retry.status).toBe(201);
    expect(retry.json.dossierCode).toBe(first.json.dossierCode);
    const stored = await engine.db.selectFrom('events').select('stream_id').where('stream_id', 'like', `${centre}-%`).execute();
    expect(stored).toHaveLength(1);
  });

  it('a retried command acts once, and its key becomes the command id', async () => {
    const code = await receive();
    const headers = { 'idempotency-key': 'accept-once' };
    const body = { components: completeComponents(BUSINESS_PROCEDURE) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => postCommand(`${engine.url}/dossiers/${code}/accept`, reception, body, headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(200));
    // One acceptance (and one receipt, recorded beside it): received, accepted, step started, form 01.
    await documentsIssued(engine.url, code, ['form-01'], await authAs(auditor));
    expect(await streamVersion(code)).toBe(4);
    const { json } = await getJson(`${engine.url}/dossiers/${code}/events`, await authAs(auditor));
    expect(json.events[1].metadata.commandId).toBe('letan.an/accept-once');
    // Every answer carries the receipt's lookup secret, but the kept answer does not store it.
    expect(new Set(answers.map((answer) => answer.json.lookupSecret)).size).toBe(1);
    expect(answers[0]!.json.lookupSecret).toMatch(/^[0-9A-Z]{10}$/);
    const kept = await engine.db.selectFrom('idempotency_keys').select('response').where('key', '=', 'accept-once').executeTakeFirstOrThrow();
    expect(JSON.stringify(kept.response)).not.toContain(answers[0]!.json.lookupSecret);
  });

  it('If-Match with a stale stream version gets 409 and changes nothing', async () => {
    const code = await receive();
    const read = await fetch(`${engine.url}/dossiers/${code}`, { headers: await authAs(reception) });
    expect(read.headers.get('etag')).toBe('"1"');
    const stale = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) }, { 'if-match': '"0"' });
    expect(stale).toMatchObject({ status: 409, json: { code: 'STREAM_VERSION_MISMATCH' } });
    expect(await streamVersion(code)).toBe(1);
    const fresh = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) }, { 'if-match': '"1"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"3"');
  });
});

describe('the citizen lookup', () => {
  it('shows status, appointment and who holds the dossier with the receipt’s secret, and nothing personal', async () => {
    const code = await receive();
    const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    const secret: string = accepted.json.lookupSecret;
    expect(secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    const found = await getJson(`${engine.url}/lookup/${code}?secret=${secret.toLowerCase().slice(0, 5)}-${secret.slice(5)}`);
    expect(found).toMatchObject({ status: 200, json: { dossierCode: code, status: { code: 4, label: 'Đang xử lý' }, heldBy: [{ agencyCode: ECONOMY }], procedure: { name: 'Đăng ký thành lập hộ kinh doanh' } } });
    expect(found.json.appointment).toEqual(expect.any(String));
    expect(JSON.stringify(found.json)).not.toMatch(/Nguyễn Thị Hoa|001190000123|0912 345 678/);
    const wrong = await getJson(`${engine.url}/lookup/${code}?secret=AAAAAAAAAA`);
    const unknown = await getJson(`${engine.url}/lookup/${CENTRE}-200101-0001?secret=${secret}`);
    expect(wrong.status).toBe(404);
    expect(unknown.json.detail).toBe(wrong.json.detail);
    // The secret travels in the query string; neither the logs nor the problem's instance repeat it.
    expect(engine.logs.text).not.toContain(secret.slice(5));
    expect(wrong.json.instance).toBe(`/lookup/${code}`);
  });
});

describe('lists', () => {
  it('pages through an agency’s dossiers with a cursor and filters them', async () => {
    const centre = await engine.newCentre();
    for (let i = 0; i < 3; i += 1) await receive(centre);
    const desk = await authAs(actor('reception', centre));
    const first = await getJson(`${engine.url}/dossiers?limit=2`, desk);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await getJson(`${engine.url}/dossiers?limit=2&cursor=${first.json.nextCursor}`, desk);
    expect(second.json).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const codes = [...first.json.items, ...second.json.items].map((item: { dossierCode: string }) => item.dossierCode);
    expect(new Set(codes).size).toBe(3);
    expect((await getJson(`${engine.url}/dossiers?status=returned`, desk)).json.items).toEqual([]);
    expect(await getJson(`${engine.url}/dossiers?cursor=bm9uc2Vuc2U`, desk)).toMatchObject({ status: 400, json: { errors: [{ field: 'querystring.cursor' }] } });
  });
});

describe('reports', () => {
  const day = (offsetDays: number) => formatIsoDate(vietnamDateOf(new Date(Date.now() + offsetDays * 86_400_000)));
  const period = `from=${day(-1)}&to=${day(1)}`;

  it('keeps the register (form 07) of a receiving unit for its staff, with applicant contacts, in JSON and CSV', async () => {
    const centre = await engine.newCentre();
    const codes = [await receive(centre), await receive(centre)];
    const desk = await authAs(actor('reception', centre));
    const page = await getJson(`${engine.url}/reports/register?${period}&limit=1`, desk);
    expect(page.status).toBe(200);
    expect(page.json.entries).toEqual([
      expect.objectContaining({ number: 1, dossierCode: codes[0], applicant: { kind: 'citizen', fullName: 'Nguyễn Thị Hoa', address: 'Số 5, thôn Đông, xã Diễn Châu, tỉnh Nghệ An', phone: '0912 345 678' }, status: 'received' }),
    ]);
    const next = await getJson(`${engine.url}/reports/register?${period}&limit=1&cursor=${page.json.nextCursor}`, desk);
    expect(next.json).toMatchObject({ entries: [{ number: 2, dossierCode: codes[1] }], nextCursor: null });

    const csv = await fetch(`${engine.url}/reports/register?${period}&format=csv`, { headers: desk });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A UTF-8 byte-order mark first, so spreadsheets read the diacritics right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('STT,Mã hồ sơ,Mã TTHC,Tên TTHC,"Tổ chức, cá nhân",Địa chỉ,Số điện thoại,Cơ quan chủ trì giải quyết,"Nhận hồ sơ (giờ, ngày)",Hẹn trả kết quả,Chuyển hồ sơ đến cơ quan giải quyết,Nhận kết quả từ cơ quan giải quyết,"Trả kết quả (giờ, ngày)",Ghi chú');
    expect(text).toContain(`1,${codes[0]},2.000720,Đăng ký thành lập hộ kinh doanh,Nguyễn Thị Hoa,"Số 5, thôn Đông, xã Diễn Châu, tỉnh Nghệ An",0912 345 678`);
    expect(text).toContain(',Mới đăng ký\r\n');

    const pdf = await fetch(`${engine.url}/reports/register?${period}&format=pdf`, { headers: desk });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { extractText, getDocumentProxy } = await import('unpdf');
    const pdfText = (await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true })).text.normalize('NFC').replace(/\s+/g, ' ');
    expect(pdfText).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(pdfText).toContain('Mới đăng ký');
    expect(pdfText).toContain('Nguyễn Thị Hoa');

    // Another unit's staff may not read it; officers do not keep registers at all.
    expect(await getJson(`${engine.url}/reports/register?${period}&agency=${centre}`, await authAs(reception))).toMatchObject({ status: 403, json: { code: 'REPORT_OUTSIDE_UNIT' } });
    expect((await getJson(`${engine.url}/reports/register?${period}`, await authAs(actor('officer', centre)))).status).toBe(403);
    expect((await getJson(`${engine.url}/reports/register?${period}&agency=${centre}`, await authAs(auditor))).json.entries).toHaveLength(2);
  });

  it('shows a unit’s head its indicators once the projection has the events, and auditors any unit’s, as JSON or CSV', async () => {
    const centre = await engine.newCentre();
    const code = await receive(centre, BUSINESS_PROCEDURE);
    await receive(centre, BUSINESS_PROCEDURE);
    const desk = actor('reception', centre);
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, desk, { components: completeComponents(BUSINESS_PROCEDURE) })).status).toBe(200);
    await projectReportsPast(engine.db, [code]);

    const head = await authAs(actor('head', centre));
    const report = await getJson(`${engine.url}/reports/indicators?${period}`, head);
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({ agencyCode: centre, groups: [{ key: null, counts: { registered: 2, accepted: 1, acceptedAtCounter: 1, inProgressWithinTime: 1 } }] });
    expect(report.json.groups[0].indicators.find((indicator: { id: string }) => indicator.id === 'on-time-rate-766')).toMatchObject({ value: 100, numerator: 1, denominator: 1, target: null });
    // Decision 766's other channel shares (3.3) and online services in use (3.2): the one accepted
    // dossier came to the counter; a centre competent for no procedure has no online service of its own.
    const byId = (id: string) => report.json.groups[0].indicators.find((indicator: { id: string }) => indicator.id === id);
    expect(byId('counter-submission-rate')).toMatchObject({ decision766: '3.3', value: 100, numerator: 1, denominator: 1 });
    expect(byId('postal-submission-rate')).toMatchObject({ decision766: '3.3', value: 0, numerator: 0, denominator: 1 });
    expect(byId('repeated-supplement-rate')).toMatchObject({ decision766: '2.1', value: null, denominator: 0 });
    expect(byId('online-service-use-rate')).toMatchObject({ decision766: '3.2', value: null, denominator: 0 });

    expect((await getJson(`${engine.url}/reports/indicators?${period}`, await authAs(desk))).status).toBe(403);
    expect(await getJson(`${engine.url}/reports/indicators?${period}&agency=${centre}`, await authAs(actor('head', CENTRE)))).toMatchObject({ status: 403, json: { code: 'REPORT_OUTSIDE_UNIT' } });

    const csv = await fetch(`${engine.url}/reports/indicators?${period}&agency=${centre}&groupBy=procedure&format=csv`, { headers: await authAs(auditor) });
    const [header, row] = (await csv.text()).split('\r\n');
    expect(header!.split(',').slice(0, 6)).toEqual(['from', 'to', 'end', 'agency', 'procedure', 'registered']);
    expect(row!.split(',').slice(3, 6)).toEqual([centre, BUSINESS_PROCEDURE, '2']);
    expect(header!.split(',')).toEqual(expect.arrayContaining(['resolvedAfterRepeatedSupplement', 'onlineServices', 'counter-submission-rate', 'postal-submission-rate', 'repeated-supplement-rate', 'online-service-use-rate']));
  });
});

describe('catalogues and calendars', () => {
  it('lets admins load a catalogue, refuses anyone else, and never lets a loaded version change', async () => {
    const code = `T${Date.now().toString(36).toUpperCase().slice(-6)}.00.00.H99`;
    const catalogue = { sample: true, agencies: [{ code, name: 'Bộ phận Một cửa thử nghiệm', kind: 'one-stop-centre', parentCode: null }], procedures: [] };
    const put = (who: ReturnType<typeof actor>, body: unknown) =>
      fetch(`${engine.url}/catalogue`, { method: 'PUT', headers: { 'content-type': 'application/json', ...authAsSync(who) }, body: JSON.stringify(body) });
    const authAsSync = (who: ReturnType<typeof actor>) => tokens.get(who.role)!;
    const tokens = new Map([['admin', await authAs(actor('admin', CENTRE))], ['reception', await authAs(reception)]]);
    expect((await put(reception, catalogue)).status).toBe(403);
    const loaded = await put(actor('admin', CENTRE), catalogue);
    expect(loaded.status).toBe(200);
    expect(await loaded.json()).toMatchObject({ agencies: 1, proceduresAdded: 0 });
    const { json } = await getJson(`${engine.url}/catalogue/procedures`, await authAs(reception));
    const business = json.procedures.find((procedure: { code: string }) => procedure.code === BUSINESS_PROCEDURE);
    // Routes may name only agencies of the same file, so the change comes with the sample agencies.
    const changed = await put(actor('admin', CENTRE), { ...catalogue, agencies: [...catalogue.agencies, ...CATALOGUE.agencies], procedures: [{ ...business, name: 'Tên đã đổi' }] });
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({ code: 'CATALOGUE_REFUSED', detail: expect.stringMatching(/new version/) });
    const invalid = await put(actor('admin', CENTRE), { agencies: [{ code: 'bad code' }], procedures: [] });
    expect(invalid.status).toBe(400);
  });

  it('answers, with inForceOn, only the version of each procedure in force that day, picked by the domain rule', async () => {
    const desk = await authAs(reception);
    const versionsOf = (procedures: { code: string; version: string }[], code: string) => procedures.filter((procedure) => procedure.code === code).map((procedure) => procedure.version);
    // 1.001193 has three versions in the sample catalogue: 2025.1 from 2025-07-01, 2026.1 from 2026-01-01,
    // 2026.2 (its step done in the civil-status system) from 2026-12-01.
    const all = await getJson(`${engine.url}/catalogue/procedures`, desk);
    expect(versionsOf(all.json.procedures, '1.001193')).toEqual(['2025.1', '2026.1', '2026.2']);
    const before = await getJson(`${engine.url}/catalogue/procedures?inForceOn=2025-12-31`, desk);
    expect(before.status).toBe(200);
    expect(versionsOf(before.json.procedures, '1.001193')).toEqual(['2025.1']);
    const after = await getJson(`${engine.url}/catalogue/procedures?inForceOn=2026-01-01`, desk);
    expect(versionsOf(after.json.procedures, '1.001193')).toEqual(['2026.1']);
    const connected = await getJson(`${engine.url}/catalogue/procedures?inForceOn=2026-12-01`, desk);
    expect(versionsOf(connected.json.procedures, '1.001193')).toEqual(['2026.2']);
    expect(connected.json.procedures.find((procedure: { code: string }) => procedure.code === '1.001193').route.stages[0].steps[0]).toMatchObject({ id: 'civil-status', system: 'civil-status' });
    const codes = after.json.procedures.map((procedure: { code: string }) => procedure.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes)).toEqual(new Set(all.json.procedures.map((procedure: { code: string }) => procedure.code)));
    // Before the first version takes effect, that procedure has none in force and is left out.
    const early = await getJson(`${engine.url}/catalogue/procedures?inForceOn=2025-06-30`, desk);
    expect(versionsOf(early.json.procedures, '1.001193')).toEqual([]);
    const refused = await getJson(`${engine.url}/catalogue/procedures?inForceOn=2026-02-30`, desk);
    expect(refused.status).toBe(400);
    expect(refused.json.errors.map((error: { field: string }) => error.field)).toContain('querystring.inForceOn');
  });

  it('serves the holiday table of a year with its calendar version', async () => {
    const { json } = await getJson(`${engine.url}/calendars/vn-civil-service/2026`, await authAs(reception));
    expect(json.calendarVersion).toBe('vn-civil-service@2025.2');
    expect(json.days).toContainEqual({ date: '2026-02-16', mark: expect.objectContaining({ kind: 'holiday', name: 'Tết Âm lịch' }) });
  });
});

describe('more lists', () => {
  it('pages through an agency’s work queue and a dossier’s history', async () => {
    const centre = await engine.newCentre();
    const codes: string[] = [];
    for (let i = 0; i < 3; i += 1) codes.push(await receive(centre));
    const desk = await authAs(actor('reception', centre));
    const first = await getJson(`${engine.url}/agencies/${centre}/queue?limit=2&kind=check-dossier`, desk);
    expect(first.json.items).toHaveLength(2);
    const second = await getJson(`${engine.url}/agencies/${centre}/queue?limit=2&kind=check-dossier&cursor=${first.json.nextCursor}`, desk);
    expect(second.json).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect(new Set([...first.json.items, ...second.json.items].map((item: { dossierCode: string }) => item.dossierCode))).toEqual(new Set(codes));

    const code = await receive();
    await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
    const auditorHeaders = await authAs(auditor);
    await documentsIssued(engine.url, code, ['form-01'], auditorHeaders);
    const page1 = await getJson(`${engine.url}/dossiers/${code}/events?limit=2`, auditorHeaders);
    expect(page1.json).toMatchObject({ nextAfter: 2 });
    expect(page1.json.events.map((event: { type: string }) => event.type)).toEqual(['DossierReceived', 'DossierAccepted']);
    const page2 = await getJson(`${engine.url}/dossiers/${code}/events?limit=2&after=2`, auditorHeaders);
    expect(page2.json).toMatchObject({ events: [{ type: 'StepStarted' }, { type: 'DocumentIssued' }], nextAfter: null });
  });
});

describe('bad input on every command route', () => {
  it('answers 4xx with a problem and stores nothing', async () => {
    const code = await receive();
    const head = actor('head', CENTRE);
    const bodies: unknown[] = [
      [],
      'not an object',
      { stepId: 42, outcome: true, missing: 'everything', newAppointment: '31/02/2026', replyBy: '2026-02-30T25:00:00Z', amountVnd: -1, document: { sha256: 'xyz' } },
      { reason: 'x'.repeat(100_000), reasons: ['\ud800 lone surrogate', ''], legalBasis: '\u0000', missing: [{ description: '', reason: '' }] },
    ];
    const unexpected: string[] = [];
    for (const route of COMMAND_ROUTES) {
      for (const body of bodies) {
        const response = await postCommand(`${engine.url}/dossiers/${code}/${route.path}`, head, body);
        if (response.status < 400 || response.status >= 500 || !response.json.type) unexpected.push(`${route.path} ${JSON.stringify(body).slice(0, 40)} → ${response.status}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(await streamVersion(code)).toBe(1);
  });
});

describe('bad input on every read route', () => {
  it('answers malformed paths and queries with 4xx problems, never a 500', async () => {
    const code = await receive();
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const paths = [
      '/dossiers/not-a-code',
      '/dossiers/%F0%9F%98%80',
      '/dossiers?limit=0',
      '/dossiers?limit=abc',
      '/dossiers?status=lost',
      '/dossiers?dueBefore=31/02/2026',
      `/dossiers?receivedFrom=${encodeURIComponent('2026-02-30T25:00:00Z')}`,
      `/dossiers?cursor=${b64(['1', 'a'])}`,
      `/dossiers/${code}/events?after=-1`,
      `/dossiers/${code}/events?limit=${'9'.repeat(30)}`,
      `/dossiers/${code}/due-explanation?asOf=yesterday`,
      '/agencies/bad%20code/queue',
      `/agencies/${CENTRE}/queue?cursor=${b64(['1', 'a', 'b'])}`,
      `/agencies/${CENTRE}/queue?limit=100000`,
      `/lookup/${code}`,
      `/lookup/${code}?secret=${'x'.repeat(1000)}`,
      '/lookup/%00?secret=a',
      '/calendars/vn-civil-service/1999',
      '/calendars/vn-civil-service/two-thousand',
      '/reports/indicators?from=2026-02-30&to=2026-03-31',
      '/reports/indicators?from=2026-03-01&to=2026-02-01',
      '/reports/indicators?from=2026-03-01&to=2026-03-31&groupBy=colour',
      `/reports/indicators?from=2026-03-01&to=2026-03-31&asOf=${encodeURIComponent('2026-02-01T00:00:00+07:00')}`,
      '/reports/indicators?from=2026-03-01',
      '/reports/register?from=yesterday&to=today',
      `/reports/register?from=2026-03-01&to=2026-03-31&cursor=${b64(['x'])}`,
    ];
    const headers = await authAs(auditor);
    const unexpected: string[] = [];
    for (const path of paths) {
      const response = await getJson(`${engine.url}${path}`, headers);
      if (response.status < 400 || response.status >= 500 || !response.json.type) unexpected.push(`${path} → ${response.status}`);
    }
    expect(unexpected).toEqual([]);
    const badReception = await postJson(`${engine.url}/dossiers`, { agencyCode: CENTRE, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: '\ud800'.repeat(400), identityNumber: '1'.repeat(5000) } }, await authAs(reception));
    expect(badReception.status).toBe(400);
  });
});

describe('operations', () => {
  it('logs each request with its id, user, route, status and time, and no personal data', async () => {
    const code = await receive();
    const lines = engine.logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request completed' && entry.user === `reception@${CENTRE}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ reqId: expect.any(String), role: 'reception', route: 'POST /dossiers', res: { statusCode: 201 }, responseTime: expect.any(Number) });
    expect(engine.logs.text).toContain(code);
    expect(engine.logs.text).not.toMatch(/Nguyễn Thị Hoa|001190000123|0912 345 678|thôn Đông/);
  });

  it('sets security headers', async () => {
    const response = await fetch(`${engine.url}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toEqual(expect.any(String));
  });
});

describe('rate limits', () => {
  it('answers 429 with a problem once a caller exceeds the limit', async () => {
    const limited = await startTestEngine({ name: 'rate', worker: false, rateLimitPerMinute: 3 });
    try {
      const headers = await authAs(auditor);
      const statuses: number[] = [];
      let last: { status: number; json: any } | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await getJson(`${limited.url}/dossiers?limit=1`, headers);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.json).toMatchObject({ status: 429, type: 'urn:motcua:problem:rate-limited' });
    } finally {
      await limited.close();
    }
  });
});
