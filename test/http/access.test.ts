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
