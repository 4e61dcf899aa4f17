// A calendar with no public holidays, for services that run every day of the year: automated
// online services, 24-hour desks, and the engine's own tests of timers that must not wait for a
// holiday to pass. Pair it with an agency schedule that has no rest days.
import type { HolidayCalendarDefinition } from './holiday-calendar.js';

// In its validated form, not parsed at load (see vietnam-civil-service-calendar.ts).
export const ROUND_THE_CLOCK_CALENDAR: HolidayCalendarDefinition = {
  id: 'round-the-clock',
  name: 'Every day a working day',
  weeklyRestDays: [],
  amendments: [{ version: '2021.1', effectiveFrom: '2021-01-01', reason: 'No public holidays: the service runs every day.', legalReference: 'motcua configuration', changes: [] }],
};
