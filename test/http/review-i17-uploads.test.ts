// Hostile multipart bodies against api/uploads.ts (the issue-17 review): a flood of text fields,
// part names with NUL, quotes and path traversal, a file name that climbs out of the store. Raw
// bodies, written byte by byte, as a fuzzer would send them; each refusal keeps nothing staged and
// answers a well-formed problem. (A file name that climbs out of the store: test/integration/review-i17.test.ts.)
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUpload } from '../../api/uploads.js';
import { DEFAULT_FILE_RULES } from '../../domain/files/file-rules.js';
import { pdfOf } from '../support/file-fixtures.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'motcua-review-uploads-'));
const documentDir = path.join(root, 'documents');
const rules = { ...DEFAULT_FILE_RULES, accept: ['application/pdf'] as const, maxBytes: 64 * 1024 };
let http: HttpApp;

beforeAll(async () => {
  http = await startHttpApp({
    documentDir,
    routes: (app, store) => {
      app.post('/test/review-uploads', { schema: { hide: true }, config: { access: { public: true }, upload: true } }, async (request) => {
        const upload = await readUpload(request, store, { rules, digestField: 'sha256' });
        return { fields: upload.fields, files: upload.files.map(({ field, sha256 }) => ({ field, sha256 })) };
      });
    },
  });
});
afterAll(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

const BOUNDARY = 'review-i17-boundary';
type Part = { readonly disposition: string; readonly type?: string; readonly body: Buffer | string };

function raw(parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${part.disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`, 'latin1'));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const post = (parts: readonly Part[]) => http.app.inject({ method: 'POST', url: '/test/review-uploads', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: raw(parts) });
const staged = () => (existsSync(path.join(documentDir, 'staging')) ? readdirSync(path.join(documentDir, 'staging')) : []);

describe('hostile multipart bodies', () => {
  it('a flood of text fields: 400 UPLOAD_MALFORMED before any file is read, nothing staged', async () => {
    const fields = Array.from({ length: 500 }, (_, index) => ({ disposition: `form-data; name="f${index}"`, body: 'x' }));
    const response = await post([...fields, { disposition: 'form-data; name="file"; filename="a.pdf"', type: 'application/pdf', body: await pdfOf(1) }]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED' });
    expect(staged()).toEqual([]);
  });

  it('a file part whose name holds NUL, a quote and a path: 400 naming no part it does not take, a well-formed problem', async () => {
    const response = await post([{ disposition: 'form-data; name="../../file\u0000\\"x"; filename="a.pdf"', type: 'application/pdf', body: await pdfOf(1) }]);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED' });
    expect(staged()).toEqual([]);
  });

  it('a text field named like the digest field twice: 400, nothing staged', async () => {
    const response = await post([
      { disposition: 'form-data; name="sha256"', body: 'a'.repeat(64) },
      { disposition: 'form-data; name="sha256"', body: 'b'.repeat(64) },
      { disposition: 'form-data; name="file"; filename="a.pdf"', type: 'application/pdf', body: await pdfOf(1) },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_MALFORMED', errors: [{ field: 'sha256' }] });
    expect(staged()).toEqual([]);
  });
});
