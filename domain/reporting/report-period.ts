// The period a report may cover, and the instant it may be read as of (docs/reports.md#bounds).
// A report covers whole Vietnamese days, at most a year of them, within the years the one-stop
// register can hold, and is read as of an instant that has already come: the bounds keep one
// request from reading every dossier of every agency, and a report dated in the future from
// judging explanations as overdue that are not yet.
import { startOfVietnamDay } from '../calendar/vietnam-time.js';

/** The longest period: a calendar year, a leap year's 366 days included. */
export const REPORT_PERIOD_MAX_DAYS = 366;
/** The first day a report may cover: before the one-stop mechanism (Decision 181/2003/QĐ-TTg), with room for migrated registers. */
export const REPORT_EARLIEST_DAY = '2000-01-01';

export type ReportPeriodCode = 'REPORT_PERIOD_REVERSED' | 'REPORT_PERIOD_TOO_LONG' | 'REPORT_PERIOD_OUT_OF_RANGE' | 'REPORT_AS_OF_OUT_OF_RANGE';

/** Why a period or an asOf is refused: the rule's code, the query field at fault and what to do. */
export interface ReportPeriodRefusal {
  readonly code: ReportPeriodCode;
  readonly field: 'from' | 'to' | 'asOf';
  readonly message: string;
}

export interface ReportPeriod {
  readonly from: Date;
  /** The instant after the period's last day (exclusive). */
  readonly to: Date;
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

/**
 * The period from the first day to the last (both `YYYY-MM-DD`, Vietnam time, already valid
 * calendar dates), or why it is refused. `today` is the calendar day in Vietnam now.
 */
export function reportPeriod(from: string, to: string, today: string): ReportPeriod | ReportPeriodRefusal {
  if (to < from) return { code: 'REPORT_PERIOD_REVERSED', field: 'to', message: `The period ends (to=${to}) before it begins (from=${from}): send the first day as from and the last as to.` };
  if (from < REPORT_EARLIEST_DAY) return { code: 'REPORT_PERIOD_OUT_OF_RANGE', field: 'from', message: `The period begins (from=${from}) before ${REPORT_EARLIEST_DAY}, the first day a report covers: begin on or after it.` };
  if (from > today) return { code: 'REPORT_PERIOD_OUT_OF_RANGE', field: 'from', message: `The period begins (from=${from}) after today (${today}): nothing has happened in it yet. Begin on or before today.` };
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > REPORT_PERIOD_MAX_DAYS) {
    return {
      code: 'REPORT_PERIOD_TOO_LONG',
      field: 'to',
      message: `The period from ${from} to ${to} spans ${days} days; a report covers at most ${REPORT_PERIOD_MAX_DAYS} days (a year). Split it into periods of a year or less (e.g. one per calendar year) and add them up.`,
    };
  }
  const end = startOfVietnamDay(to);
  end.setUTCDate(end.getUTCDate() + 1);
  return { from: startOfVietnamDay(from), to: end };
}

/** The instant a report is read as of: `now` when none is asked, never before the period nor after now. */
export function reportAsOf(asked: string | undefined, period: ReportPeriod, now: Date): Date | ReportPeriodRefusal {
  if (asked === undefined) return now;
  const asOf = new Date(asked);
  if (asOf < period.from) return { code: 'REPORT_AS_OF_OUT_OF_RANGE', field: 'asOf', message: `asOf (${asked}) comes before the period begins (${period.from.toISOString()}): nothing had happened in it yet. Read it as of an instant in or after the period.` };
  if (asOf > now) return { code: 'REPORT_AS_OF_OUT_OF_RANGE', field: 'asOf', message: `asOf (${asked}) is later than now (${now.toISOString()}): a report says what was known at an instant that has come. Leave asOf out to read the report as of now.` };
  return asOf;
}

export function isReportPeriodRefusal(value: unknown): value is ReportPeriodRefusal {
  return typeof value === 'object' && value !== null && 'code' in value && 'field' in value;
}
