// The applicant's own evaluation (docs/citizens.md#evaluating-your-dossier): with the code and the
// lookup secret printed on the receipt, and no account, whoever holds the receipt rates the handling
// of the finished dossier once. The secret travels in the body, never in the URL (so no log or proxy
// keeps it); a wrong secret looks exactly like an unknown code. The actor and the source come from
// this route, never from the body: `citizen:<code>`, role `citizen`, at the receiving centre,
// source `online` (docs/rules.md#one-evaluation).
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { EVALUATION_RATINGS } from '../../domain/dossier/commands.js';
import { text } from '../../domain/dossier/command-envelope.js';
import { findEvaluation, type RecordedEvaluation } from '../../db/dossier-evaluation.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import { isLookupSecret } from '../auth/lookup-secret.js';
import { sendDossierCommand } from '../commands/send-dossier-command.js';
import { problemSchema, ruleRefused, sendProblem } from '../problem-details.js';
import { dossierCodeParams, lookupSecretQuery } from '../request-schemas.js';

export interface CitizenEvaluationRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly lookupKey: string;
  readonly commandTimeoutMs: number;
  /** Evaluations a minute per client address (the route is open to the internet). */
  readonly perMinute: number;
}

/** A rating (3 levels) and a comment of at most 2,000 characters, in UTF-8: a few kilobytes at most. */
export const CITIZEN_EVALUATION_BODY_LIMIT = 16 * 1024;

/** The command id of a dossier's online evaluation: one per dossier, so a retry is the same command. */
export const citizenEvaluationCommandId = (dossierCode: string) => `citizen/${dossierCode}/evaluation`;

const evaluationBody = z
  .object({
    secret: lookupSecretQuery.shape.secret,
    rating: z.enum(EVALUATION_RATINGS).describe('The national portal\'s levels: rất hài lòng (very-satisfied), hài lòng (satisfied), không hài lòng (not-satisfied)'),
    comment: text(2000).optional().describe('Ý kiến: optional, at most 2,000 characters; never shown on the public lookup'),
  })
  .meta({ examples: [{ secret: 'ABCDE12345', rating: 'very-satisfied', comment: 'Cán bộ hướng dẫn tận tình' }] });

export const recordedEvaluationSchema = z.object({
  rating: z.enum(EVALUATION_RATINGS),
  at: z.string(),
  source: z.enum(['online', 'paper-form', 'staff-recorded']).describe('online: the applicant\'s own; paper-form: a paper form the centre collected; staff-recorded: recorded by staff before evaluations carried their source'),
});

export function recordedEvaluationAnswer(evaluation: RecordedEvaluation) {
  return { rating: evaluation.rating, at: evaluation.at.toISOString(), source: evaluation.source };
}

export const citizenEvaluationRoutes: FastifyPluginAsyncZod<CitizenEvaluationRoutesDeps> = async (app, { db, temporal, taskQueue, lookupKey, commandTimeoutMs, perMinute }) => {
  app.post(
    '/lookup/:code/evaluation',
    {
      bodyLimit: CITIZEN_EVALUATION_BODY_LIMIT,
      schema: {
        summary: "The applicant's own evaluation (đánh giá mức độ hài lòng) of a finished dossier, with the code and the secret on the receipt; no token",
        description:
          'Once per dossier, once it is finished (result returned, refused or stopped), within 30 days (docs/rules.md#one-evaluation). A wrong secret or an unknown code: 404, alike. Sent again after it was taken (the same dossier\'s online evaluation): 200 with the evaluation recorded, unchanged. Refused by a rule: 422 with its code (EVALUATION_NOT_OPEN, EVALUATION_ALREADY_RECORDED when another evaluation (a paper form) was recorded, DOSSIER_CLOSED when the 30 days have passed). Limited per client address.',
        tags: ['citizens'],
        security: [],
        params: dossierCodeParams,
        body: evaluationBody,
        response: {
          200: z.object({ dossierCode: z.string(), evaluation: recordedEvaluationSchema }),
          400: problemSchema,
          404: problemSchema,
          413: problemSchema,
          422: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
      // Limited per address before the body is read.
      config: { access: { public: true }, rateLimit: { max: perMinute, timeWindow: '1 minute', hook: 'onRequest' } },
    },
    async (request, reply) => {
      const { code } = request.params;
      const { secret, rating, comment } = request.body;
      // The secret is checked before anything is read, so a guess costs no query and tells nothing.
      const row = isLookupSecret(lookupKey, code, secret) ? await findDossierSummary(db, code) : undefined;
      if (!row) return dossierNotFound(reply);
      const commandId = citizenEvaluationCommandId(code);
      const recorded = await findEvaluation(db, code);
      // The same citizen evaluation sent again (a lost answer, a double click): what was recorded.
      if (recorded?.commandId === commandId) return { dossierCode: code, evaluation: recordedEvaluationAnswer(recorded) };
      // Another evaluation (a paper form the centre entered) is the dossier's one, even once its run has ended.
      if (recorded) {
        return sendProblem(reply, ruleRefused('EVALUATION_ALREADY_RECORDED', `The applicant's evaluation of dossier ${code} is already recorded (${recorded.source === 'paper-form' ? 'a paper form the centre entered' : 'by the centre'}); one evaluation per dossier.`));
      }
      const outcome = await sendDossierCommand(
        { db, temporal, taskQueue, commandTimeoutMs, log: request.log },
        {
          type: 'RecordEvaluation',
          dossierCode: code,
          commandId,
          actor: { userId: `citizen:${code}`, role: 'citizen', agencyCode: row.agency_code },
          rating,
          ...(comment ? { comment } : {}),
          source: 'online',
        },
      );
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply);
      if (outcome.kind === 'refused') {
        // Taken meanwhile by a request that raced this one: the same answer as a retry.
        const raced = await findEvaluation(db, code);
        if (raced?.commandId === commandId) return { dossierCode: code, evaluation: recordedEvaluationAnswer(raced) };
        return sendProblem(reply, outcome.problem);
      }
      const taken = await findEvaluation(db, code);
      if (!taken) throw new Error(`dossier ${code}: the evaluation was taken (stream version ${outcome.answer.streamVersion}) but its event is not in the log`);
      request.log.info({ dossierCode: code, streamVersion: outcome.answer.streamVersion }, 'citizen evaluation recorded');
      return { dossierCode: code, evaluation: recordedEvaluationAnswer(taken) };
    },
  );
};

function dossierNotFound(reply: Parameters<typeof sendProblem>[0]) {
  return sendProblem(reply, {
    type: 'urn:motcua:problem:dossier-not-found',
    title: 'Dossier not found',
    status: 404,
    detail: 'No dossier matches this code and lookup secret. Check both on the receipt (form 01).',
  });
}
