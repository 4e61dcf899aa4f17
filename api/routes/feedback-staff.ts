// Staff's side of feedback and complaints: enter an item that came by paper, phone, e-mail or in
// person on the sender's behalf (POST /feedback-intake; Decision 31/2021/QĐ-TTg art. 43(2): such items
// must be entered), the unit's list and queue (GET /feedback), an item whole with its sender
// (GET /feedback/{id}), its events, its attachments and its signed answer. The steps are in
// ./feedback-commands.ts; the report in ./feedback-report.ts.
import type { Client } from '@temporalio/client';
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { findFeedback, listFeedback, loadFeedback, readFeedbackEvents } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { agencyCodeSchema, type Role } from '../../domain/dossier/actor.js';
import { asFeedbackEvent, FEEDBACK_CATEGORIES, FEEDBACK_CHANNELS } from '../../domain/feedback/events.js';
import { feedbackEventLabel } from '../../domain/feedback/event-labels.js';
import { FEEDBACK_STATUSES, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { callerOf, forbidden } from '../auth/access.js';
import { feedbackSecretFor } from '../auth/feedback-secret.js';
import type { Caller } from '../auth/token-verifier.js';
import { receiveFeedback } from '../commands/send-feedback-command.js';
import { claimIdempotencyAfterUpload, commandIdFor } from '../idempotency.js';
import { fileSchema, withMultipartBody } from '../openapi-responses.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { booleanQuery, sha256Schema } from '../request-schemas.js';
import { sendStoredFile, sendStoredPdf } from './stored-files.js';
import { FEEDBACK_MAX_FILES, readFeedbackForm, staffIntakeForm, submitterOf, withFormBody } from './feedback-intake-form.js';
import { checkFollowUpAnswered } from './feedback-follow-up.js';
import { submitterFor } from './feedback-privacy.js';
import { receivedAnswerSchema } from './feedback-public.js';
import { feedbackIdParams, feedbackNotFound, feedbackRow, feedbackRowSchema, receivedOrNotFound, staffFeedbackView, staffFeedbackViewSchema } from './feedback-views.js';

export interface FeedbackStaffRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  readonly lookupKey: string;
}

/** Who reads feedback items: the staff who handle them and the auditors. */
export const FEEDBACK_READERS: readonly Role[] = ['reception', 'officer', 'head', 'auditor'];
/** Who enters an item on the sender's behalf: reception and the head of the unit. */
export const FEEDBACK_INTAKE_ROLES: readonly Role[] = ['reception', 'head'];

/** Whether the caller's unit has held the item (received it, holds it, or had it transferred through it); auditors read all. */
export function mayReadFeedback(caller: Caller, state: ReceivedFeedback): boolean {
  if (caller.actor.role === 'auditor') return true;
  const unit = caller.actor.agencyCode;
  return state.agencyCode === unit || state.currentAgencyCode === unit || state.transfers.some((transfer) => transfer.fromAgencyCode === unit || transfer.toAgencyCode === unit);
}

