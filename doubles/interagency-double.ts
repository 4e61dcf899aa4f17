// A loopback double of one outside system that carries out route steps (docs/integrations.md#the-systems-doubles):
// the land information system, the tax authority's system, the civil-status system. A Fastify app on
// 127.0.0.1 that speaks the engine's reference contracts (domain/interagency/hand-off.ts outbound,
// domain/interagency/answer.ts inbound) and refuses what breaks them, as a real system would:
//
//   POST /steps   Authorization: Bearer <token>, Idempotency-Key: <the body's key>, body handOffMessageSchema
//     → 202 {reference}                 taken: the system holds the step and its script starts working;
//     → 200 {reference, duplicate:true} the key was taken before (same message, its file links aside): nothing done again;
//     → 401 no or wrong token; 400 the body breaks the contract (which field, why), the header and the body's
//       key differ, the message is for another system or asks for answers in a way this system does not give;
//     → 409 the key was taken with another message, the step's run is already held under another key, or an
//       update/cancel names a step the system does not hold;
//     → 422 a file link answers 4xx, or its bytes are not the size, digest or type the message declares;
//     → 503 a file link could not be fetched (5xx, no answer), the same key is being taken right now, or a fault.
//     Before taking a message it DOWNLOADS every file link (the dossier's and the earlier steps' results).
//   Answers: each numbered per dossier (`sequence` 1, 2, 3 … in the order the system did things) with an id of
//   its own (a resend carries the same one), delivered in one of two ways:
//     callback  POST <the hand-off's answers.callbackUrl> with X-Motcua-Signature t=<unix s>,v1=<hex HMAC-SHA256(
//               secret, "<t>.<raw body>")>; a 5xx, 401, 404, 408, 429 or no answer is retried with backoff until
//               it is taken, so an engine that is down loses nothing; another 4xx is recorded and not retried;
//     poll      GET /answers?after=<cursor>&limit=<1..50> (bearer token) → answerPageSchema: the answers after
//               the cursor, `next` the cursor of the page's last answer (null when the page is empty: keep yours).
//
// Faults (POST /__faults with any of the fields, or `faults` at start; DELETE /__faults clears them all):
//   slowMs            every response and every callback waits this long first;
//   down              true or "503": every request answers 503 and no callback goes out until switched back;
//                     "drop": every connection is dropped without an answer, as a system that is not there;
//   duplicateAnswers  each answer is sent twice (callback: the batch again; poll: the answer twice in the feed);
//   outOfOrder        the answers a step produces while it still has work pending are held back and sent
//                     together in reverse order (callback: one request each, the latest first);
//   malformedAnswers  before each batch a malformed one goes out (an answer missing its fields, or JSON cut
//                     short, alternately); poll: the next page is served malformed once;
//   failHandOffs: n   the next n POST /steps answer 503 without acting.
// For people and tests: GET /__inspect (hand-offs by key, kind and dossier code; answers with the engine's
// results; never the applicant), GET /__receipts (the ledger by idempotency key), POST /__answer (make
// the system answer now: {dossierCode, stepId?, answer: {kind, …}}).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type InteragencyAnswer, interagencyAnswerSchema, MAX_ANSWERS_PER_MESSAGE } from '../domain/interagency/answer.js';
import { type HandOffMessage, handOffMessageSchema } from '../domain/interagency/hand-off.js';
import type { InteragencySystem } from '../domain/interagency/systems.js';
import { parseDeliveryKey } from './portal-double-contract.js';
import { sniffMediaType } from './portal-double-b.js';
import { type Receipt, ReceiptLedger, type ReceiptSummary } from './receiver-double.js';

export type AnswerMode = 'callback' | 'poll';

export const interagencyFaultsSchema = z
  .object({
    slowMs: z.number().int().min(0).max(600_000),
    down: z.union([z.boolean(), z.enum(['503', 'drop'])]),
    duplicateAnswers: z.boolean(),
    outOfOrder: z.boolean(),
    malformedAnswers: z.boolean(),
    failHandOffs: z.number().int().min(0).max(10_000),
  })
  .strict();
export type InteragencyFaults = z.infer<typeof interagencyFaultsSchema>;
export const NO_INTERAGENCY_FAULTS: InteragencyFaults = Object.freeze({ slowMs: 0, down: false, duplicateAnswers: false, outOfOrder: false, malformedAnswers: false, failHandOffs: 0 });

