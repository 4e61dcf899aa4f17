// A dossier's holiday calendar once it has adopted amendments: the version pinned at acceptance for
// the days it had lived, and each adopted amendment for the days from its own adoption on. An
// amendment announced while a dossier is open (a swap, an extra day off, the year's official Tết)
// must move the dossier's due date, yet the days the dossier already lived keep what they were: a
// Saturday it did not count stays uncounted, a day it counted stays counted. So each adoption is a
// layer that answers for the days from `appliesFrom` on, and the days before it are answered by the
// calendar the dossier knew then (docs/deadlines.md, docs/decisions/0015).
// Pure and zod-free: the workflow's decider builds these for every alert it schedules.
import { civilDayFromIso, civilDayOf, isoOfCivilDay, type CivilDay, type Weekday } from './civil-day.js';
import {
  compareCalendarVersions,
  holidayCalendarAtVersion,
  type CalendarAmendment,
  type DayMark,
  type HolidayCalendarDefinition,
  type HolidayMarks,
} from './holiday-calendar.js';
import type { DayStatus, WorkingCalendar } from './working-calendar.js';

/** An amendment a dossier adopted: from `appliesFrom` (an ISO date) on, its days are the dossier's. */
export interface AdoptedLayer {
  readonly amendment: CalendarAmendment;
  readonly appliesFrom: string;
}

/** The built-in calendar's amendments up to `version`, with `extra` ones (a store's) merged in by version. */
export function definitionWith(builtIn: HolidayCalendarDefinition, version: string, extra: readonly CalendarAmendment[]): HolidayCalendarDefinition {
  if (extra.length === 0 && builtIn.amendments.some((amendment) => amendment.version === version)) return builtIn;
  const byVersion = new Map<string, CalendarAmendment>();
  for (const amendment of builtIn.amendments) if (compareCalendarVersions(amendment.version, version) <= 0) byVersion.set(amendment.version, amendment);
  // A dossier's own copy wins: it is what it pinned or adopted, whatever the code holds later.
  for (const amendment of extra) byVersion.set(amendment.version, amendment);
  const amendments = [...byVersion.values()].sort((a, b) => compareCalendarVersions(a.version, b.version));
  return { ...builtIn, amendments };
}

/**
 * The holidays a dossier's calendar answers with: the base (pinned at acceptance) for the days
 * before the first adoption, each adopted version from its `appliesFrom` day on.
 */
export class LayeredHolidayCalendar implements HolidayMarks {
  constructor(
    readonly base: HolidayMarks,
    readonly layers: readonly { readonly fromDay: CivilDay; readonly version: string; readonly marks: HolidayMarks }[],
  ) {}

  /** `vn-civil-service@2025.1+2026.2`: the pinned version, then each adopted one. */
  get versionId(): string {
    return [this.base.versionId, ...this.layers.map((layer) => layer.version)].join('+');
  }

  markOf(day: CivilDay): DayMark | undefined {
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const layer = this.layers[index]!;
      if (day >= layer.fromDay) return layer.marks.markOf(day);
    }
    return this.base.markOf(day);
  }

  forWeek(weeklyRestDays: readonly Weekday[]): HolidayMarks {
    return new LayeredHolidayCalendar(
      this.base.forWeek(weeklyRestDays),
      this.layers.map((layer) => ({ ...layer, marks: layer.marks.forWeek(weeklyRestDays) })),
    );
  }
}

/**
 * The holidays of a calendar pinned at `version` (with the store's amendments pinned beside it) and
 * then the adopted amendments, in the order adopted.
 */
export function adoptedHolidays(builtIn: HolidayCalendarDefinition, version: string, pinned: readonly CalendarAmendment[], adopted: readonly AdoptedLayer[]): HolidayMarks {
  const base = holidayCalendarAtVersion(definitionWith(builtIn, version, pinned), version);
  if (adopted.length === 0) return base;
  // Adopting a version means following the calendar as it stands at that version: the amendments
  // pinned and adopted so far, and the built-in ones up to it (a release may have compiled in one
  // the dossier never pinned).
  const layers = adopted.map((layer, index) => {
    const known = [...pinned, ...adopted.slice(0, index + 1).map((earlier) => earlier.amendment)];
    const definition = definitionWith(builtIn, layer.amendment.version, known);
    return { fromDay: civilDayFromIso(layer.appliesFrom), version: layer.amendment.version, marks: holidayCalendarAtVersion(definition, layer.amendment.version) };
  });
  return new LayeredHolidayCalendar(base, layers);
}

/** A day whose status an adoption changed: what it was, what it is now. */
export interface ChangedDay {
  readonly date: string;
  readonly before: DayWord;
  readonly after: DayWord;
}
export type DayWord = 'working' | 'make-up-working-day' | 'weekly-rest' | 'holiday' | 'compensatory' | 'swapped';

function wordOf(status: DayStatus): DayWord {
  if (status.working) return status.makeUp ? 'make-up-working-day' : 'working';
  return status.reason;
}

/** The last year whose days an amendment can change: the latest year it names, and the year after (bridge days). */
export function lastYearTouched(amendment: CalendarAmendment, fromYear: number): number {
  const years = amendment.changes.map((change) => (change.type === 'official-schedule' ? change.schedule.year : Math.max(change.rule.fromYear, fromYear)));
  return Math.max(fromYear, ...years) + 1;
}

/**
 * The days from `fromDay` on, up to the end of `throughYear`, that are working in one calendar and
 * not in the other, or off for another reason: what an adoption changes for a dossier.
 */
export function changedDays(before: WorkingCalendar, after: WorkingCalendar, fromDay: CivilDay, throughYear: number): ChangedDay[] {
  const end = civilDayOf({ year: throughYear + 1, month: 1, day: 1 });
  const changed: ChangedDay[] = [];
  for (let day = fromDay; day < end; day += 1) {
    const was = wordOf(before.statusOf(day));
    const is = wordOf(after.statusOf(day));
    if (was !== is) changed.push({ date: isoOfCivilDay(day), before: was, after: is });
  }
  return changed;
}

/** JSON with its object keys sorted: two copies of an amendment compare equal whatever stored them (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
