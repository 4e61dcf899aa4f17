// Every query parameter of the report routes against hostile input: a period of two centuries, a
// day that does not exist, a date far in the past or the future, a repeated parameter, an empty one,
// control characters, an agency code of ten thousand characters, huge and negative limits, a forged
// cursor. Each gets a 400 problem naming the field (and, for a rule on the period, the rule's code),
// before anything reaches PostgreSQL, which does not listen in these tests: a request that got
// through validation would answer 500, so a 400 here is the route's own refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../api/cursor.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const ROUTES = ['/reports/indicators', '/reports/lateness', '/reports/register'] as const;
const MONTH = 'from=2026-01-01&to=2026-01-31';

async function get(url: string) {
  const response = await http.app.inject({ method: 'GET', url, headers: await http.authAs('auditor') });
  return { status: response.statusCode, type: response.headers['content-type'], problem: response.statusCode === 200 ? undefined : response.json() };
}

/** A 400 problem whose errors name the field, and whose detail names it too. */
function expectRefused(answer: Awaited<ReturnType<typeof get>>, field: string, code?: string) {
  expect(answer.status, JSON.stringify(answer.problem)).toBe(400);
  expect(answer.type).toMatch(/^application\/problem\+json/);
  expect(answer.problem.errors.map((error: { field: string }) => error.field)).toContain(field);
  if (code !== undefined) {
    expect(answer.problem).toMatchObject({ code, type: 'urn:motcua:problem:invalid-period', status: 400 });
    expect(answer.problem.rule).toEqual(expect.any(String));
  }
}

describe.each(ROUTES)('%s against hostile query parameters', (route) => {
  it('gets through validation with a sensible month (then fails on the unreachable database)', async () => {
    expect((await get(`${route}?${MONTH}`)).status).toBe(500);
  });

  it('refuses a period of two centuries with the rule on its span, naming `to` and the longest period', async () => {
    const answer = await get(`${route}?from=2000-01-01&to=2199-12-31`);
    expectRefused(answer, 'querystring.to', 'REPORT_PERIOD_TOO_LONG');
    expect(answer.problem.detail).toMatch(/366 days/);
    expect(answer.problem.detail).toMatch(/split/i);
  });

  it('takes a whole leap year, and refuses one day more', async () => {
    expect((await get(`${route}?from=2024-01-01&to=2024-12-31`)).status).toBe(500);
    expectRefused(await get(`${route}?from=2023-12-31&to=2024-12-31`), 'querystring.to', 'REPORT_PERIOD_TOO_LONG');
  });

  it('refuses a period that ends before it begins', async () => {
    expectRefused(await get(`${route}?from=2026-03-01&to=2026-02-01`), 'querystring.to', 'REPORT_PERIOD_REVERSED');
  });

  it.each([
    ['a period before any one-stop register', 'from=0001-01-01&to=0001-12-31', 'querystring.from'],
    ['a period of the year 1999', 'from=1999-01-01&to=1999-12-31', 'querystring.from'],
    ['a period that has not begun', 'from=9999-01-01&to=9999-01-31', 'querystring.from'],
  ])('refuses %s', async (_case, query, field) => {
    expectRefused(await get(`${route}?${query}`), field, 'REPORT_PERIOD_OUT_OF_RANGE');
  });

  it.each([
    ['30 February', 'from=2026-02-30&to=2026-03-31', 'querystring.from'],
    ['month 13', 'from=2026-01-01&to=2026-13-01', 'querystring.to'],
    ['a date with a time', 'from=2026-01-01T00:00:00Z&to=2026-01-31', 'querystring.from'],
    ['a five-digit year', 'from=12026-01-01&to=2026-01-31', 'querystring.from'],
    ['an empty from', 'from=&to=2026-01-31', 'querystring.from'],
    ['no from', 'to=2026-01-31', 'querystring.from'],
    ['a repeated from', 'from=2026-01-01&from=2026-01-02&to=2026-01-31', 'querystring.from'],
    ['a from written as an array', 'from[]=2026-01-01&to=2026-01-31', 'querystring.from'],
    ['a NUL in to', 'from=2026-01-01&to=2026-01-31%00', 'querystring.to'],
    ['a huge from', `from=${'9'.repeat(5000)}&to=2026-01-31`, 'querystring.from'],
    ['an empty agency', `${MONTH}&agency=`, 'querystring.agency'],
    ['an agency code of ten thousand characters', `${MONTH}&agency=${'A'.repeat(10_000)}`, 'querystring.agency'],
    ['a control character in the agency', `${MONTH}&agency=000.00.31.H38%07`, 'querystring.agency'],
    ['a repeated agency', `${MONTH}&agency=000.00.31.H38&agency=000.00.31.H39`, 'querystring.agency'],
  ])('refuses %s naming the field', async (_case, query, field) => {
    expectRefused(await get(`${route}?${query}`), field);
  });
});