type Envelope = 'answerId' | 'dossierCode' | 'stepId' | 'run' | 'sequence' | 'at';
/** An answer as a script writes it: the double adds its id, the dossier, the step, the sequence and the time. */
export type AnswerDraft = InteragencyAnswer extends infer A ? (A extends unknown ? Omit<A, Envelope> : never) : never;

/** A step the system holds: what a hand-off gave it, and how far its script got. */
export interface HeldStep {
  readonly dossierCode: string;
  readonly stepId: string;
  readonly run: number;
  readonly reference: string;
  /** The key of the hand-off that gave it. */
  readonly key: string;
  readonly procedureCode: string;
  readonly agencyCode: string;
  readonly callbackUrl: string | null;
  state: 'working' | 'done' | 'cancelled';
  /** The hand-off's message as last received (hand-off, then each update). */
  message: HandOffMessage;
  /** The script's own notes (the tax notice it issued, say). */
  readonly notes: Record<string, unknown>;
}

/** What a script can do with the steps it is given. */
export interface ScriptContext {
  readonly system: InteragencySystem;
  /** The pause between the things a system does by itself (options.answerDelayMs). */
  readonly answerDelayMs: number;
  /** Records answers for the step (numbered in this order) and delivers them; the step is done after a completing one. */
  answer(step: HeldStep, drafts: readonly AnswerDraft[]): InteragencyAnswer[];
  /** Runs `work` after `ms` unless the step is cancelled or done by then. */
  later(step: HeldStep, ms: number, work: () => void | Promise<void>): void;
  /** Runs `work` now, as the step's work (outOfOrder holds answers back while any such work is under way). */
  act(step: HeldStep, work: () => void | Promise<void>): Promise<void>;
  /** The steps held for a dossier, latest first. */
  held(dossierCode: string): HeldStep[];
}

/** What one system does with the steps handed to it. */
export interface InteragencyScript {
  /** A hand-off taken (`kind: hand-off`): start the work. */
  handOff(step: HeldStep, context: ScriptContext): void;
  /** Routes of the script's own (the tax double's POST /__pay). */
  routes?(app: FastifyInstance, context: ScriptContext): void;
}

export interface InteragencyDoubleOptions {
  readonly system: InteragencySystem;
  readonly port?: number;
  /** The bearer token the engine must send (POST /steps, GET /answers). */
  readonly token: string;
  readonly mode: AnswerMode;
  /** The HMAC key of callbacks (callback mode). */
  readonly callbackSecret?: string;
  /** Where callbacks go when a hand-off names no callbackUrl. */
  readonly callbackUrl?: string;
  readonly script: InteragencyScript;
  /** The pause between the things the system does by itself (1 s by default). */
  readonly answerDelayMs?: number;
  /** The first references' prefix ("VPDK" → VPDK-2026-000001). */
  readonly referencePrefix?: string;
  readonly faults?: Partial<InteragencyFaults>;
  /** A callback not taken is retried after 200 ms, doubling up to this (5 s by default). */
  readonly retryMaxMs?: number;
  /** A file link that does not answer within this is not downloadable (10 s by default). */
  readonly fetchTimeoutMs?: number;
}

/** A POST /steps as /__inspect shows it: no applicant, no file link. */
export interface ReceivedHandOff {
  readonly at: string;
  readonly key: string | null;
  readonly kind: string | null;
  readonly dossierCode: string | null;
  readonly stepId: string | null;
  readonly run: number | null;
  readonly status: number;
  readonly outcome: 'taken' | 'duplicate' | 'refused' | 'fault';
  readonly reference?: string;
  readonly error?: string;
  readonly filesFetched: number;
}

/** What the engine answered about one answer of a callback. */
export interface EngineResult {
  readonly at: string;
  readonly status: number | null;
  readonly outcome?: string;
  readonly code?: string;
  readonly error?: string;
}

export interface SentAnswer {
  readonly answerId: string;
  readonly dossierCode: string;
  readonly stepId: string;
  readonly run: number;
  readonly sequence: number;
  readonly kind: InteragencyAnswer['kind'];
  readonly at: string;
  /** Callback: each request that carried it and what the engine made of it. */
  readonly deliveries: EngineResult[];
  /** Poll: how many times a page carried it. */
  served: number;
}

