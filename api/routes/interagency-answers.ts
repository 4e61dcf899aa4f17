// What the outside systems answer about the steps they carry out (docs/integrations.md#answers-from-the-systems):
// POST /interagency/{system}/answers, the systems' signed callback, and GET
// /dossiers/{code}/interagency-answers, the inbox of one dossier for its operators and auditors.
// A callback is checked in this order, and nothing is stored unless it passes all: the system is
// one the engine knows (400) and the deployment configures (404), the signature covers the raw body with a fresh time (401, logged with the
// system and the reason only), the body is JSON (400) of the answers' contract (400, the field
// path), every file is what it says (422, the file rule). Then every answer is stored in one
// transaction (a resend is recognised; a changed resend refuses the whole message, 409), and only
// then applied, lane by lane (activities/interagency-answers.ts); what cannot be applied now stays
// stored for the relay's sweep.
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { applyLane, type LaneOutcome } from '../../activities/interagency-answers.js';
import { AnswerChanged, changedResends, dossierAnswers, storeAnswers } from '../../db/interagency/answers.js';
import { agencyTakesPartInDossier, dossierExists } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import type { Role } from '../../domain/dossier/actor.js';
import { answerBatchSchema } from '../../domain/interagency/answer.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';
import { answerDigest, prepareAnswers } from '../../integrations/interagency/answer-files.js';
import { SIGNATURE_HEADER, verifyAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import { callbackSecretsOf, holdMsOf, type InteragencyInbound } from '../../integrations/interagency/inbound-config.js';
import { recordInteragencyAnswer } from '../../platform/metrics.js';
import { callerOf } from '../auth/access.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams } from '../request-schemas.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

/** A callback's largest body: 50 answers, a file of up to 10 MiB (base64) among them. */
export const INTERAGENCY_ANSWERS_BODY_LIMIT = 16 * 1024 * 1024;

/** Who reads a dossier's answers: as for its deliveries (api/routes/deliveries.ts). */
export const INTERAGENCY_ANSWER_READERS: readonly Role[] = ['admin', 'auditor', 'head'];

export interface InteragencyAnswerRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  /** The connected systems; absent or without a system: its callbacks answer 404. */
  readonly interagency?: InteragencyInbound;
}

/** The callback's body as documented, with its example (the fuzz starts from it). */
export const callbackBodySchema = answerBatchSchema.meta({
  examples: [
    {
      answers: [
        { answerId: 'ldr-2026-000123', dossierCode: '000.00.31.H38-261201-0001', stepId: 'land-registration', run: 1, sequence: 1, at: '2026-12-03T09:00:00+07:00', kind: 'progress', status: 'Đang đo đạc' },
        { answerId: 'ldr-2026-000124', dossierCode: '000.00.31.H38-261201-0001', stepId: 'land-registration', run: 1, sequence: 2, at: '2026-12-04T15:30:00+07:00', kind: 'completed', note: 'Đã cập nhật biến động' },
      ],
    },
  ],
});

const CALLBACK_OUTCOMES = ['applied', 'duplicate', 'held', 'refused', 'stored'] as const;

const resultSchema = z.object({
  answerId: z.string(),
  outcome: z.enum(CALLBACK_OUTCOMES).describe('applied: recorded on the dossier; duplicate: already received (a resend), or its sequence already done; held: waits for its predecessor; refused: a rule of the dossier refused it (code, message), kept; stored: kept, applied later'),
  code: z.string().optional(),
  message: z.string().optional(),
});

const inboxItem = z.object({
  system: z.string(),
  answerId: z.string(),
  stepId: z.string(),
  run: z.number().int(),
  sequence: z.number().int(),
  kind: z.string(),
  via: z.enum(['callback', 'poll']),
  receivedAt: z.string(),
  status: z.enum(['pending', 'held', 'applied', 'duplicate-content', 'refused']),
  outcomeCode: z.string().nullable(),
  outcomeMessage: z.string().nullable(),
  commandId: z.string(),
  appliedAt: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  answer: z.record(z.string(), z.unknown()).describe("The answer as kept: its file, if any, named by its digest in the document store, never its bytes"),
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The callback's system, once its signature is checked. */
    interagencySystem?: InteragencySystem;
  }
}

