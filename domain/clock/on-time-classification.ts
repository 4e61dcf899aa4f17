// Whether a dossier (or a step) finished early, on time or late: against its own due time at the
// rules' granularity, and under Decision 766/QĐ-TTg, the rule the national portal scores agencies by.
import { civilDayOfInstant, formatVietnamInstant, instantAt } from '../calendar/civil-day.js';
import type { Granularity } from './clock-rules.js';
import type { ClockModel } from './clock-model.js';
import { settleDue } from './running-time.js';
import { round2 } from './rounding.js';

const MS_PER_MINUTE = 60_000;

export type Classification = 'early' | 'on-time' | 'late';

export interface Decision766Reading {
  /** The appointment given at acceptance (NgayHenTra): first start, budget only, no extension. */
  readonly appointment: string;
  /** NgayKetThucXuLy: the stop, else the open supplement request, else the reading's instant. */
  readonly end: string;
  /** `end` minus every closed excluded waiting interval (supplement completed − requested). */
  readonly adjustedEnd: string;
  readonly excludedMinutes: number;
  readonly supplementRequests: number;
  readonly finished: boolean;
  readonly classification: Classification;
  readonly because: 'more-than-one-supplement-request' | 'compared-with-appointment';
}

export function classify(endMs: number, dueMs: number, granularity: Granularity): Classification {
  const truncate = (ms: number): number => {
    switch (granularity) {
      case 'minute':
        return Math.floor(ms / MS_PER_MINUTE);
      case 'hour':
        return Math.floor((ms + 7 * 60 * MS_PER_MINUTE) / (60 * MS_PER_MINUTE));
      case 'day':
        return civilDayOfInstant(ms);
    }
  };
  const end = truncate(endMs);
  const due = truncate(dueMs);
  return end < due ? 'early' : end === due ? 'on-time' : 'late';
}

/**
 * The first instant `classify` calls late against this due time: the start of the next minute, hour
 * or Vietnamese civil day after the due one. A running clock is late from then on, which is what
 * lets a report judge an unfinished dossier at any instant without folding its events again.
 */
export function lateFrom(dueMs: number, granularity: Granularity): number {
  switch (granularity) {
    case 'minute':
      return (Math.floor(dueMs / MS_PER_MINUTE) + 1) * MS_PER_MINUTE;
    case 'hour': {
      const hourMs = 60 * MS_PER_MINUTE;
      const offsetMs = 7 * hourMs;
      return (Math.floor((dueMs + offsetMs) / hourMs) + 1) * hourMs - offsetMs;
    }
    case 'day':
      return instantAt(civilDayOfInstant(dueMs) + 1, 0);
  }
}

/**
 * Decision 766/QĐ-TTg's on-time rule (docs/rules.md): the end (processed, else returned, else stopped; an
 * open supplement request counts as the end; an unfinished dossier ends with the period) minus
 * the supplement waiting time, against the appointment given at acceptance. An extension does not
 * help, and more than one supplement request makes the dossier late.
 */
export function readDecision766(model: ClockModel): Decision766Reading {
  const { calendar, rules, timeline, stop, asOf } = model;
  const first = model.periods[0]!;
  const appointment = settleDue(calendar, rules, timeline.add(first.countingFrom, first.budgetMinutes));
  const excluded = new Set(rules.decision766.excludedPauseReasons);
  const allPauses = model.periods.flatMap((period) => (period === model.periods[model.periods.length - 1] ? model.current.pauses : period.pauses));
  const openSupplement = stop ? undefined : allPauses.find((pause) => pause.to === null && pause.reason === 'waiting-for-supplement');
  const end = stop?.at ?? openSupplement?.from ?? asOf;
  const excludedMs = allPauses
    .filter((pause) => pause.to !== null && pause.to <= end && excluded.has(pause.reason))
    .reduce((sum, pause) => sum + (pause.to! - pause.from), 0);
  const adjustedEnd = end - excludedMs;
  const tooManySupplements = model.supplementRequests > 1;
  return {
    appointment: formatVietnamInstant(appointment),
    end: formatVietnamInstant(end),
    adjustedEnd: formatVietnamInstant(adjustedEnd),
    excludedMinutes: round2(excludedMs / MS_PER_MINUTE),
    supplementRequests: model.supplementRequests,
    finished: stop !== null,
    classification: tooManySupplements ? 'late' : classify(adjustedEnd, appointment, rules.decision766.granularity),
    because: tooManySupplements ? 'more-than-one-supplement-request' : 'compared-with-appointment',
  };
}
