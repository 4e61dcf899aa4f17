// Bad requests get RFC 9457 problems that name every field at fault, from the HTTP layer alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalProblem } from '../../api/problem-details.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

describe('validation', () => {
  it('answers 400 listing every bad field of a reception, and logs none of its personal data', async () => {
    const response = await http.app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: await http.authAs('reception'),
      payload: { agencyCode: 'centre', procedureCode: 5, channel: 'fax', applicant: { kind: 'citizen', identityNumber: '079123456789' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ type: 'urn:motcua:problem:validation-failed', title: 'The request is invalid', status: 400, instance: '/dossiers' });
    const fields = (problem.errors as { field: string; message: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['body.agencyCode', 'body.procedureCode', 'body.channel', 'body.applicant.fullName']));
    expect(problem.errors.find((error: { field: string }) => error.field === 'body.applicant.fullName').message).toBe('is required');
    for (const field of fields) expect(problem.detail).toContain(field);
    expect(http.logs()).not.toContain('079123456789');
  });

  it('answers 400 for a malformed dossier code in the path and a bad If-Match', async () => {
    const response = await http.app.inject({ method: 'POST', url: '/dossiers/not-a-code/accept', headers: { ...(await http.authAs('reception')), 'if-match': '7' }, payload: { components: [] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['params.code']));
    const badIfMatch = await http.app.inject({ method: 'POST', url: '/dossiers/000.00.31.H38-250701-0005/accept', headers: { ...(await http.authAs('reception')), 'if-match': '7' }, payload: { components: [] } });
    expect(badIfMatch.statusCode).toBe(400);
    expect(badIfMatch.json().errors).toEqual([{ field: 'headers.if-match', message: expect.stringMatching(/strong ETag/) }]);
  });

  it('answers 400 to a body that is not JSON, and 415 to one that is not sent as JSON', async () => {
    const headers = await http.authAs('reception');
    const malformed = await http.app.inject({ method: 'POST', url: '/dossiers', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"agencyCode":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ type: 'urn:motcua:problem:malformed-json', status: 400 });
    const text = await http.app.inject({ method: 'POST', url: '/dossiers', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ type: 'urn:motcua:problem:unsupported-media-type', status: 415 });
  });
});

describe('problem details', () => {
  it('answers 404 for an unknown route, with the path but never its query string', async () => {
    const response = await http.app.inject({ method: 'GET', url: '/nowhere?secret=abc' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'urn:motcua:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: "No route GET /nowhere. The API's routes are at /docs.",
      instance: '/nowhere',
    });
  });

  it('gives every problem a type, a title, its status, a detail and the instance', async () => {
    const answers = await Promise.all([
      http.app.inject({ method: 'GET', url: '/dossiers/000.00.31.H38-250701-0005' }),
      http.app.inject({ method: 'GET', url: '/nowhere' }),
      http.app.inject({ method: 'POST', url: '/dossiers', headers: await http.authAs('auditor'), payload: {} }),
      http.app.inject({ method: 'POST', url: '/dossiers', headers: await http.authAs('reception'), payload: [] }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([401, 404, 403, 400]);
    for (const answer of answers) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toEqual(expect.objectContaining({ type: expect.stringMatching(/^urn:motcua:problem:/), title: expect.any(String), status: answer.statusCode, detail: expect.any(String), instance: expect.stringMatching(/^\//) }));
    }
  });
});

describe('a refusal of the dossier’s rules', () => {
  it('is answered with its code’s status: 409 for a stale If-Match, 403 for who acts, 422 naming the field for the rest', () => {
    const rule = 'Decree 61/2018/NĐ-CP art. 17(1)(a)';
    expect(refusalProblem({ code: 'STREAM_VERSION_MISMATCH', message: 'moved on', rule, field: 'expectedStreamVersion' })).toEqual({
      type: 'urn:motcua:problem:version-conflict',
      title: 'The dossier changed since you read it',
      status: 409,
      code: 'STREAM_VERSION_MISMATCH',
      rule,
      detail: 'moved on',
    });
    expect(refusalProblem({ code: 'NOT_THE_COMPETENT_AGENCY', message: 'not yours', rule })).toMatchObject({ type: 'urn:motcua:problem:forbidden', status: 403 });
    expect(refusalProblem({ code: 'REQUIRED_COMPONENTS_MISSING', message: 'missing: application', rule, field: 'components' })).toEqual({
      type: 'urn:motcua:problem:rule-refused',
      title: 'A rule refused the command',
      status: 422,
      code: 'REQUIRED_COMPONENTS_MISSING',
      rule,
      detail: 'missing: application',
      errors: [{ field: 'body.components', message: 'missing: application' }],
    });
  });
});
