// api/uploads.ts through a test-only route on the real app (buildApp, @fastify/multipart as
// registered there): every refusal before the store records anything, so no database is needed;
// each leaves the staging area empty. The accepted path, which records the file, is in
// test/integration/file-intake.test.ts.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { withMultipartBody } from '../../api/openapi-responses.js';
import { readUpload } from '../../api/uploads.js';
import { DEFAULT_FILE_RULES } from '../../domain/files/file-rules.js';
import { pdfOf, png } from '../support/file-fixtures.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const documentDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-uploads-'));
const rules = { ...DEFAULT_FILE_RULES, accept: ['application/pdf'] as const, maxBytes: 64 * 1024 };
let http: HttpApp;

beforeAll(async () => {
  http = await startHttpApp({
    documentDir,
    routes: (app, store) => {
      app.post(
        '/test/uploads',
        {
          schema: { summary: 'Test-only upload', tags: ['test'] },
          config: {
            access: { public: true },
            upload: true,
            swaggerTransform: (route) => withMultipartBody(jsonSchemaTransform(route), { name: 'file', accept: rules.accept, description: 'The scan, as PDF' }, z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(), note: z.string().max(200) })),
          },
        },
        async (request) => readUpload(request, store, { rules, digestField: 'sha256' }),
      );
    },
  });
});
afterAll(async () => {
  await http?.close();
  rmSync(documentDir, { recursive: true, force: true });
});

const staging = () => {
  try {
    return readdirSync(path.join(documentDir, 'staging'));
  } catch {
    return [];
  }
};

/** A multipart body as fetch would send it. */
async function multipart(parts: [string, string | { bytes: Uint8Array; name: string; type: string }][]) {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}
const upload = async (parts: Parameters<typeof multipart>[0]) => http.app.inject({ method: 'POST', url: '/test/uploads', ...(await multipart(parts)) });

describe('an upload the route cannot read as one', () => {
  it('is refused with a 415 by a route that takes JSON', async () => {
    const { payload, headers } = await multipart([['file', { bytes: png(), name: 'a.png', type: 'image/png' }]]);
    const response = await http.app.inject({ method: 'POST', url: '/dossiers', payload, headers: { ...headers, ...(await http.authAs('reception')) } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:unsupported-media-type' });
  });

  it('answers a JSON body with a 415 that says to send multipart/form-data', async () => {
    const response = await http.app.inject({ method: 'POST', url: '/test/uploads', payload: { file: 'x' } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_NOT_MULTIPART', detail: expect.stringMatching(/multipart\/form-data.*part named file/) });
  });

  it('answers a request without its file part with a 400 naming the part', async () => {
    const response = await upload([['note', 'giấy tờ']]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_FILE_MISSING', errors: [{ field: 'file' }] });
  });

  it('refuses a second file where the route takes one, keeping neither', async () => {
    const pdf = await pdfOf(1);
    const response = await upload([
      ['file', { bytes: pdf, name: 'a.pdf', type: 'application/pdf' }],
      ['file', { bytes: pdf, name: 'b.pdf', type: 'application/pdf' }],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES' });
    expect(staging()).toEqual([]);
  });

  it('refuses a digest sent after the file it declares, keeping nothing', async () => {
    const response = await upload([
      ['file', { bytes: await pdfOf(1), name: 'a.pdf', type: 'application/pdf' }],
      ['sha256', 'f'.repeat(64)],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED', errors: [{ field: 'sha256' }] });
    expect(staging()).toEqual([]);
  });

  it('refuses a file part under another name', async () => {
    const response = await upload([['document', { bytes: await pdfOf(1), name: 'a.pdf', type: 'application/pdf' }]]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED', errors: [{ field: 'document' }] });
  });

  it('refuses a body cut short before its closing boundary, keeping nothing', async () => {
    const { payload, headers } = await multipart([['file', { bytes: Buffer.alloc(10_000, 0x25), name: 'a.pdf', type: 'application/pdf' }]]);
    const response = await http.app.inject({ method: 'POST', url: '/test/uploads', headers, payload: payload.subarray(0, 5_000) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED' });
    expect(staging()).toEqual([]);
  });
});

describe('a file the rules refuse', () => {
  it('answers a file over the size limit with a 413 as soon as the limit is passed', async () => {
    const response = await upload([['file', { bytes: Buffer.alloc(200 * 1024, 0x25), name: 'big.pdf', type: 'application/pdf' }]]);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FILE_TOO_LARGE', errors: [{ field: 'file', message: expect.stringMatching(/64 KiB.*maxBytes/) }] });
    expect(staging()).toEqual([]);
  });

  it('answers a PNG named scan.pdf and sent as application/pdf with a 415 naming the rule', async () => {
    const response = await upload([['file', { bytes: png(), name: 'scan.pdf', type: 'application/pdf' }]]);
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED', errors: [{ field: 'file' }] });
    expect(staging()).toEqual([]);
  });

  it('answers a declared digest that the bytes do not have with a 422', async () => {
    const response = await upload([
      ['sha256', 'f'.repeat(64)],
      ['file', { bytes: await pdfOf(1), name: 'a.pdf', type: 'application/pdf' }],
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'FILE_DIGEST_MISMATCH', type: 'urn:motcua:problem:file-refused' });
    expect(staging()).toEqual([]);
  });
});

describe('a client that hangs up half-way', () => {
  it('leaves no staged file behind', async () => {
    const address = await http.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const boundary = 'motcua-test-boundary';
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /test/uploads HTTP/1.1\r\nhost: localhost\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\ncontent-length: 60000\r\n\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.7\n${'x'.repeat(20_000)}`,
    );
    await vi.waitFor(() => expect(staging()).toHaveLength(1), { timeout: 10_000 });
    socket.destroy();
    await vi.waitFor(() => expect(staging()).toEqual([]), { timeout: 10_000 });
  });
});

describe('the OpenAPI document of a multipart route', () => {
  it('describes the binary part, its types and the text fields, and stays valid OpenAPI 3.1', async () => {
    const document = (await http.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect((await new Validator().validate(document)).errors ?? []).toEqual([]);
    const media = document.paths['/test/uploads'].post.requestBody.content['multipart/form-data'];
    expect(media.encoding).toEqual({ file: { contentType: 'application/pdf' } });
    expect(media.schema).toMatchObject({
      type: 'object',
      required: ['note', 'file'],
      properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, note: { type: 'string', maxLength: 200 } },
    });
    expect(media.schema['x-multipart-encoding']).toBeUndefined();
  });
});
