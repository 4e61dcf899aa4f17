// The public routes a citizen uses without an account, at their boundary: the evaluation (POST
// /lookup/{code}/evaluation: the secret in the body, a wrong secret answered like an unknown code
// before anything is read), the unit's catalogue and results; hostile and oversized input refused,
// and a tight limit per client address. PostgreSQL and Temporal do not listen here: every answer
// below comes before a route would reach them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const CODE = '000.00.31.H38-250701-0005';
const LOOKUP_KEY = 'http-test-lookup-key-of-at-least-thirty-two-characters';
const WRONG_SECRET = lookupSecretFor(LOOKUP_KEY, '000.00.31.H38-250701-0006');

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

const evaluate = (body: unknown, app = http, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'POST', url: `/lookup/${CODE}/evaluation`, headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /lookup/{code}/evaluation', () => {
  it('answers a wrong secret exactly as an unknown code, and never logs the secret', async () => {
    const wrong = await evaluate({ secret: WRONG_SECRET, rating: 'satisfied' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ type: 'urn:motcua:problem:dossier-not-found', status: 404 });
    const unknown = await http.app.inject({ method: 'POST', url: '/lookup/000.00.31.H38-250701-9999/evaluation', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ secret: WRONG_SECRET, rating: 'satisfied' }) });
    expect(unknown.statusCode).toBe(404);
    expect({ ...unknown.json(), instance: undefined }).toEqual({ ...wrong.json(), instance: undefined });
    expect(http.logs()).not.toContain(WRONG_SECRET);
  });

  it('takes no token: a staff token does not make it a staff evaluation (still the secret decides)', async () => {
    const answer = await evaluate({ secret: WRONG_SECRET, rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-1' }, http, await http.authAs('reception'));
    expect(answer.statusCode).toBe(404);
  });

  it.each([
    ['no secret', { rating: 'satisfied' }, 'body.secret'],
    ['a secret that is no secret', { secret: "' OR 1=1 --", rating: 'satisfied' }, 'body.secret'],
    ['a rating the portal does not use', { secret: WRONG_SECRET, rating: 'excellent' }, 'body.rating'],
    ['a comment with a NUL', { secret: WRONG_SECRET, rating: 'satisfied', comment: 'tốt\u0000' }, 'body.comment'],
    ['a comment over 2,000 characters', { secret: WRONG_SECRET, rating: 'satisfied', comment: 'á'.repeat(2001) }, 'body.comment'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const answer = await evaluate(body);
    expect(answer.statusCode).toBe(400);
    expect(JSON.stringify(answer.json())).toContain(field);
  });

  it('refuses a malformed code in the path with 400', async () => {
    const answer = await http.app.inject({ method: 'POST', url: '/lookup/not-a-code/evaluation', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ secret: WRONG_SECRET, rating: 'satisfied' }) });
    expect(answer.statusCode).toBe(400);
  });

  it('refuses a body over its size limit with 413, and one that is not JSON with 415 or 400', async () => {
    const big = await evaluate(JSON.stringify({ secret: WRONG_SECRET, rating: 'satisfied', comment: 'a'.repeat(40_000) }));
    expect(big.statusCode).toBe(413);
    const text = await http.app.inject({ method: 'POST', url: `/lookup/${CODE}/evaluation`, headers: { 'content-type': 'text/plain' }, payload: 'rating=satisfied' });
    expect(text.statusCode).toBe(415);
    const broken = await evaluate('{"secret": ');
    expect(broken.statusCode).toBe(400);
  });

  it('limits each client address, whatever the answer', async () => {
    const limited = await startHttpApp({ publicRateLimitPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await evaluate({ secret: WRONG_SECRET, rating: 'satisfied' }, limited)).statusCode);
      expect(statuses).toEqual([404, 404, 429]);
      // Another address is not limited by the first one's tries.
      const other = await limited.app.inject({ method: 'POST', url: `/lookup/${CODE}/evaluation`, remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ secret: WRONG_SECRET, rating: 'satisfied' }) });
      expect(other.statusCode).toBe(404);
      // The limit is the route's own: the staff API is not spent by it.
      expect((await limited.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('the public catalogue and results at their boundary', () => {
  it('refuses a results period under way before reading anything, naming the field', async () => {
    const answer = await http.app.inject({ method: 'GET', url: '/public/units/000.01.01.H99/results?period=2999-01' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'RESULTS_PERIOD_NOT_PUBLISHED', errors: [{ field: 'querystring.period' }] });
  });

  it.each([
    ['/public/units/not-a-unit/procedures'],
    ['/public/units/000.01.01.H99/procedures/1.0011%27%3B--'],
    ['/public/units/000.01.01.H99/results?period=2026-13'],
    ['/public/units/000.01.01.H99/results?period=%3Cscript%3E'],
  ])('refuses %s with 400', async (url) => {
    expect((await http.app.inject({ method: 'GET', url })).statusCode).toBe(400);
  });

  it('takes no token and is limited per client address', async () => {
    const limited = await startHttpApp({ publicRateLimitPerMinute: 1 });
    try {
      const url = '/public/units/000.01.01.H99/results?period=2999-01';
      expect((await limited.app.inject({ method: 'GET', url })).statusCode).toBe(400);
      expect((await limited.app.inject({ method: 'GET', url })).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
