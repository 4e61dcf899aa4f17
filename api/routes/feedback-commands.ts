// One thin route per step of a feedback item: POST /feedback/{id}/<step>. Each builds the command
// from the body, the caller and the path, sends it to the item's workflow
// (api/commands/send-feedback-command.ts: the rules answer there) and answers the outcome. The rules
// say who of the handling unit may take which step (only its head answers); the route admits the
// roles that may ever take it.
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import type { Role } from '../../domain/dossier/actor.js';
import {
  acceptFeedbackSchema,
  answerFeedbackSchema,
  classifyFeedbackSchema,
  provideFeedbackInformationSchema,
  publishFeedbackSchema,
  refuseFeedbackSchema,
  requestFeedbackInformationSchema,
  transferFeedbackSchema,
} from '../../domain/feedback/commands.js';
import { feedbackCommandAvailability } from '../../domain/feedback/decide-feedback.js';
import { isReceivedFeedback, NATIONAL_FEEDBACK_LABEL } from '../../domain/feedback/feedback-state.js';
import { DOMAIN_ERROR_CODES } from '../../domain/dossier/errors.js';
import { findFeedback, loadFeedback } from '../../db/feedback/feedback-queries.js';
import { callerOf, forbidden } from '../auth/access.js';
import { type FeedbackCommandRequest, type FeedbackCommandResult, sendFeedbackCommand } from '../commands/send-feedback-command.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { ifMatch, routeCommand } from './dossier-commands.js';
import { feedbackIdParams, feedbackNotFound } from './feedback-views.js';
import { FEEDBACK_READERS, mayReadFeedback } from './feedback-staff.js';

export interface FeedbackCommandRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  /** Where the files of the steps that take them (./feedback-file-steps.ts) are kept. */
  readonly store: DocumentStore;
}

const envelope = { type: true, commandId: true, actor: true, feedbackId: true, expectedStreamVersion: true } as const;
const HANDLERS: readonly Role[] = ['reception', 'officer', 'head'];
const INTAKE: readonly Role[] = ['reception', 'head'];

/** Path segment, summary, body and roles of every step a person takes on an item. */
export const FEEDBACK_COMMAND_ROUTES = [
  { path: 'classify', type: 'ClassifyFeedback', roles: HANDLERS, summary: 'Classify the item (766 §5.1: regulation, procedure, staff conduct); may name the dossier it is about', body: classifyFeedbackSchema.omit(envelope).meta({ examples: [{ category: 'procedure', dossierCode: '000.01.01.H99-261201-0007' }] }) },
  { path: 'accept', type: 'AcceptFeedback', roles: HANDLERS, summary: 'Take the item in for handling (xử lý ở địa phương): the refusal window closes', body: acceptFeedbackSchema.omit(envelope).meta({ examples: [{}] }) },
  { path: 'transfer', type: 'TransferFeedback', roles: HANDLERS, summary: 'Send the item to the competent body: judged on the refusal clock, within 2 working days of the sending or the latest transfer (766 §5.2); its clocks start again there', body: transferFeedbackSchema.omit({ ...envelope, outside: true }).meta({ examples: [{ toAgencyCode: '000.30.99.H99', reason: 'Thuộc thẩm quyền giải quyết của cơ quan thuế' }] }) },
  { path: 'refuse', type: 'RefuseFeedback', roles: HANDLERS, summary: 'Refuse the item (Từ chối tiếp nhận), with the reason told to the sender: within 2 working days', body: refuseFeedbackSchema.omit(envelope).meta({ examples: [{ reason: 'Nội dung không thuộc phạm vi tiếp nhận phản ánh, kiến nghị về quy định hành chính', legalBasis: 'Nghị định 20/2008/NĐ-CP, Điều 11' }] }) },
  { path: 'request-information', type: 'RequestFeedbackInformation', roles: HANDLERS, summary: 'Ask the sender for more information (PA chờ bổ sung): the first within 5 working days', body: requestFeedbackInformationSchema.omit(envelope).meta({ examples: [{ question: 'Đề nghị Ông/Bà cho biết mã hồ sơ và ngày nộp hồ sơ.' }] }) },
  // The two steps that take files are multipart routes of their own (./feedback-file-steps.ts).
  { path: 'provide-information', type: 'ProvideFeedbackInformation', roles: INTAKE, files: true, summary: "Enter the sender's reply to a request for information that came on paper, by phone, e-mail or in person (reception, head)", body: provideFeedbackInformationSchema.omit({ ...envelope, attachments: true }).extend({ channel: z.enum(['paper', 'phone', 'email', 'in-person']) }) },
  { path: 'answer', type: 'AnswerFeedback', roles: ['head'] as readonly Role[], files: true, summary: 'Answer the item, signed by the head (PAKN chờ công khai): within 15 working days. The signed answer document follows', body: answerFeedbackSchema.omit({ ...envelope, attachments: true }).meta({ examples: [{ answer: 'Từ ngày 10/12/2026, Bộ phận Một cửa bố trí thêm một công chức tiếp nhận vào buổi sáng.', signer: { fullName: 'Trần Văn Minh', title: 'Chủ tịch UBND xã' }, legalBasis: 'Nghị định 20/2008/NĐ-CP', publish: true }] }) },
  { path: 'publish', type: 'PublishFeedback', roles: HANDLERS, summary: 'Publish the answer (PAKN đã công khai): within 2 working days of the answer', body: publishFeedbackSchema.omit(envelope).meta({ examples: [{ url: 'https://dichvucong.example.gov.vn/pakn/PAKN-000.01.01.H99-261203-0001' }] }) },
] as const;