const listQuery = z.object({
  unit: agencyCodeSchema.optional().describe('The unit whose items (held now) are listed; the caller\'s own by default. Auditors may name any'),
  status: z
    .string()
    .regex(new RegExp(`^(${FEEDBACK_STATUSES.join('|')})(,(${FEEDBACK_STATUSES.join('|')}))*$`), `must be statuses separated by commas: ${FEEDBACK_STATUSES.join(', ')}`)
    .optional(),
  category: z.enum(FEEDBACK_CATEGORIES).optional(),
  channel: z.enum(FEEDBACK_CHANNELS).optional(),
  open: booleanQuery.optional().describe('true: only items still in the unit\'s hands (the queue); false: only those answered, refused or sent outside'),
  overdue: booleanQuery.optional(),
  dossierCode: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const feedbackStaffRoutes: FastifyPluginAsyncZod<FeedbackStaffRoutesDeps> = async (app, deps) => {
  const { db, store, lookupKey } = deps;

  /** The item if the caller may read it; otherwise the 404 or 403 is sent. */
  const readable = async (request: Parameters<typeof callerOf>[0], reply: Parameters<typeof feedbackNotFound>[0], feedbackId: string) => {
    const loaded = receivedOrNotFound(reply, feedbackId, await loadFeedback(db, feedbackId), false);
    if (!loaded) return undefined;
    if (!mayReadFeedback(callerOf(request), loaded.state)) {
      forbidden(reply, `Feedback item ${feedbackId} is handled by ${loaded.state.currentAgencyCode}; staff of ${callerOf(request).actor.agencyCode} do not read it.`, 'NOT_THE_HANDLING_UNIT');
      return undefined;
    }
    return loaded;
  };

  app.post(
    '/feedback-intake',
    {
      schema: {
        summary: 'Enter an item that came by paper, phone, e-mail or in person, on the sender\'s behalf (reception, head)',
        description:
          'multipart/form-data: the text fields, then up to 5 parts named `attachment` (the scanned letter, say), or the fields as a JSON object without files. `sentAt` is when the sender sent it: the clocks start there, not now. ' +
          'Answers the id and the lookup secret to give the sender. Idempotency-Key makes a retry receive the item once.',
        tags: ['feedback'],
        response: { 201: receivedAnswerSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: {
        access: { roles: FEEDBACK_INTAKE_ROLES },
        upload: true,
        swaggerTransform: (route) =>
          withFormBody(withMultipartBody(jsonSchemaTransform(route), { name: 'attachment', accept: ['application/pdf', 'image/jpeg', 'image/png'], maxFiles: FEEDBACK_MAX_FILES, description: 'A scan of the letter or another file the sender gave: PDF, JPEG or PNG, at most 10 MiB each' }, staffIntakeForm), staffIntakeForm),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // Staff name the item followed up from the record; it must exist and have been answered.
      const form = await readFeedbackForm(request, store, staffIntakeForm, (fields) => checkFollowUpAnswered(db, fields.followUpOf));
      const { fields, attachments } = form;
      if (await claimIdempotencyAfterUpload(request, reply, { fields, attachments: attachments.map((file) => file.sha256) })) return reply;
      const agencyCode = fields.agencyCode ?? caller.actor.agencyCode;
      if (agencyCode !== caller.actor.agencyCode) {
        return forbidden(reply, `Staff of ${caller.actor.agencyCode} enter items received by their own unit, not by ${agencyCode}.`, 'NOT_THE_HANDLING_UNIT');
      }
      const intakeKey = request.idempotency ? `staff/${request.idempotency.caller}/${request.idempotency.key}` : undefined;
      const received = await receiveFeedback(
        { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: request.log },
        {
          request: {
            agencyCode,
            channel: fields.channel,
            submitter: submitterOf(fields),
            title: fields.title,
            content: fields.content,
            attachments,
            ...(fields.sentAt ? { sentAt: fields.sentAt } : {}),
            ...(fields.dossierCode ? { dossierCode: fields.dossierCode } : {}),
            ...(fields.followUpOf ? { followUpOf: fields.followUpOf } : {}),
            ...(fields.externalId ? { externalId: fields.externalId } : {}),
          },
          actor: caller.actor,
          ...(intakeKey ? { intakeKey, commandId: commandIdFor(request, () => intakeKey) } : {}),
        },
      );
      if (received.kind === 'refused') return sendProblem(reply, received.problem);
      const row = await findFeedback(db, received.feedbackId);
      return reply
        .code(201)
        .header('location', `/feedback/${received.feedbackId}`)
        .send({ feedbackId: received.feedbackId, lookupSecret: feedbackSecretFor(lookupKey, received.feedbackId), status: received.answer.status, nationalLabel: row?.national_label ?? 'Tiếp nhận ở địa phương', streamVersion: received.answer.streamVersion });
    },
  );

  app.get(
    '/feedback',
    {
      schema: {
        summary: 'A unit\'s feedback items: the queue (open=true, the clock that runs out first on top) or any list by status, category, channel, dossier',
        tags: ['feedback'],
        querystring: listQuery,
        response: { 200: z.object({ unit: z.string(), items: z.array(feedbackRowSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const query = request.query;
      const unit = query.unit ?? actor.agencyCode;
      if (actor.role !== 'auditor' && unit !== actor.agencyCode) return forbidden(reply, `Staff of ${actor.agencyCode} list their own unit's feedback items, not those of ${unit}.`, 'NOT_THE_HANDLING_UNIT');
      const rows = await listFeedback(db, {
        units: [unit],
        ...(query.status ? { status: query.status.split(',') } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.open ? { open: query.open === 'true' } : {}),
        ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
        ...(query.dossierCode ? { dossierCode: query.dossierCode } : {}),
        limit: query.limit,
      });
      return { unit, items: rows.map(feedbackRow) };
    },
  );

  app.get(
    '/feedback/:id',
    {
      schema: {
        summary: 'A feedback item whole: its sender (personal data), content, attachments, the information exchanged, the answer, its clocks and alerts',
        tags: ['feedback'],
        params: feedbackIdParams,
        response: { 200: staffFeedbackViewSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const item = await readable(request, reply, request.params.id);
      if (!item) return reply;
      reply.header('etag', `"${item.streamVersion}"`);
      const view = staffFeedbackView(item.state, item.events, item.streamVersion, await findFeedback(db, request.params.id));
      return { ...view, submitter: submitterFor(callerOf(request), item.state, view.submitter) };
    },
  );

  app.get(
    '/feedback/:id/events',
    {
      schema: {
        summary: 'A feedback item\'s events, oldest first: who did what when (the sender\'s data included)',
        tags: ['feedback'],
        params: feedbackIdParams,
        response: {
          200: z.object({ feedbackId: z.string(), events: z.array(z.object({ version: z.number().int(), type: z.string(), occurredAt: z.string(), actor: z.object({ userId: z.string(), role: z.string() }).nullable(), label: z.object({ vi: z.string(), en: z.string() }).describe('What happened, in a line'), data: z.record(z.string(), z.unknown()) })) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const item = await readable(request, reply, request.params.id);
      if (!item) return reply;
      const stored = await readFeedbackEvents(db, request.params.id);
      return {
        feedbackId: request.params.id,
        events: stored.map((event) => {
          const actor = (event.metadata as { actor?: { userId: string; role: string } } | null)?.actor;
          const data = event.data as Record<string, unknown>;
          // The reception's sender, as the caller may read them (./feedback-privacy.ts).
          const shown = event.type === 'FeedbackReceived' && data.submitter ? { ...data, submitter: submitterFor(callerOf(request), item.state, data.submitter as { fullName: string }) } : data;
          return { version: event.streamVersion, type: event.type, occurredAt: event.occurredAt.toISOString(), actor: actor ? { userId: actor.userId, role: actor.role } : null, label: feedbackEventLabel(asFeedbackEvent(event)), data: shown };
        }),
      };
    },
  );

  app.get(
    '/feedback/:id/answer.pdf',
    {
      schema: {
        summary: 'The signed answer (văn bản trả lời phản ánh, kiến nghị) as PDF',
        tags: ['feedback'],
        params: feedbackIdParams,
        response: { 200: { description: 'The answer, signed by the unit (PAdES)', content: { 'application/pdf': { schema: fileSchema('application/pdf') } } }, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const feedbackId = request.params.id;
      const item = await readable(request, reply, feedbackId);
      if (!item) return reply;
      const document = item.state.answerDocument;
      if (!document) return sendProblem(reply, { type: 'urn:motcua:problem:feedback-answer-not-available', title: 'No signed answer yet', status: 404, detail: `Feedback item ${feedbackId} has no signed answer yet: it is issued a few seconds after the head answers.` });
      return sendStoredPdf(reply, store, document.file.sha256, `tra-loi-${feedbackId}`, () => feedbackNotFound(reply, feedbackId, false));
    },
  );

  app.get(
    '/feedback/:id/files/:sha256',
    {
      schema: {
        summary: 'A file attached to a feedback item (by the sender, or to the answer), by its digest',
        tags: ['feedback'],
        params: feedbackIdParams.extend({ sha256: sha256Schema }),
        response: { 200: { description: 'The file as it was sent', content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png'].map((type) => [type, { schema: fileSchema(type) }])) }, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const { id: feedbackId, sha256 } = request.params;
      const item = await readable(request, reply, feedbackId);
      if (!item) return reply;
      const files = item.events.flatMap((event) => ('attachments' in event.data ? (event.data.attachments ?? []) : []));
      const file = files.find((candidate) => candidate.sha256 === sha256);
      if (!file) return sendProblem(reply, { type: 'urn:motcua:problem:feedback-file-not-found', title: 'File not found', status: 404, detail: `Feedback item ${feedbackId} has no file ${sha256}.` });
      return sendStoredFile(reply, store, file, `${feedbackId}-tep`, () => feedbackNotFound(reply, feedbackId, false));
    },
  );
};
