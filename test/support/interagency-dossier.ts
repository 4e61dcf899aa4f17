// A sample land dossier whose land and tax steps are carried out by their systems
// (docs/integrations.md#handing-steps-over), for the tests of what the engine hands over.
import type { AcceptDossier } from '../../domain/dossier/commands.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import { actor, CENTRE, completeComponents, DossierScenario, LAND_PROCEDURE, pinned } from './dossier-fixtures.js';

/** The route's steps and the systems that carry them out in these tests. */
export const LAND_SYSTEMS: Readonly<Record<string, InteragencySystem>> = { 'land-registration': 'land-registry', 'tax-assessment': 'tax', 'certificate-issuance': 'land-registry' };

/** The sample land procedure with its land and tax steps carried out by their systems. */
export function landPinned(): AcceptDossier['pinned'] {
  const base = pinned(LAND_PROCEDURE);
  return {
    ...base,
    procedure: {
      ...base.procedure,
      route: { ...base.procedure.route, stages: base.procedure.route.stages.map((stage) => ({ ...stage, steps: stage.steps.map((step) => (LAND_SYSTEMS[step.id] ? { ...step, system: LAND_SYSTEMS[step.id]! } : step)) })) },
    },
  };
}

/** Received, digitised and accepted: the commune's step (done in the engine) is in progress. */
export function landDossier(serial = 1): DossierScenario {
  const scenario = DossierScenario.received(LAND_PROCEDURE, '2026-03-02T08:30:00', serial);
  scenario.digitise('2026-03-02T08:40:00');
  scenario.play(scenario.command('AcceptDossier', actor('reception', CENTRE), { components: completeComponents(LAND_PROCEDURE), pinned: landPinned() }), '2026-03-02T08:45:00');
  return scenario;
}
