// The legal clock read at an instant: everything a dossier's (or a step's) deadline means then, the
// due time (original and extended, both kept), the elapsed and remaining time, the state, and at the
// end the classification under the dossier's own deadline and under Decision 766. Built from the
// model (./clock-model.ts), so the workflow, the API and the audit replay read the same clock.
import { formatVietnamInstant } from '../calendar/civil-day.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { ClockRuleViolation } from './apology-rule.js';
import type { ClockLedger } from './clock-ledger.js';
import type { Budget, ClockRules, ClockRulesInput, PauseReason } from './clock-rules.js';
import { dueSoonWithinMinutes, modelClock, type ClockModel } from './clock-model.js';
import { runningBetween, type StartAdjustment } from './running-time.js';
import { classify, readDecision766, type Classification, type Decision766Reading } from './on-time-classification.js';
import { round2 } from './rounding.js';

export type ClockState = 'running' | 'paused' | 'due-soon' | 'overdue' | 'stopped';

export interface Duration {
  /** Minutes of the clock's own time: office minutes for working budgets, wall-clock for calendar days. */
  readonly minutes: number;
  /** The same in days of that time (a working day is the office's day, e.g. 450 minutes). */
  readonly days: number;
}

export interface PauseRecord {
  readonly from: string;
  /** Null while the pause is still open at the reading's instant. */
  readonly to: string | null;
  readonly reason: PauseReason;
  readonly reference?: string;
  /** Clock time the pause kept from counting (office minutes, or wall-clock for calendar days). */
  readonly minutes: number;
}

export interface ExtensionRecord {
  readonly at: string;
  readonly requestedDue: string;
  /** Clock time the new appointment adds beyond the due time it replaced. */
  readonly addedMinutes: number;
  /** False when the apology broke a rule; the violation says which. Recorded, never hidden. */
  readonly lawful: boolean;
  readonly violation?: ClockRuleViolation;
}

export interface ClockReading {
  readonly calendarVersion: string;
  readonly asOf: string;
  readonly budget: Budget;
  readonly timeline: 'working' | 'calendar';
  /** Minutes in one day of the clock's time. */
  readonly minutesPerDay: number;
  readonly acceptedAt: string;
  /** The current legal period: the first, or the latest restart after a supplement. */
  readonly period: {
    readonly number: number;
    readonly startedAt: string;
    readonly restarted: boolean;
    readonly countingFrom: string;
    readonly startAdjustment: StartAdjustment | null;
    readonly budgetMinutes: number;
  };
  readonly state: ClockState;
  /** Past the appointment in force (the extended one when there is one), whatever the state. */
  readonly overdue: boolean;
  /** Due without the extension: what statistics judge by (Decision 766/QĐ-TTg; an apology does not make a late dossier on time). */
  readonly originalDue: string;
  readonly extendedDue: string | null;
  /** The appointment in force: the extended due when there is one. */
  readonly due: string;
  /** While paused the due time moves on with every minute of the pause; this is the value if resumed now. */
  readonly dueIsProvisional: boolean;
  readonly elapsed: Duration;
  /** Clock time left until the due time in force; negative (or zero outside office hours) once overdue. */
  readonly remaining: Duration;
  readonly pauses: readonly PauseRecord[];
  readonly supplementRequests: number;
  readonly extension: ExtensionRecord | null;
  readonly outcome: null | {
    readonly stoppedAt: string;
    readonly result: 'resolved' | 'refused' | 'withdrawn' | 'sent-back';
    /** Against the original due of the current period, at the rules' granularity. */
    readonly dossierRule: Classification;
    readonly metExtendedAppointment: boolean | null;
  };
  readonly decision766: Decision766Reading;
}

/** The clock as it stood at `asOf`: due times, state, elapsed and remaining time, classifications. */
export function readClock(calendar: WorkingCalendar, rules: ClockRulesInput | ClockRules, ledger: ClockLedger, asOf: string | number): ClockReading {
  const model = modelClock(calendar, rules, ledger, asOf);
  return readModel(model);
}