describe.each(['/reports/indicators', '/reports/lateness'])('%s as of an instant', (route) => {
  it.each([
    ['the year 9999', 'asOf=9999-12-31T00:00:00Z', 'REPORT_AS_OF_OUT_OF_RANGE'],
    ['tomorrow', `asOf=${new Date(Date.now() + 86_400_000).toISOString()}`, 'REPORT_AS_OF_OUT_OF_RANGE'],
    ['before the period began', 'asOf=2025-12-31T00:00:00Z', 'REPORT_AS_OF_OUT_OF_RANGE'],
  ])('refuses asOf in %s with the rule, naming asOf', async (_case, query, code) => {
    expectRefused(await get(`${route}?${MONTH}&${query}`), 'querystring.asOf', code);
  });

  it.each([
    ['30 February', 'asOf=2026-02-30T00:00:00Z'],
    ['no offset', 'asOf=2026-02-01T00:00:00'],
    ['an empty asOf', 'asOf='],
    ['a number', 'asOf=1767225600000'],
    ['a repeated asOf', 'asOf=2026-02-01T00:00:00Z&asOf=2026-02-02T00:00:00Z'],
  ])('refuses asOf as %s naming it', async (_case, query) => {
    expectRefused(await get(`${route}?${MONTH}&${query}`), 'querystring.asOf');
  });
});

describe.each(['/reports/indicators', '/reports/register'])('%s formats', (route) => {
  it('refuses an unknown format naming it', async () => {
    expectRefused(await get(`${route}?${MONTH}&format=xml`), 'querystring.format');
  });
});

describe('/reports/indicators filters', () => {
  it.each([
    ['a procedure code of ten thousand characters', `procedure=${'1'.repeat(10_000)}`, 'querystring.procedure'],
    ['an empty procedure', 'procedure=', 'querystring.procedure'],
    ['a NUL in the field', 'field=H%E1%BB%99%20t%E1%BB%8Bch%00', 'querystring.field'],
    ['a field of ten thousand characters', `field=${'a'.repeat(10_000)}`, 'querystring.field'],
    ['an unknown groupBy', 'groupBy=applicant', 'querystring.groupBy'],
    ['a repeated groupBy', 'groupBy=agency&groupBy=field', 'querystring.groupBy'],
  ])('refuses %s naming it', async (_case, query, field) => {
    expectRefused(await get(`/reports/indicators?${MONTH}&${query}`), field);
  });
});

describe.each(['/reports/lateness', '/reports/register'])('%s pages', (route) => {
  it('takes a limit within its bounds', async () => {
    expect((await get(`${route}?${MONTH}&limit=1000`)).status).toBe(500);
  });

  it.each([
    ['a huge limit', 'limit=1e30'],
    ['a limit past the maximum', 'limit=1001'],
    ['a limit of zero', 'limit=0'],
    ['a negative limit', 'limit=-1'],
    ['a fractional limit', 'limit=1.5'],
    ['a limit that is not a number', 'limit=abc'],
    ['an empty limit', 'limit='],
    ['a repeated limit', 'limit=1&limit=2'],
  ])('refuses %s naming it', async (_case, query) => {
    expectRefused(await get(`${route}?${MONTH}&${query}`), 'querystring.limit');
  });

  it.each([
    ['characters outside base64url', 'cursor=%00%01'],
    ['a cursor of ten thousand characters', `cursor=${'A'.repeat(10_000)}`],
    ['base64url that is not a cursor', `cursor=${encodeCursor(['not', 'a', 'cursor', 'of', 'this', 'route'])}`],
  ])('refuses a cursor with %s', async (_case, query) => {
    expectRefused(await get(`${route}?${MONTH}&${query}`), 'querystring.cursor');
  });
});
