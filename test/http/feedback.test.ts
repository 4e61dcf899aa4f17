// The PAKN routes as the internet and staff meet them, before anything reaches PostgreSQL or
// Temporal (test/http/http-app.ts points both nowhere): what is refused, how, and that a refused form
// keeps no file; the per-address limit of the public form; who may call which staff route.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackSecretFor, isFeedbackSecret } from '../../api/auth/feedback-secret.js';
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { png } from '../support/file-fixtures.js';
import { type HttpApp, startHttpApp } from './http-app.js';

const ID = 'PAKN-000.01.01.H99-261203-0001';
const KEY = 'http-test-lookup-key-of-at-least-thirty-two-characters';
let http: HttpApp;
let limited: HttpApp;
let documentDir: string;

beforeAll(async () => {
  documentDir = mkdtempSync(path.join(tmpdir(), 'motcua-feedback-http-'));
  http = await startHttpApp({ documentDir });
  limited = await startHttpApp({ feedbackSubmissionsPerMinute: 2 });
});
afterAll(async () => {
  await http.close();
  await limited.close();
  rmSync(documentDir, { recursive: true, force: true });
});

type Part = string | { bytes: Uint8Array; name: string; type: string };
async function multipart(parts: [string, Part][]) {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

const valid: [string, Part][] = [
  ['agencyCode', '000.01.01.H99'],
  ['fullName', 'Nguyễn Thị Hoa'],
  ['phone', '0912 345 678'],
  ['title', 'Thời gian chờ quá lâu'],
  ['content', 'Tôi chờ hơn hai giờ mới được tiếp nhận hồ sơ.'],
];
const without = (field: string) => valid.filter(([name]) => name !== field);
const send = async (app: HttpApp, parts: [string, Part][], url = '/feedback', headers: Record<string, string> = {}) => {
  const body = await multipart(parts);
  return app.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...headers } });
};
const stagedFiles = () => readdirSync(documentDir, { recursive: true, encoding: 'utf8' }).filter((name) => /[0-9a-f]{64}$/.test(name));

