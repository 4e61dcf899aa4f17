// What one event of a dossier calls for towards the other agencies' systems that carry out steps of
// its route (docs/integrations.md#handing-steps-over). Pure, like the rest of the planner
// (domain/outbox/plan-deliveries.ts): the same event planned twice plans the same deliveries.
//
// - `hand-off`: a step the route gives to a system started (StepStarted with `system`);
// - `update`: while a system holds an active step, the applicant supplemented (form 02 answered
//   during processing) or paid on a notice, as staff recorded it (a payment the tax system itself
//   reported is not sent back to anyone): the system gets the dossier's facts and files again, whole;
// - `cancel`: the dossier ended (a result, a refusal to resolve, an approved withdrawal) while a
//   system held an active step: the step was stopped, the system should do no more. Likewise when
//   the body's officers completed or sent back, in the engine, a step the system held (the fallback
//   while a system is out of service): the run has ended, and work the system still does on it
//   (a tax notice, a registration) would be applied by nobody. A run the system ended itself (its
//   own answer, actor role `interagency` and its user id) needs no cancel; another system's run
//   ended with it (a system sending its stage back sends back the parallel steps too) does.
//
// Only the systems the deployment configured are planned for: a system left out of the
// configuration has its steps done by the body's officers in the engine. Systems have no quiet
// hours: a hand-off goes when the step starts.
import type { DossierEvent } from '../dossier/events.js';
import { evolveDossier, type ReceivedDossier } from '../dossier/state.js';
import type { HandOffKind } from './hand-off.js';
import { type InteragencySystem, systemOfUserId } from './systems.js';

/** One delivery to one system: the planner turns it into a row keyed `<system>/<dossier>/<seq>/<kind>`. */
export interface PlannedHandOff {
  readonly system: InteragencySystem;
  readonly kind: HandOffKind;
}

export interface HandOffEvent {
  readonly event: DossierEvent;
  /** The dossier's state before the event (undefined for the reception). */
  readonly before: ReceivedDossier | undefined;
  /** The role of who caused it (`interagency` for a system's own answer), when known. */
  readonly actorRole?: string;
  /** The user id of who caused it (`system:<name>` for a system's own answer), when known. */
  readonly actorUserId?: string;
}

export function planHandOffs({ event, before, actorRole, actorUserId }: HandOffEvent, configured: readonly InteragencySystem[]): PlannedHandOff[] {
  if (configured.length === 0 || before === undefined) return [];
  const wanted = (system: InteragencySystem | undefined): system is InteragencySystem => system !== undefined && configured.includes(system);
  if (event.type === 'StepStarted') return wanted(event.data.system) ? [{ system: event.data.system, kind: 'hand-off' }] : [];
  const holding = systemsHolding(before);
  if (holding.length === 0) return [];
  const after = evolveDossier(before, event);
  if (after.status === 'none') return [];
  const stopped = new Set(after.steps.filter((step) => step.status === 'stopped' && step.system !== undefined && before.steps.some((was) => was.stepId === step.stepId && was.run === step.run && was.status === 'active')).map((step) => step.system!));
  if (stopped.size > 0) return holding.filter((system) => stopped.has(system) && wanted(system)).map((system) => ({ system, kind: 'cancel' }));
  // A system's own answer ends its own run; with an unknown user id, as before its ids were read, nothing is assumed.
  const answeredBy = actorRole === 'interagency' ? (actorUserId ? systemOfUserId(actorUserId) ?? 'unknown' : 'unknown') : undefined;
  if (answeredBy !== 'unknown') {
    const endedByOthers = new Set(
      after.steps
        .filter((step) => (step.status === 'completed' || step.status === 'sent-back') && step.system !== undefined && step.system !== answeredBy && before.steps.some((was) => was.stepId === step.stepId && was.run === step.run && was.status === 'active'))
        .map((step) => step.system!),
    );
    if (endedByOthers.size > 0) return holding.filter((system) => endedByOthers.has(system) && wanted(system)).map((system) => ({ system, kind: 'cancel' }));
  }
  const updates = (event.type === 'SupplementProvided' && event.data.duringProcessing) || (event.type === 'PaymentRecorded' && actorRole !== 'interagency');
  if (!updates) return [];
  const stillHolding = systemsHolding(after);
  return stillHolding.filter(wanted).map((system) => ({ system, kind: 'update' }));
}

/** The systems that hold an active step of the dossier, once each, in route order. */
function systemsHolding(state: ReceivedDossier): InteragencySystem[] {
  const systems: InteragencySystem[] = [];
  for (const step of state.steps) if (step.status === 'active' && step.system !== undefined && !systems.includes(step.system)) systems.push(step.system);
  return systems;
}
