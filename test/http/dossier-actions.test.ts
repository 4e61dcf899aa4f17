// GET /dossiers/{code}/actions at the HTTP layer: who may ask (as for every dossier read), a bad code,
// and the shape the console is written against, as the OpenAPI document gives it. What it answers
// for real dossiers is in test/integration/dossier-actions.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierActions } from '../../api/routes/dossier-actions.js';
import { COMMAND_PATHS, COMMAND_ROUTES } from '../../api/routes/dossier-commands.js';
import { PERSON_COMMANDS } from '../../domain/dossier/command-availability.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const ACTIONS = '/dossiers/000.00.31.H38-250701-0005/actions';

describe('GET /dossiers/{code}/actions', () => {
  it('answers 401 without a token, as every dossier read', async () => {
    const response = await http.app.inject({ method: 'GET', url: ACTIONS });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:unauthenticated', status: 401 });
  });

  it('answers 403 to the roles that read no dossier (admin, portal)', async () => {
    const admin = await http.app.inject({ method: 'GET', url: ACTIONS, headers: await http.authAs('admin') });
    expect(admin.statusCode).toBe(403);
    expect(admin.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(admin.json()).toMatchObject({ type: 'urn:motcua:problem:forbidden', status: 403, detail: 'The role admin may not call GET /dossiers/:code/actions; it is for reception, officer, head, auditor.' });
    const portal = await http.app.inject({ method: 'GET', url: ACTIONS, headers: await http.authAs('portal') });
    expect(portal.statusCode).toBe(403);
    expect(portal.json()).toMatchObject({ type: 'urn:motcua:problem:forbidden', status: 403 });
  });

  it('answers 400 for a malformed dossier code', async () => {
    const response = await http.app.inject({ method: 'GET', url: '/dossiers/not-a-code/actions', headers: await http.authAs('reception') });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:validation-failed', status: 400, errors: [{ field: 'params.code' }] });
  });

  it('is documented with the shape the console is written against, and an example of it', async () => {
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/dossiers/{code}/actions'].get;
    expect(operation.tags).toEqual(['dossiers']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(schema.required).toEqual(['dossierCode', 'status', 'streamVersion', 'actions', 'unavailable']);
    expect(Object.keys(schema.properties.actions.items.properties)).toEqual(['command', 'type', 'steps', 'consultations']);
    expect(Object.keys(schema.properties.unavailable.items.properties)).toEqual(['command', 'type', 'code', 'message', 'rule']);
    expect(dossierActions.parse(operation.responses['200'].content['application/json'].example)).toMatchObject({ actions: expect.arrayContaining([{ command: 'complete-step', type: 'CompleteStep', steps: ['land-registration'] }]) });
  });

  it('names each command by the path of its route, so the console sends it to POST /dossiers/{code}/<command>', () => {
    for (const type of PERSON_COMMANDS) {
      expect(COMMAND_ROUTES.find((route) => route.type === type)?.path, type).toBe(COMMAND_PATHS[type]);
    }
  });
});
