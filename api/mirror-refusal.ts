// The answer to anything that would act on a mirror of a dossier handled on a ministry's system: it
// takes no commands here (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere).
import { codedProblem, type ProblemAnswer } from './problem-details.js';

export function mirroredDossierProblem(dossierCode: string, system: string): ProblemAnswer {
  return codedProblem(
    'DOSSIER_MIRRORED',
    `Dossier ${dossierCode} is handled in ${system}; this is its read-only mirror, which takes no commands. Act there: its changes reach the mirror when ${system} pushes them. Nothing was recorded.`,
  );
}
