// The OpenAPI document: valid 3.1, every route in it, an example for every request body.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ONLY_FIELDS } from '../../domain/dossier/interagency-commands.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http?.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and documents every route', async () => {
    const response = await http.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
    const routes = http.app.registeredRoutes.filter((route) => !route.url.startsWith('/docs') && route.url !== '/openapi.json').map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('answers every route that takes a body with an example to start from', async () => {
    type Media = { example?: unknown; examples?: unknown; schema?: { examples?: unknown[] } };
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const withoutExample = Object.entries(document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, Media> } }>>)
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ at: `${method} ${path}`, media: operation.requestBody?.content['application/json'] })))
      .filter(({ media }) => media !== undefined && media.example === undefined && media.examples === undefined && !media.schema?.examples?.length)
      .map(({ at }) => at);
    expect(withoutExample).toEqual([]);
  });

  it('documents the result upload as multipart/form-data: the signed PDF as `file`, the số, ký hiệu as `reference`', async () => {
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const body = document.paths['/dossiers/{code}/issue-result'].post.requestBody;
    expect(Object.keys(body.content)).toEqual(['multipart/form-data']);
    expect(body).toMatchObject({
      content: {
        // OpenAPI 3.1: a binary part is a string with contentMediaType, its accepted types in the part's encoding (§4.8.14.4, file uploads).
        'multipart/form-data': {
          schema: { type: 'object', required: expect.arrayContaining(['file', 'reference']), properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' }, reference: { type: 'string', maxLength: 200 } } },
          encoding: { file: { contentType: 'application/pdf' } },
        },
      },
    });
    const answers = Object.keys(document.paths['/dossiers/{code}/issue-result'].post.responses);
    expect(answers).toEqual(expect.arrayContaining(['200', '403', '413', '415', '422']));
  });

  it("offers staff none of the fields only an outside system's answer carries (docs/rules.md#steps-carried-out-by-another-agencys-system)", async () => {
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const offered = Object.entries(document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>)
      .filter(([path]) => path.startsWith('/dossiers/{code}/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).flatMap(([method, operation]) =>
          Object.keys(operation.requestBody?.content['application/json']?.schema?.properties ?? {})
            .filter((field) => (SYSTEM_ONLY_FIELDS as readonly string[]).includes(field))
            .map((field) => `${method} ${path} ${field}`),
        ),
      );
    expect(offered).toEqual([]);
    // The bodies that had them still document their own fields.
    expect(Object.keys(document.paths['/dossiers/{code}/record-payment'].post.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['amountVnd', 'method', 'receiptNumber']));
    expect(Object.keys(document.paths['/dossiers/{code}/complete-step'].post.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['stepId', 'outcome', 'note']));
  });
});
