import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agencyScheduleSchema } from '../../domain/calendar/calendar-schemas.js';
import { completeSchedule } from '../../domain/calendar/working-calendar.js';
import { catalogueFileSchema } from '../../domain/catalogue/catalogue-file.js';
import { completeClockRules, type ClockRulesInput } from '../../domain/clock/clock-rules.js';
import { clockRulesSchema } from '../../domain/clock/clock-schemas.js';

// The domain logic fills in the defaults of rules and schedules without zod (the workflow's sandbox
// would build every schema for every dossier: docs/scaling.md). These tests hold that code and the
// schemas to one behaviour: a default changed in one place and not the other fails here.

const catalogue = catalogueFileSchema.parse(JSON.parse(readFileSync(new URL('../../catalogue/sample-catalogue.json', import.meta.url), 'utf8')));

const ruleInputs: ClockRulesInput[] = [
  { budget: { unit: 'working-days', amount: 5 } },
  { budget: { unit: 'same-day' }, receptionCutOff: null },
  { budget: { unit: 'working-hours', amount: 8 }, dueRule: 'end-of-day', afterSupplement: 'resume', granularity: 'minute', dueSoonWithinWorkingMinutes: 240 },
  { budget: { unit: 'calendar-days', amount: 30 }, decision766: { granularity: 'day' } },
  { budget: { unit: 'working-days', amount: 15 }, decision766: { excludedPauseReasons: ['waiting-for-supplement', 'verification'] } },
  ...catalogue.procedures.map((procedure) => procedure.clock),
];

describe('defaults filled in without zod', () => {
  // Every key the schemas know, each set to something other than its default: a field added to a
  // schema and not carried by the completion would be missing here.
  it('carries every field of the rules and of a schedule', () => {
    const everyField: ClockRulesInput = {
      budget: { unit: 'working-hours', amount: 12 },
      dueRule: 'end-of-day',
      receptionCutOff: '09:30',
      afterSupplement: 'resume',
      dueSoonWithinWorkingMinutes: 120,
      granularity: 'hour',
      explanationWithinWorkingDays: 5,
      decision766: { granularity: 'day', excludedPauseReasons: ['verification'] },
    };
    expect(Object.keys(everyField).sort()).toEqual(Object.keys(clockRulesSchema.shape).sort());
    expect(Object.keys(everyField.decision766!).sort()).toEqual(Object.keys(clockRulesSchema.shape.decision766.unwrap().shape).sort());
    expect(completeClockRules(everyField)).toStrictEqual(clockRulesSchema.parse(everyField));

    const everyScheduleField = { weeklyRestDays: ['friday' as const], officeHours: [{ from: '07:00', to: '11:00' }] };
    expect(Object.keys(everyScheduleField).sort()).toEqual(Object.keys(agencyScheduleSchema.shape).sort());
    expect(completeSchedule(everyScheduleField)).toStrictEqual(agencyScheduleSchema.parse(everyScheduleField));
  });

  it.each(ruleInputs.map((input, index) => [index, input] as const))('completes clock rules %i as the schema does', (_index, input) => {
    expect(completeClockRules(input)).toEqual(clockRulesSchema.parse(input));
  });

  it('completes agency schedules as the schema does', () => {
    const schedules = [{}, { weeklyRestDays: ['sunday' as const] }, { officeHours: [{ from: '08:00', to: '12:00' }] }, ...catalogue.agencies.map((agency) => agency.schedule)];
    for (const schedule of schedules) expect(completeSchedule(schedule)).toEqual(agencyScheduleSchema.parse(schedule));
  });
});
