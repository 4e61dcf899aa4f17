// The systems' callback (api/routes/interagency-answers.ts) against hostile input, with no database
// and no Temporal behind the app (test/http/http-app.ts): every request below must be refused
// before anything is stored, since storing would need PostgreSQL, which is not there (a 500).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import { pdfOf, png } from '../support/file-fixtures.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const SECRET = 'land-registry-callback-secret-for-the-http-tests';
const documentDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-http-'));
let http: HttpApp;

beforeAll(async () => {
  http = await startHttpApp({
    documentDir,
    interagency: { systems: { 'land-registry': { callbackSecret: SECRET, answers: 'callback', holdMinutes: 10, baseUrl: 'http://127.0.0.1:1', token: 'unused', pollSeconds: 30 } } },
  });
});
afterAll(async () => {
  await http?.close();
  rmSync(documentDir, { recursive: true, force: true });
});

const answer = (extra: Record<string, unknown> = {}) => ({
  answerId: 'ldr-0001',
  dossierCode: '000.00.31.H38-261201-0001',
  stepId: 'land-registration',
  run: 1,
  sequence: 1,
  at: '2026-12-03T09:00:00+07:00',
  ...(extra.kind && extra.kind !== 'progress' ? {} : { kind: 'progress', status: 'Đang đo đạc' }),
  ...extra,
});

async function post(body: string | Buffer, headers: Record<string, string> = {}, system = 'land-registry') {
  const response = await http.app.inject({ method: 'POST', url: `/interagency/${system}/answers`, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.statusCode, json: response.json() as { code?: string; errors?: { field: string }[]; detail?: string } };
}

const signed = (body: string | Buffer, t?: number, secret = SECRET) => ({ 'x-motcua-signature': signAnswerCallback(secret, body, t) });
const stagedFiles = () => {
  try {
    return readdirSync(path.join(documentDir, 'staging'));
  } catch {
    return [];
  }
};

describe('POST /interagency/{system}/answers refuses what is not a signed answer of a configured system', () => {
  const body = JSON.stringify({ answers: [answer()] });

  it('answers 404 for a system this deployment does not configure, 400 for a name the engine does not know', async () => {
    const unconfigured = await post(body, signed(body), 'tax');
    expect(unconfigured.status).toBe(404);
    expect(unconfigured.json.code).toBe('INTERAGENCY_SYSTEM_NOT_CONFIGURED');
    const unknown = await post(body, signed(body), 'nowhere');
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors?.map((error) => error.field)).toContain('params.system');
  });

  it('answers 401 without a signature, and logs the system and the reason only', async () => {
    const refused = await post(body);
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('INTERAGENCY_SIGNATURE_INVALID');
    const line = http.logs().split('\n').find((entry) => entry.includes('bad signature'))!;
    expect(JSON.parse(line)).toMatchObject({ system: 'land-registry', reason: 'missing' });
    expect(line).not.toContain('Đang đo đạc');
    expect(line).not.toContain('ldr-0001');
  });

  it('answers 401 for a wrong secret, a tampered body, an old or future time, a malformed header', async () => {
    expect((await post(body, signed(body, undefined, 'another-secret'))).status).toBe(401);
    const tampered = body.replace('Đang đo đạc', 'Đã xong');
    expect((await post(tampered, signed(body))).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body, signed(body, now - 301))).status).toBe(401);
    expect((await post(body, signed(body, now + 301))).status).toBe(401);
    expect((await post(body, { 'x-motcua-signature': 't=abc,v1=00' })).status).toBe(401);
    expect((await post(body, { 'x-motcua-signature': `${signed(body)['x-motcua-signature']},t=1` })).status).toBe(401);
    expect(http.logs()).toContain('"reason":"expired"');
    expect(http.logs()).toContain('"reason":"mismatch"');
  });

  it('answers 400 for signed bodies that are not JSON or not the contract, naming the field', async () => {
    const malformed = '{"answers": [';
    expect((await post(malformed, signed(malformed))).status).toBe(400);
    const cases: [Record<string, unknown>, string][] = [
      [answer({ kind: 'approved' }), 'body.answers.0.kind'],
      [answer({ status: 'Đang\u0000đo' }), 'body.answers.0.status'],
      [answer({ sequence: 1e300 }), 'body.answers.0.sequence'],
      [answer({ run: -1 }), 'body.answers.0.run'],
      [answer({ answerId: 'id with spaces' }), 'body.answers.0.answerId'],
      [answer({ extra: true }), 'body.answers.0'],
      [answer({ kind: 'financial-obligation', noticeNumber: 'TB-1', amountVnd: 1e20, dueDate: '2026-12-20' }), 'body.answers.0.amountVnd'],
    ];
    for (const [item, field] of cases) {
      const text = JSON.stringify({ answers: [item] });
      const refused = await post(text, signed(text));
      expect(refused.status, field).toBe(400);
      expect(refused.json.errors?.map((error) => error.field).join(' '), field).toContain(field);
    }
    const none = JSON.stringify({ answers: [] });
    expect((await post(none, signed(none))).status).toBe(400);
  });

  it('answers 413 for a body over 16 MiB, signature or not', async () => {
    const huge = JSON.stringify({ answers: [answer({ note: 'x'.repeat(17 * 1024 * 1024) })] });
    expect((await post(huge, signed(huge))).status).toBe(413);
  });

  it('answers 422 for a file that is not what it declares, and keeps none of the message’s files', async () => {
    const file = (name: string, mediaType: string, bytes: Buffer) => ({ name, mediaType, contentBase64: bytes.toString('base64') });
    const good = await pdfOf(1);
    const forged: [Record<string, unknown>, string][] = [
      [file('ket-qua.pdf', 'application/pdf', png()), 'FILE_TYPE_NOT_ACCEPTED'],
      [file('ket-qua.pdf', 'application/pdf', Buffer.from('%PDF-1.7\nnot a pdf at all\n%%EOF')), 'FILE_NOT_A_PDF'],
      [file('ket-qua.pdf', 'application/pdf', Buffer.alloc(0)), 'FILE_EMPTY'],
      [{ name: 'ket-qua.pdf', mediaType: 'application/pdf', contentBase64: 'QUJD=' }, 'FILE_BAD_BASE64'],
    ];
    for (const [bad, code] of forged) {
      // A good file first, so a refusal must also undo what was already checked.
      const text = JSON.stringify({ answers: [answer({ answerId: 'ok-1', kind: 'completed', file: file('a.pdf', 'application/pdf', good) }), answer({ answerId: 'bad-2', sequence: 2, kind: 'completed', file: bad })] });
      const refused = await post(text, signed(text));
      expect([415, 422], code).toContain(refused.status);
      expect(refused.json.code).toBe(code);
      expect(refused.json.errors?.[0]?.field).toBe('body.answers.1.file.contentBase64');
      expect(stagedFiles()).toEqual([]);
    }
  });
});

describe('the callback route is rate-limited per address, before its body is read', () => {
  it('answers 429 once the address has used its requests, signed or not', async () => {
    const limited = await startHttpApp({ rateLimitPerMinute: 2, interagency: { systems: { 'land-registry': { callbackSecret: SECRET, answers: 'callback', holdMinutes: 10, baseUrl: 'http://127.0.0.1:1', token: 'unused', pollSeconds: 30 } } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await limited.app.inject({ method: 'POST', url: '/interagency/land-registry/answers', payload: '{}', headers: { 'content-type': 'application/json' } })).statusCode);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
