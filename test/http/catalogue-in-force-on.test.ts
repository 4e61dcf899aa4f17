// GET /catalogue/procedures?inForceOn= against hostile input: a day that does not exist, a date
// with a time, an empty or repeated parameter, control characters, script, a huge value. Each gets
// a 400 problem naming the field before anything reaches PostgreSQL, which does not listen in
// these tests: a request that got through validation answers 500, so a 400 is the route's own refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

async function get(query: string) {
  const response = await http.app.inject({ method: 'GET', url: `/catalogue/procedures?${query}`, headers: await http.authAs('reception') });
  return { status: response.statusCode, type: response.headers['content-type'], problem: response.statusCode === 200 ? undefined : response.json() };
}

describe('GET /catalogue/procedures?inForceOn=', () => {
  it.each([['a civil day', 'inForceOn=2026-03-02'], ['29 February of a leap year', 'inForceOn=2024-02-29'], ['no inForceOn at all', '']])(
    'lets %s through validation (then fails on the unreachable database)',
    async (_case, query) => {
      expect((await get(query)).status).toBe(500);
    },
  );

  it.each([
    ['30 February', 'inForceOn=2026-02-30'],
    ['29 February of a common year', 'inForceOn=2026-02-29'],
    ['month 13', 'inForceOn=2026-13-01'],
    ['a date with a time', 'inForceOn=2026-03-02T00:00:00Z'],
    ['a day written D/M/YYYY', 'inForceOn=2/3/2026'],
    ['a five-digit year', 'inForceOn=12026-01-01'],
    ['an empty inForceOn', 'inForceOn='],
    ['a word', 'inForceOn=today'],
    ['a NUL after the day', 'inForceOn=2026-03-02%00'],
    ['a script', `inForceOn=${encodeURIComponent('<script>alert(1)</script>')}`],
    ['an SQL fragment', `inForceOn=${encodeURIComponent("2026-03-02' OR '1'='1")}`],
    ['ten thousand characters', `inForceOn=${'9'.repeat(10_000)}`],
  ])('refuses %s with a 400 naming inForceOn', async (_case, query) => {
    const answer = await get(query);
    expect(answer.status, JSON.stringify(answer.problem)).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toContain('querystring.inForceOn');
    expect(JSON.stringify(answer.problem)).toMatch(/YYYY-MM-DD/);
  });

  it('refuses a repeated inForceOn with a 400 naming it (one day, not two)', async () => {
    const answer = await get('inForceOn=2026-03-02&inForceOn=2026-03-03');
    expect(answer.status, JSON.stringify(answer.problem)).toBe(400);
    expect(answer.problem.errors.map((error: { field: string }) => error.field)).toContain('querystring.inForceOn');
  });
});
