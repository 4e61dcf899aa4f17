// Reports: the Decision 766 indicators of a unit over a period, as of any instant, the late dossiers
// and their apologies and explanations, and the dossier register (form 07). JSON by default, CSV
// with `format=csv`.
//
// Who reads what: a unit's head reads the indicators of their unit and the units below it;
// auditors read any unit's. The register names applicants with their address and phone, so only the
// receiving unit's reception staff and head (who keep it) and auditors read it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { lineText } from '../../domain/text.js';
import { formatVietnameseDateTime } from '../../domain/calendar/vietnam-time.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { INDICATOR_IDS, toCsv } from '../../domain/reporting/indicators.js';
import { registerDocument } from '../../domain/documents/register-document.js';
import { statusLabel } from '../../domain/dossier/state.js';
import { renderDocument } from '../../documents/pdf/render-document.js';
import { findAgency } from '../../db/catalogue.js';
import { reportLag } from '../../db/projections/report-projection.js';
import { dossierRegister, isWithinUnit } from '../../db/reports/dossier-register.js';
import { indicatorReport, REPORT_DIMENSIONS } from '../../db/reports/indicator-report.js';
import { latenessReport } from '../../db/reports/lateness-report.js';
import type { Database } from '../../db/schema.js';
import { callerOf, forbidden } from '../auth/access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { csvSchema, pdfSchema } from '../openapi-responses.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { isReportPeriodRefusal, periodRefused, requestedPeriod, requestedPeriodAsOf } from '../report-period.js';
import { calendarDateSchema, cursorSchema, instantSchema, procedureCodeSchema } from '../request-schemas.js';

export interface ReportRoutesDeps {
  readonly db: Kysely<Database>;
}

const period = {
  from: calendarDateSchema.describe('First day of the period (Vietnam time), e.g. 2026-03-01; from 2000-01-01 to today'),
  to: calendarDateSchema.describe('Last day of the period, included, e.g. 2026-03-31; at most 366 days after from counting both (docs/reports.md#bounds)'),
};
const asOfSchema = instantSchema.optional().describe('Default: now. Not before the period begins, not later than now');
/** A page of a report's list: at most 1000 rows, 200 when not said. */
const limitSchema = z.coerce.number().int().min(1).max(1000).default(200);

const format = z.enum(['json', 'csv']).default('json').describe('csv: RFC 4180, UTF-8 with a byte-order mark for spreadsheets');

const countsSchema = z.record(z.string(), z.number());
const indicatorSchema = z.object({
  id: z.enum(INDICATOR_IDS),
  decision766: z.string().nullable().describe('The indicator\'s number in Decision 766/QĐ-TTg'),
  label: z.string(),
  unit: z.enum(['percent', 'days']),
  value: z.number().nullable().describe('Null when there is nothing to measure (an empty denominator)'),
  numerator: z.number(),
  denominator: z.number(),
  target: z.object({ target: z.number(), agencyCode: z.string(), source: z.string() }).nullable(),
  meetsTarget: z.boolean().nullable(),
});

const indicatorReportSchema = z.object({
  from: z.string(),
  to: z.string().describe('The instant the period ends (exclusive)'),
  asOf: z.string(),
  end: z.string().describe('The instant the figures describe: the period\'s end, or asOf when earlier'),
  agencyCode: z.string().nullable(),
  projection: z.object({ pendingEvents: z.number().int().describe('Events not yet in the reporting projection (normally 0 within a second)'), checkpointAt: z.string().nullable() }),
  groups: z.array(z.object({ key: z.string().nullable(), counts: countsSchema, indicators: z.array(indicatorSchema) })),
});

const latenessReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  end: z.string(),
  agencyCode: z.string().nullable(),
  groups: z.array(z.object({
    agencyCode: z.string().describe('The responsible agency: it held the dossiers when they went overdue'),
    late: z.number().int(), apologised: z.number().int(), notApologised: z.number().int(),
    explained: z.number().int(), explainedLate: z.number().int(), notExplained: z.number().int(),
    explanationOverdue: z.number().int().describe('Not explained at asOf, and past the explanation\'s due time then'),
    dossiers: z.array(z.object({ dossierCode: z.string(), overdueAt: z.string(), latenessApologyAt: z.string().nullable(), latenessExplainedAt: z.string().nullable(), explanationDueAt: z.string().nullable() }))
      .describe('This page\'s late dossiers of the agency (limit over all groups); the counts above are over every one of the period'),
  })).describe('Every agency with late dossiers in the period, with exact counts'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page of dossiers; null on the last page'),
});

const latenessCursorSchema = z.tuple([z.string(), z.iso.datetime({ offset: true }), z.string()]);

const registerCursorSchema = z.tuple([z.iso.datetime({ offset: true }), z.string(), z.number().int().nonnegative()]);

const registerEntrySchema = z.object({
  number: z.number().int(),
  dossierCode: z.string(),
  procedureCode: z.string(),
  procedureName: z.string().nullable(),
  channel: z.string(),
  applicant: z.object({ kind: z.string(), fullName: z.string(), address: z.string().nullable(), phone: z.string().nullable() }),
  leadAgencyCode: z.string().nullable(),
  receivedAt: z.string(),
  appointmentAt: z.string().nullable(),
  transfers: z.array(z.object({ agencyCode: z.string(), sentAt: z.string(), returnedAt: z.string().nullable() })),
  resultReturnedAt: z.string().nullable(),
  status: z.string(),
});

