// GET /portal-files/{dossierCode}/{token} before it reads anything: a forged, altered, expired or hostile token
// answers 404 with the problem that says which, without a login and without touching the database
// (which is nowhere here: a test that reached it would fail loudly). Files of a real dossier:
// test/integration/portal-files.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalFileToken } from '../../api/portal-file-links.js';
import { createDatabase } from '../../db/database.js';
import { createDocumentStore } from '../../documents/document-store.js';
import { PORTAL_FILE_KEY, portalFileApp } from '../support/portal-file-app.js';

const db = createDatabase({ connectionString: 'postgres://motcua@127.0.0.1:1/motcua', poolSize: 1, applicationName: 'motcua-http-test' });
let built: Awaited<ReturnType<typeof portalFileApp>>;
beforeAll(async () => {
  built = await portalFileApp(db, createDocumentStore(db));
});
afterAll(async () => {
  await built.close();
  await db.destroy();
});

const CODE = '000.01.01.H99-261202-0001';
const SHA = 'cd'.repeat(32);
const get = (token: string, code = CODE) => built.app.inject({ method: 'GET', url: `/portal-files/${code}/${token}` });

describe('the portal file route, before it reads anything', () => {
  it('answers 404 PORTAL_FILE_LINK_EXPIRED for a link past its expiry', async () => {
    const response = await get(portalFileToken(PORTAL_FILE_KEY, CODE, SHA, new Date(Date.now() - 1000)));
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, code: 'PORTAL_FILE_LINK_EXPIRED', type: 'urn:motcua:problem:portal-file-link', detail: expect.stringContaining('expired') });
  });

  it('answers 404 PORTAL_FILE_LINK_INVALID for a forged or hostile token, with no login asked', async () => {
    const good = portalFileToken(PORTAL_FILE_KEY, CODE, SHA, new Date(Date.now() + 3_600_000));
    const other = portalFileToken(`${PORTAL_FILE_KEY}-stolen`, CODE, SHA, new Date(Date.now() + 3_600_000));
    for (const token of [other, `${good.slice(0, -2)}AA`, good.replace('v1.', 'v2.'), 'v1.x.y', encodeURIComponent('..%2f..%2fetc%2fpasswd'), '%00', encodeURIComponent('<script>alert(1)</script>')]) {
      const response = await get(token);
      expect(response.statusCode, token).toBe(404);
      expect(response.json(), token).toMatchObject({ code: 'PORTAL_FILE_LINK_INVALID' });
      expect(response.body, token).not.toContain('<script>');
    }
    // A good token under another dossier's code, or a code that is not one.
    for (const code of ['000.01.01.H99-261202-0002', 'x', encodeURIComponent('<b>')]) {
      expect((await get(good, code)).json(), code).toMatchObject({ status: 404, code: 'PORTAL_FILE_LINK_INVALID' });
    }
  });

  it('refuses an over-long token as a bad request, and never logs the token', async () => {
    const response = await get('v'.repeat(2000));
    expect(response.statusCode).toBe(400);
    const token = portalFileToken(PORTAL_FILE_KEY, CODE, SHA, new Date(Date.now() - 1000));
    await get(token);
    expect(built.logs()).not.toContain(token.split('.')[2]);
  });

  it('is in the API document as a public route', async () => {
    const document = (await built.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { get?: { security?: unknown[]; responses: Record<string, unknown> } }> };
    const route = document.paths['/portal-files/{dossierCode}/{token}']?.get;
    expect(route?.security).toEqual([]);
    expect(Object.keys(route?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404']));
  });
});