export interface CallbackAttempt {
  readonly at: string;
  readonly url: string;
  readonly variant: 'answers' | 'duplicate' | 'malformed:missing-fields' | 'malformed:bad-json';
  readonly answerIds: readonly string[];
  readonly status: number | null;
  readonly error?: string;
}

export interface FetchedLink {
  readonly at: string;
  readonly key: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly size: number;
  readonly reason: string | null;
}

export interface InteragencyDouble {
  readonly system: InteragencySystem;
  readonly url: string;
  readonly mode: AnswerMode;
  readonly app: FastifyInstance;
  readonly ledger: ReceiptLedger;
  /** Changes some fault switches; answers them all. */
  faults(next?: Partial<InteragencyFaults>): InteragencyFaults;
  handOffs(): readonly ReceivedHandOff[];
  held(dossierCode?: string): readonly HeldStep[];
  answers(dossierCode?: string): readonly SentAnswer[];
  callbacks(): readonly CallbackAttempt[];
  receipts(): readonly Receipt[];
  summary(): ReceiptSummary;
  /** Makes the system answer now for a step it holds (the latest of the dossier, or the one named). */
  answerNow(dossierCode: string, draft: AnswerDraft, stepId?: string): InteragencyAnswer[];
  /** Resolves when no callback is waiting to go out (callback mode). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** The signature header of a callback body, as the engine checks it (docs/integrations.md#the-systems-doubles). */
export function signCallback(secret: string, rawBody: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

const KEEP = 2000;
const keep = <T>(list: T[], item: T) => {
  list.push(item);
  if (list.length > KEEP) list.splice(0, list.length - KEEP);
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const COMPLETING = new Set<InteragencyAnswer['kind']>(['completed', 'refused', 'sent-back']);

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The message without its file links, which the engine may sign anew on a resend. */
function fingerprint(message: HandOffMessage): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).filter(([name]) => name !== 'url').map(([name, inner]) => [name, strip(inner)]));
    return value;
  };
  return createHash('sha256').update(JSON.stringify(strip(message))).digest('hex');
}

interface Outgoing {
  readonly url: string;
  readonly variant: CallbackAttempt['variant'];
  readonly answers: readonly InteragencyAnswer[];
}

/** A poll feed entry: an answer at its place. */
interface FeedEntry {
  readonly answer: InteragencyAnswer;
}

