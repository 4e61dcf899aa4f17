import { describe, expect, it } from 'vitest';
import { amendmentProblems } from '../../domain/calendar/amendment-rules.js';
import { calendarAmendmentSchema, type CalendarAmendment } from '../../domain/calendar/calendar-schemas.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';

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
