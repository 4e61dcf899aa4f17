// The interagency doubles (doubles/interagency-double.ts and the three systems' scripts) over real
// loopback sockets, against a stand-in of the engine that serves the file links and takes the
// callbacks: they refuse what breaks the outbound contract (token, key, schema, system, answer mode,
// a reused key, a run handed off twice, links that do not download as declared), act once per key,
// sign every callback as the engine checks it, retry while the engine is down, serve polled pages
// by cursor, and each fault switch does what it says.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCivilStatusDouble } from '../../doubles/civil-status-double.js';
import { type InteragencyDouble, signCallback } from '../../doubles/interagency-double.js';
import { verifyAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import { startInteragencyDoubles } from '../../doubles/interagency-doubles.js';
import { startLandRegistryDouble } from '../../doubles/land-registry-double.js';
import { startTaxDouble, vietnamDate } from '../../doubles/tax-double.js';
import { answerBatchSchema, answerPageSchema, type InteragencyAnswer } from '../../domain/interagency/answer.js';
import type { HandOffMessage } from '../../domain/interagency/hand-off.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import { pdfOf } from '../support/file-fixtures.js';

const TOKEN = 'double-token-of-the-test';
const SECRET = 'callback-secret-of-the-test';

/** The engine as the doubles see it: file links, and the callback route with its signature check. */
interface EngineStandIn {
  readonly url: string;
  readonly app: FastifyInstance;
  /** What the callback route answers: 'ok' (200 with results), or a status. */
  answer: 'ok' | number;
  readonly callbacks: { system: string; raw: string; signatureValid: boolean; t: number; parsed: InteragencyAnswer[] | null }[];
  readonly files: Map<string, { bytes: Buffer; status?: number }>;
}

async function startEngineStandIn(): Promise<EngineStandIn> {
  const app = Fastify({ logger: false });
  const standIn = { answer: 'ok' as 'ok' | number, callbacks: [] as EngineStandIn['callbacks'], files: new Map<string, { bytes: Buffer; status?: number }>() };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.get('/files/:name', async (request, reply) => {
    const file = standIn.files.get((request.params as { name: string }).name);
    if (!file) return reply.code(404).send('not found');
    if (file.status) return reply.code(file.status).send('no');
    return reply.type('application/octet-stream').send(file.bytes);
  });
  app.post('/interagency/:system/answers', async (request, reply) => {
    const raw = request.body as string;
    const header = String(request.headers['x-motcua-signature'] ?? '');
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    const t = match ? Number(match[1]) : 0;
    const expected = createHmac('sha256', SECRET).update(`${t}.${raw}`).digest();
    const signatureValid = match !== null && timingSafeEqual(Buffer.from(match[2]!, 'hex'), expected) && Math.abs(Date.now() / 1000 - t) <= 300;
    let parsed: InteragencyAnswer[] | null = null;
    try {
      const result = answerBatchSchema.safeParse(JSON.parse(raw));
      parsed = result.success ? result.data.answers : null;
    } catch {
      parsed = null;
    }
    standIn.callbacks.push({ system: (request.params as { system: string }).system, raw, signatureValid, t, parsed });
    if (!signatureValid) return reply.code(401).send({ error: 'bad signature' });
    if (!parsed) return reply.code(400).send({ error: 'schema' });
    if (standIn.answer !== 'ok') return reply.code(standIn.answer).send({ error: 'engine says no' });
    return { results: parsed.map((answer) => ({ answerId: answer.answerId, outcome: 'applied' })) };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(standIn, { url, app });
}

let engine: EngineStandIn;
let pdf: Buffer;
let serial = 0;
const nextCode = () => `000.01.01.H99-261203-${String(++serial).padStart(4, '0')}`;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function handOff(system: InteragencySystem, code: string, overrides: { kind?: HandOffMessage['kind']; stepId?: string; run?: number; sequence?: number; mode?: 'callback' | 'poll'; fileName?: string; file?: Partial<{ size: number; sha256: string }> } = {}): HandOffMessage {
  const kind = overrides.kind ?? 'hand-off';
  const fileName = overrides.fileName ?? 'don.pdf';
  return {
    key: `${system}/${code}/${overrides.sequence ?? 5}/${kind}`,
    kind,
    system,
    dossier: {
      code,
      receivingAgencyCode: '000.01.01.H99',
      competentAgencyCode: '000.00.12.H99',
      procedure: { code: '1.004227', version: '2026.2', name: 'Đăng ký biến động quyền sử dụng đất' },
      receivedAt: '2026-12-03T02:00:00.000Z',
      acceptedAt: '2026-12-03T02:10:00.000Z',
      appointment: '2026-12-17T10:00:00.000Z',
      applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345' },
      components: [{ componentId: 'don-dang-ky', name: 'Đơn đăng ký biến động', files: [{ name: 'don.pdf', mediaType: 'application/pdf', size: overrides.file?.size ?? pdf.length, sha256: overrides.file?.sha256 ?? sha(pdf), url: `${engine.url}/files/${fileName}` }] }],
    },
    step: { stepId: overrides.stepId ?? 'land-registration', run: overrides.run ?? 1, agencyCode: '000.00.12.H99', task: 'Đăng ký biến động', startedAt: '2026-12-03T03:00:00.000Z', due: '2026-12-10T10:00:00.000Z', earlierResults: [] },
    answers: (overrides.mode ?? 'callback') === 'callback' ? { mode: 'callback', callbackUrl: `${engine.url}/interagency/${system}/answers` } : { mode: 'poll' },
  };
}

async function post(double: InteragencyDouble, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const key = typeof body === 'object' && body !== null && 'key' in body ? String((body as { key: unknown }).key) : undefined;
  const response = await fetch(`${double.url}/steps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...(key ? { 'idempotency-key': key } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const control = async (double: InteragencyDouble, route: string, body: unknown) =>
  (await fetch(`${double.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;

const callbacksOf = (code: string) => engine.callbacks.filter((callback) => callback.raw.includes(code));
const goodCallbacksOf = (code: string) => callbacksOf(code).filter((callback) => callback.parsed !== null);

const doubles: InteragencyDouble[] = [];
async function land(options: Partial<Parameters<typeof startLandRegistryDouble>[0]> = {}): Promise<InteragencyDouble> {
  const double = await startLandRegistryDouble({ token: TOKEN, mode: 'callback', callbackSecret: SECRET, answerDelayMs: 10, retryMaxMs: 100, ...options });
  doubles.push(double);
  return double;
}

beforeAll(async () => {
  engine = await startEngineStandIn();
  pdf = await pdfOf(1);
  engine.files.set('don.pdf', { bytes: pdf });
});
afterEach(() => {
  engine.answer = 'ok';
});
afterAll(async () => {
  await Promise.allSettled(doubles.map((double) => double.close()));
  await engine?.app.close();
});

describe('POST /steps: the outbound contract', () => {
  it('refuses a missing or wrong token, a missing or different key, a schema break, another system and another answer mode, each saying why', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    const code = nextCode();
    const message = handOff('land-registry', code);
    expect(await post(double, message, { authorization: '' })).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect(await post(double, message, { authorization: 'Bearer nope' })).toMatchObject({ status: 401 });
    expect(await post(double, message, { 'idempotency-key': '' })).toMatchObject({ status: 400, json: { error: 'missing-idempotency-key' } });
    expect(await post(double, message, { 'idempotency-key': `${message.key}x` })).toMatchObject({ status: 400, json: { error: 'key-mismatch' } });
    const broken = await post(double, { ...message, step: { ...message.step, run: 0 } });
    expect(broken).toMatchObject({ status: 400, json: { error: 'invalid-hand-off' } });
    expect(broken.json.issues).toContainEqual(expect.objectContaining({ path: 'step.run' }));
    expect((await post(double, { ...message, extra: 1 })).status).toBe(400);
    expect(await post(double, { ...handOff('tax', code), key: message.key })).toMatchObject({ status: 400, json: { error: 'wrong-system' } });
    expect(await post(double, handOff('land-registry', code, { mode: 'poll' }))).toMatchObject({ status: 400, json: { error: 'wrong-answer-mode' } });
    expect(double.held(code)).toEqual([]);
    expect(double.receipts()).toEqual([]);
    // The log of what came shows no applicant.
    const inspect = await (await fetch(`${double.url}/__inspect`)).text();
    expect(inspect).not.toContain('Nguyễn Văn An');
    expect(inspect).not.toContain('001090012345');
  });

  it('takes a hand-off once: a resend is a duplicate that does nothing twice; a reused key with another message, a second hand-off of the run and an update of a step it does not hold are conflicts', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    const code = nextCode();
    const message = handOff('land-registry', code);
    const taken = await post(double, message);
    expect(taken.status).toBe(202);
    expect(taken.json.reference).toMatch(/^VPDK-\d{4}-\d{6}$/);
    // The same message again, its file link signed anew: a duplicate, the file not fetched again.
    const again = await post(double, { ...message, dossier: { ...message.dossier, components: message.dossier.components.map((component) => ({ ...component, files: component.files.map((file) => ({ ...file, url: `${file.url}?again` })) })) } });
    expect(again).toEqual({ status: 200, json: { reference: taken.json.reference, duplicate: true } });
    expect(double.handOffs().filter((one) => one.key === message.key).map((one) => [one.outcome, one.filesFetched])).toEqual([['taken', 1], ['duplicate', 0]]);
    expect(double.summary()).toMatchObject({ acted: 1, duplicates: 1 });
    expect(double.held(code)).toHaveLength(1);

    expect(await post(double, { ...message, step: { ...message.step, task: 'Việc khác' } })).toMatchObject({ status: 409, json: { error: 'key-reused' } });
    expect(await post(double, handOff('land-registry', code, { sequence: 9 }))).toMatchObject({ status: 409, json: { error: 'already-handed-off' } });
    expect(await post(double, handOff('land-registry', code, { kind: 'update', stepId: 'certificate-issuance' }))).toMatchObject({ status: 409, json: { error: 'not-held' } });
    // An update of the step it holds is recorded and answers nothing.
    expect((await post(double, handOff('land-registry', code, { kind: 'update', sequence: 8 }))).status).toBe(202);
    expect(double.held(code)).toHaveLength(1);
    expect(double.answers(code)).toEqual([]);
  });

  it('downloads every file link first: a link that answers 4xx or whose bytes are not as declared is refused (422), one that fails with 5xx is retryable (503)', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    engine.files.set('gone.pdf', { bytes: pdf, status: 404 });
    engine.files.set('broken.pdf', { bytes: pdf, status: 502 });
    expect(await post(double, handOff('land-registry', nextCode(), { fileName: 'gone.pdf' }))).toMatchObject({ status: 422, json: { error: 'file-not-as-declared' } });
    expect(await post(double, handOff('land-registry', nextCode(), { file: { sha256: '0'.repeat(64) } }))).toMatchObject({ status: 422, json: { message: expect.stringContaining('SHA-256') } });
    expect(await post(double, handOff('land-registry', nextCode(), { file: { size: pdf.length + 10 } }))).toMatchObject({ status: 422 });
    expect(await post(double, handOff('land-registry', nextCode(), { fileName: 'broken.pdf' }))).toMatchObject({ status: 503, json: { error: 'file-unreachable' } });
    expect(double.held()).toEqual([]);
  });
});

describe('answers by callback', () => {
  it('the land office says it received the dossier, then completes the step with its PDF, each answer signed as the engine checks, numbered per dossier', async () => {
    const double = await land();
    const code = nextCode();
    expect((await post(double, handOff('land-registry', code))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(code).length, { timeout: 10_000 }).toBe(2);
    const [first, second] = goodCallbacksOf(code);
    expect(first!.signatureValid && second!.signatureValid).toBe(true);
    expect(first!.system).toBe('land-registry');
    expect(first!.parsed).toEqual([expect.objectContaining({ kind: 'progress', status: 'Đã tiếp nhận hồ sơ', sequence: 1, stepId: 'land-registration', run: 1, dossierCode: code })]);
    const completed = second!.parsed![0]!;
    expect(completed).toMatchObject({ kind: 'completed', sequence: 2 });
    const file = completed.kind === 'completed' ? completed.file! : undefined;
    const bytes = Buffer.from(file!.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const paper = await PDFDocument.load(bytes);
    expect(paper.getPageCount()).toBe(1);
    expect(paper.getTitle()).toBe('Phiếu chuyển thông tin để xác định nghĩa vụ tài chính về đất đai');
    // The engine's results are kept beside each answer.
    await double.drained();
    expect(double.answers(code).map((answer) => answer.deliveries.map((delivery) => [delivery.status, delivery.outcome]))).toEqual([[[200, 'applied']], [[200, 'applied']]]);
    // The signature is the engine's formula over the raw body (checked here on our own too).
    expect(signCallback(SECRET, first!.raw, first!.t)).toBe(`t=${first!.t},v1=${createHmac('sha256', SECRET).update(`${first!.t}.${first!.raw}`).digest('hex')}`);
    // And the engine's own verifier takes it, over the raw bytes (Vietnamese text in UTF-8).
    expect(verifyAnswerCallback(SECRET, signCallback(SECRET, first!.raw, first!.t), Buffer.from(first!.raw, 'utf8'), first!.t)).toEqual({ ok: true });
  });

  it('a certificate step completes with the scanned certificate; a cancel stops the work still pending', async () => {
    const double = await land();
    const code = nextCode();
    expect((await post(double, handOff('land-registry', code, { stepId: 'certificate-issuance' }))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(code).length, { timeout: 10_000 }).toBe(2);
    const file = goodCallbacksOf(code)[1]!.parsed![0]!;
    expect(file.kind === 'completed' && (await PDFDocument.load(Buffer.from(file.file!.contentBase64, 'base64'))).getTitle()).toMatch(/^Giấy chứng nhận .*\(bản quét\)$/);

    const slow = await land({ answerDelayMs: 60_000 });
    const other = nextCode();
    expect((await post(slow, handOff('land-registry', other))).status).toBe(202);
    expect((await post(slow, { ...handOff('land-registry', other, { kind: 'cancel', sequence: 6 }), reason: 'Người nộp rút hồ sơ' })).status).toBe(202);
    expect(slow.held(other).map((step) => step.state)).toEqual(['cancelled']);
    expect(slow.answers(other)).toEqual([]);
  });

  it('retries while the engine answers 5xx or is unreachable, and loses nothing: each answer goes once it is taken', async () => {
    const double = await land();
    const code = nextCode();
    engine.answer = 503;
    expect((await post(double, handOff('land-registry', code))).status).toBe(202);
    await expect.poll(() => callbacksOf(code).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    engine.answer = 'ok';
    await expect.poll(() => double.answers(code).map((answer) => answer.deliveries.at(-1)?.status), { timeout: 10_000 }).toEqual([200, 200]);
    expect(double.answers(code)[0]!.deliveries.filter((delivery) => delivery.status === 503).length).toBeGreaterThanOrEqual(3);

    // No engine at all: nothing answers on the port; the answers wait and go once it is there.
    const closedEngine = Fastify();
    const port = Number(new URL(await closedEngine.listen({ host: '127.0.0.1', port: 0 })).port);
    await closedEngine.close();
    const lonely = await land({ callbackUrl: `http://127.0.0.1:${port}/interagency/land-registry/answers` });
    const far = nextCode();
    const message = handOff('land-registry', far);
    expect((await post(lonely, { ...message, answers: { mode: 'callback' } })).status).toBe(202);
    await expect.poll(() => lonely.callbacks().filter((attempt) => attempt.status === null).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const revived = await startEngineStandInAt(port);
    await expect.poll(() => revived.callbacks.filter((callback) => callback.raw.includes(far) && callback.parsed).length, { timeout: 10_000 }).toBe(2);
    await revived.app.close();
  });
});

/** A second stand-in on a given port (the engine coming back). */
async function startEngineStandInAt(port: number): Promise<{ app: FastifyInstance; callbacks: { raw: string; parsed: unknown }[] }> {
  const app = Fastify({ logger: false });
  const callbacks: { raw: string; parsed: unknown }[] = [];
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/interagency/:system/answers', async (request) => {
    const raw = request.body as string;
    const parsed = answerBatchSchema.parse(JSON.parse(raw));
    callbacks.push({ raw, parsed });
    return { results: parsed.answers.map((answer) => ({ answerId: answer.answerId, outcome: 'applied' })) };
  });
  await app.listen({ host: '127.0.0.1', port });
  return { app, callbacks };
}

describe('fault switches', () => {
  it('failHandOffs answers 503 to the next n hand-offs without acting, then takes them', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    expect(await control(double, '/__faults', { failHandOffs: 2 })).toMatchObject({ faults: { failHandOffs: 2 } });
    const message = handOff('land-registry', nextCode());
    expect((await post(double, message)).status).toBe(503);
    expect((await post(double, message)).status).toBe(503);
    expect(double.held()).toEqual([]);
    expect((await post(double, message)).status).toBe(202);
    expect(double.handOffs().map((one) => one.outcome)).toEqual(['fault', 'fault', 'taken']);
  });

  it('down answers 503 (or drops the connection) to everything but the controls, and sends nothing until switched back', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    const code = nextCode();
    expect((await post(double, handOff('land-registry', code))).status).toBe(202);
    await control(double, '/__faults', { down: true });
    const turnedAway = handOff('land-registry', nextCode());
    expect((await post(double, turnedAway)).status).toBe(503);
    expect(double.handOffs().at(-1)).toMatchObject({ key: turnedAway.key, status: 503, outcome: 'fault' });
    expect((await fetch(`${double.url}/__inspect`)).status).toBe(200);
    double.answerNow(code, { kind: 'progress', status: 'Đang đo đạc' });
    // Nothing goes out while down (given the sender time to try).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callbacksOf(code)).toEqual([]);
    await control(double, '/__faults', { down: 'drop' });
    await expect(fetch(`${double.url}/steps`, { method: 'POST' })).rejects.toThrow();
    await fetch(`${double.url}/__faults`, { method: 'DELETE' });
    await expect.poll(() => goodCallbacksOf(code).length, { timeout: 10_000 }).toBe(1);
  });

  it('slowMs holds every response that long', async () => {
    const double = await land({ answerDelayMs: 60_000 });
    await control(double, '/__faults', { slowMs: 60_000 });
    await expect(fetch(`${double.url}/steps`, { method: 'POST', signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted|timeout/i);
    await control(double, '/__faults', { slowMs: 0 });
    expect((await fetch(`${double.url}/steps`, { method: 'POST' })).status).toBe(401);
  });

  it('duplicateAnswers sends each batch twice; outOfOrder sends a step’s answers latest first; malformedAnswers sends a broken batch before each good one', async () => {
    const double = await land({ faults: { duplicateAnswers: true } });
    const twice = nextCode();
    expect((await post(double, handOff('land-registry', twice))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(twice).length, { timeout: 10_000 }).toBe(4);
    const ids = goodCallbacksOf(twice).map((callback) => callback.parsed![0]!.answerId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(new Set(ids).size).toBe(2);

    double.faults({ duplicateAnswers: false, outOfOrder: true });
    const reversed = nextCode();
    expect((await post(double, handOff('land-registry', reversed))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(reversed).length, { timeout: 10_000 }).toBe(2);
    expect(goodCallbacksOf(reversed).map((callback) => callback.parsed!.map((answer) => [answer.sequence, answer.kind]))).toEqual([[[2, 'completed']], [[1, 'progress']]]);

    double.faults({ outOfOrder: false, malformedAnswers: true });
    const broken = nextCode();
    expect((await post(double, handOff('land-registry', broken))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(broken).length, { timeout: 10_000 }).toBe(2);
    await double.drained();
    const sent = double.callbacks().filter((attempt) => double.answers(broken).some((answer) => attempt.answerIds.includes(answer.answerId)));
    expect(sent.map((attempt) => [attempt.variant, attempt.status])).toEqual([
      ['malformed:missing-fields', 400],
      ['answers', 200],
      ['malformed:bad-json', 400],
      ['answers', 200],
    ]);
    // Malformed, but signed: the engine refuses them for their content, not their signature.
    expect(callbacksOf(broken).every((callback) => callback.signatureValid)).toBe(true);
  });

  it('refuses fault switches it does not have', async () => {
    const double = await land();
    const response = await fetch(`${double.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slow: 5 }) });
    expect(response.status).toBe(400);
    expect(double.faults()).toMatchObject({ slowMs: 0, down: false });
  });
});

describe('answers by poll: the tax authority', () => {
  let tax: InteragencyDouble;
  beforeAll(async () => {
    tax = await startTaxDouble({ token: TOKEN, mode: 'poll', answerDelayMs: 10 });
    doubles.push(tax);
  });
  const page = async (after: string | null, limit = 50, token = TOKEN) => {
    const response = await fetch(`${tax.url}/answers?after=${after ?? ''}&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  };

  it('issues its notice (30 days to pay, with the PDF), and on payment its receipt and the completion; pages follow the cursor', async () => {
    const start = (await page(null)).json;
    expect(start).toEqual(answerPageSchema.parse(start));
    let cursor: string | null = start.next;
    const code = nextCode();
    expect((await post(tax, handOff('tax', code, { stepId: 'tax-assessment', mode: 'poll' }))).status).toBe(202);
    await expect.poll(() => tax.answers(code).length, { timeout: 10_000 }).toBe(1);
    const notice = (await page(cursor)).json;
    const obligation = answerPageSchema.parse(notice).answers.find((answer) => answer.dossierCode === code)!;
    expect(obligation).toMatchObject({ kind: 'financial-obligation', sequence: 1, stepId: 'tax-assessment', amountVnd: 2_350_000, noticeNumber: expect.stringMatching(/^TB-/) });
    expect(obligation.kind === 'financial-obligation' && obligation.dueDate).toBe(vietnamDate(new Date(obligation.at), 30));
    expect(obligation.kind === 'financial-obligation' && Buffer.from(obligation.file!.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    cursor = notice.next;
    expect((await page(cursor)).json).toEqual({ answers: [], next: null });

    expect(await control(tax, '/__pay', { dossierCode: code })).toMatchObject({ amountVnd: 2_350_000 });
    const paid = answerPageSchema.parse((await page(cursor)).json);
    expect(paid.answers.map((answer) => [answer.sequence, answer.kind])).toEqual([[2, 'payment-receipt'], [3, 'completed']]);
    expect(paid.answers[0]).toMatchObject({ amountVnd: 2_350_000, method: 'online' });
    expect((await fetch(`${tax.url}/__pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dossierCode: code }) })).status).toBe(404);

    // Paging: one at a time from the start, each page after the last one's cursor.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const one = await page(after, 1);
      expect(one.status).toBe(200);
      if (one.json.answers.length === 0) break;
      expect(one.json.answers).toHaveLength(1);
      seen.push(one.json.answers[0].answerId);
      after = one.json.next;
    }
    expect(seen.slice(-3)).toEqual([obligation.answerId, ...paid.answers.map((answer) => answer.answerId)]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a poll without its token, an unknown cursor and a limit out of range; a callback system serves no poll', async () => {
    expect((await page(null, 50, 'nope')).status).toBe(401);
    expect((await page('c999999')).status).toBe(400);
    expect((await page('abc')).status).toBe(400);
    expect((await page(null, 0)).status).toBe(400);
    expect((await page(null, 51)).status).toBe(400);
    const double = await land();
    expect((await fetch(`${double.url}/answers`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('in poll mode: a duplicate answer appears twice in the feed, a malformed page is served once before the good one, out of order reverses a step’s answers', async () => {
    const double = await startTaxDouble({ token: TOKEN, mode: 'poll', answerDelayMs: 10, payAfterMs: 10, faults: { duplicateAnswers: true } });
    doubles.push(double);
    const get = async (after = '') => {
      const response = await fetch(`${double.url}/answers?after=${after}&limit=50`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return response.text();
    };
    const code = nextCode();
    expect((await post(double, handOff('tax', code, { stepId: 'tax-assessment', mode: 'poll' }))).status).toBe(202);
    await expect.poll(() => double.answers(code).length, { timeout: 10_000 }).toBe(3);
    const all = answerPageSchema.parse(JSON.parse(await get()));
    expect(all.answers.map((answer) => answer.sequence)).toEqual([1, 1, 2, 2, 3, 3]);

    double.faults({ duplicateAnswers: false, malformedAnswers: true, outOfOrder: true });
    const other = nextCode();
    expect((await post(double, handOff('tax', other, { stepId: 'tax-assessment', mode: 'poll' }))).status).toBe(202);
    await expect.poll(() => double.answers(other).length, { timeout: 10_000 }).toBe(3);
    const broken = await get(all.next!);
    expect(answerPageSchema.safeParse((() => { try { return JSON.parse(broken); } catch { return null; } })()).success).toBe(false);
    const good = answerPageSchema.parse(JSON.parse(await get(all.next!)));
    // The notice was held back with the payment pending, then all three went out latest first.
    expect(good.answers.map((answer) => answer.sequence)).toEqual([3, 2, 1]);
  });
});

describe('the civil-status system', () => {
  it('gives registration numbers in order, never twice (a resent hand-off gets none)', async () => {
    const civil = await startCivilStatusDouble({ token: TOKEN, mode: 'callback', callbackSecret: SECRET, answerDelayMs: 10 });
    doubles.push(civil);
    const first = nextCode();
    const second = nextCode();
    const message = handOff('civil-status', first, { stepId: 'civil-status' });
    expect((await post(civil, message)).status).toBe(202);
    expect((await post(civil, message)).status).toBe(200);
    await expect.poll(() => goodCallbacksOf(first).length, { timeout: 10_000 }).toBe(1);
    expect((await post(civil, handOff('civil-status', second, { stepId: 'civil-status' }))).status).toBe(202);
    await expect.poll(() => goodCallbacksOf(second).length, { timeout: 10_000 }).toBe(1);
    const year = vietnamDate(new Date()).slice(0, 4);
    const registration = (code: string) => {
      const answer = goodCallbacksOf(code)[0]!.parsed![0]!;
      return answer.kind === 'completed' ? answer.registration : undefined;
    };
    expect(registration(first)).toEqual({ number: `1/${year}`, book: `Sổ đăng ký khai sinh ${year}` });
    expect(registration(second)).toEqual({ number: `2/${year}`, book: `Sổ đăng ký khai sinh ${year}` });
  });
});

describe('startInteragencyDoubles', () => {
  it('starts the three on their own ports and writes the interagency section with file references to their credentials', async () => {
    const secretsDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-')), 'secrets');
    const started = await startInteragencyDoubles({ secretsDir, answerDelayMs: 10 });
    try {
      const urls = Object.values(started.urls());
      expect(new Set(urls.map((url) => new URL(url).port)).size).toBe(3);
      const section = started.config('http://127.0.0.1:1');
      expect(section.callbackBaseUrl).toBe('http://127.0.0.1:1');
      expect(section.systems['land-registry']).toMatchObject({ baseUrl: started.land.url, answers: 'callback', callbackSecret: expect.stringMatching(/^file:\//) });
      expect(section.systems.tax).toMatchObject({ baseUrl: started.tax.url, answers: 'poll' });
      expect(section.systems.tax).not.toHaveProperty('callbackSecret');
      expect(section.systems['civil-status']).toMatchObject({ answers: 'callback' });
      // The token in the file is the one the double checks.
      const token = readFileSync(section.systems.tax!.token.slice('file:'.length), 'utf8');
      expect((await fetch(`${started.tax.url}/answers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${started.tax.url}/answers`, { headers: { authorization: 'Bearer x' } })).status).toBe(401);
      const secret = readFileSync(section.systems['land-registry']!.callbackSecret!.slice('file:'.length), 'utf8');
      expect(secret.length).toBeGreaterThanOrEqual(32);
    } finally {
      await started.close();
    }
  });
});
