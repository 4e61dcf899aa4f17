// The legal clock explained as a paper calendar (GET /dossiers/{code}/due-explanation): each month the
// count spans, every day counted with its hours, every day skipped with why (weekend, a holiday by
// its name), the paused days, and the due day marked. Each day says it in words as well as colour.
import { formatDateTime } from '../../i18n/format';
import { vietnamDay } from '../../i18n/vietnam-day.js';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';

type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

interface HolidayNote {
  readonly name: string;
  readonly estimated: boolean;
}

/** One day of the explanation, as domain/clock/explain-due.ts writes it. */
export type ExplainedDay =
  | { readonly date: string; readonly weekday: Weekday; readonly kind: 'counted'; readonly minutes: number; readonly runningTotal: number; readonly from: string; readonly to: string; readonly paused?: { readonly minutes: number; readonly reasons: readonly string[] }; readonly note?: { readonly kind: string; readonly holiday?: HolidayNote } }
  | { readonly date: string; readonly weekday: Weekday; readonly kind: 'skipped'; readonly reason: 'weekly-rest' | 'holiday' | 'compensatory' | 'swapped'; readonly holiday?: HolidayNote }
  | { readonly date: string; readonly weekday: Weekday; readonly kind: 'not-yet-counting'; readonly because: string }
  | { readonly date: string; readonly weekday: Weekday; readonly kind: 'paused'; readonly pausedMinutes: number; readonly reasons: readonly string[] };

export interface DueExplanation {
  readonly calendarVersion: string;
  readonly budget: { readonly unit: string; readonly amount?: number };
  readonly countingFrom: string;
  readonly days: readonly ExplainedDay[];
  readonly originalDue: string;
  readonly extendedDue: string | null;
  readonly due: string;
  readonly provisional: boolean;
  readonly usesEstimatedHolidays: boolean;
}

/** Monday first, as Vietnamese calendars print the week. */
const WEEK: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const PAUSE_REASONS: ReadonlySet<string> = new Set(['waiting-for-supplement', 'waiting-for-financial-obligation', 'verification']);

function hours(minutes: number, language: 'vi' | 'en'): string {
  return new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(minutes / 60);
}

export function DueCalendar({ explanation }: { readonly explanation: DueExplanation }) {
  const { t, language } = useI18n();
  const byDate = new Map(explanation.days.map((day) => [day.date, day]));
  const dueDay = vietnamDay(explanation.due);
  const first = explanation.days[0]?.date ?? dueDay;
  const last = [explanation.days[explanation.days.length - 1]?.date ?? dueDay, dueDay].sort()[1]!;
  const months: { year: number; month: number }[] = [];
  for (let year = Number(first.slice(0, 4)), month = Number(first.slice(5, 7)); year * 12 + month <= Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7)); month === 12 ? ((month = 1), (year += 1)) : (month += 1)) {
    months.push({ year, month });
  }
  const budget = explanation.budget;
  const budgetText = t(`dossier.clock.budget.${budget.unit}` as MessageKey, { n: budget.amount ?? '' });
  const pauseText = (reasons: readonly string[]) => reasons.map((reason) => t(PAUSE_REASONS.has(reason) ? (`dossier.clock.pause.${reason}` as MessageKey) : 'dossier.clock.pause.other')).join(', ');

  const describe = (day: ExplainedDay | undefined, date: string): { className: string; lines: string[] } => {
    const lines: string[] = [];
    let className = 'day';
    if (day?.kind === 'counted') {
      className += ' counted';
      lines.push(t('dossier.clock.counted', { hours: hours(day.minutes, language), total: hours(day.runningTotal, language) }));
      if (day.note?.kind === 'make-up-working-day') lines.push(t('dossier.clock.makeUp'));
      if (day.note?.holiday) lines.push(day.note.holiday.name);
      if (day.paused) lines.push(`${t('dossier.clock.paused.day')}: ${pauseText(day.paused.reasons)}`);
    } else if (day?.kind === 'skipped') {
      className += ' skipped';
      lines.push(day.holiday ? `${t(`dossier.clock.skipped.${day.reason}`)}: ${day.holiday.name}` : t(`dossier.clock.skipped.${day.reason}`));
    } else if (day?.kind === 'paused') {
      className += ' paused';
      lines.push(`${t('dossier.clock.paused.day')}: ${pauseText(day.reasons)}`);
    } else if (day?.kind === 'not-yet-counting') {
      className += ' not-counting';
      lines.push(t('dossier.clock.notYetCounting'));
    } else {
      className += ' outside';
    }
    if (date === dueDay) {
      className += ' due-day';
      lines.unshift(t('dossier.clock.dueDay'));
    }
    return { className, lines };
  };

  return (
    <div className="due-calendar">
      <ul className="clock-facts">
        <li>{t('dossier.clock.budget', { amount: budgetText })}</li>
        <li>{t('dossier.clock.countingFrom', { when: formatDateTime(explanation.countingFrom, language) })}</li>
        <li>
          <strong>{t('dossier.clock.dueAt', { when: formatDateTime(explanation.originalDue, language) })}</strong>
        </li>
        {explanation.extendedDue && (
          <li>
            <strong>{t('dossier.clock.extendedAt', { when: formatDateTime(explanation.extendedDue, language) })}</strong>
          </li>
        )}
        <li>{t('dossier.clock.calendarVersion', { version: explanation.calendarVersion })}</li>
        {explanation.provisional && <li>{t('dossier.clock.provisional')}</li>}
        {explanation.usesEstimatedHolidays && <li>{t('dossier.clock.estimated')}</li>}
      </ul>
      <p className="calendar-legend">
        <span className="visually-hidden">{t('dossier.clock.legend')}: </span>
        <span className="day counted">{t('dossier.clock.legend.counted')}</span> <span className="day skipped">{t('dossier.clock.legend.skipped')}</span> <span className="day paused">{t('dossier.clock.legend.paused')}</span> <span className="day due-day">{t('dossier.clock.legend.due')}</span>
      </p>
      <div className="months">
        {months.map(({ year, month }) => {
          const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
          const firstWeekday = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
          const cells: (number | null)[] = [...Array.from({ length: firstWeekday }, () => null), ...Array.from({ length: daysInMonth }, (_, index) => index + 1)];
          while (cells.length % 7 !== 0) cells.push(null);
          const weeks = Array.from({ length: cells.length / 7 }, (_, week) => cells.slice(week * 7, week * 7 + 7));
          return (
            <table key={`${year}-${month}`} className="month">
              <caption>{t('dossier.clock.month', { month, year })}</caption>
              <thead>
                <tr>
                  {WEEK.map((weekday) => (
                    <th key={weekday} scope="col">
                      <abbr title={t(`dossier.clock.weekdayLong.${weekday}`)}>{t(`dossier.clock.weekday.${weekday}`)}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((week) => (
                  <tr key={week.find((cell) => cell !== null) ?? 0}>
                    {week.map((cell, index) => {
                      if (cell === null) return <td key={`empty-${index}`} className="empty" />;
                      const date = `${year}-${String(month).padStart(2, '0')}-${String(cell).padStart(2, '0')}`;
                      const { className, lines } = describe(byDate.get(date), date);
                      return (
                        <td key={date} className={className}>
                          <span className="day-number">{cell}</span>
                          {lines.map((line) => (
                            <span key={line} className="day-note">
                              {line}
                            </span>
                          ))}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </div>
  );
}
