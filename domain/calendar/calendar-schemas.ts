// The schemas of the calendars' definitions: holiday calendars (holiday-calendar.ts) and agencies'
// schedules (working-calendar.ts). They validate what comes from outside the code, a catalogue file
// or a test; the logic modules take the parsed shapes as types only. Kept apart so the dossier
// workflow's sandbox, which evaluates its modules for every dossier, never loads zod
// (docs/scaling.md; test/integration/workflow-replay.test.ts checks the bundle).
import { z } from 'zod';
import { freeText } from '../text.js';
import { minuteOfDayFromClock, WEEKDAYS } from './civil-day.js';
import { clockTimeSchema, isoDateSchema } from './date-schemas.js';
import { DAY_OFF_KINDS } from './holiday-calendar.js';
import { DEFAULT_OFFICE_HOURS, DEFAULT_WEEKLY_REST_DAYS } from './working-calendar.js';

const isoDate = isoDateSchema;

const holidayIdSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case identifier such as national-day');

// Years the lunar and civil arithmetic is meant for; a year outside them is a typing error, and an
// unbounded one would have the workflow list a rule's days year by year (calendar-adoption.ts).
const yearSchema = z.number().int().min(1900).max(2199);

const ruleBase = {
  id: holidayIdSchema,
  /** The name as the law and the citizen know it, in Vietnamese. */
  name: freeText({ max: 1000 }),
  englishName: freeText({ max: 1000 }),
  legalReference: freeText({ max: 1000 }),
  fromYear: yearSchema,
  untilYear: yearSchema.optional(),
};

/** A holiday the law grants every year, computed when no official schedule fixes its days. */
export const holidayRuleSchema = z.discriminatedUnion('kind', [
  z.object({ ...ruleBase, kind: z.literal('solar-date'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
  z.object({ ...ruleBase, kind: z.literal('lunar-date'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(30) }),
  // Tết: five days whose placement the Prime Minister decides. Until he does, we estimate the last
  // day of the old lunar year and the first four of the new one, the most common choice.
  z.object({ ...ruleBase, kind: z.literal('lunar-new-year'), days: z.number().int().min(1).max(10) }),
  // National Day: 2 September and one adjacent day that the Prime Minister chooses. Until he does,
  // we estimate 1 September, or 3 September when 1 September is a Sunday.
  z.object({ ...ruleBase, kind: z.literal('national-day') }),
]);
export type HolidayRule = z.infer<typeof holidayRuleSchema>;


/** The days one holiday actually gives in one year, as decided for civil servants. */
export const officialScheduleSchema = z.object({
  year: yearSchema,
  holidayId: holidayIdSchema,
  /** Working days given off. Weekly rest days inside the break need not be listed. */
  // Bounded: every accepted dossier carries its amendments in its events (pinned or adopted).
  daysOff: z.array(z.object({ date: isoDate, kind: z.enum(DAY_OFF_KINDS) })).min(1).max(31),
  /** Weekly rest days worked instead of a swapped day off (làm bù). */
  makeUpWorkingDays: z.array(z.object({ date: isoDate, insteadOf: isoDate })).max(10).default([]),
});
export type OfficialSchedule = z.infer<typeof officialScheduleSchema>;

export const calendarChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('holiday-rule'), rule: holidayRuleSchema }),
  z.object({ type: z.literal('official-schedule'), schedule: officialScheduleSchema }),
]);
export type CalendarChange = z.infer<typeof calendarChangeSchema>;

export const calendarAmendmentSchema = z.object({
  // The sequence is stored as an integer (db/calendar-amendments.ts): four digits at most.
  version: z.string().regex(/^\d{4}\.\d{1,4}$/, 'must look like 2026.1 (year of issue, then a sequence number of at most four digits)'),
  /** The day from which computations use this version: the day the decision was issued or took effect. */
  effectiveFrom: isoDate,
  reason: freeText({ max: 1000 }),
  legalReference: freeText({ max: 1000 }),
  changes: z.array(calendarChangeSchema).max(40),
});
export type CalendarAmendment = z.infer<typeof calendarAmendmentSchema>;

export const holidayCalendarDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: freeText({ max: 1000 }),
    /** The weekly rest days the compensatory-day rule is reckoned against (art. 111(3)). */
    weeklyRestDays: z.array(z.enum(WEEKDAYS)).default(['saturday', 'sunday']),
    amendments: z.array(calendarAmendmentSchema).min(1),
  })
  .superRefine((definition, context) => {
    definition.amendments.forEach((amendment, index) => {
      const previous = definition.amendments[index - 1];
      if (previous && amendment.effectiveFrom < previous.effectiveFrom) {
        context.addIssue({
          code: 'custom',
          path: ['amendments', index, 'effectiveFrom'],
          message: `amendments must be in the order they take effect; ${amendment.version} takes effect before ${previous.version}`,
        });
      }
      if (definition.amendments.findIndex((other) => other.version === amendment.version) !== index) {
        context.addIssue({ code: 'custom', path: ['amendments', index, 'version'], message: `version ${amendment.version} appears twice` });
      }
    });
  });
export type HolidayCalendarDefinition = z.infer<typeof holidayCalendarDefinitionSchema>;

const clockTime = clockTimeSchema;

export const officeHoursSchema = z
  .array(z.object({ from: clockTime, to: clockTime }))
  .min(1)
  .superRefine((sessions, context) => {
    let previousEnd = -1;
    sessions.forEach((session, index) => {
      const from = minuteOfDayFromClock(session.from);
      const to = minuteOfDayFromClock(session.to);
      if (to <= from) context.addIssue({ code: 'custom', path: [index, 'to'], message: `a session must end after it begins (${session.from}–${session.to})` });
      if (from < previousEnd) context.addIssue({ code: 'custom', path: [index, 'from'], message: 'sessions must be in order and must not overlap' });
      previousEnd = to;
    });
  });
export type OfficeHours = z.infer<typeof officeHoursSchema>;

export const agencyScheduleSchema = z.object({
  /** Weekly rest days; Saturday and Sunday for state agencies unless the agency says otherwise. */
  weeklyRestDays: z.array(z.enum(WEEKDAYS)).default([...DEFAULT_WEEKLY_REST_DAYS]),
  officeHours: officeHoursSchema.default(DEFAULT_OFFICE_HOURS),
});
export type AgencySchedule = z.infer<typeof agencyScheduleSchema>;
export type AgencyScheduleInput = z.input<typeof agencyScheduleSchema>;
