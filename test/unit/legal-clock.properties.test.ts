// Properties of the legal clock that must hold for every acceptance time, budget and pause, checked
// on random cases by fast-check (which shrinks any failure to the smallest case that shows it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilDayFromIso, civilDayOfInstant, formatVietnamInstant, instantAt, parseInstant } from '../../domain/calendar/civil-day.js';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agencyScheduleSchema } from '../../domain/calendar/calendar-schemas.js';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { ClockEntry } from '../../domain/clock/clock-ledger.js';
import type { Budget, ClockRulesInput } from '../../domain/clock/clock-rules.js';
import { explainDue } from '../../domain/clock/explain-due.js';
import { readClock } from '../../domain/clock/legal-clock.js';

// 200 cases per property in `npm test`; FAST_CHECK_RUNS=20000 for a deeper search before a release.
fc.configureGlobal({ numRuns: Number(process.env.FAST_CHECK_RUNS ?? 200) });

const holidays = latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR);
const calendars = [
  new WorkingCalendar(holidays, agencyScheduleSchema.parse({})),
  // An agency open 07:00–11:30 and 13:30–17:00 that also receives on Saturdays.
  new WorkingCalendar(holidays, agencyScheduleSchema.parse({ weeklyRestDays: ['sunday'], officeHours: [{ from: '07:00', to: '11:30' }, { from: '13:30', to: '17:00' }] })),
];

const FIRST = civilDayFromIso('2025-01-01');
const LAST = civilDayFromIso('2027-12-31');
/** Any minute of 2025–2027, office hours or not. */
const anyInstant = fc.integer({ min: FIRST * 1440, max: LAST * 1440 }).map((minute) => instantAt(Math.floor(minute / 1440), minute % 1440));
const budgets: fc.Arbitrary<Budget> = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map((amount) => ({ unit: 'working-days' as const, amount })),
  fc.integer({ min: 1, max: 200 }).map((amount) => ({ unit: 'working-hours' as const, amount })),
  fc.integer({ min: 1, max: 60 }).map((amount) => ({ unit: 'calendar-days' as const, amount })),
  fc.constant({ unit: 'same-day' as const }),
);
const rulesArbitrary: fc.Arbitrary<ClockRulesInput> = fc.record({
  budget: budgets,
  dueRule: fc.constantFrom('same-clock-time' as const, 'end-of-day' as const),
  receptionCutOff: fc.constantFrom('15:00', '09:30', null),
});
const calendarArbitrary = fc.constantFrom(...calendars);
const iso = (epochMs: number) => formatVietnamInstant(epochMs);

describe('legal clock properties', () => {
  it('a due time always falls in office hours on a working day', () => {
    fc.assert(
      fc.property(calendarArbitrary, rulesArbitrary, anyInstant, (calendar, rules, accepted) => {
        const due = parseInstant(readClock(calendar, rules, [{ type: 'started', at: iso(accepted) }], iso(accepted)).due);
        expect(calendar.isOfficeTimeOrSessionEnd(due), `due ${iso(due)}`).toBe(true);
      }),
    );
  });

  it('pausing for k working days moves the due time by exactly k working days', () => {
    fc.assert(
      fc.property(
        calendarArbitrary,
        fc.integer({ min: 1, max: 60 }),
        anyInstant,
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (calendar, amount, accepted, whereInBudget, k) => {
          const rules: ClockRulesInput = { budget: { unit: 'working-days', amount } };
          const start: ClockEntry = { type: 'started', at: iso(accepted) };
          const before = readClock(calendar, rules, [start], start.at);
          // A pause that begins somewhere inside the budget and lasts exactly k working days.
          const pauseAt = calendar.addWorkingMinutes(parseInstant(before.period.countingFrom), Math.floor(whereInBudget * before.period.budgetMinutes), 'start');
          const resumeAt = calendar.addWorkingMinutes(pauseAt, k * calendar.minutesPerDay, 'start');
          const ledger: ClockEntry[] = [start, { type: 'paused', at: iso(pauseAt), reason: 'verification' }, { type: 'resumed', at: iso(resumeAt) }];
          const after = readClock(calendar, rules, ledger, iso(resumeAt));
          const dueBefore = parseInstant(before.due);
          const dueAfter = parseInstant(after.due);
          expect(calendar.workingMinutesBetween(dueBefore, dueAfter)).toBeCloseTo(k * calendar.minutesPerDay, 6);
          expect(after.due.slice(11)).toBe(before.due.slice(11));
        },
      ),
    );
  });

  it('one more working day of budget moves the due time one working day later, never earlier', () => {
    fc.assert(
      fc.property(calendarArbitrary, fc.integer({ min: 1, max: 99 }), anyInstant, fc.constantFrom('same-clock-time' as const, 'end-of-day' as const), (calendar, amount, accepted, dueRule) => {
        const ledger: ClockEntry[] = [{ type: 'started', at: iso(accepted) }];
        const due = (days: number) => parseInstant(readClock(calendar, { budget: { unit: 'working-days', amount: days }, dueRule }, ledger, iso(accepted)).due);
        const shorter = due(amount);
        const longer = due(amount + 1);
        expect(longer).toBeGreaterThan(shorter);
        expect(civilDayOfInstant(longer)).toBe(calendar.nextWorkingDay(civilDayOfInstant(shorter)));
      }),
    );
  });

  it('the counted days of an explanation add up to the budget (plus any extension)', () => {
    fc.assert(
      fc.property(
        calendarArbitrary,
        rulesArbitrary,
        anyInstant,
        fc.option(fc.record({ offset: fc.integer({ min: 0, max: 20 * 1440 }), length: fc.integer({ min: 1, max: 30 * 1440 }) })),
        (calendar, rules, accepted, pause) => {
          const ledger: ClockEntry[] = [{ type: 'started', at: iso(accepted) }];
          if (pause) {
            ledger.push({ type: 'paused', at: iso(accepted + pause.offset * 60_000), reason: 'waiting-for-financial-obligation' });
            ledger.push({ type: 'resumed', at: iso(accepted + (pause.offset + pause.length) * 60_000) });
          }
          const asOf = ledger[ledger.length - 1]!.at;
          const explanation = explainDue(calendar, rules, ledger, asOf);
          const counted = explanation.days.reduce((sum, day) => sum + (day.kind === 'counted' ? day.minutes : 0), 0);
          expect(counted).toBeCloseTo(explanation.budgetMinutes, 1);
          expect(explanation.countedMinutes).toBeCloseTo(explanation.budgetMinutes, 1);
          expect(explanation.due).toBe(readClock(calendar, rules, ledger, asOf).due);
        },
      ),
    );
  });

  it('elapsed and remaining time add up to the budget unless the due time was settled, and remaining turns negative only when overdue', () => {
    fc.assert(
      fc.property(calendarArbitrary, rulesArbitrary, anyInstant, fc.integer({ min: 0, max: 90 * 1440 }), (calendar, rules, accepted, later) => {
        const reading = readClock(calendar, rules, [{ type: 'started', at: iso(accepted) }], iso(accepted + later * 60_000));
        const settled = explainDue(calendar, rules, [{ type: 'started', at: iso(accepted) }], iso(accepted + later * 60_000)).settlement;
        // Settling moves the due time to office hours (the Civil Code's "end of the day" is the office's
        // close), so only an unsettled due time is exactly the budget away.
        if (!settled) expect(reading.elapsed.minutes + reading.remaining.minutes).toBeCloseTo(reading.period.budgetMinutes, 1);
        if (reading.overdue) expect(reading.remaining.minutes).toBeLessThanOrEqual(0);
        else expect(reading.remaining.minutes).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
