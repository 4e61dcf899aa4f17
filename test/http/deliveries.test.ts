// The operators' outbox routes and GET /metrics without a database: who may call them, how a
// delivery key travels in the path, hostile keys, reasons and cursors refused before any query,
// and every answer as the OpenAPI document declares it. On PostgreSQL: test/integration/deliveries-operators.test.ts.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDeadLetter, recordDeliveryAttempt, recordDeliveryLag, serveMetrics } from '../../platform/metrics.js';
import { type HttpApp, startHttpApp } from './http-app.js';
import { type Conformance, conformanceTo, type OpenApiDocument } from './openapi-conformance.js';

let http: HttpApp;
let conformance: Conformance;
let document: OpenApiDocument & { paths: Record<string, Record<string, { parameters?: { in: string; name: string; description?: string; schema: Record<string, unknown> }[] }>> };
beforeAll(async () => {
  http = await startHttpApp();
  document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  conformance = conformanceTo(document);
});
afterAll(() => http?.close());

const KEY = 'portal/000.00.31.H38-250701-0005/7/status';
const encoded = encodeURIComponent(KEY);

/** The answer, after checking it is what the document declares for the route. */
function conforming(method: string, url: string, response: LightMyRequestResponse): LightMyRequestResponse {
  const template = conformance.templateOf(url.split('?')[0]!);
  expect(template, url).toBeDefined();
  expect(conformance.check(method, template!, { status: response.statusCode, contentType: response.headers['content-type'] as string | undefined, body: response.body })).toEqual([]);
  return response;
}

async function call(method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: unknown) {
  return conforming(method, url, await http.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) }));
}

