// Idempotency-Key on POST: the first request with a key runs and its answer is kept; a retry with
// the same key and body gets that answer again (header `idempotent-replayed: true`); the same key
// with another body is refused (422). Concurrent duplicates wait for the first to finish. Keys are
// scoped by the caller, and the key is also the command's id and Temporal update id, so even a
// request whose answer was lost in a crash acts once when it is retried.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { allocatedUnderKey, claimIdempotencyKey, findIdempotencyKey, keepAllocation, keepAnswer, releaseIdempotencyKey, sweepIdempotencyKeys, takeOverStaleClaim } from '../db/idempotency-keys.js';
import type { Database } from '../db/schema.js';
import { feedbackSecretFor } from './auth/feedback-secret.js';
import { lookupSecretFor } from './auth/lookup-secret.js';
import { invalidRequest } from './invalid-request.js';
import { IDEMPOTENCY_KEY_PATTERN } from './request-schemas.js';
import { ruleRefused, sendProblem } from './problem-details.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { caller: string; key: string } | null;
  }
  interface FastifyInstance {
    /** api/idempotency.ts: claims a multipart request's key once its body is read (claimIdempotencyAfterUpload). */
    claimIdempotencyAfterUpload: (request: FastifyRequest, reply: FastifyReply, body: unknown) => Promise<boolean>;
  }
}

/** Headers a replay repeats: where the created dossier is, and its version. */
const REPLAYED_HEADERS = ['location', 'etag'];

/** The command id for a keyed request: the key, scoped by who sent it. */
export function commandIdFor(request: { idempotency: { caller: string; key: string } | null }, fallback: () => string): string {
  return request.idempotency ? `${request.idempotency.caller}/${request.idempotency.key}` : fallback();
}

export function registerIdempotency(app: FastifyInstance, db: Kysely<Database>, lookupKey: string, commandTimeoutMs: number): void {
  app.decorateRequest('idempotency', null);
  // A first attempt may wait for its workflow up to the command timeout: a duplicate waits a little
  // longer for its answer, and a claim is stale (its process died) only after both.
  const waitForFirstMs = commandTimeoutMs + 5_000;
  const staleClaimMs = Math.max(30_000, commandTimeoutMs + 10_000);

  const claimKey = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || !request.caller) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      return invalidRequest(reply, 'The Idempotency-Key header must be 1 to 200 visible ASCII characters, e.g. a UUID.', { field: 'headers.idempotency-key', message: 'must be 1 to 200 visible ASCII characters' });
    }
    // A multipart body is still unread here (it is streamed by the handler, api/uploads.ts): a hash
    // without it would replay the first answer to a retry with another file. The handler claims the
    // key once it has read the body, with what it read (claimIdempotencyAfterUpload).
    if (isDeferred(request)) return;
    return claim(request, reply, key, request.body ?? null);
  };

  const claim = async (request: FastifyRequest, reply: FastifyReply, key: string, body: unknown): Promise<FastifyReply | undefined> => {
    const scoped = { caller: request.caller?.actor.userId ?? 'anonymous', key };
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ route: request.routeOptions.url, url: request.url, ifMatch: request.headers['if-match'] ?? null, body }))
      .digest('hex');
    const deadline = Date.now() + waitForFirstMs;
    for (;;) {
      if (await claimIdempotencyKey(db, scoped, requestHash)) {
        request.idempotency = scoped;
        return;
      }
      const stored = await findIdempotencyKey(db, scoped);
      if (!stored) continue; // released between our insert and read: claim it again
      if (stored.request_hash !== requestHash) {
        return sendProblem(reply, ruleRefused('IDEMPOTENCY_KEY_REUSED', `The Idempotency-Key ${key} was already used for a different request; use a new key for a new request.`));
      }
      if (stored.status_code !== null) {
        const { contentType, body, headers } = stored.response as { contentType: string; body: Record<string, unknown>; headers?: Record<string, string> };
        const { lookupSecretDerived, ...rest } = body ?? {};
        // A feedback item's secret is its own (api/auth/feedback-secret.ts); a dossier's is the receipt's.
        const secret = typeof rest.feedbackId === 'string' ? feedbackSecretFor(lookupKey, rest.feedbackId) : lookupSecretFor(lookupKey, String(rest.dossierCode));
        const replayed = lookupSecretDerived === true ? { ...rest, lookupSecret: secret } : body;
        return reply.code(stored.status_code).headers(headers ?? {}).header('idempotent-replayed', 'true').type(contentType).send(replayed);
      }
      // The first attempt died before answering (or was released after a failure). Its command id
      // is the same, so running again cannot act twice: the workflow answers a repeated command id
      // with its first outcome. The database decides staleness, so only one retry takes over.
      if (await takeOverStaleClaim(db, scoped, staleClaimMs)) {
        request.idempotency = scoped;
        return;
      }
      if (Date.now() > deadline) {
        return sendProblem(reply, {
          type: 'urn:motcua:problem:in-progress',
          title: 'The same request is still in progress',
          status: 409,
          detail: `A request with Idempotency-Key ${key} is still being processed; retry in a few seconds to get its answer.`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  app.decorate('claimIdempotencyAfterUpload', async (request: FastifyRequest, reply: FastifyReply, body: unknown) => {
    if (!isDeferred(request) || request.idempotency) return false;
    const header = request.headers['idempotency-key'];
    // Not the reply itself: a FastifyReply is a thenable, which an async function's promise would adopt.
    await claim(request, reply, Array.isArray(header) ? header[0]! : header!, body);
    return reply.sent;
  });
  // Per route, after the rate limiter's own hook: a request the limiter turns away keeps no key.
  app.addHook('onRoute', (route) => {
    if ([route.method].flat().includes('POST')) route.preHandler = [...[route.preHandler ?? []].flat(), claimKey];
  });
  const sweep = setInterval(() => {
    sweepIdempotencyKeys(db).catch((error: unknown) => app.log.warn({ err: error }, 'idempotency sweep failed'));
  }, 60 * 60 * 1000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.idempotency) return payload;
    // Answers that depend on the moment (a server fault, an overloaded or unreachable service, a
    // conflict worth retrying) are not kept: the retry runs again.
    if (reply.statusCode >= 500 || reply.statusCode === 409 || reply.statusCode === 429) {
      // Released for an immediate retry, keeping what was allocated (the dossier code).
      await releaseIdempotencyKey(db, request.idempotency);
      return payload;
    }
    const contentType = String(reply.getHeader('content-type') ?? 'application/json').split(';')[0]!;
    const parsed = typeof payload === 'string' ? JSON.parse(payload) : payload;
    // An acceptance's answer holds the receipt's lookup secret: it is derived again on replay
    // rather than kept in this table.
    const { lookupSecret, ...withoutSecret } = (parsed ?? {}) as { lookupSecret?: string };
    const body = lookupSecret === undefined ? parsed : { ...withoutSecret, lookupSecretDerived: true };
    const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (reply.getHeader(name) === undefined ? [] : [[name, String(reply.getHeader(name))]])));
    await keepAnswer(db, request.idempotency, reply.statusCode, { contentType, body, headers });
    return payload;
  });
}

