// Which alert of the legal clock falls due next, for the dossier or any step in progress: what the
// workflow sleeps until. The alert is then raised as a MarkDeadline command of the system, so the
// rules (not the timer) decide whether it is still due.
import { formatVietnamInstant } from '../calendar/civil-day.js';
import type { CommandOfType } from './commands.js';
import { alertFallsDueAt, alertTimes, dossierCalendar, stepCalendar, stepClockRules } from './dossier-clock.js';
import { activeSteps, isReceived, type DossierState } from './state.js';

export interface PendingAlert {
  /** When the alert falls due. */
  readonly at: string;
  readonly command: Omit<CommandOfType<'MarkDeadline'>, 'commandId' | 'dossierCode'>;
}

export function nextDeadlineAlert(state: DossierState, now: string): PendingAlert | null {
  if (!isReceived(state) || !state.accepted) return null;
  const system = { userId: 'legal-clock', role: 'system' as const, agencyCode: state.agencyCode };
  const candidates: { at: number; scope: CommandOfType<'MarkDeadline'>['scope']; alert: 'due-soon' | 'overdue' }[] = [];
  const consider = (times: ReturnType<typeof alertTimes>, raised: readonly string[], scope: CommandOfType<'MarkDeadline'>['scope']) => {
    if (!times) return;
    for (const alert of ['due-soon', 'overdue'] as const) {
      if (!raised.includes(alert)) candidates.push({ at: alertFallsDueAt(times, alert), scope, alert });
    }
  };
  consider(alertTimes(dossierCalendar(state, now), state.accepted.procedure.clock, state.clock, now), state.alerts, { kind: 'dossier' });
  for (const step of activeSteps(state)) {
    consider(alertTimes(stepCalendar(state, step, now), stepClockRules(step.budget), step.clock, now), step.alerts, { kind: 'step', stepId: step.stepId });
  }
  const next = candidates.sort((a, b) => a.at - b.at)[0];
  if (!next) return null;
  // Whole seconds, rounded up: an alert must never be raised before its moment.
  return { at: formatVietnamInstant(Math.ceil(next.at / 1000) * 1000), command: { type: 'MarkDeadline', actor: system, scope: next.scope, alert: next.alert } };
}
