// What anyone may read without an account (docs/citizens.md#a-units-procedures-and-results): a unit's
// procedure catalogue (what to bring, fees, time limit, legal basis, whether online) and the unit's
// published Decision 766 results: aggregate figures of a month, quarter or year that has ended,
// never a dossier or a person. Limited per client address like every public route.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { PROCEDURE_CODE_PATTERN } from '../../domain/catalogue/procedure.js';
import { isPublishedPeriodRefusal, latestPublishedMonth, PUBLISHED_PERIOD_PATTERN, publishedPeriod } from '../../domain/reporting/published-period.js';
import { findAgency } from '../../db/catalogue.js';
import { unitProcedures } from '../../db/public-catalogue.js';
import { indicatorReport } from '../../db/reports/indicator-report.js';
import type { Database } from '../../db/schema.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';

export interface PublicPagesRoutesDeps {
  readonly db: Kysely<Database>;
  /** Requests a minute per client address on each route. */
  readonly perMinute: number;
}

const unitParams = z.object({ agencyCode: agencyCodeSchema });

const publicProcedureSchema = z.object({
  code: z.string(),
  name: z.string(),
  field: z.string().describe('Lĩnh vực'),
  version: z.string(),
  effectiveFrom: z.string(),
  legalBasis: z.string().describe('Căn cứ pháp lý'),
  competentAgencies: z.array(z.object({ agencyCode: z.string(), name: z.string().nullable() })).describe('Cơ quan thực hiện: the unit or the units below it that resolve it'),
  timeLimit: z.object({ unit: z.enum(['working-days', 'working-hours', 'calendar-days', 'same-day']), amount: z.number().nullable(), label: z.string() }).describe('Thời hạn giải quyết'),
  online: z.object({ level: z.enum(['full', 'partial']), label: z.string() }).describe('Mức độ dịch vụ công trực tuyến: toàn trình (full) or một phần (partial)'),
  channels: z.array(z.enum(['counter', 'post', 'online'])).describe('Cách thức thực hiện: at the counter, by public postal service, online'),
  components: z.array(z.object({ id: z.string(), name: z.string(), form: z.string(), formLabel: z.string(), count: z.number().int(), required: z.boolean() })).describe('Thành phần hồ sơ: what to bring'),
  fees: z.array(z.object({ name: z.string(), amountVnd: z.number().int() })).describe('Phí, lệ phí'),
  resultType: z.string(),
});

const unitSchema = z.object({ agencyCode: z.string(), name: z.string() });

const indicatorSchema = z.object({
  id: z.string(),
  decision766: z.string().nullable(),
  label: z.string(),
  unit: z.enum(['percent', 'days']),
  value: z.number().nullable().describe('Null when nothing was there to measure (N/A)'),
  numerator: z.number(),
  denominator: z.number(),
  target: z.number().nullable().describe('The local plan\'s target that applies to the unit, if any'),
  meetsTarget: z.boolean().nullable(),
});

const notFound = (what: string, detail: string) => ({ type: `urn:motcua:problem:${what}-not-found`, title: `${what === 'unit' ? 'Unit' : 'Procedure'} not found`, status: 404, detail });

/** Public answers may be kept a few minutes by browsers and proxies: they change at most daily. */
const CACHE = 'public, max-age=300';