/** A keyed multipart POST on a route that streams its upload: its key is claimed by the handler, once the body is read. */
function isDeferred(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.caller !== null && request.headers['idempotency-key'] !== undefined && request.routeOptions.config?.upload === true && request.isMultipart();
}

/**
 * Claims a multipart request's Idempotency-Key with what its body held (the text fields and each
 * file's digest), once the handler has read it: a retry with the same fields and files replays the
 * first answer, one with another file is refused (422 IDEMPOTENCY_KEY_REUSED). Answers true when it
 * sent the answer itself (a replay, a refusal, a claim still in progress): the handler then stops. Call it
 * before the command id is taken (commandIdFor). A refusal while reading the body (a file refused)
 * is not kept under the key, so a corrected resend under the same key runs.
 */
export function claimIdempotencyAfterUpload(request: FastifyRequest, reply: FastifyReply, body: unknown): Promise<boolean> {
  const claimer = (request.server as { claimIdempotencyAfterUpload?: FastifyInstance['claimIdempotencyAfterUpload'] }).claimIdempotencyAfterUpload;
  return claimer ? claimer(request, reply, body) : Promise.resolve(false);
}

/** What an earlier attempt under this request's key allocated, if it did. */
export async function rememberedResource<T>(db: Kysely<Database>, request: { idempotency: { caller: string; key: string } | null }): Promise<T | undefined> {
  if (!request.idempotency) return undefined;
  return (await allocatedUnderKey(db, request.idempotency)) as T | undefined;
}

/** Keeps what this attempt allocated, before acting on it, so a retry after a failure reuses it. */
export async function rememberResource(db: Kysely<Database>, request: { idempotency: { caller: string; key: string } | null }, resource: unknown): Promise<void> {
  if (!request.idempotency) return;
  await keepAllocation(db, request.idempotency, resource);
}