/** The apology and new appointment of the current period, as readings and explanations show it. */
export function extensionSummaryOf(model: ClockModel): Omit<ExtensionRecord, 'violation'> | null {
  const { extension } = model.current;
  if (!extension) return null;
  return {
    at: formatVietnamInstant(extension.at),
    requestedDue: formatVietnamInstant(extension.requestedDue),
    addedMinutes: round2(model.extensionAddedMinutes),
    lawful: model.extensionViolation === null,
  };
}

export function readModel(model: ClockModel): ClockReading {
  const { calendar, rules, timeline, current, stop, asOf } = model;
  const until = stop?.at ?? asOf;
  const dueInForce = model.extendedDue ?? model.originalDue;
  const elapsedMinutes = runningBetween(timeline, current.countingFrom, until, current.pauses);
  const openPause = current.pauses.find((pause) => pause.to === null);
  const overdue = until > dueInForce;
  const dueSoonWithin = dueSoonWithinMinutes(model);
  // Remaining is measured to the due time in force, so it includes what settling added (the rest of
  // the day under the Civil Code, a weekend a calendar-day limit could not end on).
  // Before the count begins (accepted after the cut-off, read that evening) nothing has run yet.
  const remainingMinutes = overdue ? -timeline.between(dueInForce, until) : timeline.between(Math.max(until, current.countingFrom), dueInForce);

  const state: ClockState = stop ? 'stopped' : openPause ? 'paused' : overdue ? 'overdue' : remainingMinutes <= dueSoonWithin ? 'due-soon' : 'running';
  const duration = (minutes: number): Duration => ({ minutes: round2(minutes), days: round2(minutes / timeline.minutesPerDay) });

  const pauses: PauseRecord[] = model.periods.flatMap((period) => (period === model.periods[model.periods.length - 1] ? current.pauses : period.pauses)).map((pause) => ({
    from: formatVietnamInstant(pause.from),
    to: pause.to === null ? null : formatVietnamInstant(pause.to),
    reason: pause.reason,
    ...(pause.reference ? { reference: pause.reference } : {}),
    minutes: round2(timeline.between(pause.from, pause.to ?? until)),
  }));

  return {
    calendarVersion: calendar.versionId,
    asOf: formatVietnamInstant(asOf),
    budget: rules.budget,
    timeline: timeline.kind,
    minutesPerDay: timeline.minutesPerDay,
    acceptedAt: formatVietnamInstant(model.acceptedAt),
    period: {
      number: current.number,
      startedAt: formatVietnamInstant(current.startedAt),
      restarted: current.restarted,
      countingFrom: formatVietnamInstant(current.countingFrom),
      startAdjustment: current.startAdjustment,
      budgetMinutes: round2(current.budgetMinutes),
    },
    state,
    overdue,
    originalDue: formatVietnamInstant(model.originalDue),
    extendedDue: model.extendedDue === null ? null : formatVietnamInstant(model.extendedDue),
    due: formatVietnamInstant(dueInForce),
    dueIsProvisional: openPause !== undefined && !stop && model.rawDue > asOf,
    elapsed: duration(elapsedMinutes),
    remaining: duration(remainingMinutes),
    pauses,
    supplementRequests: model.supplementRequests,
    extension: current.extension ? { ...extensionSummaryOf(model)!, ...(model.extensionViolation ? { violation: model.extensionViolation } : {}) } : null,
    outcome: stop
      ? {
          stoppedAt: formatVietnamInstant(stop.at),
          result: stop.outcome,
          dossierRule: classify(stop.at, model.originalDue, rules.granularity),
          metExtendedAppointment: model.extendedDue === null ? null : classify(stop.at, model.extendedDue, rules.granularity) !== 'late',
        }
      : null,
    decision766: readDecision766(model),
  };
}
