import { describe, expect, it } from 'vitest';
import type { CalendarAmendment } from '../../domain/calendar/calendar-schemas.js';
import { calendarAmendmentSchema } from '../../domain/calendar/calendar-schemas.js';
import { civilDayFromIso, parseInstant } from '../../domain/calendar/civil-day.js';
import { alertTimes, dossierCalendar, explainDossierDue, readDossierClock } from '../../domain/dossier/dossier-clock.js';
import { nextDeadlineAlert } from '../../domain/dossier/deadline-alerts.js';
import { foldDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { deciderSpec, instant } from '../support/decider-spec.js';
import { DossierHistory } from '../support/dossier-history.js';
import { actor, CENTRE, LAND_PROCEDURE } from '../support/dossier-fixtures.js';

// A calendar amendment announced while a dossier is open: the dossier adopts it as an event, its
// due date and alerts move, the days it already lived keep what they were, and a past instant
// still reads as it was known then (docs/deadlines.md, docs/decisions/0015).

/** New Year 2027 as a swap the Government might decide: Thursday 31/12/2026 off, worked on Saturday 9/1/2027. */
const NEW_YEAR_2027: CalendarAmendment = calendarAmendmentSchema.parse({
  version: '2026.1',
  effectiveFrom: '2026-12-01',
  reason: 'Test: New Year 2027 with Thursday 31 December 2026 swapped for Saturday 9 January 2027.',
  legalReference: 'Công văn thử nghiệm 1/VPCP-KGVX',
  changes: [
    {
      type: 'official-schedule',
      schedule: {
        year: 2027,
        holidayId: 'new-year',
        daysOff: [{ date: '2027-01-01', kind: 'holiday' }, { date: '2026-12-31', kind: 'swapped' }],
        makeUpWorkingDays: [{ date: '2027-01-09', insteadOf: '2026-12-31' }],
      },
    },
  ],
});

const system = actor('system', CENTRE, 'calendar-rollout');

/** A land dossier (20 working days) accepted Monday 7 December 2026 09:00 on calendar 2025.1: due Tuesday 5 January 2027 09:00. */
function openDossier() {
  return DossierHistory.received(LAND_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00');
}

function adopt(history: DossierHistory, local: string, amendment: CalendarAmendment = NEW_YEAR_2027) {
  const command = history.command('AdoptCalendarAmendment', system, { calendarId: 'vn-civil-service', amendment });
  return deciderSpec(history.dossierCode).given(...history.events).when(command, local);
}

describe('a dossier that adopts a calendar amendment', () => {
  it('records "calendar 2026.1 adopted" with the days it changes ahead and the due date before and after', () => {
    const outcome = adopt(openDossier(), '2026-12-30T10:00:00').thenMatches([
      {
        type: 'CalendarAmendmentAdopted',
        data: {
          at: instant('2026-12-30T10:00:00'),
          calendarId: 'vn-civil-service',
          version: '2026.1',
          appliesFrom: '2026-12-31',
          changedDays: [
            { date: '2026-12-31', before: 'working', after: 'swapped' },
            { date: '2027-01-09', before: 'weekly-rest', after: 'make-up-working-day' },
          ],
          dueBefore: '2027-01-05T09:00:00+07:00',
          dueAfter: '2027-01-06T09:00:00+07:00',
        },
      },
    ]);
    expect(outcome.received.calendarAdoptions).toHaveLength(1);
    expect(readDossierClock(outcome.received, instant('2026-12-30T10:00:00'))).toMatchObject({ due: '2027-01-06T09:00:00+07:00', calendarVersion: 'vn-civil-service@2025.1+2026.1' });
  });

  it('keeps the days already lived: adopted on the swapped day itself, that day stays a working day', () => {
    const outcome = adopt(openDossier(), '2026-12-31T08:00:00').thenMatches([
      { data: { appliesFrom: '2027-01-01', changedDays: [{ date: '2027-01-09', before: 'weekly-rest', after: 'make-up-working-day' }], dueBefore: '2027-01-05T09:00:00+07:00', dueAfter: '2027-01-05T09:00:00+07:00' } },
    ]);
    const calendar = dossierCalendar(outcome.received);
    expect(calendar.isWorkingDay(civilDayFromIso('2026-12-31'))).toBe(true);
    expect(calendar.isWorkingDay(civilDayFromIso('2027-01-09'))).toBe(true);
  });

  it('reads a past instant as it was known then, and a later one with the amendment', () => {
    const adopted = foldDossier(openDossier().state, adopt(openDossier(), '2026-12-30T10:00:00').thenMatches([{ type: 'CalendarAmendmentAdopted' }]).events) as ReceivedDossier;
    expect(readDossierClock(adopted, instant('2026-12-29T10:00:00'))).toMatchObject({ due: '2027-01-05T09:00:00+07:00', calendarVersion: 'vn-civil-service@2025.1' });
    expect(readDossierClock(adopted, instant('2026-12-30T11:00:00'))).toMatchObject({ due: '2027-01-06T09:00:00+07:00' });
  });

  it('moves the alerts the workflow sleeps until', () => {
    const before = openDossier().state;
    const after = foldDossier(before, adopt(openDossier(), '2026-12-30T10:00:00').thenMatches([{ type: 'CalendarAmendmentAdopted' }]).events) as ReceivedDossier;
    const now = instant('2026-12-30T10:00:00');
    const dossierAlerts = (state: ReceivedDossier) => alertTimes(dossierCalendar(state, now), state.accepted!.procedure.clock, state.clock, now)!;
    expect(dossierAlerts(before)).toMatchObject({ dueSoonAt: parseInstant('2027-01-04T09:00:00+07:00'), dueAt: parseInstant('2027-01-05T09:00:00+07:00') });
    expect(dossierAlerts(after)).toMatchObject({ dueSoonAt: parseInstant('2027-01-05T09:00:00+07:00'), dueAt: parseInstant('2027-01-06T09:00:00+07:00') });
    // The step in hand (5 working days from 7 December) was due before the swap: its alert stays.
    expect(nextDeadlineAlert(after, now)).toEqual(nextDeadlineAlert(before, now));
  });

  it('explains why the due date moved, and an earlier instant without the amendment', () => {
    const adopted = foldDossier(openDossier().state, adopt(openDossier(), '2026-12-30T10:00:00').thenMatches([{ type: 'CalendarAmendmentAdopted' }]).events) as ReceivedDossier;
    const now = explainDossierDue(adopted, instant('2026-12-30T12:00:00'));
    expect(now.calendarAdoptions).toEqual([
      expect.objectContaining({ version: '2026.1', appliesFrom: '2026-12-31', legalReference: 'Công văn thử nghiệm 1/VPCP-KGVX', dueBefore: '2027-01-05T09:00:00+07:00', dueAfter: '2027-01-06T09:00:00+07:00' }),
    ]);
    expect(now.days.find((day) => day.date === '2026-12-31')).toMatchObject({ kind: 'skipped', reason: 'swapped', holiday: { legalReference: 'Công văn thử nghiệm 1/VPCP-KGVX', estimated: false } });
    expect(now.due).toBe('2027-01-06T09:00:00+07:00');
    expect(now.summary).toContain('Calendar amendment 2026.1 (Công văn thử nghiệm 1/VPCP-KGVX) was adopted on 2026-12-30T10:00:00+07:00 and counts from 2026-12-31');
    expect(now.summary).toContain('moved the due date from 2027-01-05T09:00:00+07:00 to 2027-01-06T09:00:00+07:00');
    const then = explainDossierDue(adopted, instant('2026-12-29T12:00:00'));
    expect(then.calendarAdoptions).toEqual([]);
    expect(then.days.find((day) => day.date === '2026-12-31')).toMatchObject({ kind: 'counted' });
    expect(then.due).toBe('2027-01-05T09:00:00+07:00');
  });
});

describe('the rules of adoption', () => {
  it('lets only the system adopt an amendment', () => {
    const history = openDossier();
    const command = history.command('AdoptCalendarAmendment', actor('head', CENTRE), { calendarId: 'vn-civil-service', amendment: NEW_YEAR_2027 });
    deciderSpec(history.dossierCode).given(...history.events).when(command, '2026-12-30T10:00:00').thenRefused('ROLE_NOT_ALLOWED');
  });

  it('leaves a dossier not yet accepted alone: it pins the calendar in force when it is', () => {
    adopt(DossierHistory.received(LAND_PROCEDURE, '2026-12-07T08:30:00'), '2026-12-30T10:00:00').thenRefused('CALENDAR_AMENDMENT_BEFORE_ACCEPTANCE');
  });

  it('takes a version once: the same content again is refused as already adopted, other content as a conflict', () => {
    const history = openDossier();
    const first = adopt(history, '2026-12-30T10:00:00').thenMatches([{ type: 'CalendarAmendmentAdopted' }]);
    const spec = deciderSpec(history.dossierCode).given(...history.events, ...first.events);
    spec.when(history.command('AdoptCalendarAmendment', system, { calendarId: 'vn-civil-service', amendment: NEW_YEAR_2027 }), '2026-12-30T11:00:00').thenRefused('CALENDAR_AMENDMENT_ALREADY_ADOPTED');
    const changed = { ...NEW_YEAR_2027, reason: 'Another text under the same version.' };
    spec.when(history.command('AdoptCalendarAmendment', system, { calendarId: 'vn-civil-service', amendment: changed }), '2026-12-30T11:00:00').thenRefused('CALENDAR_AMENDMENT_CONFLICT');
  });

  it('refuses a version older than one the dossier follows, and one it pinned at acceptance', () => {
    const history = openDossier();
    const older = { ...NEW_YEAR_2027, version: '2024.9' };
    adopt(history, '2026-12-30T10:00:00', older).thenRefused('CALENDAR_AMENDMENT_OUT_OF_ORDER');
    const builtIn = { ...NEW_YEAR_2027, version: '2025.1' };
    adopt(history, '2026-12-30T10:00:00', builtIn).thenRefused('CALENDAR_AMENDMENT_CONFLICT');
  });

  it('adopts an amendment that changes no day ahead, with an empty list of changed days', () => {
    const pastOnly = calendarAmendmentSchema.parse({
      ...NEW_YEAR_2027,
      version: '2026.2',
      changes: [{ type: 'official-schedule', schedule: { year: 2026, holidayId: 'victory-day', daysOff: [{ date: '2026-04-30', kind: 'holiday' }] } }],
    });
    adopt(openDossier(), '2026-12-30T10:00:00', pastOnly).thenMatches([{ data: { version: '2026.2', changedDays: [], dueBefore: '2027-01-05T09:00:00+07:00', dueAfter: '2027-01-05T09:00:00+07:00' } }]);
  });

  it('refuses a closed dossier', () => {
    const history = openDossier();
    const closed = [...history.events, { type: 'WithdrawalRequested' as const, schemaVersion: 1 as const, data: { at: instant('2026-12-08T09:00:00'), reason: 'Rút' } }, { type: 'WithdrawalDecided' as const, schemaVersion: 1 as const, data: { at: instant('2026-12-08T10:00:00'), approved: true, reason: 'Đồng ý' } }];
    const command = history.command('AdoptCalendarAmendment', system, { calendarId: 'vn-civil-service', amendment: NEW_YEAR_2027 });
    deciderSpec(history.dossierCode).given(...closed).when(command, '2026-12-30T10:00:00').thenRefused('DOSSIER_CLOSED');
  });
});
