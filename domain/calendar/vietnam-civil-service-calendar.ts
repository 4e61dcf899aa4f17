// The public-holiday calendar of Vietnam's civil service, as data. To add a year when its schedule
// is announced (usually in the fourth quarter of the year before): append an amendment with the next
// version, the day the decision was issued, and the days it fixes; never edit an earlier amendment,
// because computations already recorded name the version they used. docs/deadlines.md has the steps.
//
// Years without an official schedule fall back to the statute: fixed-date holidays and the
// Hùng Kings' day exactly, Tết and National Day placed by our estimate (marked as such in every
// explanation) until the decision arrives.
import { holidayCalendarAt, type HolidayCalendarDefinition } from './holiday-calendar.js';
import { completeSchedule, WorkingCalendar, type AgencySchedule, type AgencyScheduleInput } from './working-calendar.js';

const LABOR_CODE = 'Bộ luật Lao động số 45/2019/QH14, Điều 112 khoản 1';

// Written in its validated form (every default spelled out) and not parsed here: the dossier
// workflow imports this module for every dossier it runs, and parsing at load cost each one 2 ms of
// worker CPU (docs/scaling.md). test/unit/holiday-calendar.test.ts parses it with
// holidayCalendarDefinitionSchema and fails if the schema would change or refuse anything.
export const VIETNAM_CIVIL_SERVICE_CALENDAR: HolidayCalendarDefinition = {
  id: 'vn-civil-service',
  name: 'Lịch nghỉ lễ, Tết của cán bộ, công chức, viên chức',
  weeklyRestDays: ['saturday', 'sunday'],
  amendments: [
    {
      version: '2021.1',
      effectiveFrom: '2021-01-01',
      reason: 'Statutory public holidays of the Labor Code 2019, in force from 1 January 2021 (11 days a year).',
      legalReference: `${LABOR_CODE}; Điều 111 khoản 3 (nghỉ bù)`,
      changes: [
        { type: 'holiday-rule', rule: { id: 'new-year', kind: 'solar-date', month: 1, day: 1, name: 'Tết Dương lịch', englishName: "New Year's Day", legalReference: `${LABOR_CODE} điểm a`, fromYear: 2021 } },
        { type: 'holiday-rule', rule: { id: 'tet', kind: 'lunar-new-year', days: 5, name: 'Tết Âm lịch', englishName: 'Lunar New Year (Tết)', legalReference: `${LABOR_CODE} điểm b; Điều 112 khoản 3`, fromYear: 2021 } },
        { type: 'holiday-rule', rule: { id: 'hung-kings', kind: 'lunar-date', month: 3, day: 10, name: 'Giỗ Tổ Hùng Vương', englishName: "Hùng Kings' Commemoration Day", legalReference: `${LABOR_CODE} điểm đ`, fromYear: 2021 } },
        { type: 'holiday-rule', rule: { id: 'victory-day', kind: 'solar-date', month: 4, day: 30, name: 'Ngày Chiến thắng', englishName: 'Victory Day', legalReference: `${LABOR_CODE} điểm c`, fromYear: 2021 } },
        { type: 'holiday-rule', rule: { id: 'labour-day', kind: 'solar-date', month: 5, day: 1, name: 'Ngày Quốc tế Lao động', englishName: "International Labour Day", legalReference: `${LABOR_CODE} điểm d`, fromYear: 2021 } },
        { type: 'holiday-rule', rule: { id: 'national-day', kind: 'national-day', name: 'Quốc khánh', englishName: 'National Day', legalReference: `${LABOR_CODE} điểm e; Điều 112 khoản 3`, fromYear: 2021 } },
      ],
    },
    {
      version: '2024.1',
      effectiveFrom: '2024-11-26',
      reason: 'Days off in 2025 for civil servants: Tết 27–31 January, 30 April and 1 May with Friday 2 May swapped for Saturday 26 April, National Day 1–2 September.',
      legalReference: 'Công văn 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ; Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động – Thương binh và Xã hội',
      changes: [
        { type: 'official-schedule', schedule: { year: 2025, holidayId: 'tet', daysOff: ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'].map((date) => ({ date, kind: 'holiday' as const })), makeUpWorkingDays: [] } },
        { type: 'official-schedule', schedule: { year: 2025, holidayId: 'victory-day', daysOff: [{ date: '2025-04-30', kind: 'holiday' }], makeUpWorkingDays: [] } },
        {
          type: 'official-schedule',
          schedule: {
            year: 2025,
            holidayId: 'labour-day',
            daysOff: [{ date: '2025-05-01', kind: 'holiday' }, { date: '2025-05-02', kind: 'swapped' }],
            makeUpWorkingDays: [{ date: '2025-04-26', insteadOf: '2025-05-02' }],
          },
        },
        { type: 'official-schedule', schedule: { year: 2025, holidayId: 'national-day', daysOff: [{ date: '2025-09-01', kind: 'holiday' }, { date: '2025-09-02', kind: 'holiday' }], makeUpWorkingDays: [] } },
      ],
    },
    {
      version: '2025.1',
      effectiveFrom: '2025-10-13',
      reason: 'Days off in 2026 for civil servants: Tết Monday 16 – Friday 20 February (9 days with the weekends), National Day 1–2 September with Monday 31 August swapped for Saturday 22 August.',
      legalReference: 'Ý kiến của Thủ tướng Chính phủ truyền đạt tại văn bản của Văn phòng Chính phủ tháng 10/2025 về nghỉ Tết Âm lịch và nghỉ lễ Quốc khánh năm 2026 (đề xuất của Bộ Nội vụ)',
      changes: [
        { type: 'official-schedule', schedule: { year: 2026, holidayId: 'tet', daysOff: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((date) => ({ date, kind: 'holiday' as const })), makeUpWorkingDays: [] } },
        {
          type: 'official-schedule',
          schedule: {
            year: 2026,
            holidayId: 'national-day',
            daysOff: [{ date: '2026-09-01', kind: 'holiday' }, { date: '2026-09-02', kind: 'holiday' }, { date: '2026-08-31', kind: 'swapped' }],
            makeUpWorkingDays: [{ date: '2026-08-22', insteadOf: '2026-08-31' }],
          },
        },
      ],
    },
    {
      // Verified in December 2026 against the press, not the letter itself: the Vietnam News Agency
      // (26/12/2025) and Lao Động (25/12/2025) name Công văn 12729/VPCP-KGVX of 25 December 2025,
      // agreeing to the Ministry of Home Affairs' proposal 12556/BNV-CVL of 24 December; Vietnam
      // News and Sài Gòn Giải Phóng (25/12/2025) report the same days. All four agree.
      version: '2025.2',
      effectiveFrom: '2025-12-25',
      reason: 'New Year 2026 for civil servants: off Thursday 1 – Sunday 4 January, Friday 2 January swapped for Saturday 10 January.',
      legalReference: 'Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (ý kiến của Phó Thủ tướng Phạm Thị Thanh Trà về nghỉ Tết Dương lịch năm 2026, theo đề xuất tại Công văn 12556/BNV-CVL ngày 24/12/2025 của Bộ Nội vụ)',
      changes: [
        {
          type: 'official-schedule',
          schedule: {
            year: 2026,
            holidayId: 'new-year',
            daysOff: [{ date: '2026-01-01', kind: 'holiday' }, { date: '2026-01-02', kind: 'swapped' }],
            makeUpWorkingDays: [{ date: '2026-01-10', insteadOf: '2026-01-02' }],
          },
        },
      ],
    },
  ],
};

/**
 * The working calendar of an agency on the civil-service holiday calendar, in the version in effect
 * at `epochMs` (the moment a computation is made, which is recorded with its result).
 */
export function civilServiceWorkingCalendarAt(epochMs: number, schedule: AgencyScheduleInput | AgencySchedule = {}): WorkingCalendar {
  return new WorkingCalendar(holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, epochMs), completeSchedule(schedule));
}
