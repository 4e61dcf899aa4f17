// The period and instant of a report request, checked against the bounds of a report
// (domain/reporting/report-period.ts), and the 400 problem that names the rule and the field.
import type { FastifyReply } from 'fastify';
import { formatIsoDate, vietnamDateOf } from '../domain/calendar/vietnam-time.js';
import { isReportPeriodRefusal, type ReportPeriod, reportAsOf, reportPeriod, type ReportPeriodRefusal } from '../domain/reporting/report-period.js';
import { codedProblem, sendProblem } from './problem-details.js';

export { isReportPeriodRefusal };

/** The period of a request's `from` and `to`, as the bounds allow it on the day `now` falls in Vietnam. */
export function requestedPeriod(query: { readonly from: string; readonly to: string }, now: Date): ReportPeriod | ReportPeriodRefusal {
  return reportPeriod(query.from, query.to, formatIsoDate(vietnamDateOf(now)));
}

/** The period and the instant the report is read as of, or why either is refused. */
export function requestedPeriodAsOf(query: { readonly from: string; readonly to: string; readonly asOf?: string | undefined }, now: Date): (ReportPeriod & { readonly asOf: Date }) | ReportPeriodRefusal {
  const period = requestedPeriod(query, now);
  if (isReportPeriodRefusal(period)) return period;
  const asOf = reportAsOf(query.asOf, period, now);
  return isReportPeriodRefusal(asOf) ? asOf : { ...period, asOf };
}

export function periodRefused(reply: FastifyReply, refusal: ReportPeriodRefusal): FastifyReply {
  return sendProblem(reply, codedProblem(refusal.code, refusal.message, { errors: [{ field: `querystring.${refusal.field}`, message: refusal.message }] }));
}