export const feedbackCommandResponse = z.object({
  feedbackId: z.string(),
  status: z.string(),
  nationalLabel: z.string().describe('The status as the national PAKN system labels it'),
  streamVersion: z.number().int(),
  events: z.array(z.string()).describe('The events the step caused'),
});

const stepPath = z.enum(FEEDBACK_COMMAND_ROUTES.map((route) => route.path) as [string, ...string[]]).describe('The route to send it to: POST /feedback/{id}/<command>');
const stepType = z.enum(FEEDBACK_COMMAND_ROUTES.map((route) => route.type) as [string, ...string[]]).describe('The command type, as docs/feedback.md names it');
const PATH_OF = new Map<string, string>(FEEDBACK_COMMAND_ROUTES.map((route) => [route.type, route.path]));

export const feedbackActionsSchema = z.object({
  feedbackId: z.string(),
  status: z.string().describe('The status the actions were worked out for'),
  streamVersion: z.number().int().describe('The stream version they were worked out at (also the ETag): send it as If-Match with the command'),
  actions: z.array(z.object({ command: stepPath, type: stepType })).describe('The steps the caller may take now; each may still be refused for what it carries'),
  unavailable: z
    .array(z.object({ command: stepPath, type: stepType, code: z.enum(DOMAIN_ERROR_CODES), message: z.string(), rule: z.string() }))
    .describe("The steps of the caller's role the rules refuse now, with the refusal they would get"),
});

export const feedbackCommandRoutes: FastifyPluginAsyncZod<FeedbackCommandRoutesDeps> = async (app, deps) => {
  const { db, temporal, taskQueue, commandTimeoutMs } = deps;
  app.get(
    '/feedback/:id/actions',
    {
      schema: {
        summary: "The steps the caller may take on the item now (and those of their role refused now, with the rule): the staff console's actions",
        tags: ['feedback'],
        params: feedbackIdParams,
        response: { 200: feedbackActionsSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const feedbackId = request.params.id;
      const caller = callerOf(request);
      const loaded = await loadFeedback(db, feedbackId);
      if (!loaded || !isReceivedFeedback(loaded.state)) return feedbackNotFound(reply, feedbackId, false);
      if (!mayReadFeedback(caller, loaded.state)) return forbidden(reply, `Feedback item ${feedbackId} is handled by ${loaded.state.currentAgencyCode}; staff of ${caller.actor.agencyCode} do not act on it.`, 'NOT_THE_HANDLING_UNIT');
      const { available, refused } = feedbackCommandAvailability(loaded.state, caller.actor);
      reply.header('etag', `"${loaded.streamVersion}"`);
      return {
        feedbackId,
        status: loaded.state.status,
        streamVersion: loaded.streamVersion,
        actions: available.filter((type) => PATH_OF.has(type)).map((type) => ({ command: PATH_OF.get(type)!, type })),
        unavailable: refused.filter(({ type }) => PATH_OF.has(type)).map(({ type, code, message, rule }) => ({ command: PATH_OF.get(type)!, type, code, message, rule })),
      };
    },
  );

  for (const route of FEEDBACK_COMMAND_ROUTES) {
    if ('files' in route) continue;
    app.post(
      `/feedback/:id/${route.path}`,
      {
        schema: {
          summary: route.summary,
          tags: ['feedback'],
          params: feedbackIdParams,
          headers: ifMatch,
          body: route.body,
          response: { 200: feedbackCommandResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
        },
        config: { access: { roles: route.roles } },
      },
      async (request, reply) => {
        const feedbackId = request.params.id;
        const command = routeCommand(request, route.type, { feedbackId }) as FeedbackCommandRequest;
        return answerStep(db, reply, feedbackId, await sendFeedbackCommand({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, command));
      },
    );
  }
};

/** The If-Match header's version. */
export function expectedVersionOf(ifMatchHeader: string): number {
  return Number(ifMatchHeader.replace(/\D/g, ''));
}

/** A step's outcome as HTTP: the item's status after it, or the refusal. */
export async function answerStep(db: Kysely<Database>, reply: FastifyReply, feedbackId: string, outcome: FeedbackCommandResult): Promise<FastifyReply | z.infer<typeof feedbackCommandResponse>> {
  if (outcome.kind === 'unknown-feedback') return feedbackNotFound(reply, feedbackId, false);
  if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
  const { answer } = outcome;
  reply.header('etag', `"${answer.streamVersion}"`);
  const status = answer.status;
  // The label depends on more than the status (after a supplement: `Phản ánh đã bổ sung`); the
  // summary, written in the append's transaction, holds it, unless a later step already moved it.
  const row = await findFeedback(db, feedbackId);
  const nationalLabel = row && row.stream_version === answer.streamVersion ? row.national_label : status === 'none' ? '' : NATIONAL_FEEDBACK_LABEL[status];
  return { feedbackId, status, nationalLabel, streamVersion: answer.streamVersion, events: [...answer.events] };
}
