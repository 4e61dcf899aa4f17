// Zod-free on purpose: the decider imports it, and the workflow sandbox must not carry the
// catalogue's schemas (test/integration/workflow-replay.test.ts keeps zod out of the bundle).
import type { ProcedureVersion } from './procedure.js';

/**
 * Every agency a dossier of this procedure meets: the centre that received it, the competent body
 * and the agency of each step of the route, each once, in that order. Acceptance pins all of them
 * (their names and calendars), so the dossier's decisions never read the catalogue again.
 */
export function agenciesTakingPart(procedure: Pick<ProcedureVersion, 'competentAgencyCode' | 'route'>, receivingAgencyCode: string): string[] {
  return [...new Set([receivingAgencyCode, procedure.competentAgencyCode, ...procedure.route.stages.flatMap((stage) => stage.steps.map((step) => step.agencyCode))])];
}
