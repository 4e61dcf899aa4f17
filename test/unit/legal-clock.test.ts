import { describe, expect, it } from 'vitest';
import { civilDayFromIso, parseInstant } from '../../domain/calendar/civil-day.js';
import { holidayCalendarAtVersion, latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agencyScheduleSchema } from '../../domain/calendar/calendar-schemas.js';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { ClockEntry } from '../../domain/clock/clock-ledger.js';
import type { ClockRulesInput } from '../../domain/clock/clock-rules.js';
import { readClock } from '../../domain/clock/legal-clock.js';

const calendar = new WorkingCalendar(latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR), agencyScheduleSchema.parse({}));
const at = (local: string) => `${local}+07:00`;
const started = (local: string): ClockEntry => ({ type: 'started', at: at(local) });
const workingDays = (amount: number): ClockRulesInput => ({ budget: { unit: 'working-days', amount } });

function dueOf(rules: ClockRulesInput, ledger: ClockEntry[], asOf = ledger[0]!.at) {
  return readClock(calendar, rules, ledger, asOf).due;
}

describe('the due time: acceptance plus N working days at the same clock time', () => {
  it('reproduces the 2019 receipt: 08:37 on 20/11/2019 plus 25 working days is 08:37 on 25/12/2019', () => {
    expect(dueOf(workingDays(25), [started('2019-11-20T08:37:00')])).toBe(at('2019-12-25T08:37:00'));
  });

  it.each([
    ['Tết 2026 (16–20 February)', '2026-02-12T08:37:00', 5, '2026-02-26T08:37:00'],
    ['Tết 2025 (27–31 January)', '2025-01-23T10:00:00', 3, '2025-02-04T10:00:00'],
    ['Tết 2027, estimated (5–11 February with two compensatory days)', '2027-02-03T09:00:00', 2, '2027-02-12T09:00:00'],
    ['30/4–1/5 2025, counting the make-up Saturday 26 April', '2025-04-25T09:00:00', 2, '2025-04-28T09:00:00'],
    ['30/4–1/5 2025, skipping the swapped Friday 2 May', '2025-04-25T09:00:00', 4, '2025-05-05T09:00:00'],
    ['2/9 2026, counting the make-up Saturday 22 August', '2026-08-20T14:00:00', 3, '2026-08-24T14:00:00'],
    ['2/9 2026, skipping the swapped Monday 31 August', '2026-08-26T10:00:00', 6, '2026-09-08T10:00:00'],
    ['2/9 2025 (1–2 September)', '2025-08-29T08:00:00', 1, '2025-09-03T08:00:00'],
    ['Hùng Kings 2026 on a Sunday, compensatory Monday 27 April, then 30/4–1/5', '2026-04-24T09:30:00', 3, '2026-05-04T09:30:00'],
    ['Hùng Kings 2027 (Friday 16 April)', '2027-04-15T13:30:00', 1, '2027-04-19T13:30:00'],
    ['1 May 2027 on a Saturday, compensatory Monday 3 May', '2027-04-29T10:00:00', 1, '2027-05-04T10:00:00'],
  ])('across %s', (_name, accepted, amount, due) => {
    expect(dueOf(workingDays(amount), [started(accepted)])).toBe(at(due));
  });

  it('counts from the next working day when accepted after the 15:00 cut-off, and not at 15:00 itself', () => {
    expect(dueOf(workingDays(1), [started('2026-03-09T15:00:00')])).toBe(at('2026-03-10T15:00:00'));
    const late = readClock(calendar, workingDays(1), [started('2026-03-09T15:01:00')], at('2026-03-09T15:01:00'));
    expect(late.period.countingFrom).toBe(at('2026-03-10T07:30:00'));
    expect(late.period.startAdjustment).toEqual({ reason: 'after-cut-off', cutOff: '15:00' });
    expect(late.due).toBe(at('2026-03-11T07:30:00'));
  });

  it('honours a procedure cut-off of 09:30, and a holiday the day after', () => {
    // Friday 3 April 2025 10:00 is after 09:30; Monday 7 April is the Hùng Kings' day.
    const reading = readClock(calendar, { ...workingDays(1), receptionCutOff: '09:30' }, [started('2025-04-04T10:00:00')], at('2025-04-04T10:00:00'));
    expect(reading.period.countingFrom).toBe(at('2025-04-08T07:30:00'));
    expect(reading.due).toBe(at('2025-04-09T07:30:00'));
  });

  it('starts an online dossier accepted at night or on a day off when the office next opens', () => {
    const sunday = readClock(calendar, workingDays(1), [started('2026-03-08T21:00:00')], at('2026-03-08T21:00:00'));
    expect(sunday.period).toMatchObject({ countingFrom: at('2026-03-09T07:30:00'), startAdjustment: { reason: 'non-working-day' } });
    const lunch = readClock(calendar, workingDays(1), [started('2026-03-09T12:10:00')], at('2026-03-09T12:10:00'));
    expect(lunch.period).toMatchObject({ countingFrom: at('2026-03-09T13:30:00'), startAdjustment: { reason: 'outside-office-hours' } });
    expect(lunch.due).toBe(at('2026-03-10T13:30:00'));
  });
});

