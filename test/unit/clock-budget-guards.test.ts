// The pure clock guards its own input: a budget it cannot count is a RangeError at once, whoever
// calls it (the catalogue validates budgets too, but a stored or hand-built rule may not have been).
import { describe, expect, it } from 'vitest';
import { agencyScheduleSchema } from '../../domain/calendar/calendar-schemas.js';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { Budget } from '../../domain/clock/clock-rules.js';
import { explainDue } from '../../domain/clock/explain-due.js';
import { readClock } from '../../domain/clock/legal-clock.js';

const calendar = new WorkingCalendar(latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR), agencyScheduleSchema.parse({}));
const started = [{ type: 'started' as const, at: '2026-03-02T08:00:00+07:00' }];
const asOf = '2026-03-03T08:00:00+07:00';
const rulesWith = (unit: Budget['unit'], amount: number) => ({ budget: { unit, amount } as Budget });

describe('the clock refuses a budget it cannot count', () => {
  it.each([
    ['zero working days (due at acceptance)', 'working-days', 0],
    ['a negative number of working days (due before acceptance)', 'working-days', -5],
    ['negative working hours', 'working-hours', -1],
    ['zero calendar days', 'calendar-days', 0],
    ['more than ten years of working days', 'working-days', 3651],
    ['more than ten years of calendar days', 'calendar-days', 100_000],
    ['a fraction of a calendar day', 'calendar-days', 1.5],
    ['infinitely many working hours', 'working-hours', Number.POSITIVE_INFINITY],
  ] as const)('readClock and explainDue throw a RangeError naming %s', (_case, unit, amount) => {
    const rules = rulesWith(unit, amount);
    expect(() => readClock(calendar, rules, started, asOf)).toThrow(RangeError);
    expect(() => readClock(calendar, rules, started, asOf)).toThrow(new RegExp(`budget of ${String(amount).replace('.', '\\.')} ${unit}`));
    expect(() => explainDue(calendar, rulesWith(unit, amount), started, asOf)).toThrow(RangeError);
  });

  it('throws at once for a budget that is not a number, which the walk would never spend', () => {
    // Without the guard this budget keeps the calendar walk busy for about a minute, then fails elsewhere.
    expect(() => readClock(calendar, rulesWith('working-days', Number.NaN), started, asOf)).toThrow(/budget of NaN working-days/);
    expect(() => explainDue(calendar, rulesWith('working-hours', Number.NaN), started, asOf)).toThrow(/budget of NaN working-hours/);
  });

  it('still counts the longest budget the catalogue allows and a same-day limit', () => {
    expect(readClock(calendar, rulesWith('working-days', 3650), started, asOf).due).toEqual(expect.any(String));
    expect(readClock(calendar, { budget: { unit: 'same-day' } }, started, asOf).due).toEqual(expect.any(String));
  });
});
