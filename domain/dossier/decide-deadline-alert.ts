// The alerts of the legal clock (due soon, overdue), for the dossier or a step in progress: raised by
// the workflow's timers as MarkDeadline commands, accepted only once each and only when due, so the
// rules, not the timer, decide whether an alert still stands.
import { formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { closed, firstRefusal, roleNotAllowed } from './decision-guards.js';
import { alertFallsDueAt, alertTimes, dossierCalendar, stepCalendar, stepClockRules } from './dossier-clock.js';
import { accept, refuse, type Decision } from './errors.js';
import type { DossierEvent } from './events.js';
import type { InteragencySystem } from '../interagency/systems.js';
import { activeSteps, type ReceivedDossier, type StepRun } from './state.js';

export function decideDeadlineAlert(state: ReceivedDossier, command: CommandOfType<'MarkDeadline'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = firstRefusal(() => roleNotAllowed(command.actor, command.type), () => closed(state, command.type));
  if (guard) return refuse(guard);
  const notDue = (detail: string): Decision<DossierEvent> =>
    refuse({ code: 'ALERT_NOT_DUE', message: `No ${command.alert} alert is due: ${detail}.`, rule: 'Alerts come from the legal clock (docs/deadlines.md)' });

  let calendarClock: { times: ReturnType<typeof alertTimes>; raised: readonly string[]; agencyCode: string } | null = null;
  if (command.scope.kind === 'dossier') {
    if (!state.accepted) return notDue('the clock has not started');
    const holder = activeSteps(state)[0]?.agencyCode ?? state.accepted.procedure.competentAgencyCode;
    calendarClock = { times: alertTimes(dossierCalendar(state, now), state.accepted.procedure.clock, state.clock, now), raised: state.alerts, agencyCode: holder };
  } else {
    const stepId = command.scope.stepId;
    const step = activeSteps(state).find((candidate) => candidate.stepId === stepId);
    if (!step) return notDue(`step ${stepId} is not in progress`);
    calendarClock = { times: alertTimes(stepCalendar(state, step, now), stepClockRules(step.budget), step.clock, now), raised: step.alerts, agencyCode: followUpAgency(state, step) };
  }
  const { times, raised, agencyCode } = calendarClock;
  if (!times) return notDue('the clock is paused or stopped');
  if (raised.includes(command.alert)) return notDue('it was already raised');
  const fallsDueAt = alertFallsDueAt(times, command.alert);
  if (parseInstant(now) < fallsDueAt) return notDue(`it falls due at ${formatVietnamInstant(fallsDueAt)}`);
  return accept({
    type: 'DeadlineAlerted',
    schemaVersion: 1,
    data: { at: now, scope: command.scope, alert: command.alert, due: formatVietnamInstant(times.dueAt), agencyCode },
  });
}

/**
 * The outside system holding a step: the one its route names, once the engine handed the step over
 * (or the system reported on it). A step never handed over (no system connected in this
 * deployment, or the hand-off not delivered yet) is with its body's officers, as any step.
 */
export function heldBySystem(step: StepRun): InteragencySystem | undefined {
  return step.system !== undefined && (step.handedOffAt !== undefined || step.progress !== undefined) ? step.system : undefined;
}

/**
 * Whose queue a step's alert lands on: the step's own agency; for a step an outside system holds,
 * the receiving one-stop centre, which keeps watch through the system (Decree 61/2018 art. 19(6);
 * docs/deadlines.md#steps-carried-out-by-another-agencys-system). The step's own budget, not this,
 * says when it is late; the lateness stays its body's.
 */
export function followUpAgency(state: ReceivedDossier, step: StepRun): string {
  return heldBySystem(step) ? state.agencyCode : step.agencyCode;
}