describe('other units and the Civil Code rule', () => {
  it('same day: by the close of the day, or of the next working day after the cut-off', () => {
    expect(dueOf({ budget: { unit: 'same-day' } }, [started('2026-03-09T14:59:00')])).toBe(at('2026-03-09T17:00:00'));
    expect(dueOf({ budget: { unit: 'same-day' } }, [started('2026-03-09T15:01:00')])).toBe(at('2026-03-10T17:00:00'));
  });

  it('working hours run only in office hours and may end at a session close', () => {
    expect(dueOf({ budget: { unit: 'working-hours', amount: 8 } }, [started('2026-03-10T10:00:00')])).toBe(at('2026-03-11T10:30:00'));
    expect(dueOf({ budget: { unit: 'working-hours', amount: 3.5 } }, [started('2026-03-10T13:30:00')])).toBe(at('2026-03-10T17:00:00'));
    expect(dueOf({ budget: { unit: 'working-hours', amount: 4 } }, [started('2026-03-10T07:30:00')])).toBe(at('2026-03-10T11:30:00'));
  });

  it('calendar days count weekends and holidays, and a due day off moves to the next working day', () => {
    // 12 February 2026 + 10 days is Sunday 22 February, inside the Tết break.
    expect(dueOf({ budget: { unit: 'calendar-days', amount: 10 } }, [started('2026-02-12T09:00:00')])).toBe(at('2026-02-23T09:00:00'));
  });

  it('Civil Code: the day of acceptance is not counted and the period ends with its last working day', () => {
    const rules: ClockRulesInput = { ...workingDays(5), dueRule: 'end-of-day' };
    expect(dueOf(rules, [started('2026-03-09T08:37:00')])).toBe(at('2026-03-16T17:00:00'));
    expect(dueOf({ ...workingDays(4), dueRule: 'end-of-day' }, [started('2026-02-09T10:00:00')])).toBe(at('2026-02-13T17:00:00'));
    // 20 calendar days from 10 April 2026 end on 30 April, a holiday: the period ends with Monday 4 May.
    expect(dueOf({ budget: { unit: 'calendar-days', amount: 20 }, dueRule: 'end-of-day' }, [started('2026-04-10T10:00:00')])).toBe(at('2026-05-04T17:00:00'));
  });
});

