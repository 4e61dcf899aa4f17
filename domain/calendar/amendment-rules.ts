// The checks an amendment passes before it is stored and sent to open dossiers, beyond its schema
// (calendar-schemas.ts): it comes after every version the engine knows, its source document is
// already issued, its days are where a year's schedule can put them, and a swap is a real swap (a
// working weekday given off, a weekend day worked for it). Each problem is a sentence for the admin.
import { lastYearTouched } from './calendar-adoption.js';
import { civilDayFromIso, civilDayOf, localDateOf, weekdayOf } from './civil-day.js';
import { compareCalendarVersions, latestHolidayCalendar, type CalendarAmendment, type HolidayCalendarDefinition, type HolidayRule } from './holiday-calendar.js';

const WEEKEND = new Set(['saturday', 'sunday']);

/** What is wrong with appending `amendment` to `current` on `today` (an ISO date); empty when nothing is. */
export function amendmentProblems(current: HolidayCalendarDefinition, amendment: CalendarAmendment, today: string): string[] {
  const problems: string[] = [];
  const latest = current.amendments.at(-1)!;
  if (compareCalendarVersions(amendment.version, latest.version) <= 0) {
    problems.push(`version ${amendment.version} must come after ${latest.version}, the latest version of ${current.id}; a version is never edited, so publish a change as the next one`);
  }
  if (amendment.version.split('.')[0] !== amendment.effectiveFrom.slice(0, 4)) {
    problems.push(`version ${amendment.version} must begin with the year of its document (${amendment.effectiveFrom.slice(0, 4)}), as <year of issue>.<sequence>`);
  }
  if (amendment.effectiveFrom < latest.effectiveFrom) problems.push(`effectiveFrom ${amendment.effectiveFrom} is before ${latest.effectiveFrom}, when ${latest.version} took effect`);
  if (amendment.effectiveFrom > today) problems.push(`effectiveFrom ${amendment.effectiveFrom} is after today (${today}): load an amendment once its document is issued`);
  if (amendment.changes.length === 0) problems.push('an amendment must change something: it has no changes');

  const issueYear = Number(amendment.effectiveFrom.slice(0, 4));
  const rules = new Set(current.amendments.flatMap((earlier) => earlier.changes.flatMap((change) => (change.type === 'holiday-rule' ? [change.rule.id] : []))));
  for (const change of amendment.changes) if (change.type === 'holiday-rule') rules.add(change.rule.id);

  const said = new Set<string>();
  amendment.changes.forEach((change, index) => {
    const where = `changes[${index}]`;
    // Two changes of one thing: the later would silently replace the earlier.
    const what = change.type === 'holiday-rule' ? `rule ${change.rule.id}` : `schedule of ${change.schedule.holidayId} for ${change.schedule.year}`;
    if (said.has(what)) problems.push(`${where}: a second ${what} in the same amendment; give each once`);
    said.add(what);
    if (change.type === 'holiday-rule') {
      problems.push(...ruleProblems(where, change.rule, issueYear));
      return;
    }
    const { schedule } = change;
    if (!rules.has(schedule.holidayId)) problems.push(`${where}: holiday ${schedule.holidayId} is not defined by any rule of ${current.id} (known: ${[...rules].join(', ')})`);
    if (schedule.year < issueYear || schedule.year > issueYear + 1) problems.push(`${where}: a schedule for ${schedule.year} in a document of ${issueYear}: schedules are fixed for the year of the document or the next one`);
    const seen = new Set<string>();
    const swapped = new Set(schedule.daysOff.filter((day) => day.kind === 'swapped').map((day) => day.date));
    for (const { date, kind } of schedule.daysOff) {
      if (seen.has(date)) problems.push(`${where}: ${date} is listed twice`);
      seen.add(date);
      const year = localDateOf(civilDayFromIso(date)).year;
      if (Math.abs(year - schedule.year) > 1 || (year !== schedule.year && !nearTheTurnOfTheYear(date))) problems.push(`${where}: ${date} is too far from ${schedule.year} for its schedule`);
      if (kind !== 'holiday' && WEEKEND.has(weekdayOf(civilDayFromIso(date)))) problems.push(`${where}: ${date} is a ${weekdayOf(civilDayFromIso(date))}; a ${kind} day off must be a working weekday`);
    }
    for (const { date, insteadOf } of schedule.makeUpWorkingDays) {
      if (seen.has(date)) problems.push(`${where}: ${date} is listed twice`);
      seen.add(date);
      if (!WEEKEND.has(weekdayOf(civilDayFromIso(date)))) problems.push(`${where}: make-up working day ${date} is a ${weekdayOf(civilDayFromIso(date))}; a make-up day must be a weekend day`);
      if (!swapped.has(insteadOf)) problems.push(`${where}: make-up working day ${date} replaces ${insteadOf}, which is not a swapped day off of this schedule`);
      if (Math.abs(civilDayFromIso(date) - civilDayFromIso(insteadOf)) > 62) problems.push(`${where}: make-up working day ${date} is more than two months from the day it replaces (${insteadOf})`);
    }
  });
  if (problems.length === 0) {
    try {
      // Every year the amendment can reach: a day that cannot be placed would throw in the workflows.
      const calendar = latestHolidayCalendar({ ...current, amendments: [...current.amendments, amendment] });
      for (let year = issueYear; year <= lastYearTouched(amendment, issueYear) + RULE_LEAD_YEARS; year += 1) calendar.marksOfYear(year);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

/** How far ahead a law may set a holiday rule (the Labor Code 2019 was passed 13 months before it took effect). */
const RULE_LEAD_YEARS = 5;

function ruleProblems(where: string, rule: HolidayRule, issueYear: number): string[] {
  const problems: string[] = [];
  if (rule.fromYear < issueYear) problems.push(`${where}: a new holiday rule cannot reach back before the year of its document (fromYear ${rule.fromYear} < ${issueYear})`);
  if (rule.fromYear > issueYear + RULE_LEAD_YEARS) problems.push(`${where}: fromYear ${rule.fromYear} is more than ${RULE_LEAD_YEARS} years after the year of its document (${issueYear}); load it closer to the day it takes effect`);
  if (rule.untilYear !== undefined && rule.untilYear < rule.fromYear) problems.push(`${where}: untilYear ${rule.untilYear} is before fromYear ${rule.fromYear}`);
  // 2023 is not a leap year: a day it lacks (30 February, 29 February) would move into March.
  if (rule.kind === 'solar-date') {
    const { month, day } = localDateOf(civilDayOf({ year: 2023, month: rule.month, day: rule.day }));
    if (month !== rule.month || day !== rule.day) problems.push(`${where}: ${rule.month}/${rule.day} is not a day of every year; a holiday rule needs a day each year has`);
  }
  if (rule.kind === 'lunar-date' && rule.day === 30) problems.push(`${where}: a lunar month has 29 days in some years, so a holiday rule cannot fall on day 30`);
  return problems;
}

/** December or January: where a year's bridge days can reach into the neighbouring year. */
function nearTheTurnOfTheYear(date: string): boolean {
  const month = date.slice(5, 7);
  return month === '12' || month === '01';
}
