import { describe, expect, it } from 'vitest';
import { amendmentProblems } from '../../domain/calendar/amendment-rules.js';
import { calendarAmendmentSchema, type CalendarAmendment } from '../../domain/calendar/calendar-schemas.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';

// The checks a calendar amendment passes before it is stored and sent to open dossiers
// (docs/deadlines.md#amendments-loaded-as-data-and-their-adoption).

/** Tết 2027 as the Government might fix it in late 2026, with a swap for a bridge day. */
const TET_2027: CalendarAmendment = calendarAmendmentSchema.parse({
  version: '2026.1',
  effectiveFrom: '2026-11-20',
  reason: 'Test: Tết 2027 Thursday 4 – Wednesday 10 February, Thursday 11 February swapped for Saturday 20 February.',
  legalReference: 'Công văn thử nghiệm 2/VPCP-KGVX',
  changes: [
    {
      type: 'official-schedule',
      schedule: {
        year: 2027,
        holidayId: 'tet',
        daysOff: [...['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'].map((date) => ({ date, kind: 'holiday' })), { date: '2027-02-11', kind: 'swapped' }],
        makeUpWorkingDays: [{ date: '2027-02-20', insteadOf: '2027-02-11' }],
      },
    },
  ],
});

const check = (amendment: CalendarAmendment, today = '2026-12-02') => amendmentProblems(VIETNAM_CIVIL_SERVICE_CALENDAR, amendment, today);
const withSchedule = (change: Partial<Extract<CalendarAmendment['changes'][number], { type: 'official-schedule' }>['schedule']>): CalendarAmendment => {
  const [first] = TET_2027.changes as [Extract<CalendarAmendment['changes'][number], { type: 'official-schedule' }>];
  return { ...TET_2027, changes: [{ ...first, schedule: { ...first.schedule, ...change } }] };
};

describe('the sanity rules of a loaded calendar amendment', () => {
  it('take a well-formed amendment that comes after the calendar', () => {
    expect(check(TET_2027)).toEqual([]);
  });

  it('refuse a version that is not after the latest, or does not begin with the letter’s year', () => {
    expect(check({ ...TET_2027, version: '2025.2' })).toEqual(expect.arrayContaining([expect.stringContaining('must come after 2025.2')]));
    expect(check({ ...TET_2027, version: '2027.1' })).toEqual(expect.arrayContaining([expect.stringContaining('must begin with the year of its document (2026)')]));
  });

  it('refuse a letter dated in the future', () => {
    expect(check(TET_2027, '2026-11-19')).toEqual([expect.stringContaining('is after today (2026-11-19)')]);
  });

  it('refuse a make-up day that is a weekday, or replaces no swapped day', () => {
    expect(check(withSchedule({ makeUpWorkingDays: [{ date: '2027-02-19', insteadOf: '2027-02-11' }] }))).toEqual([expect.stringContaining('is a friday; a make-up day must be a weekend day')]);
    expect(check(withSchedule({ makeUpWorkingDays: [{ date: '2027-02-20', insteadOf: '2027-02-12' }] }))).toEqual([expect.stringContaining('which is not a swapped day off of this schedule')]);
  });

  it('refuse a swapped day on a weekend, a day far from the schedule’s year, and a holiday no rule defines', () => {
    expect(check(withSchedule({ daysOff: [{ date: '2027-02-13', kind: 'swapped' }], makeUpWorkingDays: [] }))).toEqual([expect.stringContaining('a swapped day off must be a working weekday')]);
    expect(check(withSchedule({ daysOff: [{ date: '2027-06-01', kind: 'holiday' }], makeUpWorkingDays: [], year: 2028 }))).toEqual(expect.arrayContaining([expect.stringContaining('2027-06-01 is too far from 2028')]));
    expect(check(withSchedule({ holidayId: 'culture-day' }))).toEqual([expect.stringContaining('holiday culture-day is not defined by any rule')]);
  });
});

/** An amendment of 2026 that adds or redefines a holiday rule. */
const withRule = (rule: Record<string, unknown>): CalendarAmendment =>
  ({
    ...TET_2027,
    changes: [{ type: 'holiday-rule', rule: { name: 'Ngày thử nghiệm', englishName: 'Test day', legalReference: 'Luật thử nghiệm', ...rule } }],
  }) as CalendarAmendment;

