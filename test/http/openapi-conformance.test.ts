// The OpenAPI document says what the API does: every answer the HTTP layer gives without PostgreSQL
// or Temporal (no token, a bad token, a role the route is not for, invalid input, a body too large
// or of the wrong type, too many requests, an undeclared method, and the 500 of a database that is
// down) has a declared status and media type, and a body valid against the declared schema. The
// valid and refused calls on the real stack are in test/integration/openapi-conformance.test.ts.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_ROLES } from '../../api/auth/token-verifier.js';
import { DOSSIER_CODE_PATTERN } from '../../api/request-schemas.js';
import { isDossierCode } from '../../domain/dossier/dossier-code.js';
import { type HttpApp, startHttpApp } from './http-app.js';
import { type Answer, type Conformance, conformanceTo, type OpenApiDocument } from './openapi-conformance.js';

let http: HttpApp;
let document: OpenApiDocument;
let conformance: Conformance;
beforeAll(async () => {
  http = await startHttpApp();
  document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  conformance = conformanceTo(document);
});
afterAll(() => http?.close());

const answerOf = (response: LightMyRequestResponse): Answer => ({ status: response.statusCode, contentType: response.headers['content-type'] as string | undefined, body: response.body });

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly takesBody: boolean;
}

function operations(): Operation[] {
  return Object.entries(document.paths).flatMap(([template, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
      queryParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      takesBody: ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()),
    })),
  );
}

/** A request every route refuses as invalid: 'x' fits no path parameter, '!' no constrained query one. */
function invalidRequest(operation: Operation): { url: string; payload?: unknown } | undefined {
  const url = operation.template.replace(/\{\w+\}/g, 'x');
  if (operation.pathParams.length > 0) return { url, ...(operation.takesBody ? { payload: {} } : {}) };
  if (operation.queryParams.length > 0) return { url: `${url}?${operation.queryParams.map((name) => `${name}=!`).join('&')}` };
  if (operation.takesBody) return { url, payload: {} };
  return undefined;
}

const callers = async () => [{ name: 'no token', headers: {} }, { name: 'a header that is not Bearer', headers: { authorization: 'Basic eDp5' } }, ...(await Promise.all(TOKEN_ROLES.map(async (role) => ({ name: role, headers: await http.authAs(role) }))))];

describe('the conformance check', () => {
  it('flags an undeclared status, an undeclared media type and a body off its schema', () => {
    const problem = { type: 'urn:motcua:problem:x', title: 'X', status: 400, detail: 'x', instance: '/dossiers' };
    expect(conformance.check('GET', '/dossiers', { status: 400, contentType: 'application/problem+json; charset=utf-8', body: JSON.stringify(problem) })).toEqual([]);
    expect(conformance.check('GET', '/dossiers', { status: 418, contentType: 'application/problem+json', body: '{}' })[0]).toMatch(/status not declared/);
    expect(conformance.check('GET', '/dossiers', { status: 400, contentType: 'application/json', body: JSON.stringify(problem) })[0]).toMatch(/media type application\/json not declared/);
    expect(conformance.check('GET', '/dossiers', { status: 400, contentType: 'application/problem+json', body: JSON.stringify({ ...problem, status: 'bad' }) })[0]).toMatch(/does not match/);
    expect(conformance.templateOf('/dossiers/000.00.31.H38-250701-0005/events')).toBe('/dossiers/{code}/events');
  });
});

