// GET /dossiers' applicant filters at the HTTP layer: hostile text gets a 400 naming the field, as
// every other field (docs/api.md), before any query; the values typed, personal data, never reach a
// log line, not even when the search fails; the OpenAPI document shows an example of each. What the
// search finds in real dossiers is in test/integration/applicant-search.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const search = async (query: string) => {
  const response = await http.app.inject({ method: 'GET', url: `/dossiers?${query}`, headers: await http.authAs('reception') });
  return { status: response.statusCode, type: response.headers['content-type'], problem: response.json() };
};

describe('GET /dossiers by applicant', () => {
  it.each([
    ['a NUL in the name', 'applicantName=Nguy%00en', 'querystring.applicantName'],
    ['a bell in the name', 'applicantName=Nguy%07en', 'querystring.applicantName'],
    ['a line break in the name', 'applicantName=Nguyen%0AVan', 'querystring.applicantName'],
    ['DEL in the name', 'applicantName=Nguyen%7F', 'querystring.applicantName'],
    ['a LIKE wildcard as the name', 'applicantName=%25%25', 'querystring.applicantName'],
    ['an underscore wildcard in the name', 'applicantName=Ng_yen', 'querystring.applicantName'],
    ['a quote-and-comment injection', "applicantName=a'%3B%20DROP%20TABLE%20events--", 'querystring.applicantName'],
    ['a very long name', `applicantName=${'a'.repeat(10_000)}`, 'querystring.applicantName'],
    ['a one-letter name', 'applicantName=a', 'querystring.applicantName'],
    ['a NUL in the identity number', 'applicantId=001090%00012345', 'querystring.applicantId'],
    ['a wildcard as the identity number', 'applicantId=0010900%25', 'querystring.applicantId'],
    ['a very long identity number', `applicantId=${'1'.repeat(10_000)}`, 'querystring.applicantId'],
    ['an injection as the identity number', "applicantId=001090012345'%20OR%201=1--", 'querystring.applicantId'],
  ])('refuses %s with 400 naming the field', async (_case, query, field) => {
    const answer = await search(query);
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.problem).toMatchObject({ type: 'urn:motcua:problem:validation-failed', status: 400 });
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('writes neither the name nor the number typed into any log line, refused or failed', async () => {
    // Valid: both pass validation and fail at the database, which nothing serves here.
    expect((await search(`applicantName=${encodeURIComponent('Trần Thị Bí Mật')}`)).status).toBeGreaterThanOrEqual(500);
    expect((await search('applicantId=079301999888')).status).toBeGreaterThanOrEqual(500);
    await search(`applicantName=${encodeURIComponent('Trần Thị Bí Mật\u0000')}`); // refused
    await search('applicantId=079301999888%00'); // refused
    const logs = http.logs();
    expect(logs).toContain('request completed');
    for (const secret of ['Bí Mật', 'B%C3%AD', 'Bi Mat', 'bi mat', '079301999888']) expect(logs).not.toContain(secret);
  });

  it('documents each filter with an example', async () => {
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const parameters = document.paths['/dossiers'].get.parameters as { name: string; example?: unknown; examples?: Record<string, { value: unknown }> }[];
    const examplesOf = (name: string) => {
      const parameter = parameters.find((candidate) => candidate.name === name)!;
      return parameter.examples ? Object.values(parameter.examples).map((example) => example.value) : [parameter.example];
    };
    expect(examplesOf('applicantName')).toContain('nguyen van an');
    expect(examplesOf('applicantId')).toEqual(['001090012345']);
  });
});