describe('pauses, restarts and extensions', () => {
  it('a pause that spans Tết moves the due time by the working days it took, not the calendar days', () => {
    const ledger: ClockEntry[] = [
      started('2026-02-09T08:00:00'),
      { type: 'paused', at: at('2026-02-11T08:00:00'), reason: 'waiting-for-financial-obligation', reference: 'tax notice 12/TB' },
      { type: 'resumed', at: at('2026-02-23T08:00:00') },
    ];
    // Without the pause: 23 February 08:00. The pause took exactly 3 working days (11, 12, 13 February).
    expect(dueOf(workingDays(5), ledger.slice(0, 1))).toBe(at('2026-02-23T08:00:00'));
    const reading = readClock(calendar, workingDays(5), ledger, at('2026-02-23T09:00:00'));
    expect(reading.due).toBe(at('2026-02-26T08:00:00'));
    expect(reading.pauses).toEqual([{ from: at('2026-02-11T08:00:00'), to: at('2026-02-23T08:00:00'), reason: 'waiting-for-financial-obligation', reference: 'tax notice 12/TB', minutes: 1350 }]);
  });

  it('while paused the due time is provisional and the state is paused', () => {
    const ledger: ClockEntry[] = [started('2026-03-02T09:00:00'), { type: 'paused', at: at('2026-03-05T09:00:00'), reason: 'waiting-for-supplement' }];
    const reading = readClock(calendar, workingDays(10), ledger, at('2026-03-09T09:00:00'));
    expect(reading).toMatchObject({ state: 'paused', dueIsProvisional: true, overdue: false, elapsed: { minutes: 1350, days: 3 } });
    // Ten working days from 2 March end on 16 March; two paused working days so far move it to 18 March.
    expect(reading.due).toBe(at('2026-03-18T09:00:00'));
  });

  const supplementLedger = (resumption: 'resumed' | 'restarted'): ClockEntry[] => [
    started('2026-03-02T09:00:00'),
    { type: 'paused', at: at('2026-03-05T09:00:00'), reason: 'waiting-for-supplement', reference: 'form 02 no. 7' },
    { type: resumption, at: at('2026-03-10T09:00:00') },
  ];

  it('resume: the time used before the supplement request still counts', () => {
    const reading = readClock(calendar, workingDays(10), supplementLedger('resumed'), at('2026-03-10T09:00:00'));
    expect(reading.due).toBe(at('2026-03-19T09:00:00'));
    expect(reading.period.number).toBe(1);
  });

  it('restart: the legal time begins again from the complete supplement (Decree 61 art. 19(4))', () => {
    const reading = readClock(calendar, workingDays(10), supplementLedger('restarted'), at('2026-03-10T09:00:00'));
    expect(reading.due).toBe(at('2026-03-24T09:00:00'));
    expect(reading.period).toMatchObject({ number: 2, restarted: true, countingFrom: at('2026-03-10T09:00:00') });
    expect(reading.elapsed.minutes).toBe(0);
  });

  it('Decision 766 subtracts the supplement wait from the end and judges against the first appointment', () => {
    const ledger = [...supplementLedger('restarted'), { type: 'stopped', at: at('2026-03-20T10:00:00'), outcome: 'resolved' } as const];
    const reading = readClock(calendar, workingDays(10), ledger, at('2026-03-31T00:00:00'));
    expect(reading.outcome).toMatchObject({ dossierRule: 'early', result: 'resolved' });
    expect(reading.decision766).toMatchObject({
      appointment: at('2026-03-16T09:00:00'),
      end: at('2026-03-20T10:00:00'),
      // Five calendar days of waiting (5 → 10 March) come off the end.
      adjustedEnd: at('2026-03-15T10:00:00'),
      excludedMinutes: 5 * 24 * 60,
      classification: 'early',
    });
  });

  it('Decision 766 counts a dossier with two supplement requests as late, whatever the dates', () => {
    const ledger: ClockEntry[] = [
      ...supplementLedger('resumed'),
      { type: 'paused', at: at('2026-03-11T09:00:00'), reason: 'waiting-for-supplement' },
      { type: 'resumed', at: at('2026-03-11T10:00:00') },
      { type: 'stopped', at: at('2026-03-12T09:00:00'), outcome: 'resolved' },
    ];
    const reading = readClock(calendar, workingDays(10), ledger, at('2026-03-12T09:00:00'));
    expect(reading.supplementRequests).toBe(2);
    expect(reading.outcome?.dossierRule).toBe('early');
    expect(reading.decision766).toMatchObject({ classification: 'late', because: 'more-than-one-supplement-request' });
  });

  it('Decision 766 ends a dossier still waiting for a supplement at the request', () => {
    const ledger = supplementLedger('resumed').slice(0, 2);
    const reading = readClock(calendar, workingDays(10), ledger, at('2026-04-30T00:00:00'));
    expect(reading.decision766).toMatchObject({ end: at('2026-03-05T09:00:00'), finished: false, classification: 'early' });
  });

  const extensionLedger = (apologyAt: string, stopAt?: string): ClockEntry[] => [
    started('2026-03-02T09:00:00'),
    { type: 'extended', at: at(apologyAt), newDue: at('2026-03-13T09:00:00'), reference: 'form 04 no. 3' },
    ...(stopAt ? [{ type: 'stopped', at: at(stopAt), outcome: 'resolved' } as const] : []),
  ];

  it('an extension gives a new appointment and keeps the original due time, which still judges lateness', () => {
    const reading = readClock(calendar, workingDays(5), extensionLedger('2026-03-05T10:00:00', '2026-03-12T15:00:00'), at('2026-03-31T00:00:00'));
    expect(reading).toMatchObject({ originalDue: at('2026-03-09T09:00:00'), extendedDue: at('2026-03-13T09:00:00'), due: at('2026-03-13T09:00:00') });
    expect(reading.extension).toMatchObject({ lawful: true, addedMinutes: 4 * 450 });
    expect(reading.outcome).toMatchObject({ dossierRule: 'late', metExtendedAppointment: true });
    expect(reading.decision766.classification).toBe('late');
  });

  it('an apology on the due date itself is recorded as unlawful: it must come at the latest the working day before', () => {
    expect(readClock(calendar, workingDays(5), extensionLedger('2026-03-06T16:30:00'), at('2026-03-06T16:30:00')).extension?.lawful).toBe(true);
    const late = readClock(calendar, workingDays(5), extensionLedger('2026-03-09T08:00:00'), at('2026-03-09T08:00:00'));
    expect(late.extension).toMatchObject({ lawful: false, violation: { code: 'EXTENSION_TOO_LATE', message: expect.stringContaining('by 2026-03-06') } });
  });

  it('a second extension is recorded as unlawful', () => {
    const ledger: ClockEntry[] = [...extensionLedger('2026-03-05T10:00:00'), { type: 'extended', at: at('2026-03-06T10:00:00'), newDue: at('2026-03-16T09:00:00') }];
    expect(readClock(calendar, workingDays(5), ledger, at('2026-03-06T10:00:00')).extension?.violation?.code).toBe('EXTENSION_ALREADY_GRANTED');
  });
});