export async function startInteragencyDouble(options: InteragencyDoubleOptions): Promise<InteragencyDouble> {
  const { system, mode, script } = options;
  if (mode === 'callback' && !options.callbackSecret) throw new Error(`the ${system} double answers by callback: it needs callbackSecret`);
  const answerDelayMs = options.answerDelayMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  const prefix = options.referencePrefix ?? system.toUpperCase().replace(/-/g, '');
  let faults: InteragencyFaults = interagencyFaultsSchema.parse({ ...NO_INTERAGENCY_FAULTS, ...options.faults });
  let closed = false;
  const ledger = new ReceiptLedger();
  const fingerprints = new Map<string, { fingerprint: string; reference: string }>();
  const inFlight = new Set<string>();
  const received: ReceivedHandOff[] = [];
  const fetched: FetchedLink[] = [];
  const steps: HeldStep[] = [];
  const sent: SentAnswer[] = [];
  const sentById = new Map<string, SentAnswer>();
  const attempts: CallbackAttempt[] = [];
  const sequences = new Map<string, number>();
  const timers = new Map<HeldStep, Set<NodeJS.Timeout>>();
  const busy = new Map<HeldStep, number>();
  const heldBack = new Map<HeldStep, InteragencyAnswer[]>();
  const feed: FeedEntry[] = [];
  let malformedPages = 0;
  let malformedTurn = 0;
  let answerCount = 0;
  let referenceCount = 0;
  const outgoing: Outgoing[] = [];
  let pumping: Promise<void> | null = null;
  /** Woken when the faults change or the double closes (a waiting sender looks again). */
  let wake: () => void = () => undefined;
  const changed = () => new Promise<void>((resolve) => (wake = resolve));

  const app = Fastify({ logger: false, bodyLimit: 16 * 1_048_576 });
  const isControl = (request: FastifyRequest) => request.url.startsWith('/__');

  // slowMs and down, on every request but the controls'.
  app.addHook('onRequest', async (request, reply) => {
    if (isControl(request)) return;
    if (faults.slowMs > 0) await sleep(faults.slowMs);
    if (faults.down === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (faults.down) {
      // A hand-off turned away is still listed (its key only: the body is not read).
      if (request.method === 'POST' && request.url.startsWith('/steps')) {
        const key = request.headers['idempotency-key'];
        keep(received, { at: new Date().toISOString(), key: typeof key === 'string' ? key : null, kind: null, dossierCode: null, stepId: null, run: null, status: 503, outcome: 'fault', error: 'down (fault switch)', filesFetched: 0 });
      }
      return reply.code(503).send({ error: 'unavailable', message: `the ${system} system is down (fault switch); try again later` });
    }
  });

  // ——— answering ———

  const nextSequence = (dossierCode: string) => {
    const next = (sequences.get(dossierCode) ?? 0) + 1;
    sequences.set(dossierCode, next);
    return next;
  };

  function release(step: HeldStep, group: readonly InteragencyAnswer[]): void {
    if (group.length === 0) return;
    if (mode === 'poll') {
      for (const answer of group) {
        feed.push({ answer });
        if (faults.duplicateAnswers) feed.push({ answer });
      }
      if (faults.malformedAnswers) malformedPages += 1;
      return;
    }
    const url = step.callbackUrl ?? options.callbackUrl!;
    // Out of order: one request per answer, in the order given (reversed by the caller).
    const batches = faults.outOfOrder ? group.map((answer) => [answer]) : [group];
    for (const batch of batches) {
      if (faults.malformedAnswers) {
        malformedTurn += 1;
        outgoing.push({ url, variant: malformedTurn % 2 === 1 ? 'malformed:missing-fields' : 'malformed:bad-json', answers: batch });
      }
      outgoing.push({ url, variant: 'answers', answers: batch });
      if (faults.duplicateAnswers) outgoing.push({ url, variant: 'duplicate', answers: batch });
    }
    pump();
  }

  function flushIfQuiet(step: HeldStep): void {
    const waiting = heldBack.get(step);
    if (!waiting || waiting.length === 0) return;
    if ((timers.get(step)?.size ?? 0) > 0 || (busy.get(step) ?? 0) > 0) return;
    heldBack.delete(step);
    release(step, [...waiting].reverse());
  }

  function answer(step: HeldStep, drafts: readonly AnswerDraft[]): InteragencyAnswer[] {
    const made = drafts.map((draft) => {
      answerCount += 1;
      const full = interagencyAnswerSchema.parse({
        ...draft,
        answerId: `${prefix}-A${String(answerCount).padStart(6, '0')}-${randomBytes(3).toString('hex')}`,
        dossierCode: step.dossierCode,
        stepId: step.stepId,
        run: step.run,
        sequence: nextSequence(step.dossierCode),
        at: new Date().toISOString(),
      });
      const record: SentAnswer = { answerId: full.answerId, dossierCode: full.dossierCode, stepId: full.stepId, run: full.run, sequence: full.sequence, kind: full.kind, at: full.at, deliveries: [], served: 0 };
      keep(sent, record);
      sentById.set(full.answerId, record);
      if (COMPLETING.has(full.kind)) step.state = 'done';
      return full;
    });
    if (faults.outOfOrder) {
      heldBack.set(step, [...(heldBack.get(step) ?? []), ...made]);
      flushIfQuiet(step);
    } else release(step, made);
    return made;
  }

  async function act(step: HeldStep, work: () => void | Promise<void>): Promise<void> {
    busy.set(step, (busy.get(step) ?? 0) + 1);
    try {
      await work();
    } finally {
      busy.set(step, (busy.get(step) ?? 1) - 1);
      flushIfQuiet(step);
    }
  }

  function later(step: HeldStep, ms: number, work: () => void | Promise<void>): void {
    if (closed || step.state !== 'working') return;
    const set = timers.get(step) ?? new Set<NodeJS.Timeout>();
    timers.set(step, set);
    const timer = setTimeout(() => {
      set.delete(timer);
      if (closed || step.state !== 'working') return flushIfQuiet(step);
      void act(step, work).catch(() => undefined);
    }, ms);
    set.add(timer);
  }

  const context: ScriptContext = {
    system,
    answerDelayMs,
    answer,
    later,
    act,
    held: (dossierCode) => steps.filter((step) => step.dossierCode === dossierCode).reverse(),
  };

  // ——— callbacks ———

  function malformedBody(item: Outgoing): string {
    if (item.variant === 'malformed:bad-json') return JSON.stringify({ answers: item.answers }).slice(0, 40);
    // An answer missing what every answer must carry.
    const [first] = item.answers;
    const { stepId: _stepId, sequence: _sequence, ...rest } = first!;
    return JSON.stringify({ answers: [rest] });
  }

  /** True when the request is settled (taken, or refused for good); false to retry. */
  async function sendOnce(item: Outgoing): Promise<boolean> {
    if (faults.slowMs > 0) await sleep(faults.slowMs);
    const raw = item.variant.startsWith('malformed') ? malformedBody(item) : JSON.stringify({ answers: item.answers });
    const at = new Date().toISOString();
    const answerIds = item.answers.map((one) => one.answerId);
    let status: number | null = null;
    let json: unknown = null;
    let error: string | undefined;
    try {
      const response = await fetch(item.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-motcua-signature': signCallback(options.callbackSecret!, raw) },
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      const text = await response.text();
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      if (!response.ok) error = typeof json === 'object' && json !== null ? JSON.stringify(json).slice(0, 500) : text.slice(0, 200);
    } catch (failure) {
      error = `no answer (${(failure as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'})`;
    }
    keep(attempts, { at, url: item.url, variant: item.variant, answerIds, status, ...(error ? { error } : {}) });
    if (!item.variant.startsWith('malformed')) {
      const results = new Map<string, { outcome?: string; code?: string; message?: string }>();
      const listed = (json as { results?: unknown } | null)?.results;
      if (Array.isArray(listed)) for (const result of listed) if (result && typeof result.answerId === 'string') results.set(result.answerId, result);
      for (const answerId of answerIds) {
        const result = results.get(answerId);
        sentById.get(answerId)?.deliveries.push({ at, status, ...(result?.outcome ? { outcome: result.outcome } : {}), ...(result?.code ? { code: result.code } : {}), ...(error ? { error } : {}) });
      }
    }
    // Not taken yet: the engine is down or busy (5xx, 408, 429, no answer), or cannot check this
    // system's signature now (401: a secret being rotated) or does not know it yet (404: its
    // configuration not loaded). A 400, 413 or other refusal of the content is final.
    return !(status === null || status >= 500 || [401, 404, 408, 429].includes(status));
  }

  function pump(): void {
    if (pumping || closed) return;
    pumping = (async () => {
      let backoff = 200;
      while (!closed && outgoing.length > 0) {
        if (faults.down) {
          await Promise.race([changed(), sleep(1000)]);
          continue;
        }
        if (await sendOnce(outgoing[0]!)) {
          outgoing.shift();
          backoff = 200;
        } else {
          await Promise.race([sleep(backoff), changed()]);
          backoff = Math.min(backoff * 2, retryMaxMs);
        }
      }
    })().finally(() => {
      pumping = null;
      if (!closed && outgoing.length > 0) pump();
    });
  }

  // ——— the engine's hand-offs ———

  const problem = (reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}) => reply.code(status).send({ error, message, ...extra });

  /** Why a file link is not what the message says (with the status to answer), or null when it is. */
  async function download(key: string, file: { url: string; size: number; sha256: string; mediaType: string }, label: string): Promise<{ status: number; reason: string } | null> {
    let status: number | null = null;
    let size = 0;
    let reason: string | null = null;
    let answer: { status: number; reason: string } | null = null;
    try {
      const response = await fetch(file.url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'follow' });
      status = response.status;
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        reason = `${label}: the link answered HTTP ${response.status}`;
        answer = { status: response.status >= 500 ? 503 : 422, reason };
      } else {
        const chunks: Uint8Array[] = [];
        for await (const chunk of response.body) {
          size += chunk.byteLength;
          if (size > file.size) break;
          chunks.push(chunk);
        }
        const bytes = Buffer.concat(chunks);
        const sniffed = sniffMediaType(bytes);
        if (size !== file.size) reason = `${label}: the link gave ${size > file.size ? 'more than' : ''} ${size} bytes, the message says ${file.size}`;
        else if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) reason = `${label}: the bytes' SHA-256 is not the message's sha256`;
        else if (['application/pdf', 'image/jpeg', 'image/png'].includes(file.mediaType) && sniffed !== file.mediaType) reason = `${label}: the bytes are ${sniffed ?? 'of no known type'}, the message says ${file.mediaType}`;
        if (reason) answer = { status: 422, reason };
      }
    } catch (failure) {
      reason = `${label}: could not be downloaded (${(failure as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'})`;
      answer = { status: 503, reason };
    }
    keep(fetched, { at: new Date().toISOString(), key, ok: reason === null, status, size, reason });
    return answer;
  }

  app.post('/steps', async (request, reply) => {
    const at = new Date().toISOString();
    const header = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
    const body = request.body as Partial<HandOffMessage> | undefined;
    let recorded: Omit<ReceivedHandOff, 'status' | 'outcome' | 'at' | 'filesFetched'> = {
      key: header,
      kind: typeof body?.kind === 'string' ? body.kind : null,
      dossierCode: typeof body?.dossier?.code === 'string' ? body.dossier.code : null,
      stepId: typeof body?.step?.stepId === 'string' ? body.step.stepId : null,
      run: typeof body?.step?.run === 'number' ? body.step.run : null,
    };
    let filesFetched = 0;
    const answerWith = (status: number, outcome: ReceivedHandOff['outcome'], payload: Record<string, unknown>) => {
      keep(received, { at, ...recorded, status, outcome, filesFetched, ...(typeof payload.reference === 'string' ? { reference: payload.reference } : {}), ...(typeof payload.message === 'string' ? { error: payload.message } : {}) });
      return reply.code(status).send(payload);
    };
    if (faults.failHandOffs > 0) {
      faults = { ...faults, failHandOffs: faults.failHandOffs - 1 };
      return answerWith(503, 'fault', { error: 'unavailable', message: `the ${system} system failed this hand-off (fault switch failHandOffs)` });
    }
    if (!bearerMatches(request, options.token)) {
      reply.header('www-authenticate', 'Bearer');
      return answerWith(401, 'refused', { error: 'unauthorized', message: 'Authorization: Bearer <the token this system issued to the engine> is missing or wrong' });
    }
    if (!header) return answerWith(400, 'refused', { error: 'missing-idempotency-key', message: 'the Idempotency-Key header is required: the delivery key, the same as the body\'s "key"' });
    const parsed = handOffMessageSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      return answerWith(400, 'refused', { error: 'invalid-hand-off', message: `the body breaks the hand-off contract (domain/interagency/hand-off.ts): ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`, issues });
    }
    const message = parsed.data;
    if (message.key !== header) return answerWith(400, 'refused', { error: 'key-mismatch', message: 'the Idempotency-Key header and the body\'s "key" differ: they must be the same delivery key' });
    if (message.system !== system) return answerWith(400, 'refused', { error: 'wrong-system', message: `this is the ${system} system; the message is for "${message.system}" (field system)` });
    if (message.answers.mode !== mode) return answerWith(400, 'refused', { error: 'wrong-answer-mode', message: `this system answers by ${mode}; the message asks for ${message.answers.mode} (field answers.mode): the engine's configuration of ${system} must say "answers": "${mode}"` });
    if (mode === 'callback' && !message.answers.callbackUrl && !options.callbackUrl) return answerWith(400, 'refused', { error: 'no-callback-url', message: 'this system answers by callback: answers.callbackUrl is required' });

    const seen = fingerprints.get(message.key);
    if (seen) {
      if (seen.fingerprint !== fingerprint(message)) return answerWith(409, 'refused', { error: 'key-reused', message: `the key ${message.key} was taken with another message: a resend must be the same message` });
      ledger.act({ key: message.key, dossierCode: message.dossier.code, sequence: parseDeliveryKey(message.key)?.sequence ?? 0 });
      return answerWith(200, 'duplicate', { reference: seen.reference, duplicate: true });
    }
    if (inFlight.has(message.key)) return answerWith(503, 'refused', { error: 'in-progress', message: `the key ${message.key} is being taken right now; try again` });

    const same = (step: HeldStep) => step.dossierCode === message.dossier.code && step.stepId === message.step.stepId && step.run === message.step.run;
    const holding = steps.find(same);
    if (message.kind === 'hand-off' && holding) return answerWith(409, 'refused', { error: 'already-handed-off', message: `step ${message.step.stepId} run ${message.step.run} of this dossier was handed off before under another key (${holding.key}): one hand-off per run` });
    if (message.kind !== 'hand-off' && !holding) return answerWith(409, 'refused', { error: 'not-held', message: `an ${message.kind} for step ${message.step.stepId} run ${message.step.run}, which this system was never handed` });

    inFlight.add(message.key);
    try {
      const links = [
        ...message.dossier.components.flatMap((component) => component.files.map((file, index) => ({ file, label: `dossier.components[${component.componentId}].files[${index}]` }))),
        ...message.step.earlierResults.flatMap((result) => result.files.map((file, index) => ({ file, label: `step.earlierResults[${result.stepId}].files[${index}]` }))),
      ];
      for (const link of links) {
        const failure = await download(message.key, link.file, link.label);
        filesFetched += 1;
        if (failure) return answerWith(failure.status, 'refused', { error: failure.status === 422 ? 'file-not-as-declared' : 'file-unreachable', message: failure.reason });
      }
      recorded = { ...recorded, key: message.key };
      let step = holding;
      if (!step) {
        referenceCount += 1;
        step = {
          dossierCode: message.dossier.code,
          stepId: message.step.stepId,
          run: message.step.run,
          reference: `${prefix}-${new Date().getUTCFullYear()}-${String(referenceCount).padStart(6, '0')}`,
          key: message.key,
          procedureCode: message.dossier.procedure.code,
          agencyCode: message.step.agencyCode,
          callbackUrl: message.answers.callbackUrl ?? null,
          state: 'working',
          message,
          notes: {},
        };
        steps.push(step);
      } else {
        step.message = message;
      }
      fingerprints.set(message.key, { fingerprint: fingerprint(message), reference: step.reference });
      ledger.act({ key: message.key, dossierCode: message.dossier.code, sequence: parseDeliveryKey(message.key)?.sequence ?? 0, detail: { kind: message.kind, stepId: message.step.stepId, run: message.step.run } });
      if (message.kind === 'hand-off') script.handOff(step, context);
      else if (message.kind === 'cancel' && step.state === 'working') {
        // The dossier ended: no more work on it (what was already done still goes out).
        step.state = 'cancelled';
        for (const timer of timers.get(step) ?? []) clearTimeout(timer);
        timers.get(step)?.clear();
        flushIfQuiet(step);
      }
      // An update is recorded (the whole message kept): the scripts send nothing again for it.
      return answerWith(202, 'taken', { reference: step.reference });
    } finally {
      inFlight.delete(message.key);
    }
  });

  // ——— polling ———

  const cursorOf = (index: number) => `c${index}`;
  app.get('/answers', async (request, reply) => {
    if (!bearerMatches(request, options.token)) {
      reply.header('www-authenticate', 'Bearer');
      return problem(reply, 401, 'unauthorized', 'Authorization: Bearer <the token this system issued to the engine> is missing or wrong');
    }
    if (mode !== 'poll') return problem(reply, 404, 'not-polled', `the ${system} system answers by callback; it serves no answers to poll`);
    const query = request.query as Record<string, string | undefined>;
    const after = query.after ?? '';
    let start = 0;
    if (after !== '') {
      const match = /^c(\d{1,9})$/.exec(after);
      if (!match || Number(match[1]) > feed.length) return problem(reply, 400, 'bad-cursor', `after=${JSON.stringify(after.slice(0, 40))} is no cursor this system gave: send the "next" of the last page, or nothing to start`);
      start = Number(match[1]);
    }
    const limitText = query.limit ?? String(MAX_ANSWERS_PER_MESSAGE);
    const limit = Number(limitText);
    if (!/^\d{1,3}$/.test(limitText) || limit < 1 || limit > MAX_ANSWERS_PER_MESSAGE) return problem(reply, 400, 'bad-limit', `limit must be a whole number from 1 to ${MAX_ANSWERS_PER_MESSAGE}`);
    const page = feed.slice(start, start + limit);
    if (page.length > 0 && malformedPages > 0) {
      malformedPages -= 1;
      malformedTurn += 1;
      const answers = page.map((entry) => entry.answer);
      if (malformedTurn % 2 === 1) {
        const { stepId: _stepId, sequence: _sequence, ...rest } = answers[0]!;
        return reply.type('application/json').send(JSON.stringify({ answers: [rest, ...answers.slice(1)], next: cursorOf(start + page.length) }));
      }
      return reply.type('application/json').send(JSON.stringify({ answers, next: cursorOf(start + page.length) }).slice(0, 40));
    }
    for (const entry of page) {
      const record = sentById.get(entry.answer.answerId);
      if (record) record.served += 1;
    }
    return { answers: page.map((entry) => entry.answer), next: page.length > 0 ? cursorOf(start + page.length) : null };
  });

  // ——— controls ———

  app.post('/__faults', async (request, reply) => {
    const parsed = interagencyFaultsSchema.partial().safeParse(request.body ?? {});
    if (!parsed.success) return problem(reply, 400, 'bad-faults', `faults: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')}`);
    return { faults: handle.faults(parsed.data) };
  });
  app.delete('/__faults', async () => ({ faults: handle.faults(NO_INTERAGENCY_FAULTS) }));
  app.get('/__inspect', async () => ({
    system,
    mode,
    faults,
    handOffs: received,
    held: steps.map(({ dossierCode, stepId, run, reference, key, state, notes }) => ({ dossierCode, stepId, run, reference, key, state, notes })),
    answers: sent,
    callbacks: attempts,
    waiting: outgoing.length,
    feed: feed.length,
    fetched,
  }));
  app.get('/__receipts', async () => ({ summary: ledger.summary(), receipts: ledger.receipts() }));
  app.post('/__answer', async (request, reply) => {
    const body = (request.body ?? {}) as { dossierCode?: unknown; stepId?: unknown; answer?: unknown };
    if (typeof body.dossierCode !== 'string') return problem(reply, 400, 'bad-answer', 'dossierCode is required');
    const step = steps.filter((one) => one.dossierCode === body.dossierCode && (body.stepId === undefined || one.stepId === body.stepId)).at(-1);
    if (!step) return problem(reply, 404, 'not-held', `the ${system} system holds no step of ${body.dossierCode}${typeof body.stepId === 'string' ? ` named ${body.stepId}` : ''}`);
    const trial = interagencyAnswerSchema.safeParse({ ...(body.answer as object), answerId: 'x', dossierCode: step.dossierCode, stepId: step.stepId, run: step.run, sequence: 1, at: new Date().toISOString() });
    if (!trial.success) return problem(reply, 400, 'bad-answer', `answer: ${trial.error.issues.map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`).join('; ')}`);
    const { answerId: _a, dossierCode: _d, stepId: _s, run: _r, sequence: _q, at: _t, ...draft } = trial.data;
    return { answers: answer(step, [draft as AnswerDraft]).map(({ answerId, sequence, kind }) => ({ answerId, sequence, kind })) };
  });
  script.routes?.(app, context);

  app.addHook('onClose', async () => {
    closed = true;
    for (const set of timers.values()) for (const timer of set) clearTimeout(timer);
    wake();
  });

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const handle: InteragencyDouble = {
    system,
    url,
    mode,
    app,
    ledger,
    faults(next = {}) {
      faults = interagencyFaultsSchema.parse({ ...faults, ...next });
      wake();
      return faults;
    },
    handOffs: () => [...received],
    held: (dossierCode) => steps.filter((step) => dossierCode === undefined || step.dossierCode === dossierCode),
    answers: (dossierCode) => sent.filter((one) => dossierCode === undefined || one.dossierCode === dossierCode),
    callbacks: () => [...attempts],
    receipts: () => ledger.receipts(),
    summary: () => ledger.summary(),
    answerNow(dossierCode, draft, stepId) {
      const step = steps.filter((one) => one.dossierCode === dossierCode && (stepId === undefined || one.stepId === stepId)).at(-1);
      if (!step) throw new Error(`the ${system} double holds no step of ${dossierCode}`);
      return answer(step, [draft]);
    },
    async drained() {
      while (!closed && (outgoing.length > 0 || pumping)) await (pumping ?? sleep(20));
    },
    async close() {
      closed = true;
      wake();
      await app.close();
    },
  };
  return handle;
}