describe('the operators’ delivery routes', () => {
  it('are in the OpenAPI document, the key a path parameter documented as percent-encoded', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/deliveries/dead-letters', '/deliveries/dead-letters/retry', '/dossiers/{code}/deliveries', '/deliveries/{key}/retry', '/deliveries/{key}/close', '/metrics']));
    const key = document.paths['/deliveries/{key}/retry']!.post!.parameters!.find((parameter) => parameter.name === 'key');
    expect(key?.in).toBe('path');
    expect(JSON.stringify(key)).toContain('%2F');
  });

  it('admit admins to everything, auditors to the lists, heads to a dossier’s deliveries only', async () => {
    for (const role of ['reception', 'officer', 'head'] as const) {
      expect((await call('GET', '/deliveries/dead-letters', await http.authAs(role))).statusCode, role).toBe(403);
    }
    for (const role of ['reception', 'officer', 'auditor', 'head'] as const) {
      expect((await call('POST', `/deliveries/${encoded}/retry`, await http.authAs(role))).statusCode, role).toBe(403);
      expect((await call('POST', `/deliveries/${encoded}/close`, await http.authAs(role), { reason: 'Công dân đã nhận kết quả trực tiếp.' })).statusCode, role).toBe(403);
    }
    for (const role of ['reception', 'officer'] as const) {
      expect((await call('GET', '/dossiers/000.00.31.H38-250701-0005/deliveries', await http.authAs(role))).statusCode, role).toBe(403);
    }
    for (const role of ['reception', 'officer', 'auditor', 'head'] as const) {
      expect((await call('POST', '/deliveries/dead-letters/retry', await http.authAs(role), { receiver: 'portal' })).statusCode, role).toBe(403);
    }
    expect((await call('GET', '/deliveries/dead-letters')).statusCode).toBe(401);
    expect((await call('POST', `/deliveries/${encoded}/retry`)).statusCode).toBe(401);
    // A portal's token opens the intake only.
    expect((await call('GET', '/deliveries/dead-letters', await http.authAs('portal'))).statusCode).toBe(403);
  });

  it('refuse hostile keys as invalid before any query: controls, traversal, unknown receivers, too long', async () => {
    const admin = await http.authAs('admin');
    for (const key of ['portal%2F%00%2F1%2Fstatus', '..%2F..%2Fetc%2Fpasswd', 'x%2F000%2F1%2Fstatus', 'portal%2F', 'portal%2Fa%20b', 'portal%2F%E2%80%AE', `portal%2F${'a'.repeat(300)}`, 'portal%2F%ED%A0%80']) {
      const response = await call('POST', `/deliveries/${key}/retry`, admin);
      expect(response.statusCode, key).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // The key not encoded is no route: the answer says where the routes are.
    expect((await http.app.inject({ method: 'POST', url: `/deliveries/${KEY}/retry`, headers: admin })).statusCode).toBe(404);
  });

  it('refuse a close without a reason of 10 to 500 storable characters', async () => {
    const admin = await http.authAs('admin');
    for (const payload of [{}, { reason: '' }, { reason: '   short   ' }, { reason: 'x'.repeat(501) }, { reason: `Lý do có ký tự NUL \u0000 ở giữa` }, { reason: `Lý do có nửa cặp \ud800 thay thế` }, { reason: 42 }, { reason: ['Lý do đủ dài rồi'] }]) {
      const response = await call('POST', `/deliveries/${encoded}/close`, admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().errors?.[0]?.field ?? '').toMatch(/^body/);
    }
  });

  it('refuse a bulk retry without a known receiver or within bounds', async () => {
    const admin = await http.authAs('admin');
    for (const payload of [{}, { receiver: 'fax' }, { receiver: 'portal', limit: 0 }, { receiver: 'portal', limit: 1001 }, { receiver: 'portal', since: 'yesterday' }, { receiver: 'portal', agency: '../x' }, { receiver: ['portal'] }]) {
      expect((await call('POST', '/deliveries/dead-letters/retry', admin, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('refuse forged cursors and out-of-range limits', async () => {
    const admin = await http.authAs('admin');
    const forged = Buffer.from(JSON.stringify(['not a date', "'; DROP TABLE deliveries; --"])).toString('base64url');
    for (const url of [`/deliveries/dead-letters?cursor=${forged}`, '/deliveries/dead-letters?limit=0', '/deliveries/dead-letters?limit=201', '/deliveries/dead-letters?receiver=fax', '/deliveries/dead-letters?since=yesterday', `/dossiers/000.00.31.H38-250701-0005/deliveries?cursor=${forged}`, '/dossiers/000.00.31.H38-250701-0005/deliveries?attempts=21', '/dossiers/000.00.31.H38-250701-0005/deliveries?limit=101', '/dossiers/..%2F..%2Fetc/deliveries']) {
      expect((await call('GET', url, admin)).statusCode, url).toBe(400);
    }
  });
});

describe('GET /metrics', () => {
  it('answers an admin, and a caller on this machine without a token, in the Prometheus text format', async () => {
    recordDeliveryAttempt('portal', 'failed');
    recordDeliveryAttempt('sms', 'delivered');
    recordDeliveryLag('sms', 2.5);
    recordDeadLetter('portal');
    for (const headers of [await http.authAs('admin'), {}]) {
      const response = await call('GET', '/metrics', headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toContain('motcua_delivery_attempts_total{receiver="portal",outcome="failed"} 1');
      expect(response.body).toContain('motcua_delivery_attempts_total{receiver="sms",outcome="delivered"} 1');
      expect(response.body).toContain('motcua_delivery_lag_seconds_bucket{le="5",receiver="sms"} 1');
      expect(response.body).toContain('motcua_delivery_dead_letters_total{receiver="portal"} 1');
      expect(response.body).toContain('# TYPE motcua_deliveries_dead_letters gauge');
      // No database here: the gauge is left out and the failure counted, the rest still served.
      expect(response.body).toMatch(/motcua_metrics_collect_failures_total\{metric="motcua_deliveries_dead_letters"\} [1-9]/);
    }
  });

  it('refuses other roles, and tokenless callers through a proxy or under another host name', async () => {
    for (const role of ['reception', 'officer', 'head', 'auditor'] as const) expect((await call('GET', '/metrics', await http.authAs(role))).statusCode, role).toBe(403);
    expect((await call('GET', '/metrics', { 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(401);
    expect((await call('GET', '/metrics', { forwarded: 'for=203.0.113.9' })).statusCode).toBe(401);
    expect((await call('GET', '/metrics', { host: 'attacker.example' })).statusCode).toBe(401);
  });

  it('keeps labels bounded: a receiver it does not know is counted as other, never echoed', async () => {
    recordDeliveryAttempt('portal"} 1\nmotcua_fake 9', 'delivered');
    recordDeliveryAttempt('fax', 'nonsense' as never);
    const body = (await call('GET', '/metrics', await http.authAs('admin'))).body;
    expect(body).not.toContain('motcua_fake');
    expect(body).toContain('motcua_delivery_attempts_total{receiver="other",outcome="delivered"} 1');
    expect(body).toContain('motcua_delivery_attempts_total{receiver="other",outcome="failed"} 1');
  });
});

describe('serveMetrics, for a process without the API', () => {
  it('serves GET /metrics on loopback and nothing else', async () => {
    const server = await serveMetrics({ port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await response.text()).toContain('# TYPE motcua_delivery_attempts_total counter');
      expect((await fetch(server.url.replace('/metrics', '/admin'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