describe('the state at any instant', () => {
  const ledger = [started('2026-03-02T09:00:00')];

  it.each([
    ['2026-03-02T09:00:00', 'running', 2250],
    ['2026-03-06T08:59:00', 'running', 451],
    ['2026-03-06T09:00:00', 'due-soon', 450],
    ['2026-03-09T09:00:00', 'due-soon', 0],
    ['2026-03-09T09:01:00', 'overdue', -1],
  ])('at %s the clock is %s with %d minutes left', (instant, state, remaining) => {
    const reading = readClock(calendar, workingDays(5), ledger, at(instant));
    expect(reading.state).toBe(state);
    expect(reading.remaining.minutes).toBe(remaining);
    expect(reading.elapsed.minutes + reading.remaining.minutes).toBe(2250);
  });

  it('ignores entries after the instant asked about, so an auditor sees the clock as it was', () => {
    const full: ClockEntry[] = [...ledger, { type: 'stopped', at: at('2026-03-04T10:00:00'), outcome: 'resolved' }];
    expect(readClock(calendar, workingDays(5), full, at('2026-03-03T09:00:00')).state).toBe('running');
    expect(readClock(calendar, workingDays(5), full, at('2026-03-05T09:00:00'))).toMatchObject({ state: 'stopped', outcome: { dossierRule: 'early' } });
  });

  it('refuses to read a clock that has not started, saying when it starts', () => {
    expect(() => readClock(calendar, workingDays(5), ledger, at('2026-03-01T09:00:00'))).toThrow(/had not started .* it starts when the dossier is accepted/);
  });

  it('refuses a malformed ledger, naming the entry', () => {
    expect(() => readClock(calendar, workingDays(5), [...ledger, { type: 'resumed', at: at('2026-03-03T09:00:00') }], at('2026-03-04T09:00:00'))).toThrow(/entry 1: resumed while running/);
  });

  it('records the calendar version that computed it, so a later change can be explained', () => {
    const before = new WorkingCalendar(holidayCalendarAtVersion(VIETNAM_CIVIL_SERVICE_CALENDAR, '2024.1'), agencyScheduleSchema.parse({}));
    const accepted = [started('2026-08-27T10:00:00')];
    // The 2026 decision swapped Monday 31 August for Saturday 22 August.
    const then = readClock(before, workingDays(2), accepted, accepted[0]!.at);
    const now = readClock(calendar, workingDays(2), accepted, accepted[0]!.at);
    expect([then.calendarVersion, then.due]).toEqual(['vn-civil-service@2024.1', at('2026-08-31T10:00:00')]);
    expect([now.calendarVersion, now.due]).toEqual(['vn-civil-service@2025.2', at('2026-09-03T10:00:00')]);
  });
});

