// Hostile pushes to PUT /mirrors/{code} are refused at the boundary with a problem naming the rule
// or the field, before anything reaches PostgreSQL (nothing listens in these tests: a push that got
// that far would answer 5xx, so every 4xx here stored nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWith, type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const UNIT = '000.00.31.H38';
const CODE = 'G01.BCA-261201-000123';
const push = (overrides: Record<string, unknown> = {}) => ({
  sourceUpdatedAt: '2026-12-03T10:15:00+07:00',
  procedureCode: '1.001612',
  agencyCode: UNIT,
  channel: 'online',
  applicant: { kind: 'citizen', fullName: 'Trần Thị Mirror', identityNumber: '001090099999' },
  submittedAt: '2026-12-01T08:30:00+07:00',
  acceptedAt: '2026-12-01T09:00:00+07:00',
  appointmentAt: '2026-12-08T17:00:00+07:00',
  status: 4,
  progress: [{ at: '2026-12-01T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 }],
  ...overrides,
});

async function put(payload: unknown, headers: Record<string, string>, code = CODE) {
  const response = await http.app.inject({ method: 'PUT', url: `/mirrors/${encodeURIComponent(code)}`, headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  return { status: response.statusCode, problem: String(response.headers['content-type']).startsWith('application/problem+json') ? response.json() : undefined };
}

const fieldsOf = (problem: { errors?: { field: string }[] } | undefined) => (problem?.errors ?? []).map((error) => error.field);

describe('who may push a mirror', () => {
  it('needs a token', async () => {
    expect((await put(push(), {})).status).toBe(401);
  });

  it.each(['reception', 'head', 'auditor', 'admin', 'portal'] as const)('refuses a %s token', async (role) => {
    expect((await put(push(), await http.authAs(role, UNIT))).status).toBe(403);
  });

  it('refuses a code numbered under a unit of the province outside the token’s units, naming the path', async () => {
    const answer = await put(push(), await http.authAs('ministry-system', UNIT), '000.00.32.H38-261201-0007');
    expect(answer.status).toBe(403);
    expect(answer.problem).toMatchObject({ code: 'MIRROR_SCOPE_UNIT' });
    expect(fieldsOf(answer.problem)).toEqual(['params.code']);
  });

  it('refuses a unit outside the token’s units, naming the field', async () => {
    const answer = await put(push({ agencyCode: '000.00.32.H38' }), await http.authAs('ministry-system', UNIT));
    expect(answer.status).toBe(403);
    expect(answer.problem).toMatchObject({ code: 'MIRROR_SCOPE_UNIT' });
    expect(fieldsOf(answer.problem)).toEqual(['body.agencyCode']);
  });

  it('refuses a procedure outside the token’s procedures', async () => {
    const narrow = await authWith({ sub: 'bca', name: 'Hệ thống BCA', role: 'ministry-system', system: 'bca-dichvucong', units: [UNIT], procedures: ['1.001193'] });
    const answer = await put(push(), narrow);
    expect(answer.status).toBe(403);
    expect(answer.problem).toMatchObject({ code: 'MIRROR_SCOPE_PROCEDURE' });
  });

  it('refuses a ministry token that also names an agency or a portal', async () => {
    const mixed = await authWith({ sub: 'bca', name: 'Hệ thống BCA', role: 'ministry-system', system: 'bca-dichvucong', units: [UNIT], procedures: ['*'], agency: UNIT });
    expect((await put(push(), mixed)).status).toBe(401);
    const portalToo = await authWith({ sub: 'bca', name: 'Hệ thống BCA', role: 'ministry-system', system: 'bca-dichvucong', units: [UNIT], procedures: ['*'], portal: 'dvcqg' });
    expect((await put(push(), portalToo)).status).toBe(401);
    const staffWithSystem = await authWith({ sub: 'an', name: 'An', role: 'reception', agency: UNIT, system: 'bca-dichvucong' });
    expect((await put(push(), staffWithSystem)).status).toBe(401);
  });

  it('lets a ministry token open no other route', async () => {
    const headers = await http.authAs('ministry-system', UNIT);
    for (const [method, url] of [['GET', '/dossiers'], ['GET', `/dossiers/${CODE}`], ['POST', '/intake/dossiers'], ['POST', `/dossiers/${CODE}/accept`]] as const) {
      const response = await http.app.inject({ method, url, headers, payload: method === 'POST' ? {} : undefined });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});

describe('what a push must be', () => {
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await http.authAs('ministry-system', UNIT);
  });

  it('names every missing field', async () => {
    const answer = await put({ sourceUpdatedAt: '2026-12-03T10:15:00+07:00' }, headers);
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.problem)).toEqual(expect.arrayContaining(['body.procedureCode', 'body.agencyCode', 'body.channel', 'body.applicant', 'body.submittedAt', 'body.status']));
  });

  it.each([
    ['a NUL in the applicant’s name', push({ applicant: { kind: 'citizen', fullName: 'Trần\u0000 Thị' } }), 'body.applicant.fullName'],
    ['a bell in a progress row', push({ progress: [{ at: '2026-12-01T09:00:00+07:00', unitName: 'Phòng\u0007', action: 'Tiếp nhận', status: 2 }] }), 'body.progress.0.unitName'],
    ['a status outside 1–10', push({ status: 11 }), 'body.status'],
    ['a date without its offset', push({ acceptedAt: '2026-12-01T09:00:00' }), 'body.acceptedAt'],
    ['an acceptance before the submission', push({ acceptedAt: '2026-11-30T09:00:00+07:00' }), 'body.acceptedAt'],
    ['a finished status without its end date', push({ status: 9 }), 'body.finishedAt'],
    ['a procedure code that is not one', push({ procedureCode: 'DROP TABLE' }), 'body.procedureCode'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const answer = await put(body, headers);
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.problem)).toContain(field);
  });

  it('refuses a field it does not know', async () => {
    const answer = await put(push({ mirroredFrom: 'someone-else' }), headers);
    expect(answer.status).toBe(400);
    expect(answer.problem.detail).toMatch(/mirroredFrom/);
  });

  it('refuses a code that cannot be one', async () => {
    expect((await put(push(), headers, 'a/b')).status).toBe(400);
    expect((await put(push(), headers, 'x')).status).toBe(400);
    expect((await put(push(), headers, 'G01 BCA')).status).toBe(400);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const huge = push({ summary: 'x'.repeat(1024 * 1024) });
    expect((await put(huge, headers)).status).toBe(413);
  });

  it('refuses a body that is not JSON', async () => {
    expect((await put('{"sourceUpdatedAt": ', headers)).status).toBe(400);
  });

  it('never writes the applicant to its logs', () => {
    expect(http.logs()).not.toContain('Trần');
    expect(http.logs()).not.toContain('001090099999');
  });
});
