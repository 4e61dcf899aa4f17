// A late dossier's two duties: the apology for lateness to the applicant (a signed letter; never
// moves a due time) and the accountability explanation (giải trình) to the head of the agency.
// Both apply once the appointment in force has passed, in any status after acceptance, closed
// dossiers included (the result may have been issued or returned late). Sources and choices:
// docs/rules.md#an-apology-for-every-late-dossier.
import { formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, roleNotAllowed } from './decision-guards.js';
import { dossierCalendar, readDossierClock } from './dossier-clock.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent } from './events.js';
import { awaitingResult, explanationDue, LATENESS_RULE_DEFAULTS, missedDue, newAppointmentMissed, responsibleAgency } from './lateness.js';
import type { ReceivedDossier } from './state.js';

const APOLOGY_RULE = 'Apology for lateness: every overdue dossier gets a written apology to the applicant with the reason and, if the result is not ready, a new appointment (Decree 61/2018/NĐ-CP art. 19(9) as amended by Decree 107/2021/NĐ-CP; Decree 118/2025/NĐ-CP as the 2026 commune plans apply it)';
const EXPLANATION_RULE = 'Accountability explanation: the agency responsible for an overdue dossier explains it in writing to the head of the agency (2026 commune plans, after Decree 118/2025/NĐ-CP)';

type LatenessCommand = CommandOfType<'IssueLatenessApology' | 'RecordLatenessExplanation'>;

export function decideLateness(state: ReceivedDossier, command: LatenessCommand, context: DecisionContext): Decision<DossierEvent> {
  return command.type === 'IssueLatenessApology' ? issueLatenessApology(state, command, context) : recordExplanation(state, command, context);
}

function notLate(state: ReceivedDossier, commandType: string, now: string, rule: string): DomainError | null {
  if (missedDue(state, now) !== null) return null;
  const due = state.accepted ? readDossierClock(state, now).due : null;
  return {
    code: 'DOSSIER_NOT_LATE',
    message: due
      ? `Dossier ${state.dossierCode} is not late: its appointment in force is ${due}. ${commandType} is for a dossier past it; before that, an apology with a new appointment (form 04, POST /dossiers/{code}/issue-apology) extends it.`
      : `Dossier ${state.dossierCode} was never accepted, so it has no appointment to be late for.`,
    rule,
  };
}

// The preconditions of a late dossier's two duties: what refuses them whatever their payload. The
// decider checks them first; command-availability.ts asks them which commands a caller may send now.

export function latenessApologyPreconditions(state: ReceivedDossier, actor: Actor, { now }: DecisionContext): DomainError | null {
  const guard = firstRefusal(() => roleNotAllowed(actor, 'IssueLatenessApology'), () => notLate(state, 'IssueLatenessApology', now, APOLOGY_RULE));
  if (guard) return guard;
  // The body that causes the delay apologises; the competent agency may always sign for the dossier.
  const responsible = [...new Set([responsibleAgency(state), state.accepted!.procedure.competentAgencyCode])];
  if (!responsible.includes(actor.agencyCode)) {
    return {
      code: 'NOT_THE_RESPONSIBLE_AGENCY',
      message: `The apology for lateness of dossier ${state.dossierCode} comes from the agency responsible for the delay (${responsible.join(' or ')}), not from ${actor.agencyCode}.`,
      rule: APOLOGY_RULE,
    };
  }
  // One apology per overdue spell, and another each time the new appointment it gave is missed.
  if (state.lateness?.apologised && newAppointmentMissed(state, now) === null) {
    return {
      code: 'LATENESS_APOLOGY_ALREADY_ISSUED',
      message: state.lateness.newAppointment
        ? `Dossier ${state.dossierCode} already has an apology for lateness with the new appointment ${state.lateness.newAppointment}; another is issued only if that appointment is missed.`
        : `Dossier ${state.dossierCode} already has its apology for lateness.`,
      rule: APOLOGY_RULE,
    };
  }
  return null;
}

export function latenessExplanationPreconditions(state: ReceivedDossier, actor: Actor, { now }: DecisionContext): DomainError | null {
  const guard = firstRefusal(() => roleNotAllowed(actor, 'RecordLatenessExplanation'), () => notLate(state, 'RecordLatenessExplanation', now, EXPLANATION_RULE));
  if (guard) return guard;
  const agencyCode = responsibleAgency(state);
  if (actor.agencyCode !== agencyCode) {
    return {
      code: 'NOT_THE_RESPONSIBLE_AGENCY',
      message: `The explanation for dossier ${state.dossierCode} is written by ${agencyCode}, which held it when it went overdue, not by ${actor.agencyCode}.`,
      rule: EXPLANATION_RULE,
    };
  }
  if (state.lateness?.explained) {
    return {
      code: 'EXPLANATION_ALREADY_RECORDED',
      message: `The explanation for dossier ${state.dossierCode} being overdue since ${state.lateness.due} is already recorded.`,
      rule: EXPLANATION_RULE,
    };
  }
  return null;
}

