// Text that cannot be stored or printed is refused at the boundary, with a 400 naming the field,
// before anything reaches PostgreSQL or a dossier's workflow (neither listens in these tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printableProblem } from '../../api/problem-details.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const CENTRE = '000.00.31.H38';
const CODE = `${CENTRE}-250701-0005`;
const reception = (applicant: Record<string, unknown>) => ({
  agencyCode: CENTRE,
  procedureCode: '2.000720',
  channel: 'counter',
  applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345', ...applicant },
});

/** A JSON body as a client that escapes a lone surrogate sends it (JSON.stringify does; a UTF-8 encoder would not). */
const rawJson = (value: unknown) => JSON.stringify(value);

async function post(url: string, payload: string) {
  const response = await http.app.inject({ method: 'POST', url, headers: { ...(await http.authAs('reception')), 'content-type': 'application/json' }, payload });
  return { status: response.statusCode, type: response.headers['content-type'], body: response.body, problem: response.json() };
}

describe('one rule for text', () => {
  it.each([
    ['a NUL in the address', { address: 'thôn Đông\u0000' }, 'body.applicant.address'],
    ['a bell in the address', { address: 'thôn\u0007 Đông' }, 'body.applicant.address'],
    ['DEL in the address', { address: 'thôn Đông\u007F' }, 'body.applicant.address'],
    ['a NUL in the name', { fullName: 'Nguyễn\u0000 Văn An' }, 'body.applicant.fullName'],
    ['a line break in the name', { fullName: 'Nguyễn\nVăn An' }, 'body.applicant.fullName'],
    ['a digit-free symbol soup as a name', { fullName: '<script>' }, 'body.applicant.fullName'],
  ])('refuses %s with 400 naming the field', async (_case, applicant, field) => {
    const answer = await post('/dossiers', rawJson(reception(applicant)));
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(answer.problem.detail).toContain(field);
  });

  it('says what is wrong and what to do', async () => {
    const answer = await post('/dossiers', rawJson(reception({ address: 'a\u0000b' })));
    expect(answer.problem.errors).toContainEqual({ field: 'body.applicant.address', message: expect.stringMatching(/control characters such as NUL \(U\+0000\).*remove them/) });
  });

  it('keeps line breaks and tabs in free text, and Vietnamese names as they are written', async () => {
    // Valid text passes validation and goes on to the catalogue, which is unreachable here: a 5xx, not a 400.
    const answer = await post('/dossiers', rawJson(reception({ fullName: 'Công ty TNHH "Ánh Dương" & Co.', address: 'Số 1,\tngõ 2\r\nthôn Đông' })));
    expect(answer.status).toBeGreaterThanOrEqual(500);
  });

  it('refuses a NUL in a command’s reason before the command reaches its dossier', async () => {
    const response = await http.app.inject({ method: 'POST', url: `/dossiers/${CODE}/refuse-at-reception`, headers: await http.authAs('reception'), payload: { reasons: ['Không thuộc thẩm quyền\u0000'], legalBasis: 'Nghị định 01/2021/NĐ-CP' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(['body.reasons.0']);
  });
});

describe('the locality a reception names', () => {
  it.each([
    ['a NUL', '99001\u0000'],
    ['a trailing line break', '99001\n'],
    ['a leading space', ' 99001'],
    ['a bell', '\u000799001'],
    ['a lone surrogate', '9900\ud800'],
    ['letters', 'Xã An Phú'],
    ['markup', '<script>'],
    ['full-width digits', '\uFF19\uFF19\uFF10\uFF10\uFF11'],
    ['Arabic-Indic digits', '\u0669\u0669\u0660\u0660\u0661'],
    ['six digits', '990011'],
    ['one digit', '9'],
    ['5,000 digits', '9'.repeat(5000)],
    ['an empty string', ''],
    ['a number, not a string', 99001],
    ['an array', ['99001']],
  ])('refuses %s with 400 naming body.locality, and echoes none of it', async (_case, locality) => {
    const answer = await post('/dossiers', rawJson({ ...reception({}), locality }));
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toEqual(['body.locality']);
    expect(answer.body).not.toMatch(/\p{Cs}|\\u0000|\\u0007|<script>|9{100}/u);
  });

  it('takes an administrative unit code of 2 to 5 digits', async () => {
    // Valid, it goes on to the catalogue, which is unreachable here: a 5xx, not a 400.
    expect((await post('/dossiers', rawJson({ ...reception({}), locality: '99002' }))).status).toBeGreaterThanOrEqual(500);
  });
});

describe('lone surrogates', () => {
  it('answers 400, never a 500, to a lone surrogate in a JSON body, and echoes none', async () => {
    const answer = await post('/dossiers', rawJson(reception({ fullName: '\ud800'.repeat(400), address: 'x\udfff' })));
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['body.applicant.fullName', 'body.applicant.address']));
    expect(answer.body).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    expect(answer.body).not.toMatch(/\p{Cs}/u);
  });

  it('answers 400 to a lone surrogate in a command’s free text', async () => {
    const answer = await post(`/dossiers/${CODE}/request-withdrawal`, rawJson({ reason: 'rút hồ sơ \udc00' }));
    expect(answer.status).toBe(400);
    expect(answer.problem.errors).toEqual([{ field: 'body.reason', message: expect.stringMatching(/surrogate/) }]);
  });

  it('answers 400 to a lone surrogate in an object key', async () => {
    const answer = await post('/dossiers', `{"agencyCode":"${CENTRE}","\\ud800":1}`);
    expect(answer.status).toBe(400);
    expect(answer.body).not.toMatch(/\p{Cs}/u);
  });
});

describe('what a problem echoes', () => {
  it('replaces lone surrogates with U+FFFD in every text a problem echoes', () => {
    const problem = printableProblem({ type: 't', title: 'x', status: 400, detail: 'bad \ud800 here', errors: [{ field: 'body.\udc00', message: 'is \ud83d' }] });
    expect(problem.detail).toBe('bad \uFFFD here');
    expect(problem.errors).toEqual([{ field: 'body.\uFFFD', message: 'is \uFFFD' }]);
    expect(Buffer.from(JSON.stringify(problem)).toString()).toBe(JSON.stringify(problem));
  });
});