function sendFile(reply: Parameters<typeof sendProblem>[0], mediaType: string, filename: string, body: string | Buffer) {
  return reply.type(mediaType).header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

function sendCsv(reply: Parameters<typeof sendProblem>[0], name: string, csv: string) {
  // The byte-order mark makes spreadsheet programs read the Vietnamese text as UTF-8.
  return sendFile(reply, 'text/csv; charset=utf-8', `${name}.csv`, `\uFEFF${csv}`);
}

export const reportRoutes: FastifyPluginAsyncZod<ReportRoutesDeps> = async (app, { db }) => {
  app.get(
    '/reports/indicators',
    {
      schema: {
        summary: 'Decision 766 indicators of a unit (and the units below it) over a period, as of any instant, each beside its local target',
        description:
          'Counts intake (carried over; accepted by channel), resolutions (early / on time / late under the dossier\'s own rule and under Decision 766), open dossiers at the end (within time, overdue, paused), and the rates the agency is scored on. `asOf` replays the report as it stood at that instant: later events never change it. `format=csv` gives one line per group.',
        tags: ['reports'],
        querystring: z.object({
          ...period,
          asOf: asOfSchema,
          agency: agencyCodeSchema.optional().describe('The unit; a head\'s own unit by default. Auditors may leave it out for every unit.'),
          procedure: procedureCodeSchema.optional(),
          field: lineText(200).optional().describe('Lĩnh vực, e.g. Hộ tịch'),
          groupBy: z.enum(REPORT_DIMENSIONS).default('none'),
          format,
        }),
        response: { 200: { description: 'The report: JSON, or CSV with format=csv', content: { 'application/json': { schema: indicatorReportSchema }, 'text/csv': { schema: csvSchema } } }, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: ['head', 'auditor'] } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const query = request.query;
      const bounded = requestedPeriodAsOf(query, new Date());
      if (isReportPeriodRefusal(bounded)) return periodRefused(reply, bounded);
      const { asOf, ...range } = bounded;
      const agencyCode = query.agency ?? (actor.role === 'auditor' ? undefined : actor.agencyCode);
      if (actor.role !== 'auditor' && !(await isWithinUnit(db, actor.agencyCode, agencyCode!))) {
        return forbidden(reply, `A head of ${actor.agencyCode} reads the reports of that unit and the units below it, not of ${agencyCode}.`, 'REPORT_OUTSIDE_UNIT');
      }
      const report = await indicatorReport(db, {
        ...range,
        asOf,
        groupBy: query.groupBy,
        ...(agencyCode !== undefined ? { agencyCode } : {}),
        ...(query.procedure !== undefined ? { procedureCode: query.procedure } : {}),
        ...(query.field !== undefined ? { field: query.field } : {}),
      });
      const lag = await reportLag(db);
      if (query.format === 'csv') {
        const countNames = Object.keys(report.groups[0]?.counts ?? {});
        const header = ['from', 'to', 'end', 'agency', query.groupBy, ...countNames, ...INDICATOR_IDS.flatMap((id) => [id, `${id} target`, `${id} meets target`])];
        const rows = report.groups.map((group) => [
          query.from,
          query.to,
          report.end,
          agencyCode ?? null,
          group.key,
          ...countNames.map((name) => group.counts[name as keyof typeof group.counts]),
          ...group.indicators.flatMap((indicator) => [indicator.value, indicator.target?.target ?? null, indicator.meetsTarget]),
        ]);
        return sendCsv(reply, `chi-so-766_${agencyCode ?? 'all'}_${query.from}_${query.to}`, toCsv(header, rows));
      }
      return {
        ...report,
        agencyCode: agencyCode ?? null,
        projection: { pendingEvents: lag.pendingEvents, checkpointAt: lag.checkpointAt?.toISOString() ?? null },
        groups: report.groups.map((group) => ({ ...group, counts: { ...group.counts }, indicators: [...group.indicators] })),
      };
    },
  );

  app.get(
    '/reports/register',
    {
      schema: {
        summary: 'The dossier register (form 07) of a receiving unit: every dossier received in a period, numbered in reception order',
        description: 'Holds personal data (applicant, address, phone). `format=csv` gives the register with the form\'s Vietnamese column names, `format=pdf` the form itself on A4 (an extract, not signed); page with the cursor either way (in CSV and PDF the next cursor is in the `x-next-cursor` header).',
        tags: ['reports'],
        querystring: z.object({
          ...period,
          agency: agencyCodeSchema.optional().describe('The receiving unit; the caller\'s own by default'),
          limit: limitSchema,
          cursor: cursorSchema.optional(),
          format: z.enum(['json', 'csv', 'pdf']).default('json'),
        }),
        response: {
          200: {
            description: 'A page of the register: JSON, or CSV or PDF with format=csv or format=pdf (the next cursor then in x-next-cursor)',
            content: { 'application/json': { schema: z.object({ entries: z.array(registerEntrySchema), nextCursor: z.string().nullable() }) }, 'text/csv': { schema: csvSchema }, 'application/pdf': { schema: pdfSchema } },
          },
          400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: ['reception', 'head', 'auditor'] } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const query = request.query;
      const range = requestedPeriod(query, new Date());
      if (isReportPeriodRefusal(range)) return periodRefused(reply, range);
      const agencyCode = query.agency ?? actor.agencyCode;
      if (actor.role !== 'auditor' && agencyCode !== actor.agencyCode) {
        return forbidden(reply, `The register of ${agencyCode} is kept by that unit; ${actor.agencyCode} reads its own.`, 'REPORT_OUTSIDE_UNIT');
      }
      let after: { receivedAt: string; dossierCode: string; number: number } | undefined;
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor, registerCursorSchema);
        if (!cursor) return invalidCursor(reply);
        after = { receivedAt: cursor[0], dossierCode: cursor[1], number: cursor[2] };
      }
      const page = await dossierRegister(db, { agencyCode, ...range, limit: query.limit, ...(after ? { after } : {}) });
      const nextCursor = page.next ? encodeCursor([page.next.receivedAt, page.next.dossierCode, page.next.number]) : null;
      if (nextCursor && query.format !== 'json') reply.header('x-next-cursor', nextCursor);
      if (query.format === 'pdf') {
        const unit = (await findAgency(db, agencyCode)) ?? { code: agencyCode, name: agencyCode };
        const pdf = await renderDocument(registerDocument(unit, { from: query.from, to: query.to }, page.entries, new Date().toISOString()));
        return sendFile(reply, 'application/pdf', `so-theo-doi-ho-so_${agencyCode}_${query.from}_${query.to}.pdf`, Buffer.from(pdf));
      }
      if (query.format === 'csv') {
        const when = (iso: string | null) => (iso === null ? null : formatVietnameseDateTime(new Date(iso)));
        const header = ['STT', 'Mã hồ sơ', 'Mã TTHC', 'Tên TTHC', 'Tổ chức, cá nhân', 'Địa chỉ', 'Số điện thoại', 'Cơ quan chủ trì giải quyết', 'Nhận hồ sơ (giờ, ngày)', 'Hẹn trả kết quả', 'Chuyển hồ sơ đến cơ quan giải quyết', 'Nhận kết quả từ cơ quan giải quyết', 'Trả kết quả (giờ, ngày)', 'Ghi chú'];
        const rows = page.entries.map((entry) => [
          entry.number,
          entry.dossierCode,
          entry.procedureCode,
          entry.procedureName,
          entry.applicant.fullName,
          entry.applicant.address,
          entry.applicant.phone,
          entry.leadAgencyCode,
          when(entry.receivedAt),
          when(entry.appointmentAt),
          entry.transfers.map((transfer) => `${transfer.agencyCode}: ${when(transfer.sentAt)}`).join('; ') || null,
          entry.transfers.filter((transfer) => transfer.returnedAt).map((transfer) => `${transfer.agencyCode}: ${when(transfer.returnedAt)}`).join('; ') || null,
          when(entry.resultReturnedAt),
          statusLabel(entry.status),
        ]);
        return sendCsv(reply, `so-theo-doi-ho-so_${agencyCode}_${query.from}_${query.to}`, toCsv(header, rows));
      }
      return { entries: page.entries.map((entry) => ({ ...entry, transfers: [...entry.transfers] })), nextCursor };
    },
  );
  app.get(
    '/reports/lateness',
    {
      schema: {
        summary: 'Late dossiers of a period per responsible agency: with and without their apology for lateness and their accountability explanation',
        description: 'A dossier counts in the period in which it went past the appointment in force, under the agency that held it then; its apology and explanation count whenever they came up to `asOf`, also after the period. `asOf` replays the report as it stood at that instant (not before the period begins). The counts are over every late dossier of the period; the dossiers come a page at a time (`limit` over all groups, `nextCursor`). The heads check from it that every late dossier was apologised for and explained (docs/reports.md).',
        tags: ['reports'],
        querystring: z.object({
          ...period,
          asOf: asOfSchema,
          agency: agencyCodeSchema.optional().describe('The unit (and the units below it); a head\'s own unit by default. Auditors may leave it out for every unit.'),
          limit: limitSchema.describe('How many dossiers this page lists, over all groups'),
          cursor: cursorSchema.optional(),
        }),
        response: { 200: latenessReportSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: ['head', 'auditor'] } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const bounded = requestedPeriodAsOf(request.query, new Date());
      if (isReportPeriodRefusal(bounded)) return periodRefused(reply, bounded);
      let after: { agencyCode: string; overdueAt: string; dossierCode: string } | undefined;
      if (request.query.cursor) {
        const cursor = decodeCursor(request.query.cursor, latenessCursorSchema);
        if (!cursor) return invalidCursor(reply);
        after = { agencyCode: cursor[0], overdueAt: cursor[1], dossierCode: cursor[2] };
      }
      const agencyCode = request.query.agency ?? (actor.role === 'auditor' ? undefined : actor.agencyCode);
      if (actor.role !== 'auditor' && !(await isWithinUnit(db, actor.agencyCode, agencyCode!))) {
        return forbidden(reply, `A head of ${actor.agencyCode} reads the reports of that unit and the units below it, not of ${agencyCode}.`, 'REPORT_OUTSIDE_UNIT');
      }
      const { next, ...report } = await latenessReport(db, { ...bounded, limit: request.query.limit, ...(after ? { after } : {}), ...(agencyCode !== undefined ? { agencyCode } : {}) });
      const nextCursor = next ? encodeCursor([next.agencyCode, next.overdueAt, next.dossierCode]) : null;
      return { ...report, agencyCode: agencyCode ?? null, groups: report.groups.map((group) => ({ ...group, dossiers: [...group.dossiers] })), nextCursor };
    },
  );
};