describe('the public form (POST /feedback)', () => {
  it('takes the fields as JSON too (without files), judged the same way', async () => {
    const response = await http.app.inject({ method: 'POST', url: '/feedback', payload: { agencyCode: '000.01.01.H99', fullName: 42 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['body.fullName', 'body.title', 'body.content']));
    const text = await http.app.inject({ method: 'POST', url: '/feedback', payload: 'fullName=A', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
  });

  it.each([
    ['a missing name', without('fullName'), 'body.fullName'],
    ['an empty title', [...without('title'), ['title', '   ']] as [string, Part][], 'body.title'],
    ['a NUL in the content', [...without('content'), ['content', 'a\u0000b']] as [string, Part][], 'body.content'],
    ['a title over 300 characters', [...without('title'), ['title', 'x'.repeat(301)]] as [string, Part][], 'body.title'],
    ['an e-mail that is not one', [...valid, ['email', 'not-an-email']] as [string, Part][], 'body.email'],
    ['a unit code that is not one', [...without('agencyCode'), ['agencyCode', "'; DROP TABLE events; --"]] as [string, Part][], 'body.agencyCode'],
    ['a field the form does not have', [...valid, ['role', 'head']] as [string, Part][], 'body.(form)'],
  ])('refuses %s with a 400 naming the field', async (_case, parts, field) => {
    const response = await send(http, parts);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('keeps no file of a form it refuses', async () => {
    const before = stagedFiles().length;
    const response = await send(http, [...without('fullName'), ['attachment', { bytes: png(), name: 'anh.png', type: 'image/png' }]]);
    expect(response.statusCode).toBe(400);
    expect(stagedFiles().length).toBe(before);
  });

  it('judges an attachment by its bytes: a script named .pdf is refused', async () => {
    const response = await send(http, [...valid, ['attachment', { bytes: Buffer.from('<script>alert(1)</script>'), name: 'don.pdf', type: 'application/pdf' }]]);
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED' });
  });

  it('takes at most 5 attachments', async () => {
    const six = Array.from({ length: 6 }, (_, index): [string, Part] => ['attachment', { bytes: png(), name: `${index}.png`, type: 'image/png' }]);
    const response = await send(http, [...valid, ...six]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES' });
  });

  it('refuses an attachment over 10 MiB', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20)]);
    const response = await send(http, [...valid, ['attachment', { bytes: big, name: 'to.pdf', type: 'application/pdf' }]]);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('is limited per address before the body is read', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await send(limited, without('fullName'))).statusCode);
    expect(statuses).toEqual([400, 400, 429]);
    // The lookups have their own, larger allowance.
    expect((await limited.app.inject({ method: 'GET', url: `/lookup/feedback/${ID}?secret=bad!` })).statusCode).toBe(400);
  });
});

describe('the citizen\'s reads and reply', () => {
  it('refuses an id or a secret that cannot be one', async () => {
    expect((await http.app.inject({ method: 'GET', url: '/lookup/feedback/PAKN-1?secret=ABCDEFGHJK' })).statusCode).toBe(400);
    expect((await http.app.inject({ method: 'GET', url: `/lookup/feedback/${ID}?secret=%00%00` })).statusCode).toBe(400);
    expect((await http.app.inject({ method: 'GET', url: `/lookup/feedback/${ID}` })).statusCode).toBe(400);
  });

  it('answers a wrong secret before reading the log (here there is no database to read): an unknown item, whether the id exists or not', async () => {
    for (const url of [`/lookup/feedback/${ID}?secret=AAAAAAAAAA`, `/lookup/feedback/${ID}/answer.pdf?secret=AAAAAAAAAA`]) {
      const response = await http.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:feedback-not-found', detail: expect.stringMatching(/id and lookup secret/) });
    }
  });

  it('answers a reply with a wrong secret as an unknown item, and keeps none of its files', async () => {
    const before = stagedFiles().length;
    const response = await send(http, [['secret', 'WRONGSECRET'], ['content', 'Mã hồ sơ là …'], ['attachment', { bytes: png(), name: 'a.png', type: 'image/png' }]], `/lookup/feedback/${ID}/information`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ type: 'urn:motcua:problem:feedback-not-found' });
    expect(stagedFiles().length).toBe(before);
  });

  it('derives an item\'s secret apart from any dossier\'s, and takes it as a citizen types it', () => {
    const secret = feedbackSecretFor(KEY, ID);
    expect(secret).toMatch(/^[0-9A-Z]{10}$/);
    expect(secret).not.toBe(lookupSecretFor(KEY, ID));
    expect(isFeedbackSecret(KEY, ID, `${secret.slice(0, 5).toLowerCase()}-${secret.slice(5)}`)).toBe(true);
    expect(isFeedbackSecret(KEY, 'PAKN-000.01.01.H99-261203-0002', secret)).toBe(false);
  });
});

