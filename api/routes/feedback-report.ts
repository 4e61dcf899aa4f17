// The feedback indicators of Decision 766 (§5.1 categories, §5.2 on time, §5.3 satisfaction, and 5.4's
// dossiers named by an item) for a unit over a period, from the items it received
// (db/feedback/feedback-queries.ts; docs/feedback.md#the-766-indicators says how each is counted).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { feedbackIndicatorCounts } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { FEEDBACK_INDICATOR_IDS, feedbackIndicatorsOf } from '../../domain/reporting/feedback-indicators.js';
import { callerOf, forbidden } from '../auth/access.js';
import { problemSchema } from '../problem-details.js';
import { isReportPeriodRefusal, periodRefused, requestedPeriod } from '../report-period.js';
import { calendarDateSchema } from '../request-schemas.js';

export interface FeedbackReportRoutesDeps {
  readonly db: Kysely<Database>;
}

const countSchema = z.number().int().nonnegative();
export const feedbackReportSchema = z.object({
  unit: z.string(),
  from: z.string(),
  to: z.string().describe('The instant the period ends (exclusive)'),
  counts: z.object({
    received: countSchema,
    regulation: countSchema,
    procedure: countSchema,
    staffConduct: countSchema,
    unclassified: countSchema,
    handled: countSchema,
    handledOnTime: countSchema,
    open: countSchema,
    openInTime: countSchema,
    moreDislikes: countSchema,
    late: countSchema,
    followedUp: countSchema,
    unsatisfactory: countSchema,
    dossiersNamed: countSchema,
  }),
  indicators: z.array(
    z.object({
      id: z.enum(FEEDBACK_INDICATOR_IDS),
      decision766: z.string(),
      label: z.string(),
      unit: z.literal('percent'),
      value: z.number().nullable().describe('Null when nothing was received (766: N/A)'),
      numerator: countSchema,
      denominator: countSchema,
    }),
  ),
});

export const feedbackReportRoutes: FastifyPluginAsyncZod<FeedbackReportRoutesDeps> = async (app, { db }) => {
  app.get(
    '/reports/feedback',
    {
      schema: {
        summary: 'Decision 766 feedback indicators (5.1–5.3, and the dossiers named for 5.4) of a unit over a period',
        description: 'Counts the items sent to the unit in the period; an item still open at the period\'s end counts as on time while its answer\'s clock had not run out then (docs/feedback.md#the-766-indicators).',
        tags: ['feedback', 'reports'],
        querystring: z.object({
          from: calendarDateSchema.describe('First day of the period (Vietnam time), e.g. 2026-12-01'),
          to: calendarDateSchema.describe('Last day of the period, included'),
          unit: agencyCodeSchema.optional().describe('The unit; a head\'s own by default. Auditors name any'),
        }),
        response: { 200: feedbackReportSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: ['head', 'auditor'] } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const period = requestedPeriod(request.query, new Date());
      if (isReportPeriodRefusal(period)) return periodRefused(reply, period);
      const unit = request.query.unit ?? actor.agencyCode;
      if (actor.role !== 'auditor' && unit !== actor.agencyCode) return forbidden(reply, `A head of ${actor.agencyCode} reads the feedback report of that unit, not of ${unit}.`, 'REPORT_OUTSIDE_UNIT');
      const counts = await feedbackIndicatorCounts(db, period, [unit]);
      return { unit, from: period.from.toISOString(), to: period.to.toISOString(), counts: { ...counts }, indicators: feedbackIndicatorsOf(counts) };
    },
  );
};