describe('every operation of the document', () => {
  it('answers an invalid request from every kind of caller as it declares: 400, 401 or 403, problems in application/problem+json', async () => {
    const failures: string[] = [];
    const statuses = new Map<string, Set<number>>();
    for (const operation of operations()) {
      const request = invalidRequest(operation);
      if (!request) continue;
      for (const caller of await callers()) {
        const response = await http.app.inject({ method: operation.method as 'GET', url: request.url, headers: caller.headers, ...(request.payload !== undefined ? { payload: request.payload as object } : {}) });
        failures.push(...conformance.check(operation.method, operation.template, answerOf(response)).map((failure) => `${caller.name}: ${failure}`));
        if (response.statusCode >= 400 && response.statusCode < 500) expect(response.headers['content-type'], `${operation.method} ${request.url}`).toMatch(/^application\/problem\+json/);
        statuses.set(`${operation.method} ${operation.template}`, (statuses.get(`${operation.method} ${operation.template}`) ?? new Set()).add(response.statusCode));
      }
    }
    expect(failures).toEqual([]);
    // Each was refused as invalid by someone allowed to call it, not only turned away at the door.
    expect([...statuses].filter(([, seen]) => !seen.has(400)).map(([at]) => at)).toEqual([]);
  });

  it('answers a body of the wrong media type 415 and one too large 413, as declared', async () => {
    const failures: string[] = [];
    for (const operation of operations().filter((candidate) => candidate.takesBody)) {
      const url = operation.template.replace(/\{\w+\}/g, '000.00.31.H38-250701-0005');
      // Auditors and admins between them reach every body route but reception and commands; the
      // token check comes before the body, so a role the route is not for would stop at 403.
      for (const role of TOKEN_ROLES) {
        const headers = await http.authAs(role);
        const wrongType = await http.app.inject({ method: operation.method as 'POST', url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
        if (wrongType.statusCode === 403) continue;
        expect(wrongType.statusCode, `${operation.method} ${url}`).toBe(415);
        failures.push(...conformance.check(operation.method, operation.template, answerOf(wrongType)));
        const tooLarge = await http.app.inject({ method: operation.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: `"${'x'.repeat(21 * 1024 * 1024)}"` });
        expect(tooLarge.statusCode, `${operation.method} ${url}`).toBe(413);
        failures.push(...conformance.check(operation.method, operation.template, answerOf(tooLarge)));
        break;
      }
    }
    expect(failures).toEqual([]);
    // A 21 MiB body for every route that takes one (more with each route added): seconds on a shared machine.
  }, 30_000);

  it('answers 500 as a declared problem when its database is down', async () => {
    const headers = await http.authAs('auditor');
    const answers = await Promise.all(
      [
        ['GET', '/dossiers/{code}', '/dossiers/000.00.31.H38-250701-0005'],
        ['GET', '/dossiers', '/dossiers'],
        ['GET', '/lookup/{code}', '/lookup/000.00.31.H38-250701-0005?secret=ABCDE12345'],
        ['GET', '/reports/indicators', '/reports/indicators?from=2026-01-01&to=2026-01-31'],
      ].map(async ([method, template, url]) => ({ method: method!, template: template!, response: await http.app.inject({ method: method as 'GET', url: url!, headers }) })),
    );
    for (const { method, template, response } of answers) {
      expect(response.statusCode, template).toBe(500);
      expect(conformance.check(method, template, answerOf(response))).toEqual([]);
    }
  });
});

describe('a method a known path does not serve', () => {
  it('answers 405 METHOD_NOT_ALLOWED with an Allow header listing the methods the document declares there', async () => {
    const problemSchemaOf = document.paths['/dossiers']!.get!.responses['400']!.content!['application/problem+json']!.schema!;
    const problemOnly = conformanceTo({ paths: { '/any': { trace: { responses: { 405: { content: { 'application/problem+json': { schema: problemSchemaOf } } } } } } }, components: document.components ?? {} });
    const failures: string[] = [];
    for (const [template, byMethod] of Object.entries(document.paths)) {
      const declared = Object.keys(byMethod).map((method) => method.toUpperCase());
      const allowed = [...declared, ...(declared.includes('GET') ? ['HEAD'] : [])].sort();
      const url = template.replace(/\{\w+\}/g, 'x');
      for (const method of ['TRACE', 'DELETE', 'PATCH', 'GET', 'POST'].filter((candidate) => !declared.includes(candidate))) {
        const response = await http.app.inject({ method: method as 'DELETE', url, headers: await http.authAs('auditor') });
        if (response.statusCode !== 405) {
          failures.push(`${method} ${url}: ${response.statusCode}`);
          continue;
        }
        if (response.headers.allow !== allowed.join(', ')) failures.push(`${method} ${url}: Allow ${response.headers.allow}, expected ${allowed.join(', ')}`);
        if (response.json().code !== 'METHOD_NOT_ALLOWED') failures.push(`${method} ${url}: code ${response.json().code}`);
        failures.push(...problemOnly.check('TRACE', '/any', answerOf(response)).map((failure) => `${method} ${url}: ${failure}`));
      }
    }
    expect(failures).toEqual([]);
  });

  it('is told apart from an unknown path, which stays 404', async () => {
    const trace = await http.app.inject({ method: 'TRACE', url: '/verify' });
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toBe('POST');
    expect(trace.json()).toMatchObject({ type: 'urn:motcua:problem:method-not-allowed', status: 405, code: 'METHOD_NOT_ALLOWED', instance: '/verify' });
    const remove = await http.app.inject({ method: 'DELETE', url: '/dossiers' });
    expect(remove.statusCode).toBe(405);
    expect(remove.headers.allow).toBe('GET, HEAD, POST');
    for (const [method, url] of [['GET', '/nowhere'], ['DELETE', '/dossiers/000.00.31.H38-250701-0005/nowhere'], ['POST', '/verify/x/y']] as const) {
      expect((await http.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(404);
    }
  });
});

describe('path parameters', () => {
  it('carry the pattern the API holds them to, so the document no longer allows /dossiers/0', async () => {
    const parameter = (template: string, name: string) => document.paths[template]!.get!.parameters!.find((candidate) => candidate.name === name)!.schema;
    const pattern = new RegExp(parameter('/dossiers/{code}', 'code').pattern as string);
    expect(pattern.test('0')).toBe(false);
    expect(pattern.test('000.00.31.H38-250701-0005')).toBe(true);
    const response = await http.app.inject({ method: 'GET', url: '/dossiers/0', headers: await http.authAs('auditor') });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'params.code', message: 'must be a dossier code such as 000.00.31.H38-250701-0005' }]);
    for (const [template, name] of [['/documents/{sha256}', 'sha256'], ['/verify/results/{resultCode}', 'resultCode'], ['/agencies/{agencyCode}/queue', 'agencyCode'], ['/lookup/{code}', 'code']] as const) {
      expect(parameter(template, name).pattern, `${template} ${name}`).toEqual(expect.any(String));
    }
  });

  it('write the dossier code as exactly the codes the domain reads', () => {
    const piece = fc.oneof(fc.constantFrom('000', '00', '31', 'H38', 'A', '.', '-', '25', '0701', '1301', '0732', '0005', '12345', 'x', ''), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 9 }), (pieces) => {
        const code = pieces.join('');
        expect(DOSSIER_CODE_PATTERN.test(code), code).toBe(isDossierCode(code));
      }),
      { numRuns: 5_000 },
    );
    for (const code of ['000.00.31.H38-250701-0005', '000.00.31.H38-251231-12345', 'H38-250229-0001']) expect(DOSSIER_CODE_PATTERN.test(code), code).toBe(true);
    for (const code of ['0', '000.00.31.H38-251301-0005', '000.00.31.H38-250700-0005', '000.00.31.H38-250732-0005', '000.00.31.h38-250701-0005', '000.00.31.H38-250701-005']) expect(DOSSIER_CODE_PATTERN.test(code), code).toBe(false);
  });
});

describe('the rate limit', () => {
  it('answers 429 as a declared problem on a GET as on any route', async () => {
    const limited = await startHttpApp({ rateLimitPerMinute: 1 });
    try {
      await limited.app.inject({ method: 'GET', url: '/health' });
      const second = await limited.app.inject({ method: 'GET', url: '/health' });
      expect(second.statusCode).toBe(429);
      expect(conformance.check('GET', '/health', answerOf(second))).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});
