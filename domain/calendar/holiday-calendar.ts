// The public-holiday calendar, versioned. Two kinds of knowledge live here:
//   - rules of law: the statutory holidays of Labor Code 2019 art. 112(1), with the compensatory day
//     off of art. 111(3) when a holiday falls on a weekly rest day;
//   - data decided each year: the exact Tết and National Day days for civil servants, and the swaps
//     (a working day given off, a Saturday worked in exchange), which the Prime Minister fixes under
//     art. 112(3) and the Ministry of Home Affairs announces.
// Each change is an amendment with a version, the date it takes effect, a reason and its legal
// reference. A computation names the version it used, so when a later amendment moves a due date
// the difference can be explained.
import {
  civilDayFromIso,
  civilDayOf,
  civilDayOfInstant,
  isoOfCivilDay,
  localDateOf,
  weekdayOf,
  WEEKDAYS,
  type CivilDay,
  type Weekday,
} from './civil-day.js';
import { civilDayOfLunarDate, lunarNewYearDay } from './lunar-calendar.js';

export const DAY_OFF_KINDS = ['holiday', 'compensatory', 'swapped'] as const;
export type DayOffKind = (typeof DAY_OFF_KINDS)[number];

// The definitions' shapes; their schemas live in calendar-schemas.ts, so that the workflow, which
// imports this module for every dossier it runs, does not build them (docs/scaling.md).
export type { CalendarAmendment, CalendarChange, HolidayCalendarDefinition, HolidayRule, OfficialSchedule } from './calendar-schemas.js';
import type { HolidayCalendarDefinition, HolidayRule, OfficialSchedule } from './calendar-schemas.js';

/** What the calendar says about one day that is not an ordinary day. */
export type DayMark =
  | {
      readonly kind: DayOffKind;
      readonly holidayId: string;
      readonly name: string;
      /** `statute`: computed from the rule; `official-schedule`: fixed by the year's decision. */
      readonly source: 'statute' | 'official-schedule';
      /** True while the day's placement is our estimate of what the Prime Minister will decide. */
      readonly estimated: boolean;
      readonly legalReference: string;
    }
  | {
      readonly kind: 'make-up-working-day';
      readonly holidayId: string;
      readonly name: string;
      readonly insteadOf: string;
      readonly source: 'official-schedule';
      readonly legalReference: string;
    };

/**
 * What a working calendar asks of its holidays: one version of a calendar (HolidayCalendar), or a
 * dossier's calendar with the amendments it adopted, each from its own day on
 * (calendar-adoption.ts).
 */
export interface HolidayMarks {
  readonly versionId: string;
  markOf(day: CivilDay): DayMark | undefined;
  forWeek(weeklyRestDays: readonly Weekday[]): HolidayMarks;
}

/**
 * Orders two calendar versions (`2025.1` < `2025.2` < `2026.1` < `2026.10`): negative, zero or
 * positive. Versions are `<year of issue>.<sequence>`, so string order is wrong past `.9`.
 */
export function compareCalendarVersions(a: string, b: string): number {
  const [yearA = 0, sequenceA = 0] = a.split('.').map(Number);
  const [yearB = 0, sequenceB = 0] = b.split('.').map(Number);
  return yearA - yearB || sequenceA - sequenceB;
}

/** One version of the calendar, resolved: ask it about any day of any year. */
export class HolidayCalendar implements HolidayMarks {
  readonly #rules: readonly HolidayRule[];
  readonly #schedules: ReadonlyMap<string, { schedule: OfficialSchedule; legalReference: string }>;
  readonly #restDays: ReadonlySet<Weekday>;
  readonly #years = new Map<number, ReadonlyMap<CivilDay, DayMark>>();
  readonly #decisions = new Map<number, Map<CivilDay, DayMark>>();

  constructor(
    readonly calendarId: string,
    readonly version: string,
    readonly effectiveFrom: string,
    rules: readonly HolidayRule[],
    schedules: ReadonlyMap<string, { schedule: OfficialSchedule; legalReference: string }>,
    weeklyRestDays: readonly Weekday[],
  ) {
    this.#rules = rules;
    this.#schedules = schedules;
    this.#restDays = new Set(weeklyRestDays);
  }

  readonly #variants = new Map<string, HolidayCalendar>();

