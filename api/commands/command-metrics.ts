// The commands' Prometheus metrics (registered in the process's registry, platform/metrics.ts),
// counted where every command is answered: sendDossierCommand, startReception and receiveDossier's
// checks, sendFeedbackCommand and receiveFeedback. So a command from a route, the portal's intake
// or the national PAKN inbox counts once, in the process that sent it.
// - motcua_commands_total{command,outcome}: by command type and outcome: accepted; refused (by a
//   rule, or its dossier or item unknown: nothing recorded); failed (the service failed: Temporal
//   unreachable, say); timeout (no answer within the command timeout: its outcome is unknown);
// - motcua_command_refusals_total{code}: refusals by their catalogue code (api/error-catalogue.ts),
//   `not-found` for an unknown dossier or item, `other` for a refusal without a code;
// - motcua_command_seconds{outcome}: from sending to the answer.
// Labels are bounded: a command type or code the engine does not know is counted as `other`.
import { Counter, Histogram } from 'prom-client';
import { lifecycleCommandSchema } from '../../domain/dossier/commands.js';
import { feedbackCommandSchema } from '../../domain/feedback/commands.js';
import { metricsRegistry } from '../../platform/metrics.js';
import { ERROR_CODES } from '../error-catalogue.js';
import type { ProblemAnswer } from '../problem-details.js';
import { CommandNotAnswered } from '../workflow-answer-wait.js';

/** Every command type the engine takes: a dossier's reception and lifecycle commands, a feedback item's. */
export const COMMAND_TYPES: readonly string[] = [
  'ReceiveDossier',
  ...lifecycleCommandSchema.options.map((option) => option.shape.type.value),
  ...feedbackCommandSchema.options.map((option) => option.shape.type.value),
];
export const COMMAND_OUTCOMES = ['accepted', 'refused', 'failed', 'timeout'] as const;
export type CommandMetricOutcome = (typeof COMMAND_OUTCOMES)[number];
/** The refusal codes' label values besides the catalogue's codes. */
export const REFUSAL_CODE_EXTRAS = ['not-found', 'other'] as const;

/** A command's answer: tens of milliseconds, up to the command timeout (20 s by default). */
export const COMMAND_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];

const commands = new Counter({
  name: 'motcua_commands_total',
  help: 'Commands sent to dossiers and feedback items, by command type and outcome (accepted, refused, failed, timeout)',
  labelNames: ['command', 'outcome'] as const,
  registers: [metricsRegistry],
});

const refusals = new Counter({
  name: 'motcua_command_refusals_total',
  help: 'Refused commands by the code of the rule that refused them (not-found: no such dossier or item)',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

const seconds = new Histogram({
  name: 'motcua_command_seconds',
  help: 'Seconds from sending a command to its answer, by outcome',
  labelNames: ['outcome'] as const,
  buckets: COMMAND_BUCKETS,
  registers: [metricsRegistry],
});

const knownCodes: ReadonlySet<string> = new Set(ERROR_CODES);
const knownTypes: ReadonlySet<string> = new Set(COMMAND_TYPES);

/** One command answered: its type, outcome, refusal code (refused only) and seconds. */
export function recordCommand(command: string, outcome: CommandMetricOutcome, elapsedSeconds: number, refusalCode?: string): void {
  commands.inc({ command: knownTypes.has(command) ? command : 'other', outcome });
  if (outcome === 'refused') refusals.inc({ code: refusalCode === 'not-found' || (refusalCode !== undefined && knownCodes.has(refusalCode)) ? refusalCode : 'other' });
  if (Number.isFinite(elapsedSeconds)) seconds.observe({ outcome }, Math.max(0, elapsedSeconds));
}

/** What the command paths answer: accepted, refused with a problem, or unknown. */
type Answered = { readonly kind: 'refused'; readonly problem: ProblemAnswer } | { readonly kind: 'unknown-dossier' | 'unknown-feedback' } | { readonly kind: 'answered' | 'received' };

/** Runs one command path and counts its outcome (a throw is failed or timeout, and is thrown on). */
export async function counted<T extends Answered>(command: string, send: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  try {
    const outcome = await send();
    if (outcome.kind === 'refused') recordCommand(command, 'refused', elapsed(), outcome.problem.code ?? 'other');
    else if (outcome.kind === 'unknown-dossier' || outcome.kind === 'unknown-feedback') recordCommand(command, 'refused', elapsed(), 'not-found');
    else recordCommand(command, 'accepted', elapsed());
    return outcome;
  } catch (error) {
    recordCommand(command, error instanceof CommandNotAnswered ? 'timeout' : 'failed', elapsed());
    throw error;
  }
}
