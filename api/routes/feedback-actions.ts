// GET /feedback/:id/actions: the steps the caller may take on a feedback item now, and those of their
// role the rules refuse now with the rule that refuses them, as GET /dossiers/{code}/actions does for
// a dossier. The feedback rules decide both: each step is put to the decider
// (domain/feedback/decide-feedback.ts) on the item's events as they are in the log now, with a
// placeholder body, so the staff console offers what the rules would take and holds no rule of its
// own. A step offered may still be refused for what it carries (a transfer to the unit that holds
// the item), never for the caller's role, unit or the item's status.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadFeedback } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { DOMAIN_ERROR_CODES, type DomainError } from '../../domain/dossier/errors.js';
import type { FeedbackCommand } from '../../domain/feedback/commands.js';
import { decideFeedback } from '../../domain/feedback/decide-feedback.js';
import { isReceivedFeedback, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { callerOf, forbidden } from '../auth/access.js';
import { problemSchema } from '../problem-details.js';
import { FEEDBACK_COMMAND_ROUTES } from './feedback-commands.js';
import { FEEDBACK_READERS, mayReadFeedback } from './feedback-staff.js';
import { feedbackIdParams, feedbackNotFound } from './feedback-views.js';

type StepPath = (typeof FEEDBACK_COMMAND_ROUTES)[number]['path'];
type StepType = (typeof FEEDBACK_COMMAND_ROUTES)[number]['type'];

const stepPath = z.enum(FEEDBACK_COMMAND_ROUTES.map((route) => route.path) as [StepPath, ...StepPath[]]).describe('The route to send it to: POST /feedback/{id}/<command>');
const stepType = z.enum(FEEDBACK_COMMAND_ROUTES.map((route) => route.type) as [StepType, ...StepType[]]);

export const feedbackActionsSchema = z.object({
  feedbackId: z.string(),
  status: z.string().describe('The item\'s status the actions were worked out for'),
  streamVersion: z.number().int().describe('The stream version they were worked out at (also the ETag): send it as If-Match with the step'),
  actions: z.array(z.object({ command: stepPath, type: stepType })).describe('The steps the caller may take now'),
  unavailable: z
    .array(z.object({ command: stepPath, type: stepType, code: z.enum(DOMAIN_ERROR_CODES), message: z.string(), rule: z.string() }))
    .describe('The steps of the caller\'s role that the rules refuse now, with the refusal they would get; steps of other roles are in neither list'),
});

/** A body for each step that the rules judge only by who sends it and the item's state. */
function probe(type: StepType, state: ReceivedFeedback): Record<string, unknown> {
  switch (type) {
    case 'ClassifyFeedback':
      return { category: state.category ?? 'procedure' };
    case 'TransferFeedback':
      return { toAgencyCode: `${state.currentAgencyCode}+another`, reason: '-' };
    case 'RefuseFeedback':
      return { reason: '-' };
    case 'RequestFeedbackInformation':
      return { question: '-' };
    case 'AnswerFeedback':
      return { answer: '-', signer: { fullName: '-', title: '-' }, attachments: [], publish: true };
    case 'AcceptFeedback':
    case 'PublishFeedback':
      return {};
  }
}

/** Each person's step put to the rules for `actor` now: taken, or refused with the rule's reason (other roles' steps left out). */
export function feedbackActions(state: ReceivedFeedback, actor: Actor, now: string) {
  const actions: { command: StepPath; type: StepType }[] = [];
  const unavailable: { command: StepPath; type: StepType; code: DomainError['code']; message: string; rule: string }[] = [];
  for (const route of FEEDBACK_COMMAND_ROUTES) {
    const command = { type: route.type, commandId: 'probe', actor, feedbackId: state.feedbackId, ...probe(route.type, state) } as FeedbackCommand;
    const decision = decideFeedback(state, command, { now });
    if (decision.ok) actions.push({ command: route.path, type: route.type });
    else if (decision.error.code !== 'ROLE_NOT_ALLOWED') unavailable.push({ command: route.path, type: route.type, code: decision.error.code, message: decision.error.message, rule: decision.error.rule });
  }
  return { actions, unavailable };
}

export const feedbackActionRoutes: FastifyPluginAsyncZod<{ readonly db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/feedback/:id/actions',
    {
      schema: {
        summary: 'The steps the caller may take on the feedback item now (and those of their role refused now, with the rule): the staff console\'s actions',
        tags: ['feedback'],
        params: feedbackIdParams,
        response: { 200: feedbackActionsSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: FEEDBACK_READERS } },
    },
    async (request, reply) => {
      const feedbackId = request.params.id;
      const loaded = await loadFeedback(db, feedbackId);
      if (!loaded || !isReceivedFeedback(loaded.state)) return feedbackNotFound(reply, feedbackId, false);
      const caller = callerOf(request);
      if (!mayReadFeedback(caller, loaded.state)) return forbidden(reply, `Feedback item ${feedbackId} is handled by ${loaded.state.currentAgencyCode}; staff of ${caller.actor.agencyCode} do not read it.`, 'NOT_THE_HANDLING_UNIT');
      reply.header('etag', `"${loaded.streamVersion}"`);
      return { feedbackId, status: loaded.state.status, streamVersion: loaded.streamVersion, ...feedbackActions(loaded.state, caller.actor, new Date().toISOString()) };
    },
  );
};
