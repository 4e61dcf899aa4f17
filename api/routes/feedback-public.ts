// The citizen's side of feedback and complaints (phản ánh, kiến nghị), without an account: send an
// item with attachments (POST /feedback), follow it with the id and the lookup secret given then
// (GET /lookup/feedback/{id}), answer a request for information (POST /lookup/feedback/{id}/information)
// and download the signed answer (GET /lookup/feedback/{id}/answer.pdf) and what it encloses
// (GET /lookup/feedback/{id}/files/{sha256}). Open to the internet: each
// route is rate limited per address before its body is read, files are checked by their bytes, and
// a wrong secret answers exactly like an unknown id. Nothing about the sender is ever answered here.
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadFeedback } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { isReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { feedbackSecretFor, isFeedbackSecret } from '../auth/feedback-secret.js';
import { receiveFeedback, sendFeedbackCommand } from '../commands/send-feedback-command.js';
import { fileSchema, withMultipartBody } from '../openapi-responses.js';
import { ProblemError, problemSchema, sendProblem } from '../problem-details.js';
import { FEEDBACK_MAX_FILES, informationForm, publicFeedbackForm, readFeedbackForm, submitterOf, withFormBody } from './feedback-intake-form.js';
import { answerVisibleToSender, feedbackIdParams, feedbackNotFound, feedbackNotFoundProblem, feedbackSecretSchema, publicFeedbackView, publicFeedbackViewSchema, receivedOrNotFound } from './feedback-views.js';
import { sendStoredFile, sendStoredPdf } from './stored-files.js';
import { checkFollowUpAnswered, checkFollowUpSecret } from './feedback-follow-up.js';
import { sha256Schema } from '../request-schemas.js';

export interface FeedbackPublicRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  readonly lookupKey: string;
  /** Items one address may send a minute (10 by default); lookups may be six times as many. */
  readonly submissionsPerMinute?: number;
}

const ATTACHMENT_PART = { name: 'attachment', accept: ['application/pdf', 'image/jpeg', 'image/png'], maxFiles: FEEDBACK_MAX_FILES, description: 'Tệp đính kèm: PDF, JPEG or PNG (judged by the bytes), at most 10 MiB and 50 pages each; send the text fields before the files' };

export const receivedAnswerSchema = z.object({
  feedbackId: z.string(),
  lookupSecret: z.string().describe('Mã tra cứu: keep it with the feedback id to follow the item (GET /lookup/feedback/{id}?secret=)'),
  status: z.string(),
  nationalLabel: z.string(),
  streamVersion: z.number().int(),
});

const lookupQuery = z.object({ secret: feedbackSecretSchema });
const notFoundProblem = feedbackNotFoundProblem('', true);