  /**
   * The same version for an agency with another working week: statutory compensatory days are
   * reckoned against the agency's own rest days (a holiday on a Saturday it works needs none). The
   * official schedules stay as decided for the civil-service week.
   */
  forWeek(weeklyRestDays: readonly Weekday[]): HolidayCalendar {
    const key = [...new Set(weeklyRestDays)].sort().join(',');
    if (key === [...this.#restDays].sort().join(',')) return this;
    let variant = this.#variants.get(key);
    if (!variant) {
      variant = new HolidayCalendar(this.calendarId, this.version, this.effectiveFrom, this.#rules, this.#schedules, weeklyRestDays);
      this.#variants.set(key, variant);
    }
    return variant;
  }

  /** `vn-civil-service@2026.1`: the identifier recorded with every computation. */
  get versionId(): string {
    return `${this.calendarId}@${this.version}`;
  }

  markOf(day: CivilDay): DayMark | undefined {
    return this.#marksOfYear(localDateOf(day).year).get(day);
  }

  /** Every marked day of a year, in date order: the table an administrator checks. */
  marksOfYear(year: number): { date: string; mark: DayMark }[] {
    return [...this.#marksOfYear(year)]
      .sort(([a], [b]) => a - b)
      .map(([day, mark]) => ({ date: isoOfCivilDay(day), mark }));
  }

  #marksOfYear(year: number): ReadonlyMap<CivilDay, DayMark> {
    let marks = this.#years.get(year);
    if (!marks) {
      // A year's decisions can reach into the next or previous year (a Saturday in late December
      // worked for a bridge day on 2 January), so each year's days are filed under their own date.
      const inYear = (entries: Map<CivilDay, DayMark>) => [...entries].filter(([day]) => localDateOf(day).year === year);
      marks = new Map([...inYear(this.#decisionsOf(year - 1)), ...inYear(this.#decisionsOf(year + 1)), ...inYear(this.#decisionsOf(year))]);
      this.#years.set(year, marks);
    }
    return marks;
  }

  #decisionsOf(year: number): Map<CivilDay, DayMark> {
    let decisions = this.#decisions.get(year);
    if (!decisions) {
      decisions = this.#computeYear(year);
      this.#decisions.set(year, decisions);
    }
    return decisions;
  }

  #computeYear(year: number): Map<CivilDay, DayMark> {
    const marks = new Map<CivilDay, DayMark>();
    const statutoryOnRestDays: { day: CivilDay; rule: HolidayRule }[] = [];
    for (const rule of this.#rules) {
      if (year < rule.fromYear || (rule.untilYear !== undefined && year > rule.untilYear)) continue;
      const official = this.#schedules.get(scheduleKey(year, rule.id));
      if (official) {
        for (const { date, kind } of official.schedule.daysOff) {
          marks.set(civilDayFromIso(date), {
            kind,
            holidayId: rule.id,
            name: rule.name,
            source: 'official-schedule',
            estimated: false,
            legalReference: official.legalReference,
          });
        }
        for (const { date, insteadOf } of official.schedule.makeUpWorkingDays) {
          marks.set(civilDayFromIso(date), {
            kind: 'make-up-working-day',
            holidayId: rule.id,
            name: rule.name,
            insteadOf,
            source: 'official-schedule',
            legalReference: official.legalReference,
          });
        }
        continue;
      }
      const estimated = rule.kind === 'lunar-new-year' || rule.kind === 'national-day';
      for (const day of statutoryDays(rule, year)) {
        marks.set(day, { kind: 'holiday', holidayId: rule.id, name: rule.name, source: 'statute', estimated, legalReference: rule.legalReference });
        if (this.#restDays.has(weekdayOf(day))) statutoryOnRestDays.push({ day, rule });
      }
    }
    // Labor Code 2019 art. 111(3): a holiday on a weekly rest day is made up on the next working day.
    for (const { day, rule } of statutoryOnRestDays.sort((a, b) => a.day - b.day)) {
      const estimated = rule.kind === 'lunar-new-year' || rule.kind === 'national-day';
      let substitute = day + 1;
      while (this.#restDays.has(weekdayOf(substitute)) || marks.has(substitute)) substitute += 1;
      marks.set(substitute, {
        kind: 'compensatory',
        holidayId: rule.id,
        name: `Nghỉ bù ${rule.name}`,
        source: 'statute',
        estimated,
        legalReference: 'Bộ luật Lao động 2019, Điều 111 khoản 3',
      });
    }
    return marks;
  }
}

function scheduleKey(year: number, holidayId: string): string {
  return `${year}:${holidayId}`;
}

function statutoryDays(rule: HolidayRule, year: number): CivilDay[] {
  switch (rule.kind) {
    case 'solar-date':
      return [civilDayOf({ year, month: rule.month, day: rule.day })];
    case 'lunar-date':
      return [civilDayOfLunarDate({ year, month: rule.month, day: rule.day, leap: false })];
    case 'lunar-new-year': {
      const firstDay = lunarNewYearDay(year);
      return Array.from({ length: rule.days }, (_, index) => firstDay - 1 + index);
    }
    case 'national-day': {
      const second = civilDayOf({ year, month: 9, day: 2 });
      return weekdayOf(second - 1) === 'sunday' ? [second, second + 1] : [second - 1, second];
    }
  }
}

/** The calendar as it stood under one version (the last amendment at or before it). */
export function holidayCalendarAtVersion(definition: HolidayCalendarDefinition, version: string): HolidayCalendar {
  const index = definition.amendments.findIndex((amendment) => amendment.version === version);
  if (index < 0) {
    const known = definition.amendments.map((amendment) => amendment.version).join(', ');
    throw new RangeError(`calendar ${definition.id} has no version ${version}; known versions: ${known}`);
  }
  return resolve(definition, index);
}

/** The calendar in effect at an instant (epoch milliseconds): the latest amendment effective by then. */
export function holidayCalendarAt(definition: HolidayCalendarDefinition, epochMs: number): HolidayCalendar {
  const day = isoOfCivilDay(civilDayOfInstant(epochMs));
  let index = -1;
  definition.amendments.forEach((amendment, position) => {
    if (amendment.effectiveFrom <= day) index = position;
  });
  if (index < 0) throw new RangeError(`calendar ${definition.id} has no version in effect on ${day}; its first takes effect on ${definition.amendments[0]?.effectiveFrom}`);
  return resolve(definition, index);
}

export function latestHolidayCalendar(definition: HolidayCalendarDefinition): HolidayCalendar {
  return resolve(definition, definition.amendments.length - 1);
}

// Resolved versions are kept per definition: a version never changes, and keeping its computed years
// makes every later question about it a table lookup.
const resolved = new WeakMap<HolidayCalendarDefinition, Map<number, HolidayCalendar>>();

function resolve(definition: HolidayCalendarDefinition, lastAmendment: number): HolidayCalendar {
  let versions = resolved.get(definition);
  if (!versions) {
    versions = new Map();
    resolved.set(definition, versions);
  }
  let calendar = versions.get(lastAmendment);
  if (!calendar) {
    calendar = build(definition, lastAmendment);
    versions.set(lastAmendment, calendar);
  }
  return calendar;
}

function build(definition: HolidayCalendarDefinition, lastAmendment: number): HolidayCalendar {
  const rules: HolidayRule[] = [];
  const schedules = new Map<string, { schedule: OfficialSchedule; legalReference: string }>();
  for (const amendment of definition.amendments.slice(0, lastAmendment + 1)) {
    for (const change of amendment.changes) {
      if (change.type === 'holiday-rule') {
        // A rule redefined from a year on keeps its earlier definition for the years before: a
        // change of the law from 2027 must not take Tết 2026 away.
        const { rule } = change;
        rules.forEach((earlier, index) => {
          if (earlier.id === rule.id && (earlier.untilYear === undefined || earlier.untilYear >= rule.fromYear)) rules[index] = { ...earlier, untilYear: rule.fromYear - 1 };
        });
        rules.push(rule);
      } else schedules.set(scheduleKey(change.schedule.year, change.schedule.holidayId), { schedule: change.schedule, legalReference: amendment.legalReference });
    }
  }
  const ruleIds = new Set(rules.map((rule) => rule.id));
  for (const [key, { schedule }] of schedules) {
    if (!ruleIds.has(schedule.holidayId)) throw new RangeError(`official schedule ${key} names holiday ${schedule.holidayId}, which no rule defines`);
  }
  const amendment = definition.amendments[lastAmendment]!;
  return new HolidayCalendar(definition.id, amendment.version, amendment.effectiveFrom, rules, schedules, definition.weeklyRestDays);
}
