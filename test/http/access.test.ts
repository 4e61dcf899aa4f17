// Who may call what, answered by the HTTP layer before anything reaches PostgreSQL or Temporal.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_ROLES } from '../../api/auth/token-verifier.js';
import { COMMAND_ROUTES } from '../../api/routes/dossier-commands.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const DOSSIER = '/dossiers/000.00.31.H38-250701-0005';

describe('a route that needs a bearer token', () => {
  it('answers 401 with a problem and a Bearer challenge without a token', async () => {
    const response = await http.app.inject({ method: 'GET', url: DOSSIER });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:unauthenticated', status: 401, detail: expect.stringMatching(/Authorization: Bearer/) });
  });

  it('answers 401 to a forged token, a token that never expires, a system token and a header that is not Bearer', async () => {
    const key = new TextEncoder().encode('not-the-secret-of-this-engine-at-all-32');
    const forged = await new SignJWT({ name: 'A', role: 'auditor', agency: '000.00.31.H38' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setAudience('motcua').setExpirationTime('1h').sign(key);
    const { authorization } = await http.authAs('auditor');
    const [, payload] = authorization.replace('Bearer ', '').split('.');
    const unsigned = `eyJhbGciOiJub25lIn0.${payload}.`;
    for (const header of [`Bearer ${forged}`, `Bearer ${unsigned}`, 'Basic YTpi', 'Bearer']) {
      const response = await http.app.inject({ method: 'GET', url: DOSSIER, headers: { authorization: header } });
      expect(response.statusCode, header).toBe(401);
      expect(response.json().type).toBe('urn:motcua:problem:unauthenticated');
    }
  });

  it('answers 403 to every role a command route is not for', async () => {
    const refusals: string[] = [];
    for (const route of COMMAND_ROUTES) {
      for (const role of TOKEN_ROLES.filter((candidate) => !(COMMAND_ROLES[route.type] as readonly string[]).includes(candidate))) {
        const response = await http.app.inject({ method: 'POST', url: `${DOSSIER}/${route.path}`, headers: await http.authAs(role), payload: {} });
        if (response.statusCode !== 403 || response.json().type !== 'urn:motcua:problem:forbidden') refusals.push(`${role} on ${route.path}: ${response.statusCode}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('answers 403 naming the roles a route is for', async () => {
    const response = await http.app.inject({ method: 'PUT', url: '/catalogue', headers: await http.authAs('reception'), payload: {} });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toBe('The role reception may not call PUT /catalogue; it is for admin.');
  });

  it('refuses reception for another centre than the caller’s', async () => {
    const response = await http.app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: await http.authAs('reception', '000.00.31.H38'),
      payload: { agencyCode: '000.00.32.H38', procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345' } },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/cannot receive dossiers for 000\.00\.32\.H38/);
  });

  it('serves the health check, the OpenAPI document and the docs without a token', async () => {
    expect((await http.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'up' });
    expect((await http.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    const docs = await http.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe("a portal's token", () => {
  const INTAKE = new Set(['POST /intake/dossiers', 'POST /intake/dvcqg/dossiers']);
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('portal-dvcqg').setAudience('motcua').setExpirationTime('1h').sign(new TextEncoder().encode('http-test-secret-of-at-least-thirty-two-characters'));

  it('is refused (403) on every registered route but the intake, public ones included', async () => {
    const headers = await http.authAs('portal');
    const opened: string[] = [];
    for (const route of http.app.registeredRoutes) {
      const url = route.url.replace(/\*$/, 'index.html').replace(/:(\w+)/g, (_match, name: string) => (name === 'code' ? '000.00.31.H38-250701-0005' : name === 'sha256' ? 'a'.repeat(64) : 'x'));
      const response = await http.app.inject({ method: route.method as 'GET', url, headers, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      const at = `${route.method} ${route.url}`;
      if (INTAKE.has(at)) {
        if (response.statusCode === 403) opened.push(`${at} refused the portal`);
      } else if (response.statusCode !== 403) {
        opened.push(`${at}: ${response.statusCode}`);
      }
    }
    expect(http.app.registeredRoutes.length).toBeGreaterThan(30);
    expect(opened).toEqual([]);
  });

  it('opens the intake to no other role', async () => {
    for (const role of TOKEN_ROLES.filter((candidate) => candidate !== 'portal')) {
      for (const url of INTAKE) {
        const response = await http.app.inject({ method: 'POST', url: url.slice(5), headers: await http.authAs(role), payload: {} });
        expect(response.statusCode, `${role} on ${url}`).toBe(403);
      }
    }
    const anonymous = await http.app.inject({ method: 'POST', url: '/intake/dossiers', payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });

  it('must name its portal and scope, and carries no agency; a staff token may not carry a scope', async () => {
    const portal = { name: 'Cổng DVCQG', role: 'portal', portal: 'dvcqg', units: ['000.00.31.H38'], procedures: ['*'] };
    const cases: [string, Record<string, unknown>][] = [
      ['no portal', { ...portal, portal: undefined }],
      ['no units', { ...portal, units: undefined }],
      ['empty units', { ...portal, units: [] }],
      ['no procedures', { ...portal, procedures: undefined }],
      ['a wildcard among codes', { ...portal, procedures: ['*', '1.001193'] }],
      ['an agency', { ...portal, agency: '000.00.31.H38' }],
      ['a reception token with units', { name: 'Lễ tân', role: 'reception', agency: '000.00.31.H38', units: ['000.00.31.H38'] }],
      ['an admin token with a portal', { name: 'Quản trị', role: 'admin', agency: '000.00.31.H38', portal: 'dvcqg' }],
    ];
    for (const [what, claims] of cases) {
      const response = await http.app.inject({ method: 'POST', url: '/intake/dossiers', headers: { authorization: `Bearer ${await sign(claims)}` }, payload: {} });
      expect(response.statusCode, what).toBe(401);
    }
    const good = await http.app.inject({ method: 'POST', url: '/intake/dossiers', headers: { authorization: `Bearer ${await sign(portal)}` }, payload: {} });
    expect(good.statusCode).toBe(400);
    expect(good.json().errors).toContainEqual({ field: 'portalDossierId', message: 'is required' });
  });

  it('takes a JSON body of at most 16 MiB, and says so', async () => {
    const response = await http.app.inject({ method: 'POST', url: '/intake/dossiers', headers: { ...(await http.authAs('portal')), 'content-type': 'application/json' }, payload: `"${'x'.repeat(17 * 1024 * 1024)}"` });
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toBe(`The request body exceeds the limit of ${16 * 1024 * 1024} bytes.`);
  });

  it('names the field at fault by its path in the portal’s body', async () => {
    const headers = await http.authAs('portal');
    const response = await http.app.inject({
      method: 'POST',
      url: '/intake/dvcqg/dossiers',
      headers,
      payload: { MaHoSo: 'H1', MaTTHC: '1.001193', DonVi: '000.00.31.H38', KenhThucHien: '2', ChuHoSo: 'Nguyễn Thị Hoa\u0000', SoGiayToChuHoSo: '001190012345', ThanhPhanHoSo: [{ TenThanhPhan: 'Tờ khai', TepDinhKem: [] }, { TenThanhPhan: 'Giấy chứng sinh', TepDinhKem: [{ TenTep: 'a.pdf' }] }] },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['ChuHoSo', 'ThanhPhanHoSo[1].TepDinhKem[0].Base64']));
  });
});