function issueLatenessApology(state: ReceivedDossier, command: CommandOfType<'IssueLatenessApology'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = latenessApologyPreconditions(state, command.actor, { now });
  if (guard) return refuse(guard);
  const missedAgain = newAppointmentMissed(state, now);
  if (awaitingResult(state) && command.newAppointment === undefined) {
    return refuse({
      code: 'NEW_APPOINTMENT_REQUIRED',
      message: `The result of dossier ${state.dossierCode} is not ready: the apology must give the applicant a new appointment (newAppointment).`,
      rule: APOLOGY_RULE,
      field: 'newAppointment',
    });
  }
  if (!awaitingResult(state) && command.newAppointment !== undefined) {
    return refuse({
      code: 'NEW_APPOINTMENT_NOT_EXPECTED',
      message: `Dossier ${state.dossierCode} is ${state.status}: there is no result to wait for, so the apology gives no new appointment; leave newAppointment out.`,
      rule: APOLOGY_RULE,
      field: 'newAppointment',
    });
  }
  if (command.newAppointment !== undefined && parseInstant(command.newAppointment) <= parseInstant(now)) {
    return refuse({
      code: 'NEW_APPOINTMENT_NOT_LATER',
      message: `The new appointment ${command.newAppointment} must be later than now (${formatVietnamInstant(parseInstant(now))}).`,
      rule: APOLOGY_RULE,
      field: 'newAppointment',
    });
  }
  const unkept = command.newAppointment !== undefined ? appointmentNotKeepable(state, command.newAppointment, now) : null;
  if (unkept) return refuse(unkept);
  const reading = readDossierClock(state, now);
  return accept({
    type: 'LatenessApologyIssued',
    schemaVersion: 1,
    data: {
      at: now,
      agencyCode: command.actor.agencyCode,
      responsibleAgencyCode: responsibleAgency(state),
      reason: command.reason,
      missedAppointment: missedAgain ?? missedDue(state, now)!,
      originalDue: reading.originalDue,
      ...(command.newAppointment !== undefined ? { newAppointment: command.newAppointment } : {}),
      sequence: (state.lateness?.apologies ?? 0) + 1,
    },
  });
}

/**
 * A new appointment is a promise printed in a signed letter: the result is handed over at the
 * receiving centre, so it must fall in the centre's office hours on one of its working days (the
 * calendar the dossier follows), and within six months (our choice: the law sets no bound, and a
 * date further out, or a typo such as year 9999, is no appointment).
 */
function appointmentNotKeepable(state: ReceivedDossier, newAppointment: string, now: string): DomainError | null {
  const promised = parseInstant(newAppointment);
  const days = LATENESS_RULE_DEFAULTS.newAppointmentWithinDays;
  if (promised > parseInstant(now) + days * 86_400_000) {
    return {
      code: 'NEW_APPOINTMENT_TOO_FAR',
      message: `The new appointment ${newAppointment} is more than ${days} days (six months) ahead; give a date the agency can keep.`,
      rule: APOLOGY_RULE,
      field: 'newAppointment',
    };
  }
  const calendar = dossierCalendar(state);
  if (calendar.isOfficeTimeOrSessionEnd(promised)) return null;
  return {
    code: 'NEW_APPOINTMENT_OUTSIDE_OFFICE_HOURS',
    message: `The new appointment ${newAppointment} is outside the office hours of the receiving centre ${state.agencyCode} (${calendar.describeOfficeHours()}, on its working days), where the result is handed over; the next office time is ${formatVietnamInstant(calendar.nextOfficeMoment(promised))}.`,
    rule: APOLOGY_RULE,
    field: 'newAppointment',
  };
}

function recordExplanation(state: ReceivedDossier, command: CommandOfType<'RecordLatenessExplanation'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = latenessExplanationPreconditions(state, command.actor, { now });
  if (guard) return refuse(guard);
  const agencyCode = responsibleAgency(state);
  const overdueSince = missedDue(state, now)!;
  const due = explanationDue(state, overdueSince, agencyCode);
  return accept({
    type: 'LatenessExplained',
    schemaVersion: 1,
    data: {
      at: now,
      agencyCode,
      author: { userId: command.actor.userId, role: command.actor.role },
      reason: command.reason,
      overdueSince,
      due,
      late: parseInstant(now) > parseInstant(due),
    },
  });
}