export const feedbackPublicRoutes: FastifyPluginAsyncZod<FeedbackPublicRoutesDeps> = async (app, deps) => {
  const { db, store, lookupKey } = deps;
  const perMinute = deps.submissionsPerMinute ?? 10;
  // Per address, before the body is read: a flood of uploads is turned away before it is streamed.
  const submissions = { max: perMinute, timeWindow: '1 minute', hook: 'onRequest' as const, keyGenerator: (request: { ip: string }) => `feedback-submit:${request.ip}` };
  const lookups = { max: perMinute * 6, timeWindow: '1 minute', hook: 'onRequest' as const, keyGenerator: (request: { ip: string }) => `feedback-lookup:${request.ip}` };
  const commandDeps = (log: Parameters<typeof sendFeedbackCommand>[0]['log']) => ({ db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log });

  /** The item behind an id and a secret, or the 404 already sent. */
  const itemFor = async (reply: FastifyReply, feedbackId: string, secret: string) => {
    // The secret first, by its HMAC alone: a wrong one answers before the log is read, the same for
    // an id that exists and one that does not.
    const loaded = isFeedbackSecret(lookupKey, feedbackId, secret) ? await loadFeedback(db, feedbackId) : undefined;
    return receivedOrNotFound(reply, feedbackId, loaded, true);
  };

  app.post(
    '/feedback',
    {
      schema: {
        summary: 'Send feedback or a complaint (phản ánh, kiến nghị) to a unit; no account. Answers the item\'s id and its lookup secret',
        description:
          'multipart/form-data: the text fields, then up to 5 parts named `attachment` (or, without files, the fields as a JSON object). No token, rate limited per address. ' +
          'The item is received at once (status waiting-to-receive) and the unit\'s clocks start: refusal within 2 working days, answer within 15 (docs/citizens.md#sending-feedback-or-a-complaint).',
        tags: ['feedback'],
        security: [],
        response: { 201: receivedAnswerSchema, 400: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: {
        access: { public: true },
        upload: true,
        rateLimit: submissions,
        swaggerTransform: (route) => withFormBody(withMultipartBody(jsonSchemaTransform(route), ATTACHMENT_PART, publicFeedbackForm), publicFeedbackForm),
      },
    },
    async (request, reply) => {
      // A follow-up is the sender's own (the earlier item's secret) and of an answered item: judged before any file is kept.
      const form = await readFeedbackForm(request, store, publicFeedbackForm, async (fields) => {
        checkFollowUpSecret(lookupKey, fields);
        await checkFollowUpAnswered(db, fields.followUpOf);
      });
      const { fields, attachments } = form;
      const received = await receiveFeedback(commandDeps(request.log), {
        request: {
          agencyCode: fields.agencyCode,
          channel: 'online-form',
          submitter: submitterOf(fields),
          title: fields.title,
          content: fields.content,
          attachments,
          ...(fields.dossierCode ? { dossierCode: fields.dossierCode } : {}),
          ...(fields.followUpOf ? { followUpOf: fields.followUpOf } : {}),
        },
        actor: { userId: 'citizen:public-form', role: 'citizen', agencyCode: fields.agencyCode },
      });
      if (received.kind === 'refused') return sendProblem(reply, received.problem);
      const { feedbackId, answer } = received;
      const loaded = await loadFeedback(db, feedbackId);
      const nationalLabel = loaded && isReceivedFeedback(loaded.state) ? publicFeedbackView(loaded.state, loaded.events).nationalLabel : 'Tiếp nhận ở địa phương';
      return reply
        .code(201)
        .header('location', `/lookup/feedback/${feedbackId}`)
        .send({ feedbackId, lookupSecret: feedbackSecretFor(lookupKey, feedbackId), status: answer.status, nationalLabel, streamVersion: answer.streamVersion });
    },
  );

  app.get(
    '/lookup/feedback/:id',
    {
      schema: {
        summary: 'Follow a feedback item with its id and lookup secret: status, national label, dates, the question asked, the answer; no token, no personal data',
        tags: ['feedback'],
        security: [],
        params: feedbackIdParams,
        querystring: lookupQuery,
        response: { 200: publicFeedbackViewSchema, 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config: { access: { public: true }, rateLimit: lookups },
    },
    async (request, reply) => {
      const item = await itemFor(reply, request.params.id, request.query.secret);
      if (!item) return reply;
      return publicFeedbackView(item.state, item.events);
    },
  );

  app.post(
    '/lookup/feedback/:id/information',
    {
      schema: {
        summary: 'Give the information the unit asked for (bổ sung thông tin), with the lookup secret; no token',
        description: 'multipart/form-data: `secret`, `content`, then up to 5 parts named `attachment`. Taken only while the item waits for information (its question is in GET /lookup/feedback/{id}).',
        tags: ['feedback'],
        security: [],
        params: feedbackIdParams,
        response: { 200: publicFeedbackViewSchema, 400: problemSchema, 404: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: {
        access: { public: true },
        upload: true,
        rateLimit: submissions,
        swaggerTransform: (route) => withFormBody(withMultipartBody(jsonSchemaTransform(route), ATTACHMENT_PART, informationForm), informationForm),
      },
    },
    async (request, reply) => {
      const feedbackId = request.params.id;
      // A wrong secret keeps no file: it is judged (by its HMAC alone) before the files are committed.
      const form = await readFeedbackForm(request, store, informationForm, (fields) => {
        if (!isFeedbackSecret(lookupKey, feedbackId, fields.secret)) throw new ProblemError(notFoundProblem);
      });
      const item = await itemFor(reply, feedbackId, form.fields.secret);
      if (!item) return reply;
      const outcome = await sendFeedbackCommand(commandDeps(request.log), {
        type: 'ProvideFeedbackInformation',
        commandId: informationCommandId(feedbackId, item.events, form.fields.content, form.attachments),
        actor: { userId: `citizen:${feedbackId}`, role: 'citizen', agencyCode: item.state.agencyCode },
        feedbackId,
        content: form.fields.content,
        attachments: form.attachments,
      });
      if (outcome.kind === 'unknown-feedback') return feedbackNotFound(reply, feedbackId, true);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      const after = await loadFeedback(db, feedbackId);
      if (!after || !isReceivedFeedback(after.state)) return feedbackNotFound(reply, feedbackId, true);
      return publicFeedbackView(after.state, after.events);
    },
  );

  app.get(
    '/lookup/feedback/:id/answer.pdf',
    {
      schema: {
        summary: 'The signed answer (văn bản trả lời phản ánh, kiến nghị) as PDF, with the lookup secret; once the answer is the sender\'s to read',
        tags: ['feedback'],
        security: [],
        params: feedbackIdParams,
        querystring: lookupQuery,
        response: { 200: { description: 'The answer, signed by the unit (PAdES)', content: { 'application/pdf': { schema: fileSchema('application/pdf') } } }, 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config: { access: { public: true }, rateLimit: lookups },
    },
    async (request, reply) => {
      const feedbackId = request.params.id;
      const item = await itemFor(reply, feedbackId, request.query.secret);
      if (!item) return reply;
      const document = item.state.answerDocument;
      if (!document || !answerVisibleToSender(item.state)) {
        return sendProblem(reply, { type: 'urn:motcua:problem:feedback-answer-not-available', title: 'No answer to download yet', status: 404, detail: `Feedback item ${feedbackId} has no signed answer the sender can read yet: it is there once the answer is published (or at once when it is addressed to the sender alone).` });
      }
      return sendStoredPdf(reply, store, document.file.sha256, `tra-loi-${feedbackId}`, () => feedbackNotFound(reply, feedbackId, true));
    },
  );

  app.get(
    '/lookup/feedback/:id/files/:sha256',
    {
      schema: {
        summary: 'A file the answer encloses, by its digest (as GET /lookup/feedback/{id} lists it), with the lookup secret; once the answer is the sender\'s to read',
        tags: ['feedback'],
        security: [],
        params: feedbackIdParams.extend({ sha256: sha256Schema }),
        querystring: lookupQuery,
        response: { 200: { description: 'The file as the unit attached it', content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png'].map((type) => [type, { schema: fileSchema(type) }])) }, 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config: { access: { public: true }, rateLimit: lookups },
    },
    async (request, reply) => {
      const { id: feedbackId, sha256 } = request.params;
      const item = await itemFor(reply, feedbackId, request.query.secret);
      if (!item) return reply;
      // Only the answer's own files, and only once the sender may read the answer: never another party's.
      const file = answerVisibleToSender(item.state) ? item.state.answer?.attachments.find((candidate) => candidate.sha256 === sha256) : undefined;
      if (!file) return sendProblem(reply, { type: 'urn:motcua:problem:feedback-file-not-found', title: 'File not found', status: 404, detail: `The answer to feedback item ${feedbackId} encloses no file ${sha256} the sender can read (yet): the answer's files are listed in GET /lookup/feedback/{id} once it is published.` });
      return sendStoredFile(reply, store, file, `tra-loi-${feedbackId}-tep`, () => feedbackNotFound(reply, feedbackId, true));
    },
  );
};

/**
 * The command id of the sender's reply: the item, the stream version of the request it answers and a
 * digest of what it says, so a retry after a timeout (the same reply to the same request) is the same
 * command and gets the first one's answer instead of a refusal, and a different reply is a new one.
 */
export function informationCommandId(feedbackId: string, events: readonly { readonly type: string }[], content: string, attachments: readonly { readonly sha256: string }[]): string {
  // Stream versions run from 1 in the order of the events.
  const requestVersion = events.findLastIndex((event) => event.type === 'FeedbackInformationRequested') + 1;
  const digest = createHash('sha256').update(JSON.stringify([content, attachments.map((file) => file.sha256)])).digest('hex').slice(0, 32);
  return `citizen/${feedbackId}/information/${requestVersion}/${digest}`;
}
