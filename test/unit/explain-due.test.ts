import { describe, expect, it } from 'vitest';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agencyScheduleSchema } from '../../domain/calendar/calendar-schemas.js';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { ClockEntry } from '../../domain/clock/clock-ledger.js';
import { explainDue } from '../../domain/clock/explain-due.js';

const calendar = new WorkingCalendar(latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR), agencyScheduleSchema.parse({}));
const at = (local: string) => `${local}+07:00`;
const fiveWorkingDays = { budget: { unit: 'working-days' as const, amount: 5 } };

describe('explainDue: why the due date is what it is', () => {
  it('lists each counted working day and each skipped day with its reason, across Tết 2026', () => {
    const explanation = explainDue(calendar, fiveWorkingDays, [{ type: 'started', at: at('2026-02-12T08:37:00') }], at('2026-02-12T08:37:00'));
    expect(explanation.days.map((day) => (day.kind === 'counted' ? `${day.date} counted ${day.minutes}` : day.kind === 'skipped' ? `${day.date} ${day.reason}${day.holiday ? ` ${day.holiday.name}` : ''}` : day.date))).toEqual([
      '2026-02-12 counted 383',
      '2026-02-13 counted 450',
      '2026-02-14 weekly-rest',
      '2026-02-15 weekly-rest',
      '2026-02-16 holiday Tết Âm lịch',
      '2026-02-17 holiday Tết Âm lịch',
      '2026-02-18 holiday Tết Âm lịch',
      '2026-02-19 holiday Tết Âm lịch',
      '2026-02-20 holiday Tết Âm lịch',
      '2026-02-21 weekly-rest',
      '2026-02-22 weekly-rest',
      '2026-02-23 counted 450',
      '2026-02-24 counted 450',
      '2026-02-25 counted 450',
      '2026-02-26 counted 67',
    ]);
    expect(explanation).toMatchObject({
      calendarVersion: 'vn-civil-service@2025.2',
      budgetMinutes: 2250,
      countedMinutes: 2250,
      due: at('2026-02-26T08:37:00'),
      startAdjustment: null,
      usesEstimatedHolidays: false,
    });
    const tet = explanation.days.find((day) => day.date === '2026-02-17');
    expect(tet).toMatchObject({ holiday: { source: 'official-schedule', estimated: false, legalReference: expect.stringContaining('2026') } });
    expect(explanation.summary).toContain('Skipped: 9 day(s) off, including Tết Âm lịch.');
    expect(explanation.summary).toContain('Due 2026-02-26T08:37:00+07:00.');
  });

  it('says when a day counted partly, was paused and why, and when the count began late because of the cut-off', () => {
    const ledger: ClockEntry[] = [
      { type: 'started', at: at('2026-03-02T15:20:00') },
      { type: 'paused', at: at('2026-03-04T10:00:00'), reason: 'waiting-for-financial-obligation' },
      { type: 'resumed', at: at('2026-03-06T14:00:00') },
    ];
    const explanation = explainDue(calendar, fiveWorkingDays, ledger, at('2026-03-06T14:00:00'));
    expect(explanation.startAdjustment).toEqual({ reason: 'after-cut-off', cutOff: '15:00' });
    expect(explanation.countingFrom).toBe(at('2026-03-03T07:30:00'));
    expect(explanation.days.slice(0, 4)).toMatchObject([
      { date: '2026-03-02', kind: 'not-yet-counting', because: 'after-cut-off' },
      { date: '2026-03-03', kind: 'counted', minutes: 450 },
      { date: '2026-03-04', kind: 'counted', minutes: 150, paused: { minutes: 300, reasons: ['waiting-for-financial-obligation'] } },
      { date: '2026-03-05', kind: 'paused', pausedMinutes: 450, reasons: ['waiting-for-financial-obligation'] },
    ]);
    expect(explanation.countedMinutes).toBe(2250);
    expect(explanation.summary).toMatch(/because it was accepted after the reception cut-off/);
  });

  it('shows the extension on top of the budget and keeps the original due time', () => {
    const ledger: ClockEntry[] = [
      { type: 'started', at: at('2026-03-02T09:00:00') },
      { type: 'extended', at: at('2026-03-05T10:00:00'), newDue: at('2026-03-13T09:00:00') },
    ];
    const explanation = explainDue(calendar, fiveWorkingDays, ledger, at('2026-03-05T10:00:00'));
    expect(explanation).toMatchObject({
      originalDue: at('2026-03-09T09:00:00'),
      extendedDue: at('2026-03-13T09:00:00'),
      due: at('2026-03-13T09:00:00'),
      extension: { addedMinutes: 1800, lawful: true },
      countedMinutes: 2250 + 1800,
    });
    expect(explanation.summary).toContain('(extended; originally 2026-03-09T09:00:00+07:00)');
  });

  it('after a restart explains the new legal period and names the earlier one', () => {
    const ledger: ClockEntry[] = [
      { type: 'started', at: at('2026-03-02T09:00:00') },
      { type: 'paused', at: at('2026-03-05T09:00:00'), reason: 'waiting-for-supplement' },
      { type: 'restarted', at: at('2026-03-10T09:00:00') },
    ];
    const explanation = explainDue(calendar, fiveWorkingDays, ledger, at('2026-03-10T09:00:00'));
    expect(explanation.earlierPeriods).toEqual([{ number: 1, countingFrom: at('2026-03-02T09:00:00'), endedAt: at('2026-03-10T09:00:00') }]);
    expect(explanation).toMatchObject({ period: 2, countingFrom: at('2026-03-10T09:00:00'), due: at('2026-03-17T09:00:00') });
    expect(explanation.summary).toContain('the legal time restarted on 2026-03-10T09:00:00+07:00 after a supplement (period 2)');
  });

  it('warns when the due date rests on holiday days that are still our estimate (Tết 2027)', () => {
    const explanation = explainDue(calendar, { budget: { unit: 'working-days', amount: 2 } }, [{ type: 'started', at: at('2027-02-03T09:00:00') }], at('2027-02-03T09:00:00'));
    expect(explanation.usesEstimatedHolidays).toBe(true);
    expect(explanation.days.find((day) => day.date === '2027-02-10')).toMatchObject({ kind: 'skipped', reason: 'compensatory', holiday: { estimated: true } });
    expect(explanation.summary).toContain('with holiday days estimated until the official schedule is published');
  });

  it('shows the Civil Code settlement to the end of the last day', () => {
    const explanation = explainDue(calendar, { ...fiveWorkingDays, dueRule: 'end-of-day' }, [{ type: 'started', at: at('2026-03-09T08:37:00') }], at('2026-03-09T08:37:00'));
    expect(explanation.startAdjustment).toEqual({ reason: 'first-day-not-counted' });
    expect(explanation.due).toBe(at('2026-03-16T17:00:00'));
    expect(explanation.countedMinutes).toBe(2250);
  });

  it('counts days off in a calendar-day limit and says why the due day moved', () => {
    const explanation = explainDue(calendar, { budget: { unit: 'calendar-days', amount: 10 } }, [{ type: 'started', at: at('2026-02-12T09:00:00') }], at('2026-02-12T09:00:00'));
    expect(explanation.days.find((day) => day.date === '2026-02-17')).toMatchObject({ kind: 'counted', minutes: 1440, note: { kind: 'day-off-counted-in-calendar-days', holiday: { name: 'Tết Âm lịch' } } });
    expect(explanation.settlement).toEqual({ from: at('2026-02-22T09:00:00'), to: at('2026-02-23T09:00:00'), because: 'due-on-day-off' });
    expect(explanation.countedMinutes).toBe(14400);
  });
});
