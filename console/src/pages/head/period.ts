// Reporting periods as the heads choose them: this month, this quarter, this year (whole days in
// Vietnam time, docs/reports.md#bounds) or their own from/to; "as of" is a Vietnam wall-clock time.
import { vietnamDay } from '../../i18n/vietnam-day.js';

export type Preset = 'month' | 'quarter' | 'year' | 'custom';

export interface Period {
  readonly from: string;
  readonly to: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Today's civil date in Vietnam (UTC+7, no daylight saving), YYYY-MM-DD. */
export function vietnamToday(now: Date = new Date()): string {
  return vietnamDay(now);
}

/** The last day of a month (1–12) of a year. */
function lastDay(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

/** The whole month, quarter or year that holds `today`. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (preset === 'month') return { from: `${year}-${pad(month)}-01`, to: lastDay(year, month) };
  if (preset === 'quarter') {
    const first = Math.floor((month - 1) / 3) * 3 + 1;
    return { from: `${year}-${pad(first)}-01`, to: lastDay(year, first + 2) };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** A datetime-local value (read as Vietnam time) as an instant the API takes, or undefined when empty. */
export function vietnamInstant(local: string): string | undefined {
  if (!local) return undefined;
  const withSeconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local;
  return `${withSeconds}+07:00`;
}

/** An instant as a datetime-local value in Vietnam time (to the second). */
export function vietnamLocal(instant: string): string {
  return new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 19);
}