describe('a loaded holiday rule', () => {
  it('refuses a rule whose day some years lack, which would throw inside every dossier workflow that reaches such a year', () => {
    // Lunar 12/30 exists in 2026 (so the issue year's check passed) but not in every year.
    expect(check(withRule({ id: 'lunar-eve', kind: 'lunar-date', month: 12, day: 30, fromYear: 2027 }))).toEqual([expect.stringContaining('day 30')]);
    // 30 February would silently become 2 March.
    expect(check(withRule({ id: 'feb-day', kind: 'solar-date', month: 2, day: 30, fromYear: 2027 }))).toEqual([expect.stringContaining('2/30 is not a day of every year')]);
    expect(check(withRule({ id: 'leap-day', kind: 'solar-date', month: 2, day: 29, fromYear: 2027 }))).toEqual([expect.stringContaining('2/29 is not a day of every year')]);
  });

  it('refuses a rule far in the future (its changed days would be listed year by year inside the workflow) or one that ends before it begins', () => {
    expect(check(withRule({ id: 'far-day', kind: 'solar-date', month: 3, day: 8, fromYear: 900_000 }))).toEqual([expect.stringContaining('fromYear 900000 is more than 5 years after')]);
    expect(check(withRule({ id: 'short-day', kind: 'solar-date', month: 3, day: 8, fromYear: 2027, untilYear: 2026 }))).toEqual([expect.stringContaining('untilYear 2026 is before fromYear 2027')]);
  });

  it('keeps the years before a redefined rule takes effect: redefining Tết from 2027 leaves Tết 2026 as decided', () => {
    const redefined = withRule({ id: 'tet', kind: 'lunar-new-year', days: 7, fromYear: 2027, name: 'Tết Âm lịch' });
    expect(check(redefined)).toEqual([]);
    const calendar = latestHolidayCalendar({ ...VIETNAM_CIVIL_SERVICE_CALENDAR, amendments: [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments, redefined] });
    const tetDays = (year: number) => calendar.marksOfYear(year).filter(({ mark }) => mark.holidayId === 'tet' && mark.kind === 'holiday').map(({ date }) => date);
    expect(tetDays(2026)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
    expect(tetDays(2028)).toHaveLength(7);
  });
});

describe('the size and shape of an amendment as posted', () => {
  it('refuses a version whose sequence would not fit the store, and lists that would bloat every accepted dossier', () => {
    expect(calendarAmendmentSchema.safeParse({ ...TET_2027, version: '2026.99999999999' }).success).toBe(false);
    const change = TET_2027.changes[0]!;
    expect(calendarAmendmentSchema.safeParse({ ...TET_2027, changes: Array.from({ length: 500 }, () => change) }).success).toBe(false);
    const days = Array.from({ length: 400 }, (_, index) => ({ date: '2027-02-04', kind: 'holiday', index })).map(({ date, kind }) => ({ date, kind }));
    expect(calendarAmendmentSchema.safeParse({ ...TET_2027, changes: [{ type: 'official-schedule', schedule: { year: 2027, holidayId: 'tet', daysOff: days, makeUpWorkingDays: [] } }] }).success).toBe(false);
    expect(calendarAmendmentSchema.safeParse({ ...TET_2027, changes: [{ type: 'holiday-rule', rule: { id: 'x', kind: 'solar-date', month: 3, day: 8, name: 'n', englishName: 'e', legalReference: 'l', fromYear: 1e15 } }] }).success).toBe(false);
  });
});

describe('an amendment that says one thing twice', () => {
  it('refuses two schedules of one holiday and year, or two rules with one id: the later would silently win', () => {
    const [schedule] = TET_2027.changes;
    expect(check({ ...TET_2027, changes: [schedule!, schedule!] })).toEqual(expect.arrayContaining([expect.stringContaining('changes[1]: a second schedule of tet for 2027')]));
    const rule = { type: 'holiday-rule', rule: { id: 'culture-day', kind: 'solar-date', month: 11, day: 24, name: 'Ngày Văn hóa', englishName: 'Culture Day', legalReference: 'Luật thử nghiệm', fromYear: 2027 } } as const;
    expect(check({ ...TET_2027, changes: [rule, { ...rule, rule: { ...rule.rule, day: 23 } }] })).toEqual([expect.stringContaining('changes[1]: a second rule culture-day')]);
  });
});
