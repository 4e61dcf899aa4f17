// The two steps of a feedback item that take files, as multipart forms checked like the public form
// (./feedback-intake-form.ts: fields judged before any file is kept, files judged by their bytes):
// - POST /feedback/{id}/provide-information: reception or the head enter the sender's reply to a
//   request for information that came on paper, by phone, e-mail or in person, with what came with it;
// - POST /feedback/{id}/answer: the head's signed answer, with its attachments (shown to the sender
//   once the answer is theirs to read: GET /lookup/feedback/{id}).
// Without files each takes its fields as a JSON object too. Idempotency-Key and If-Match as the other steps.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import type { StoredFile } from '../../domain/files/file-model.js';
import { callerOf } from '../auth/access.js';
import { type FeedbackCommandRequest, sendFeedbackCommand } from '../commands/send-feedback-command.js';
import { claimIdempotencyAfterUpload, commandIdFor } from '../idempotency.js';
import { withMultipartBody } from '../openapi-responses.js';
import { problemSchema } from '../problem-details.js';
import { ifMatch } from './dossier-commands.js';
import { answerStep, expectedVersionOf, FEEDBACK_COMMAND_ROUTES, feedbackCommandResponse } from './feedback-commands.js';
import { answerForm, FEEDBACK_MAX_FILES, readFeedbackForm, staffInformationForm, withFormBody } from './feedback-intake-form.js';
import { feedbackIdParams } from './feedback-views.js';

export interface FeedbackFileStepRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
}

const ATTACHMENTS = { name: 'attachment', accept: ['application/pdf', 'image/jpeg', 'image/png'], maxFiles: FEEDBACK_MAX_FILES } as const;
const routeOf = (path: 'provide-information' | 'answer') => FEEDBACK_COMMAND_ROUTES.find((route) => route.path === path)!;

export const feedbackFileStepRoutes: FastifyPluginAsyncZod<FeedbackFileStepRoutesDeps> = async (app, deps) => {
  const { db, store } = deps;
  const response = { 200: feedbackCommandResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema };

  /** Sends the step once its form is read and its key claimed; `undefined` when the key's answer was already sent. */
  const send = async (request: FastifyRequest, reply: Parameters<typeof answerStep>[1], step: { readonly feedbackId: string; readonly expected: string | undefined }, fields: object, attachments: readonly StoredFile[], body: object) => {
    if (await claimIdempotencyAfterUpload(request, reply, { fields, attachments: attachments.map((file) => file.sha256) })) return reply;
    const { feedbackId, expected } = step;
    const command = {
      ...body,
      attachments: [...attachments],
      commandId: commandIdFor(request, randomUUID),
      actor: callerOf(request).actor,
      feedbackId,
      ...(expected ? { expectedStreamVersion: expectedVersionOf(expected) } : {}),
    } as FeedbackCommandRequest;
    return answerStep(db, reply, feedbackId, await sendFeedbackCommand({ db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: request.log }, command));
  };

  const information = routeOf('provide-information');
  app.post(
    '/feedback/:id/provide-information',
    {
      schema: {
        summary: information.summary,
        description:
          'multipart/form-data: `content`, `channel` (paper, phone, email, in-person), then up to 5 parts named `attachment` (the letter, a scan of what was handed in), or the fields as a JSON object without files. ' +
          'Taken only while the item waits for information; the item goes back where the request found it and its answer clock starts again (docs/feedback.md#the-four-clocks).',
        tags: ['feedback'],
        params: feedbackIdParams,
        headers: ifMatch,
        response,
      },
      config: {
        access: { roles: information.roles },
        upload: true,
        swaggerTransform: (route) => withFormBody(withMultipartBody(jsonSchemaTransform(route), { ...ATTACHMENTS, accept: [...ATTACHMENTS.accept], description: 'What came with the reply: PDF, JPEG or PNG (judged by the bytes), at most 10 MiB each' }, staffInformationForm), staffInformationForm),
      },
    },
    async (request, reply) => {
      const { fields, attachments } = await readFeedbackForm(request, store, staffInformationForm);
      return send(request, reply, { feedbackId: request.params.id, expected: request.headers['if-match'] }, fields, attachments, { type: 'ProvideFeedbackInformation', content: fields.content, channel: fields.channel });
    },
  );

  const answer = routeOf('answer');
  // Strict: the JSON body carries no attachments of its own (files come as multipart parts); the examples kept.
  const answerJson = answer.body.strict().meta(z.globalRegistry.get(answer.body) ?? {});
  app.post(
    '/feedback/:id/answer',
    {
      schema: {
        summary: answer.summary,
        description:
          'multipart/form-data: `answer`, `signer.fullName`, `signer.title`, `legalBasis`, `publish` (true or false), then up to 5 parts named `attachment` (what the answer encloses: PDF, JPEG, PNG); ' +
          'or, without files, a JSON object `{ answer, signer: { fullName, title }, legalBasis, publish }`. The sender reads the attachments with the answer once it is theirs (published, or at once when private).',
        tags: ['feedback'],
        params: feedbackIdParams,
        headers: ifMatch,
        response,
      },
      config: {
        access: { roles: answer.roles },
        upload: true,
        swaggerTransform: (route) => withFormBody(withMultipartBody(jsonSchemaTransform(route), { ...ATTACHMENTS, accept: [...ATTACHMENTS.accept], description: 'Attachments of the answer: PDF, JPEG or PNG (judged by the bytes), at most 10 MiB each' }, answerForm), answerJson),
      },
    },
    async (request, reply) => {
      if (request.isMultipart()) {
        const { fields, attachments } = await readFeedbackForm(request, store, answerForm);
        const body = {
          type: 'AnswerFeedback',
          answer: fields.answer,
          signer: { fullName: fields['signer.fullName'], title: fields['signer.title'] },
          publish: fields.publish !== 'false',
          ...(fields.legalBasis !== undefined ? { legalBasis: fields.legalBasis } : {}),
        };
        return send(request, reply, { feedbackId: request.params.id, expected: request.headers['if-match'] }, fields, attachments, body);
      }
      const { fields } = await readFeedbackForm(request, store, answerJson);
      return send(request, reply, { feedbackId: request.params.id, expected: request.headers['if-match'] }, fields, [], { type: 'AnswerFeedback', ...fields });
    },
  );
};
