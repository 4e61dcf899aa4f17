// The calendar amendment the calendar tests load: a working day soon after today given off, worked on a
// Saturday six weeks later (a swap, the commonest letter), under a version of this year.
import { civilDayOfInstant, isoOfCivilDay, weekdayOf } from '../../domain/calendar/civil-day.js';
import { civilServiceWorkingCalendarAt } from '../../domain/calendar/vietnam-civil-service-calendar.js';

export function swapAmendmentFromToday(options: { readonly sequence: number; readonly reason?: string; readonly laterWorkingDays?: number }) {
  const now = Date.now();
  const calendar = civilServiceWorkingCalendarAt(now);
  const today = civilDayOfInstant(now);
  let swapped = today + 2;
  while (!calendar.isWorkingDay(swapped)) swapped += 1;
  // `laterWorkingDays` further on: another swap of the same schedule.
  for (let skipped = 0; skipped < (options.laterWorkingDays ?? 0); skipped += 1) swapped = calendar.nextWorkingDay(swapped);
  let makeUp = swapped + 42;
  while (weekdayOf(makeUp) !== 'saturday') makeUp += 1;
  const year = Number(isoOfCivilDay(swapped).slice(0, 4));
  const issued = isoOfCivilDay(today);
  return {
    version: `${issued.slice(0, 4)}.${options.sequence}`,
    effectiveFrom: issued,
    reason: options.reason ?? `Test: ${isoOfCivilDay(swapped)} given off, worked on Saturday ${isoOfCivilDay(makeUp)}.`,
    legalReference: `Công văn thử nghiệm ${options.sequence}/VPCP-KGVX`,
    changes: [
      {
        type: 'official-schedule',
        schedule: {
          year,
          holidayId: 'new-year',
          daysOff: [{ date: `${year}-01-01`, kind: 'holiday' }, { date: isoOfCivilDay(swapped), kind: 'swapped' }],
          makeUpWorkingDays: [{ date: isoOfCivilDay(makeUp), insteadOf: isoOfCivilDay(swapped) }],
        },
      },
    ],
  };
}