describe('staff routes', () => {
  it('need a token', async () => {
    for (const [method, url] of [['GET', '/feedback'], ['GET', `/feedback/${ID}`], ['POST', `/feedback/${ID}/accept`], ['GET', '/reports/feedback?from=2026-12-01&to=2026-12-31']] as const) {
      expect((await http.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) })).statusCode, url).toBe(401);
    }
  });

  it('admit only the roles that take each step', async () => {
    const officer = await http.authAs('officer', '000.01.01.H99');
    const reception = await http.authAs('reception', '000.01.01.H99');
    const auditor = await http.authAs('auditor', '000.01.01.H99');
    expect((await send(http, [...valid, ['channel', 'paper']], '/feedback-intake', officer)).statusCode).toBe(403);
    expect((await http.app.inject({ method: 'POST', url: `/feedback/${ID}/answer`, payload: { answer: 'Trả lời', signer: { fullName: 'Lê Văn C', title: 'Trưởng phòng' } }, headers: reception })).statusCode).toBe(403);
    expect((await http.app.inject({ method: 'POST', url: `/feedback/${ID}/accept`, payload: {}, headers: auditor })).statusCode).toBe(403);
    expect((await http.app.inject({ method: 'GET', url: '/reports/feedback?from=2026-12-01&to=2026-12-31', headers: officer })).statusCode).toBe(403);
  });

  it('validate a step\'s body and an intake\'s channel before sending anything', async () => {
    const head = await http.authAs('head', '000.01.01.H99');
    const classify = await http.app.inject({ method: 'POST', url: `/feedback/${ID}/classify`, payload: { category: 'gossip' }, headers: head });
    expect(classify.statusCode).toBe(400);
    const intake = await send(http, [...valid, ['channel', 'online-form']], '/feedback-intake', await http.authAs('reception', '000.01.01.H99'));
    expect(intake.statusCode).toBe(400);
    expect(intake.json().errors.map((error: { field: string }) => error.field)).toContain('body.channel');
    const list = await http.app.inject({ method: 'GET', url: '/feedback?status=nonsense', headers: head });
    expect(list.statusCode).toBe(400);
  });

  it('keep staff to their own unit\'s list and report', async () => {
    const head = await http.authAs('head', '000.01.01.H99');
    expect((await http.app.inject({ method: 'GET', url: '/feedback?unit=000.02.01.H99', headers: head })).statusCode).toBe(403);
    expect((await http.app.inject({ method: 'GET', url: '/reports/feedback?from=2026-12-01&to=2026-12-31&unit=000.02.01.H99', headers: head })).statusCode).toBe(403);
    expect((await http.app.inject({ method: 'GET', url: '/reports/feedback?from=2026-12-31&to=2026-12-01', headers: head })).statusCode).toBe(400);
  });
});

