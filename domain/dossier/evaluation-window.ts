// Where a dossier stands for the applicant's evaluation, as the public lookup tells it: the same
// rule the decider applies (domain/dossier/decide-evaluation.ts evaluationPreconditions; docs/rules.md#one-evaluation).
import { EVALUATION_WINDOW_MS } from './state.js';

export type EvaluationWindow =
  /** The dossier is not finished yet: the evaluation opens when it is. */
  | { readonly state: 'not-yet-open' }
  | { readonly state: 'open'; readonly until: number }
  | { readonly state: 'recorded' }
  /** Finished more than the window ago without an evaluation. */
  | { readonly state: 'closed'; readonly until: number };

/** From the instant the dossier closed (epoch ms, absent while open), whether it is evaluated, and now. */
export function evaluationWindow(closedAt: number | undefined, evaluated: boolean, now: number): EvaluationWindow {
  if (evaluated) return { state: 'recorded' };
  if (closedAt === undefined) return { state: 'not-yet-open' };
  const until = closedAt + EVALUATION_WINDOW_MS;
  return now < until ? { state: 'open', until } : { state: 'closed', until };
}
