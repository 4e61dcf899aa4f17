// Reception's three outcomes (Decree 61/2018 art. 17(1)): accept with a receipt and appointment
// (form 01), ask once for everything missing (form 02), or refuse (form 03).
import { civilDayOfInstant, isoOfCivilDay, parseInstant } from '../calendar/civil-day.js';
import { readClock } from '../clock/legal-clock.js';
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, notReceivingCentre, outOfOrder, roleNotAllowed } from './decision-guards.js';
import { isKnownCalendar, stepClockRules, workingCalendarOf } from './dossier-clock.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent, StepStarted } from './events.js';
import type { ReceivedDossier } from './state.js';
import type { Agency } from '../catalogue/agency.js';
import { agenciesTakingPart } from '../catalogue/agencies-taking-part.js';
import type { ProcedureVersion } from '../catalogue/procedure.js';

const AT_RECEPTION = ['received'] as const;

function receptionGuards(state: ReceivedDossier, actor: Actor, commandType: 'AcceptDossier' | 'RequestSupplementAtReception' | 'RefuseAtReception'): DomainError | null {
  return firstRefusal(
    () => outOfOrder(state, commandType, AT_RECEPTION),
    () => roleNotAllowed(actor, commandType),
    () => notReceivingCentre(state, actor, commandType),
  );
}

// The preconditions of each reception command: what refuses it whatever its payload. The decider
// checks them first; command-availability.ts asks them which commands a caller may send now.

export function acceptancePreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return receptionGuards(state, actor, 'AcceptDossier');
}

export function supplementAtReceptionPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  const guard = receptionGuards(state, actor, 'RequestSupplementAtReception');
  if (guard) return guard;
  if (state.supplementRequestsAtReception > 0) {
    return {
      code: 'SUPPLEMENT_ALREADY_REQUESTED',
      message: `A supplement was already requested for dossier ${state.dossierCode} at reception; the applicant is guided once, with everything missing in one list. Accept or refuse the dossier now.`,
      rule: 'Guide the applicant to supplement once, fully and accurately (Decree 61/2018 arts. 15, 17(1)(a))',
    };
  }
  return null;
}

export function refusalAtReceptionPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return receptionGuards(state, actor, 'RefuseAtReception');
}

export function decideAcceptance(state: ReceivedDossier, command: CommandOfType<'AcceptDossier'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = acceptancePreconditions(state, command.actor);
  if (guard) return refuse(guard);
  const { procedure, agencies, calendarVersion, calendarAmendments } = command.pinned;

  if (procedure.code !== state.procedureCode) {
    return refuse({
      code: 'PROCEDURE_MISMATCH',
      message: `Dossier ${state.dossierCode} was received for procedure ${state.procedureCode}, but the acceptance pins procedure ${procedure.code}.`,
      rule: 'A dossier keeps the procedure it was received for (Decree 61/2018 art. 17)',
      field: 'pinned.procedure.code',
    });
  }
  const today = isoOfCivilDay(civilDayOfInstant(parseInstant(now)));
  if (procedure.effectiveFrom > today || (procedure.effectiveUntil !== null && procedure.effectiveUntil < today)) {
    return refuse({
      code: 'PROCEDURE_NOT_IN_FORCE',
      message: `Version ${procedure.version} of procedure ${procedure.code} is in force from ${procedure.effectiveFrom}${procedure.effectiveUntil ? ` to ${procedure.effectiveUntil}` : ''}, not on ${today}; accept under the version in force.`,
      rule: 'A dossier is decided under the procedure version in force when it is accepted, as published in the procedure decision (Quyết định công bố TTHC) in the National TTHC Database',
      field: 'pinned.procedure.version',
    });
  }
  const unpinned = agenciesTakingPart(procedure, state.agencyCode).filter((code) => !agencies.some((agency) => agency.code === code));
  if (unpinned.length > 0) {
    return refuse({
      code: 'AGENCY_NOT_PINNED',
      message: `The acceptance must pin every agency the dossier will meet; missing: ${unpinned.join(', ')}. Add them to the agency catalogue.`,
      rule: 'Each body on the route is given its task and deadline when the dossier is accepted (Decree 61/2018/NĐ-CP art. 19(6))',
      field: 'pinned.agencies',
    });
  }
  const unknownCalendar = agencies.find((agency) => !isKnownCalendar(agency.calendarId));
  if (unknownCalendar) {
    return refuse({
      code: 'UNKNOWN_CALENDAR',
      message: `Agency ${unknownCalendar.code} follows calendar ${unknownCalendar.calendarId}, which this engine does not know.`,
      rule: 'Deadlines are counted on a known working-day calendar (docs/deadlines.md)',
      field: 'pinned.agencies',
    });
  }

  const componentError = checkComponents(procedure, command);
  if (componentError) return refuse(componentError);

  const agencyByCode = (code: string): Agency => agencies.find((agency) => agency.code === code)!;
  const knowledge = calendarAmendments && calendarAmendments.length > 0 ? { pinned: calendarAmendments } : {};
  const centreCalendar = workingCalendarOf(agencyByCode(state.agencyCode), calendarVersion, knowledge);
  const appointment = readClock(centreCalendar, procedure.clock, [{ type: 'started', at: now }], now).due;

  return accept<DossierEvent>(
    {
      type: 'DossierAccepted',
      schemaVersion: 1,
      data: {
        at: now,
        procedure,
        agencies,
        calendarVersion,
        ...('pinned' in knowledge ? { calendarAmendments } : {}),
        components: command.components,
        appointment,
        ...(command.pinned.resolution ? { resolution: command.pinned.resolution } : {}),
      },
    },
    ...startStage(procedure, 0, 1, state.agencyCode, now, (code) => workingCalendarOf(agencyByCode(code), calendarVersion, knowledge)),
  );
}

