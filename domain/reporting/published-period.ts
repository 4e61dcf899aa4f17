// The periods whose Decision 766 results a unit publishes (docs/citizens.md#a-units-procedures-and-results):
// a calendar month, quarter or year (Vietnam time) that has ended. A period still under way is not
// published: its figures change every day, and the portal's own results are read per closed month,
// quarter and year. Once ended, a period's figures never change (db/reports/indicator-report.ts).
import { pad2, startOfVietnamDay, vietnamDateOf } from '../calendar/vietnam-time.js';
import { REPORT_EARLIEST_DAY } from './report-period.js';

/** `2026`, `2026-Q1` or `2026-03`. */
export const PUBLISHED_PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

export interface PublishedPeriod {
  readonly period: string;
  readonly kind: 'year' | 'quarter' | 'month';
  readonly from: Date;
  /** The instant the period ends (exclusive): the next period's first midnight, Vietnam time. */
  readonly to: Date;
  /** Its first and last days, `YYYY-MM-DD`. */
  readonly firstDay: string;
  readonly lastDay: string;
}

export interface PublishedPeriodRefusal {
  readonly code: 'RESULTS_PERIOD_NOT_PUBLISHED';
  readonly message: string;
}

/** The period `text` names, if it has ended by `now` and is not before the register's first day. */
export function publishedPeriod(text: string, now: Date): PublishedPeriod | PublishedPeriodRefusal {
  const match = PUBLISHED_PERIOD_PATTERN.exec(text);
  if (!match) return { code: 'RESULTS_PERIOD_NOT_PUBLISHED', message: `"${text}" names no period: give a year (2026), a quarter (2026-Q1) or a month (2026-03).` };
  const year = Number(match[1]);
  const [kind, firstMonth, months] = match[2] !== undefined
    ? (['quarter', (Number(match[2]) - 1) * 3 + 1, 3] as const)
    : match[3] !== undefined
      ? (['month', Number(match[3]), 1] as const)
      : (['year', 1, 12] as const);
  const firstDay = `${year}-${pad2(firstMonth)}-01`;
  const nextMonthIndex = firstMonth - 1 + months;
  const nextFirstDay = `${year + Math.floor(nextMonthIndex / 12)}-${pad2((nextMonthIndex % 12) + 1)}-01`;
  const from = startOfVietnamDay(firstDay);
  const to = startOfVietnamDay(nextFirstDay);
  if (firstDay < REPORT_EARLIEST_DAY) {
    return { code: 'RESULTS_PERIOD_NOT_PUBLISHED', message: `The period ${text} begins before ${REPORT_EARLIEST_DAY}, the first day the register covers.` };
  }
  if (to.getTime() > now.getTime()) {
    return {
      code: 'RESULTS_PERIOD_NOT_PUBLISHED',
      message: `The period ${text} has not ended yet (it ends ${nextFirstDay} at 00:00, Vietnam time): a unit publishes the results of a month, quarter or year once it has ended. Ask for ${latestPublishedMonth(now)}, the last month ended.`,
    };
  }
  const last = vietnamDateOf(new Date(to.getTime() - 1));
  return { period: text, kind, from, to, firstDay, lastDay: `${last.year}-${pad2(last.month)}-${pad2(last.day)}` };
}

/** The last month that has ended at `now` (Vietnam time), e.g. `2026-11` on 3 December 2026. */
export function latestPublishedMonth(now: Date): string {
  const today = vietnamDateOf(now);
  const month = today.month === 1 ? 12 : today.month - 1;
  const year = today.month === 1 ? today.year - 1 : today.year;
  return `${year}-${pad2(month)}`;
}

export function isPublishedPeriodRefusal(value: PublishedPeriod | PublishedPeriodRefusal): value is PublishedPeriodRefusal {
  return 'code' in value;
}
