import { describe, expect, it } from 'vitest';
import { civilDayFromIso, parseInstant } from '../../domain/calendar/civil-day.js';
import {
  holidayCalendarAt,
  holidayCalendarAtVersion,
  latestHolidayCalendar,
  type HolidayCalendarDefinition,
} from '../../domain/calendar/holiday-calendar.js';
import { holidayCalendarDefinitionSchema } from '../../domain/calendar/calendar-schemas.js';
import { ROUND_THE_CLOCK_CALENDAR } from '../../domain/calendar/round-the-clock-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';

const calendar = latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR);
const daysOff = (year: number) =>
  calendar
    .marksOfYear(year)
    .filter(({ mark }) => mark.kind !== 'make-up-working-day')
    .map(({ date, mark }) => `${date} ${mark.kind}`);

describe('the civil-service holiday calendar', () => {
  // The built-in calendars are not parsed when loaded (the workflow would pay for it per dossier):
  // here they must pass the schema, and already be what it would give back.
  it.each([
    ['civil service', VIETNAM_CIVIL_SERVICE_CALENDAR],
    ['round the clock', ROUND_THE_CLOCK_CALENDAR],
  ])('holds the %s calendar in its validated form', (_name, definition) => {
    expect(holidayCalendarDefinitionSchema.parse(definition)).toEqual(definition);
  });

  it('gives the 2026 days the government fixed: Tết Monday 16 – Friday 20 February, National Day with the 31 August swap', () => {
    expect(daysOff(2026)).toEqual([
      '2026-01-01 holiday',
      // Công văn 12729/VPCP-KGVX of 25/12/2025: Friday 2 January off, worked on Saturday 10 January.
      '2026-01-02 swapped',
      '2026-02-16 holiday', '2026-02-17 holiday', '2026-02-18 holiday', '2026-02-19 holiday', '2026-02-20 holiday',
      // Hùng Kings' day falls on Sunday 26 April: Monday 27 April is the compensatory day (art. 111(3)).
      '2026-04-26 holiday', '2026-04-27 compensatory',
      '2026-04-30 holiday', '2026-05-01 holiday',
      '2026-08-31 swapped', '2026-09-01 holiday', '2026-09-02 holiday',
    ]);
    expect(calendar.markOf(civilDayFromIso('2026-08-22'))).toMatchObject({ kind: 'make-up-working-day', insteadOf: '2026-08-31' });
  });

  it('gives the 2025 days: Tết 27–31 January, Friday 2 May swapped for Saturday 26 April, National Day 1–2 September', () => {
    expect(daysOff(2025)).toEqual([
      '2025-01-01 holiday',
      '2025-01-27 holiday', '2025-01-28 holiday', '2025-01-29 holiday', '2025-01-30 holiday', '2025-01-31 holiday',
      '2025-04-07 holiday',
      '2025-04-30 holiday', '2025-05-01 holiday', '2025-05-02 swapped',
      '2025-09-01 holiday', '2025-09-02 holiday',
    ]);
    expect(calendar.markOf(civilDayFromIso('2025-04-26'))).toMatchObject({ kind: 'make-up-working-day' });
  });

  it('estimates 2027 from the statute until its schedule is decided, and says so', () => {
    expect(daysOff(2027)).toEqual([
      '2027-01-01 holiday',
      // Tết 2027 is Saturday 6 February: the eve and four days, two of them on the weekend, made up Wednesday and Thursday.
      '2027-02-05 holiday', '2027-02-06 holiday', '2027-02-07 holiday', '2027-02-08 holiday', '2027-02-09 holiday',
      '2027-02-10 compensatory', '2027-02-11 compensatory',
      '2027-04-16 holiday',
      // 1 May 2027 is a Saturday.
      '2027-04-30 holiday', '2027-05-01 holiday', '2027-05-03 compensatory',
      '2027-09-01 holiday', '2027-09-02 holiday',
    ]);
    expect(calendar.markOf(civilDayFromIso('2027-02-05'))).toMatchObject({ source: 'statute', estimated: true });
    expect(calendar.markOf(civilDayFromIso('2027-04-16'))).toMatchObject({ source: 'statute', estimated: false, name: 'Giỗ Tổ Hùng Vương' });
  });

  it('gives New Year 2026 as Công văn 12729/VPCP-KGVX fixed it: off Thursday 1 – Sunday 4 January, Saturday 10 January worked', () => {
    const calendar = latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR);
    expect(calendar.markOf(civilDayFromIso('2026-01-02'))).toMatchObject({ kind: 'swapped', holidayId: 'new-year', source: 'official-schedule', legalReference: expect.stringContaining('12729/VPCP-KGVX') });
    expect(calendar.markOf(civilDayFromIso('2026-01-10'))).toMatchObject({ kind: 'make-up-working-day', insteadOf: '2026-01-02' });
    // Dossiers that pinned 2025.1 keep Friday 2 January as a working day.
    expect(holidayCalendarAtVersion(VIETNAM_CIVIL_SERVICE_CALENDAR, '2025.1').markOf(civilDayFromIso('2026-01-02'))).toBeUndefined();
    expect(holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, parseInstant('2025-12-25T00:00:00+07:00')).versionId).toBe('vn-civil-service@2025.2');
  });

  it('answers with the version in effect at the moment of the computation', () => {
    expect(holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, parseInstant('2025-10-12T12:00:00+07:00')).versionId).toBe('vn-civil-service@2024.1');
    expect(holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, parseInstant('2025-10-13T00:00:00+07:00')).versionId).toBe('vn-civil-service@2025.1');
    // Before the 2026 decision, 31 August 2026 was an ordinary Monday.
    const before = holidayCalendarAtVersion(VIETNAM_CIVIL_SERVICE_CALENDAR, '2024.1');
    expect(before.markOf(civilDayFromIso('2026-08-31'))).toBeUndefined();
    expect(() => holidayCalendarAtVersion(VIETNAM_CIVIL_SERVICE_CALENDAR, '2019.1')).toThrow(/no version 2019.1; known versions: 2021.1, 2024.1, 2025.1, 2025.2/);
  });

  it('takes a new holiday by amendment, leaving earlier versions as they were', () => {
    // A test fixture, not shipped data: Resolution 80-NQ/TW proposes 24 November as a day off; until
    // Labor Code 45/2019/QH14 art. 112(1) is amended (Resolution 30/NQ-CP orders it) it is not a holiday.
    const amended: HolidayCalendarDefinition = holidayCalendarDefinitionSchema.parse({
      ...VIETNAM_CIVIL_SERVICE_CALENDAR,
      amendments: [
        ...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments,
        {
          version: '2026.1',
          effectiveFrom: '2026-07-01',
          reason: 'Vietnamese Culture Day becomes a paid day off.',
          legalReference: 'Bộ luật Lao động (sửa đổi) — hypothetical, for the test',
          changes: [{ type: 'holiday-rule', rule: { id: 'culture-day', kind: 'solar-date', month: 11, day: 24, name: 'Ngày Văn hóa Việt Nam', englishName: 'Vietnamese Culture Day', legalReference: 'hypothetical', fromYear: 2026 } }],
        },
      ],
    });
    expect(latestHolidayCalendar(amended).markOf(civilDayFromIso('2026-11-24'))).toMatchObject({ kind: 'holiday', name: 'Ngày Văn hóa Việt Nam' });
    expect(holidayCalendarAtVersion(amended, '2025.1').markOf(civilDayFromIso('2026-11-24'))).toBeUndefined();
  });

  it('refuses a definition whose amendments are out of order, naming the amendment', () => {
    const result = holidayCalendarDefinitionSchema.safeParse({
      ...VIETNAM_CIVIL_SERVICE_CALENDAR,
      amendments: [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments, { ...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments[1], version: '2026.9' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['amendments', 4, 'effectiveFrom'], message: expect.stringMatching(/2026.9 takes effect before 2025.2/) });
  });

  it('refuses a schedule date that is not a calendar date, and a schedule for a holiday no rule defines', () => {
    const badDate = holidayCalendarDefinitionSchema.safeParse({
      ...VIETNAM_CIVIL_SERVICE_CALENDAR,
      amendments: [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments, { version: '2026.2', effectiveFrom: '2026-10-01', reason: 'r', legalReference: 'l', changes: [{ type: 'official-schedule', schedule: { year: 2027, holidayId: 'tet', daysOff: [{ date: '2027-02-30', kind: 'holiday' }] } }] }],
    });
    expect(badDate.error?.issues[0]).toMatchObject({ message: 'must be a calendar date written YYYY-MM-DD' });

    const unknownHoliday = holidayCalendarDefinitionSchema.parse({
      ...VIETNAM_CIVIL_SERVICE_CALENDAR,
      amendments: [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments, { version: '2026.2', effectiveFrom: '2026-10-01', reason: 'r', legalReference: 'l', changes: [{ type: 'official-schedule', schedule: { year: 2027, holidayId: 'lunar-new-year', daysOff: [{ date: '2027-02-08', kind: 'holiday' }] } }] }],
    });
    expect(() => latestHolidayCalendar(unknownHoliday)).toThrow(/official schedule 2027:lunar-new-year names holiday lunar-new-year, which no rule defines/);
  });
});