export const publicPagesRoutes: FastifyPluginAsyncZod<PublicPagesRoutesDeps> = async (app, { db, perMinute }) => {
  const config = { access: { public: true as const }, rateLimit: { max: perMinute, timeWindow: '1 minute', hook: 'onRequest' as const } };

  app.get(
    '/public/units/:agencyCode/procedures',
    {
      schema: {
        summary: "A unit's procedures in force today (thủ tục hành chính): what to bring, fees, time limit, legal basis, whether online; no token",
        description: 'The procedures in force today (Vietnam) that the unit or a unit below it resolves: named as competent by code, or holding the competent role in the agency directory today (docs/citizens.md#a-units-procedures-and-results). Unknown unit: 404.',
        tags: ['citizens'],
        security: [],
        params: unitParams,
        response: { 200: z.object({ unit: unitSchema, day: z.string(), procedures: z.array(publicProcedureSchema) }), 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config,
    },
    async (request, reply) => {
      const unit = await findAgency(db, request.params.agencyCode);
      if (!unit) return sendProblem(reply, notFound('unit', `No unit ${request.params.agencyCode} in the catalogue. Check the unit's code (QCVN 102:2016), e.g. 000.01.01.H99.`));
      const day = formatIsoDate(vietnamDateOf(new Date()));
      reply.header('cache-control', CACHE);
      return { unit: { agencyCode: unit.code, name: unit.name }, day, procedures: await unitProcedures(db, unit.code, day) };
    },
  );

  app.get(
    '/public/units/:agencyCode/procedures/:procedureCode',
    {
      schema: {
        summary: 'One procedure of a unit, in force today; no token',
        tags: ['citizens'],
        security: [],
        params: unitParams.extend({ procedureCode: z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193') }),
        response: { 200: z.object({ unit: unitSchema, day: z.string(), procedure: publicProcedureSchema }), 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config,
    },
    async (request, reply) => {
      const { agencyCode, procedureCode } = request.params;
      const unit = await findAgency(db, agencyCode);
      if (!unit) return sendProblem(reply, notFound('unit', `No unit ${agencyCode} in the catalogue. Check the unit's code (QCVN 102:2016), e.g. 000.01.01.H99.`));
      const day = formatIsoDate(vietnamDateOf(new Date()));
      const procedure = (await unitProcedures(db, unit.code, day)).find((candidate) => candidate.code === procedureCode);
      if (!procedure) return sendProblem(reply, notFound('procedure', `Unit ${agencyCode} resolves no procedure ${procedureCode} in force today; GET /public/units/${agencyCode}/procedures lists those it does.`));
      reply.header('cache-control', CACHE);
      return { unit: { agencyCode: unit.code, name: unit.name }, day, procedure };
    },
  );

  app.get(
    '/public/units/:agencyCode/results',
    {
      schema: {
        summary: "A unit's published Decision 766 results over a month, quarter or year that has ended: aggregate figures only; no token",
        description:
          'The unit and the units below it. Published periods are those that have ended (Vietnam time): a month (2026-03), a quarter (2026-Q1) or a year (2026); a period under way is refused (400 RESULTS_PERIOD_NOT_PUBLISHED). Figures only: no dossier, no person. The evaluations are counted by source (online, paper form, staff-recorded before the source existed).',
        tags: ['citizens'],
        security: [],
        params: unitParams,
        querystring: z.object({
          period: z.string().regex(PUBLISHED_PERIOD_PATTERN, 'must be a year (2026), a quarter (2026-Q1) or a month (2026-03)').optional().describe('Default: the last month that has ended').meta({ examples: ['2026-03', '2026-Q1', '2026'] }),
        }),
        response: {
          200: z.object({
            unit: unitSchema,
            period: z.object({ period: z.string(), kind: z.enum(['year', 'quarter', 'month']), firstDay: z.string(), lastDay: z.string() }),
            indicators: z.array(indicatorSchema),
            dossiers: z.object({ accepted: z.number(), acceptedOnline: z.number(), resolved: z.number(), resolvedEarly766: z.number(), resolvedOnTime766: z.number(), resolvedLate766: z.number() }).describe('Counts of the period, aggregate'),
            evaluations: z.object({ verySatisfied: z.number(), satisfied: z.number(), notSatisfied: z.number(), bySource: z.object({ online: z.number(), paperForm: z.number(), staffRecorded: z.number() }) }),
          }),
          400: problemSchema,
          404: problemSchema,
          429: problemSchema,
        },
      },
      config,
    },
    async (request, reply) => {
      const now = new Date();
      const period = publishedPeriod(request.query.period ?? latestPublishedMonth(now), now);
      if (isPublishedPeriodRefusal(period)) {
        return sendProblem(reply, codedProblem(period.code, period.message, { errors: [{ field: 'querystring.period', message: period.message }] }));
      }
      const unit = await findAgency(db, request.params.agencyCode);
      if (!unit) return sendProblem(reply, notFound('unit', `No unit ${request.params.agencyCode} in the catalogue. Check the unit's code (QCVN 102:2016), e.g. 000.01.01.H99.`));
      const report = await indicatorReport(db, { from: period.from, to: period.to, asOf: now, agencyCode: unit.code, groupBy: 'none' });
      const { counts, indicators } = report.groups[0]!;
      reply.header('cache-control', CACHE);
      return {
        unit: { agencyCode: unit.code, name: unit.name },
        period: { period: period.period, kind: period.kind, firstDay: period.firstDay, lastDay: period.lastDay },
        indicators: indicators.map((indicator) => ({ ...indicator, target: indicator.target?.target ?? null })),
        dossiers: {
          accepted: counts.accepted,
          acceptedOnline: counts.acceptedOnline,
          resolved: counts.resolved,
          resolvedEarly766: counts.resolvedEarly766,
          resolvedOnTime766: counts.resolvedOnTime766,
          resolvedLate766: counts.resolvedLate766,
        },
        evaluations: {
          verySatisfied: counts.verySatisfied,
          satisfied: counts.satisfied,
          notSatisfied: counts.notSatisfied,
          bySource: { online: counts.evaluationsOnline, paperForm: counts.evaluationsOnPaperForm, staffRecorded: counts.evaluationsStaffRecorded },
        },
      };
    },
  );
};