describe('a follow-up on the public form (766 §5.3)', () => {
  it('is refused without the earlier item\'s secret, or with a wrong one, before anything is read or kept', async () => {
    const before = stagedFiles().length;
    const photo: [string, Part] = ['attachment', { bytes: png(), name: 'anh.png', type: 'image/png' }];
    for (const [extra, field] of [
      [[['followUpOf', ID]], 'body.followUpSecret'],
      [[['followUpOf', ID], ['followUpSecret', 'AAAAAAAAAA']], 'body.followUpSecret'],
      [[['followUpSecret', feedbackSecretFor(KEY, ID)]], 'body.followUpOf'],
    ] as [[string, Part][], string][]) {
      const response = await send(http, [...valid, ...extra, photo]);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
    expect(stagedFiles().length).toBe(before);
  });
});

describe('the steps that take files: a reply staff enter, the answer', () => {
  const reply: [string, Part][] = [
    ['channel', 'phone'],
    ['content', 'Ông Lâm gọi điện: mã hồ sơ 000.01.01.H99-261201-0007.'],
  ];
  const answer: [string, Part][] = [
    ['answer', 'Trung tâm bố trí thêm một công chức tiếp nhận.'],
    ['signer.fullName', 'Trần Thị Hòa'],
    ['signer.title', 'Giám đốc Trung tâm'],
  ];
  const drop = (parts: [string, Part][], field: string) => parts.filter(([name]) => name !== field);

  it('need a token and the role: reception or the head enter a reply, only the head answers', async () => {
    expect((await send(http, reply, `/feedback/${ID}/provide-information`)).statusCode).toBe(401);
    expect((await send(http, reply, `/feedback/${ID}/provide-information`, await http.authAs('officer', '000.01.01.H99'))).statusCode).toBe(403);
    expect((await send(http, reply, `/feedback/${ID}/provide-information`, await http.authAs('auditor', '000.01.01.H99'))).statusCode).toBe(403);
    expect((await send(http, answer, `/feedback/${ID}/answer`, await http.authAs('reception', '000.01.01.H99'))).statusCode).toBe(403);
  });

  it.each([
    ['no channel', drop(reply, 'channel'), 'body.channel'],
    ['the online channel (the sender replies online themselves)', [...drop(reply, 'channel'), ['channel', 'online-form']] as [string, Part][], 'body.channel'],
    ['an empty content', [...drop(reply, 'content'), ['content', '  ']] as [string, Part][], 'body.content'],
    ['a NUL in the content', [...drop(reply, 'content'), ['content', 'a\u0000b']] as [string, Part][], 'body.content'],
    ['a field the form does not have', [...reply, ['actor', 'head']] as [string, Part][], 'body.(form)'],
  ])('refuse a reply with %s, naming the field', async (_case, parts, field) => {
    const response = await send(http, parts, `/feedback/${ID}/provide-information`, await http.authAs('reception', '000.01.01.H99'));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it.each([
    ['no signer', drop(answer, 'signer.fullName'), 'body.signer.fullName'],
    ['a publish flag that is not true or false', [...answer, ['publish', 'maybe']] as [string, Part][], 'body.publish'],
    ['a legal basis over 1,000 characters', [...answer, ['legalBasis', 'x'.repeat(1001)]] as [string, Part][], 'body.legalBasis'],
  ])('refuse an answer with %s, naming the field', async (_case, parts, field) => {
    const response = await send(http, parts, `/feedback/${ID}/answer`, await http.authAs('head', '000.01.01.H99'));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('judge the answer as JSON the same way, and take no files there', async () => {
    const head = await http.authAs('head', '000.01.01.H99');
    const response = await http.app.inject({ method: 'POST', url: `/feedback/${ID}/answer`, payload: { answer: 'Trả lời', signer: { fullName: 'Trần Thị Hòa' } }, headers: head });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain('body.signer.title');
    const smuggled = await http.app.inject({ method: 'POST', url: `/feedback/${ID}/answer`, payload: { answer: 'Trả lời', signer: { fullName: 'Trần Thị Hòa', title: 'Giám đốc' }, attachments: [{ sha256: 'a'.repeat(64), size: 1, mediaType: 'application/pdf' }] }, headers: head });
    expect(smuggled.statusCode).toBe(400);
    expect(smuggled.json().errors.map((error: { field: string }) => error.field)).toContain('body.(form)');
  });

  it('judge files by their bytes and count, and keep none of a refused form', async () => {
    const reception = await http.authAs('reception', '000.01.01.H99');
    const head = await http.authAs('head', '000.01.01.H99');
    const script = await send(http, [...reply, ['attachment', { bytes: Buffer.from('<script>alert(1)</script>'), name: 'thu.pdf', type: 'application/pdf' }]], `/feedback/${ID}/provide-information`, reception);
    expect(script.statusCode).toBe(415);
    expect(script.json()).toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED' });
    const six = Array.from({ length: 6 }, (_, index): [string, Part] => ['attachment', { bytes: png(), name: `${index}.png`, type: 'image/png' }]);
    expect((await send(http, [...answer, ...six], `/feedback/${ID}/answer`, head)).json()).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES' });
    const before = stagedFiles().length;
    expect((await send(http, [...drop(reply, 'channel'), ['attachment', { bytes: png(), name: 'a.png', type: 'image/png' }]], `/feedback/${ID}/provide-information`, reception)).statusCode).toBe(400);
    expect((await send(http, [...drop(answer, 'signer.title'), ['attachment', { bytes: png(), name: 'a.png', type: 'image/png' }]], `/feedback/${ID}/answer`, head)).statusCode).toBe(400);
    expect(stagedFiles().length).toBe(before);
  });

  it('refuse an Idempotency-Key that cannot be one before reading the form', async () => {
    const response = await send(http, reply, `/feedback/${ID}/provide-information`, { ...(await http.authAs('reception', '000.01.01.H99')), 'idempotency-key': 'khóa có dấu' });
    expect(response.statusCode).toBe(400);
  });
});

describe("the sender's copy of the answer's files", () => {
  it('refuses a digest that cannot be one, and a wrong secret as an unknown item', async () => {
    expect((await http.app.inject({ method: 'GET', url: `/lookup/feedback/${ID}/files/not-a-digest?secret=AAAAAAAAAA` })).statusCode).toBe(400);
    const wrong = await http.app.inject({ method: 'GET', url: `/lookup/feedback/${ID}/files/${'a'.repeat(64)}?secret=AAAAAAAAAA` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ type: 'urn:motcua:problem:feedback-not-found' });
  });
});
