// The apology rule (form 04): when an apology with a new appointment may move a due time.
import { civilDayOfInstant, formatVietnamInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';

export interface ClockRuleViolation {
  readonly code: 'EXTENSION_ALREADY_GRANTED' | 'EXTENSION_TOO_LATE' | 'NEW_APPOINTMENT_NOT_LATER';
  readonly message: string;
  readonly rule: string;
}

/**
 * Whether an apology with a new appointment may be issued at `at` (Decree 61 art. 19(9)): once only,
 * at the latest on the working day before the due date, and for a later appointment.
 */
export function apologyRuleViolation(
  calendar: WorkingCalendar,
  currentDue: number,
  at: number,
  requestedDue: number,
  alreadyExtended: boolean,
): ClockRuleViolation | null {
  const rule = 'Decree 61/2018/NĐ-CP art. 19(9), as amended: apology and new appointment (form 04)';
  if (alreadyExtended) {
    return { code: 'EXTENSION_ALREADY_GRANTED', rule, message: 'The appointment has already been extended once; the rules allow one extension only.' };
  }
  const dueDay = civilDayOfInstant(currentDue);
  const latestDay = previousWorkingDay(calendar, dueDay);
  if (civilDayOfInstant(at) > latestDay) {
    // On the due date or after it the appointment can no longer be extended: the applicant is owed
    // the apology for lateness instead (docs/lifecycle.md#the-two-apologies-and-the-explanation).
    const dueDayReached = civilDayOfInstant(at) >= dueDay;
    return {
      code: 'EXTENSION_TOO_LATE',
      rule,
      message: `The apology must be issued at the latest one working day before the due date ${formatVietnamInstant(currentDue).slice(0, 10)}, that is by ${formatVietnamInstant(calendar.closingOf(latestDay)).slice(0, 10)}.${
        dueDayReached
          ? ` The due date ${at > currentDue ? 'has passed' : 'is today'}: issue the apology for lateness instead (POST /dossiers/{code}/issue-lateness-apology) once the due time has passed, with the reason and a new appointment, and record the accountability explanation (record-lateness-explanation).`
          : ''
      }`,
    };
  }
  if (requestedDue <= currentDue) {
    return { code: 'NEW_APPOINTMENT_NOT_LATER', rule, message: `The new appointment must be later than the current due time ${formatVietnamInstant(currentDue)}.` };
  }
  return null;
}

function previousWorkingDay(calendar: WorkingCalendar, day: number): number {
  let previous = day - 1;
  while (!calendar.isWorkingDay(previous)) previous -= 1;
  return previous;
}