describe('per-step marks for the control slip (form 06)', () => {
  const step = (completed: string) => readClock(
    calendar,
    { budget: { unit: 'working-hours', amount: 4 }, granularity: 'minute', receptionCutOff: null },
    [started('2026-03-10T08:00:00'), { type: 'stopped', at: at(completed), outcome: 'resolved' }],
    at(completed),
  ).outcome?.dossierRule;

  it.each([
    ['2026-03-10T11:30:00', 'early'],
    ['2026-03-10T14:00:00', 'on-time'],
    ['2026-03-10T14:05:00', 'late'],
  ])('a 4-hour step received at 08:00 and completed at %s is %s', (completed, mark) => {
    expect(step(completed)).toBe(mark);
  });

  it('the dossier rule judges by date by default: done on the due date after the due time is on time', () => {
    const reading = readClock(calendar, workingDays(1), [started('2026-03-09T08:37:00'), { type: 'stopped', at: at('2026-03-10T16:00:00'), outcome: 'resolved' }], at('2026-03-10T16:00:00'));
    expect(reading.outcome?.dossierRule).toBe('on-time');
    expect(parseInstant(reading.due)).toBeLessThan(parseInstant(at('2026-03-10T16:00:00')));
  });
});

describe('edge cases found in review', () => {
  it('a calendar-day extension gives exactly the new appointment', () => {
    const reading = readClock(calendar, { budget: { unit: 'calendar-days', amount: 5 } }, [
      started('2026-03-02T10:00:00'),
      { type: 'extended', at: at('2026-03-05T10:00:00'), newDue: at('2026-03-11T10:00:00') },
    ], at('2026-03-05T10:00:00'));
    expect([reading.originalDue, reading.extendedDue]).toEqual([at('2026-03-09T10:00:00'), at('2026-03-11T10:00:00')]);
  });

  it('an apology made while paused is judged against the due time of that moment, the same at every later reading', () => {
    const ledger: ClockEntry[] = [
      started('2026-03-02T09:00:00'),
      { type: 'paused', at: at('2026-03-04T09:00:00'), reason: 'verification' },
      { type: 'extended', at: at('2026-03-09T08:00:00'), newDue: at('2026-03-20T09:00:00') },
      { type: 'resumed', at: at('2026-03-10T09:00:00') },
    ];
    for (const asOf of ['2026-03-09T10:00:00', '2026-03-11T10:00:00']) {
      const reading = readClock(calendar, workingDays(5), ledger, at(asOf));
      expect(reading.extension?.lawful).toBe(true);
      expect(reading.extendedDue).toBe(at('2026-03-20T09:00:00'));
    }
  });

  it('an extended appointment at opening time stays there, and keeping it counts as met', () => {
    const reading = readClock(calendar, workingDays(5), [
      started('2026-03-02T09:00:00'),
      { type: 'extended', at: at('2026-03-05T10:00:00'), newDue: at('2026-03-12T07:30:00') },
      { type: 'stopped', at: at('2026-03-12T10:00:00'), outcome: 'resolved' },
    ], at('2026-03-12T10:00:00'));
    expect(reading.extendedDue).toBe(at('2026-03-12T07:30:00'));
    expect(reading.outcome?.metExtendedAppointment).toBe(true);
  });

  it('prints whole seconds: 59.6 s carries into the minute', () => {
    const reading = readClock(calendar, workingDays(5), [{ type: 'started', at: '2026-03-02T01:37:59.600Z' }], '2026-03-02T01:37:59.600Z');
    expect(reading.acceptedAt).toBe(at('2026-03-02T08:38:00'));
    expect(reading.due).toBe(at('2026-03-09T08:38:00'));
  });

  it('working hours that run out a hair before the close land on the close, not the next morning', () => {
    const reading = readClock(calendar, { budget: { unit: 'working-hours', amount: 2.5 } }, [
      started('2026-03-02T14:00:04'),
      { type: 'paused', at: at('2026-03-02T15:00:08'), reason: 'verification' },
      { type: 'resumed', at: at('2026-03-02T15:30:04') },
    ], at('2026-03-02T15:30:04'));
    expect(reading.due).toBe(at('2026-03-02T17:00:00'));
  });

  it('a calendar-day limit ending on a Saturday evening ends at the close of Monday', () => {
    const reading = readClock(calendar, { budget: { unit: 'calendar-days', amount: 2 } }, [
      started('2026-03-05T09:00:00'),
      { type: 'paused', at: at('2026-03-05T10:00:00'), reason: 'verification' },
      { type: 'resumed', at: at('2026-03-05T19:00:00') },
    ], at('2026-03-05T19:00:00'));
    expect(reading.due).toBe(at('2026-03-09T17:00:00'));
  });

  it('under the Civil Code a pause that begins on the last day, before its end, moves the due time', () => {
    const rules: ClockRulesInput = { ...workingDays(2), dueRule: 'end-of-day' };
    const ledger: ClockEntry[] = [
      started('2026-03-02T10:00:00'),
      { type: 'paused', at: at('2026-03-03T07:30:00'), reason: 'verification' },
      { type: 'resumed', at: at('2026-03-03T10:00:00') },
    ];
    expect(readClock(calendar, rules, ledger, at('2026-03-03T10:00:00')).due).toBe(at('2026-03-05T17:00:00'));
    const waiting = readClock(calendar, rules, [...ledger, { type: 'paused', at: at('2026-03-05T14:00:00'), reason: 'waiting-for-supplement' }], at('2026-03-06T12:00:00'));
    expect(waiting).toMatchObject({ state: 'paused', overdue: false });
  });

  it('an agency that works Saturdays gets no compensatory Monday for a holiday on a Saturday', () => {
    const saturdays = new WorkingCalendar(latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR), agencyScheduleSchema.parse({ weeklyRestDays: ['sunday'] }));
    expect(saturdays.isWorkingDay(civilDayFromIso('2027-05-03'))).toBe(true);
    expect(saturdays.isWorkingDay(civilDayFromIso('2027-05-01'))).toBe(false);
    expect(calendar.isWorkingDay(civilDayFromIso('2027-05-03'))).toBe(false);
  });
});