function checkComponents(procedure: ProcedureVersion, command: CommandOfType<'AcceptDossier'>): DomainError | null {
  const known = new Set(procedure.components.map((component) => component.id));
  const unknown = command.components.filter((component) => !known.has(component.componentId));
  if (unknown.length > 0) {
    return {
      code: 'UNKNOWN_COMPONENT',
      message: `Procedure ${procedure.code} has no component ${unknown.map((component) => component.componentId).join(', ')}; its components are ${[...known].join(', ')}.`,
      rule: `Components of procedure ${procedure.code} as published (${procedure.legalBasis})`,
      field: 'components',
    };
  }
  const given = new Set(command.components.map((component) => component.componentId));
  const missing = procedure.components.filter((component) => component.required && !given.has(component.id));
  if (missing.length > 0) {
    return {
      code: 'REQUIRED_COMPONENTS_MISSING',
      message: `A complete dossier is needed to accept it; missing: ${missing.map((component) => `${component.id} (${component.name})`).join(', ')}. Ask for them with one supplement request (form 02) instead.`,
      rule: 'Accept only a complete dossier; otherwise guide the applicant once, fully (Decree 61/2018 art. 17(1)(a))',
      field: 'components',
    };
  }
  return null;
}

/** The events that hand the dossier to every step of a stage (the electronic same-level route). */
export function startStage(
  procedure: ProcedureVersion,
  stageIndex: number,
  run: number,
  fromAgencyCode: string,
  at: string,
  calendarOf: (agencyCode: string) => ReturnType<typeof workingCalendarOf>,
): StepStarted[] {
  const stage = procedure.route.stages[stageIndex];
  if (!stage) return [];
  return stage.steps.map((step) => ({
    type: 'StepStarted',
    schemaVersion: 1,
    data: {
      at,
      stepId: step.id,
      stageIndex,
      run,
      agencyCode: step.agencyCode,
      task: step.task,
      budget: step.budget,
      fromAgencyCode,
      ...(step.system ? { system: step.system } : {}),
      due: readClock(calendarOf(step.agencyCode), stepClockRules(step.budget), [{ type: 'started', at }], at).due,
    },
  }));
}

export function decideSupplementAtReception(state: ReceivedDossier, command: CommandOfType<'RequestSupplementAtReception'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = supplementAtReceptionPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  return accept({ type: 'SupplementRequestedAtReception', schemaVersion: 1, data: { at: now, missing: command.missing } });
}

export function decideRefusalAtReception(state: ReceivedDossier, command: CommandOfType<'RefuseAtReception'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = refusalAtReceptionPreconditions(state, command.actor);
  if (guard) return refuse(guard);
  return accept({ type: 'DossierRefusedAtReception', schemaVersion: 1, data: { at: now, reasons: command.reasons, legalBasis: command.legalBasis } });
}
