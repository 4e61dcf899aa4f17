// The legal clock's cost: a due date for a 100-working-day budget should cost microseconds, since it
// is computed in every workflow update, every reading of a dossier and every report row. Baseline: a
// naive loop that adds 100 weekdays to a Date, knowing no holidays, office hours or pauses.
import { civilDayFromIso, formatVietnamInstant, instantAt } from '../domain/calendar/civil-day.js';
import { latestHolidayCalendar, type HolidayCalendarDefinition } from '../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../domain/calendar/vietnam-civil-service-calendar.js';
import { agencyScheduleSchema } from '../domain/calendar/calendar-schemas.js';
import { WorkingCalendar } from '../domain/calendar/working-calendar.js';
import type { ClockEntry } from '../domain/clock/clock-ledger.js';
import { clockRulesSchema } from '../domain/clock/clock-schemas.js';
import { explainDue } from '../domain/clock/explain-due.js';
import { readClock } from '../domain/clock/legal-clock.js';

export interface ClockFigure {
  readonly operation: string;
  readonly microsecondsPerOperation: number;
  readonly operationsPerSecond: number;
  /** This operation's cost over the naive baseline's. */
  readonly ratioToBaseline: number | null;
}

const BUDGET_DAYS = 100;

export function benchLegalClock(): ClockFigure[] {
  const schedule = agencyScheduleSchema.parse({});
  const calendar = new WorkingCalendar(latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR), schedule);
  const rules = clockRulesSchema.parse({ budget: { unit: 'working-days', amount: BUDGET_DAYS } });
  // Acceptance times spread over 2025–2027, at varied minutes, so no two computations are alike.
  const firstDay = civilDayFromIso('2025-01-01');
  const acceptances = Array.from({ length: 997 }, (_, i) => instantAt(firstDay + ((i * 37) % 1000), 420 + ((i * 53) % 600)));
  const ledgers: ClockEntry[][] = acceptances.map((at, i) => {
    const ledger: ClockEntry[] = [{ type: 'started', at: formatVietnamInstant(at) }];
    if (i % 2 === 0) {
      // Every other dossier waits for a supplement for a week and a half in the middle.
      ledger.push({ type: 'paused', at: formatVietnamInstant(at + 20 * 86_400_000), reason: 'waiting-for-supplement' });
      ledger.push({ type: 'resumed', at: formatVietnamInstant(at + 30 * 86_400_000) });
    }
    return ledger;
  });
  const asOf = (i: number) => ledgers[i % ledgers.length]![ledgers[i % ledgers.length]!.length - 1]!.at;

  const baseline = measure('baseline: naive +100 weekdays on a Date', (i) => naiveAddWeekdays(acceptances[i % acceptances.length]!, BUDGET_DAYS));
  const figures = [
    baseline,
    measure(`readClock, ${BUDGET_DAYS} working days (warm calendar)`, (i) => readClock(calendar, rules, ledgers[i % ledgers.length]!, asOf(i)).due),
    measure(`explainDue, ${BUDGET_DAYS} working days`, (i) => explainDue(calendar, rules, ledgers[i % ledgers.length]!, asOf(i)).due),
    measure('readClock on a fresh calendar (holiday tables computed, lunar dates included)', (i) => {
      const definition: HolidayCalendarDefinition = { ...VIETNAM_CIVIL_SERVICE_CALENDAR, amendments: [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments] };
      const fresh = new WorkingCalendar(latestHolidayCalendar(definition), schedule);
      return readClock(fresh, rules, ledgers[i % ledgers.length]!, asOf(i)).due;
    }, 300),
  ];
  return figures.map((figure) => ({ ...figure, ratioToBaseline: figure === baseline ? null : figure.microsecondsPerOperation / baseline.microsecondsPerOperation }));
}

function naiveAddWeekdays(epochMs: number, days: number): number {
  const date = new Date(epochMs);
  for (let added = 0; added < days; ) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) added += 1;
  }
  return date.getTime();
}

function measure(operation: string, run: (i: number) => unknown, minimumRuns = 2000): Omit<ClockFigure, 'ratioToBaseline'> {
  let sink: unknown;
  for (let i = 0; i < Math.min(minimumRuns, 500); i += 1) sink = run(i);
  let runs = 0;
  const started = process.hrtime.bigint();
  let elapsedNs = 0n;
  // At least a second and `minimumRuns` runs, so the figure is steady on a busy machine.
  while (elapsedNs < 1_000_000_000n || runs < minimumRuns) {
    sink = run(runs);
    runs += 1;
    elapsedNs = process.hrtime.bigint() - started;
  }
  if (sink === undefined) throw new Error(`${operation} returned nothing`);
  const microsecondsPerOperation = Number(elapsedNs) / 1000 / runs;
  return { operation, microsecondsPerOperation, operationsPerSecond: 1_000_000 / microsecondsPerOperation };
}