export const interagencyAnswerRoutes: FastifyPluginAsyncZod<InteragencyAnswerRoutesDeps> = async (app, deps) => {
  const { db, interagency } = deps;

  /** Before the schema sees the body: the system, then its signature over the raw bytes, then JSON. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const name = (request.params as { system?: string }).system ?? '';
    // A name the engine does not know at all is a bad path (400, params.system, from the schema below).
    if (!(INTERAGENCY_SYSTEMS as readonly string[]).includes(name)) return undefined;
    const system = name as InteragencySystem;
    const settings = interagency?.systems[system];
    if (!settings?.callbackSecret) {
      return sendProblem(reply, codedProblem('INTERAGENCY_SYSTEM_NOT_CONFIGURED', `No system named ${name.slice(0, 50)} answers by callback here: this deployment connects ${Object.keys(interagency?.systems ?? {}).join(', ') || 'none'}.`));
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[SIGNATURE_HEADER];
    const verdict = verifyAnswerCallback(callbackSecretsOf(settings), Array.isArray(header) ? header.join(',') : header, raw, Math.floor(Date.now() / 1000));
    if (!verdict.ok) {
      request.log.warn({ system, reason: verdict.reason }, 'interagency callback refused: bad signature');
      const why = { missing: 'the X-Motcua-Signature header is missing', malformed: 'the X-Motcua-Signature header is not t=<unix seconds>,v1=<64 hex digits> (with at most 4 v1 values)', expired: 'its time t is more than 300 s from the engine\'s clock (a replay, or a sender whose clock is wrong)', mismatch: 'it does not match the body with the secret agreed for this system (nor the previous one, while a rotation keeps it)' }[verdict.reason];
      return sendProblem(reply, codedProblem('INTERAGENCY_SIGNATURE_INVALID', `The callback's signature is refused: ${why}. Nothing was stored.`));
    }
    try {
      request.body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      return sendProblem(reply, { type: 'urn:motcua:problem:malformed-json', title: 'The body is not valid JSON', status: 400, detail: 'The request body could not be read as JSON. Send the answers as a JSON object with Content-Type: application/json; nothing was stored.' });
    }
    request.interagencySystem = system;
    return undefined;
  };

  await app.register(async (scope) => {
    // This route alone reads its JSON raw: the signature covers the exact bytes sent.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: INTERAGENCY_ANSWERS_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/interagency/:system/answers',
      {
        bodyLimit: INTERAGENCY_ANSWERS_BODY_LIMIT,
        schema: {
          summary: "An outside system's answers about the steps it carries out (callback), signed with HMAC-SHA256: stored, then applied in the system's sequence order",
          description:
            'Header `X-Motcua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(callback secret, "<t>.<raw body>")>`, within 300 s of receipt. Refused, with nothing stored: a system name the engine does not know (400), a system this deployment does not configure (404), a missing or bad signature (401), a body over 16 MiB (413), a body that is not the contract (400, with the field path), a file that is not what it declares (415 or 422, the file rule’s code), an answer id sent before with another content (409). docs/integrations.md#answers-from-the-systems.',
          tags: ['interagency'],
          security: [{ interagencySignature: [] }],
          params: z.object({ system: z.enum(INTERAGENCY_SYSTEMS) }),
          body: callbackBodySchema,
          response: { 200: z.object({ results: z.array(resultSchema) }), 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema },
        },
        // Limited per address before the body is read, so a flood of unsigned callbacks is limited too.
        config: { access: { public: true }, rateLimit: { hook: 'onRequest' } },
        preValidation: authenticate,
      },
      async (request, reply) => {
        const system = request.interagencySystem!;
        const { answers } = request.body;
        const refuseChanged = (answerIds: readonly string[]) => {
          request.log.warn({ system, answerIds }, 'interagency callback refused: an answer id sent again with another content');
          for (const _id of answerIds) recordInteragencyAnswer(system, 'changed');
          return sendProblem(reply, codedProblem('INTERAGENCY_ANSWER_CHANGED', `Answers ${answerIds.join(', ')} were received before with another content; an answer never changes. Nothing of this message was stored.`, { errors: answerIds.map((id) => ({ field: `body.answers.${answers.findIndex((answer) => answer.answerId === id)}`, message: 'was received before with another content' })) }));
        };
        // A changed resend is refused once the message's files are checked but before any is
        // committed, so a refused message leaves no file in the store. The store's own check below
        // still refuses one that two messages race to (its files, content-addressed, may then stay unreferenced).
        const refuseChangedResends = async () => {
          const changed = await changedResends(db, system, answers.map((answer) => ({ answerId: answer.answerId, bodySha256: answerDigest(answer) })));
          if (changed.length > 0) throw new AnswerChanged(changed);
        };
        let verdicts;
        try {
          const prepared = await prepareAnswers(deps.store, system, answers, (index) => `body.answers.${index}.file.contentBase64`, refuseChangedResends);
          verdicts = await storeAnswers(db, system, 'callback', prepared, { onChanged: 'refuse' });
        } catch (error) {
          if (!(error instanceof AnswerChanged)) throw error;
          return refuseChanged(error.answerIds);
        }
        for (const verdict of verdicts) recordInteragencyAnswer(system, verdict === 'stored' ? 'stored' : 'duplicate');
        const outcomes = new Map<string, LaneOutcome>();
        // A resend's lane too: the first sending may have been stored and not applied (the system retries).
        const lanes = [...new Set(answers.map((answer) => answer.dossierCode))];
        for (const dossierCode of lanes) {
          try {
            const applied = await applyLane({ db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: request.log, holdMsOf: (name) => holdMsOf(interagency, name) }, system, dossierCode);
            for (const [answerId, outcome] of applied ?? []) outcomes.set(answerId, outcome);
          } catch (error) {
            // Stored: the sweep applies it. The system is told so.
            request.log.warn({ system, dossierCode, err: error }, 'interagency answers stored but not applied now; the sweep applies them');
          }
        }
        return {
          results: answers.map((answer, index) => {
            if (verdicts[index] === 'duplicate') return { answerId: answer.answerId, outcome: 'duplicate' as const };
            const outcome = outcomes.get(answer.answerId) ?? { outcome: 'stored' as const };
            return { answerId: answer.answerId, ...outcome };
          }),
        };
      },
    );
  });

  app.get(
    '/dossiers/:code/interagency-answers',
    {
      schema: {
        summary: "What the outside systems answered about a dossier's steps, newest first: each answer as kept (files by digest), and what became of it",
        tags: ['interagency'],
        params: dossierCodeParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
        response: { 200: z.object({ dossierCode: z.string(), items: z.array(inboxItem) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: INTERAGENCY_ANSWER_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const code = request.params.code;
      const exists = await dossierExists(db, code);
      if (actor.role === 'head') {
        if (!exists) return dossierNotFound(reply, code);
        if (!(await agencyTakesPartInDossier(db, actor.agencyCode, code))) return notYourDossier(reply, code);
      }
      const rows = await dossierAnswers(db, code, request.query.limit);
      if (!exists && rows.length === 0) return dossierNotFound(reply, code);
      return {
        dossierCode: code,
        items: rows.map(({ dossierCode: _dossier, body, receivedAt, appliedAt, ...row }) => ({ ...row, receivedAt: receivedAt.toISOString(), appliedAt: appliedAt?.toISOString() ?? null, answer: body as Record<string, unknown> })),
      };
    },
  );
};

