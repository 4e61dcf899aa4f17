// Applies the outside systems' answers kept in the inbox (docs/integrations.md#answers-from-the-systems),
// one lane (a system's answers about one dossier) at a time, in the system's `sequence` order
// (domain/interagency/answer-order.ts). Each answer becomes the command an officer of the step's
// body would have sent (domain/interagency/answer-command.ts), sent through the API's own path
// (api/commands/send-dossier-command.ts), so catch-up, refusals and the read model behave as for
// officers. What the dossier's rules refuse is kept as `refused` with the rule's code; what the
// service could not do (Temporal down, no answer in time) stays pending for the next sweep, and the
// lane stops there, since the next answer must not overtake it. The callback route calls applyLane
// right after storing; the relay's sweep (worker/interagency-inbox.ts) calls it for every lane waiting.
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { sendDossierCommand } from '../api/commands/send-dossier-command.js';
import { holdAnswers, type InboxRow, laneAnswers, recordApplyFailure, settleAnswer, withLaneLock } from '../db/interagency/answers.js';
import { commandLoggedAfter } from '../db/dossier-log-facts.js';
import { readStream } from '../db/event-store.js';
import type { Database } from '../db/schema.js';
import { foldDossier, isReceived, newDossier } from '../domain/dossier/state.js';
import { asDossierEvent } from '../domain/dossier/upcast.js';
import { commandOfAnswer } from '../domain/interagency/answer-command.js';
import { nextInLane } from '../domain/interagency/answer-order.js';
import type { InteragencySystem } from '../domain/interagency/systems.js';
import type { KeptAnswer } from '../integrations/interagency/answer-files.js';
import { recordInteragencyAnswer } from '../platform/metrics.js';

export interface AnswerApplierDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** The dossiers' task queue (a closed dossier's run is started again there for a lateness duty). */
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly log: FastifyBaseLogger;
  /** How long an answer waits for its predecessor, per system. */
  readonly holdMsOf: (system: InteragencySystem) => number;
  /** The clock (tests move it past a hold). */
  readonly now?: () => Date;
}

/** What became of an answer in this pass; answers not reached keep their stored status. */
export type LaneOutcome =
  | { readonly outcome: 'applied' }
  | { readonly outcome: 'refused' | 'duplicate'; readonly code: string; readonly message: string }
  | { readonly outcome: 'held' }
  /** Kept; to be applied by the sweep (the service failed, or another process holds the lane). */
  | { readonly outcome: 'stored' };

/** A lane applied as far as it can go now; undefined when another process is applying it. */
export async function applyLane(deps: AnswerApplierDeps, system: InteragencySystem, dossierCode: string): Promise<Map<string, LaneOutcome> | undefined> {
  const locked = await withLaneLock(deps.db, system, dossierCode, () => applyLocked(deps, system, dossierCode));
  return locked?.result;
}

async function applyLocked(deps: AnswerApplierDeps, system: InteragencySystem, dossierCode: string): Promise<Map<string, LaneOutcome>> {
  const { db, log } = deps;
  const outcomes = new Map<string, LaneOutcome>();
  const holdMs = deps.holdMsOf(system);
  // Each pass settles one answer; the lane is bounded, so is the loop.
  for (;;) {
    const rows = await laneAnswers(db, system, dossierCode);
    const step = nextInLane(rows, deps.now?.() ?? new Date(), holdMs);
    if (step.kind === 'idle') return outcomes;
    if (step.kind === 'hold') {
      await holdAnswers(db, system, step.answers.filter((row) => row.status !== 'held').map((row) => row.answerId));
      for (const row of step.answers) {
        if (row.status !== 'held') recordInteragencyAnswer(system, 'held');
        outcomes.set(row.answerId, { outcome: 'held' });
      }
      return outcomes;
    }
    if (step.kind === 'duplicate') {
      const message = `Sequence ${step.answer.sequence} of this dossier was already applied from answer ${step.of}; one sequence is one thing the system did, so this answer was kept and not applied.`;
      await settleAnswer(db, system, step.answer.answerId, { status: 'duplicate-content', code: 'INTERAGENCY_SEQUENCE_TAKEN', message });
      recordInteragencyAnswer(system, 'duplicate-content');
      outcomes.set(step.answer.answerId, { outcome: 'duplicate', code: 'INTERAGENCY_SEQUENCE_TAKEN', message });
      continue;
    }
    const answer = step.answer;
    if (step.late) log.warn({ system, answerId: answer.answerId, sequence: answer.sequence, dossierCode }, 'interagency answer applied without its predecessor (held past its hold, or arrived after its successors)');
    let outcome: LaneOutcome;
    try {
      outcome = await applyOne(deps, system, answer);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await recordApplyFailure(db, system, answer.answerId, reason);
      recordInteragencyAnswer(system, 'failed');
      log.warn({ system, answerId: answer.answerId, dossierCode, err: error }, 'interagency answer not applied now (the service failed); the sweep tries again');
      outcomes.set(answer.answerId, { outcome: 'stored' });
      return outcomes;
    }
    if (outcome.outcome === 'applied') await settleAnswer(db, system, answer.answerId, { status: 'applied' });
    else if (outcome.outcome === 'refused') await settleAnswer(db, system, answer.answerId, { status: 'refused', code: outcome.code, message: outcome.message });
    recordInteragencyAnswer(system, outcome.outcome === 'applied' ? 'applied' : 'refused');
    if (outcome.outcome === 'refused') log.info({ system, answerId: answer.answerId, dossierCode, code: outcome.code }, 'interagency answer refused by the dossier\'s rules; kept as refused');
    outcomes.set(answer.answerId, outcome);
  }
}

/** Sends one answer's command; a refusal of the rules is an outcome, a failure of the service is thrown. */
async function applyOne(deps: AnswerApplierDeps, system: InteragencySystem, row: InboxRow): Promise<LaneOutcome> {
  const { db } = deps;
  const body = row.body as KeptAnswer;
  // Applied before, and the process died before settling the row: the log holds its command, and
  // that is the answer's outcome, whatever the dossier became since (a run that ended, a closed
  // dossier must not turn an applied answer into a refused one).
  const loggedAt = await commandLoggedAfter(db, row.dossierCode, row.commandId, 0);
  if (loggedAt !== undefined) {
    deps.log.info({ system, answerId: row.answerId, dossierCode: row.dossierCode, streamVersion: loggedAt }, 'interagency answer found applied in the dossier\'s log; settled as applied');
    return { outcome: 'applied' };
  }
  const state = foldDossier(newDossier(row.dossierCode), (await readStream(db, row.dossierCode)).map(asDossierEvent));
  if (!isReceived(state)) return refused('DOSSIER_NOT_RECEIVED', `No dossier ${row.dossierCode} was received by this engine; the answer names a dossier it never handed over.`);
  const runs = state.steps.filter((candidate) => candidate.stepId === row.stepId);
  const latest = runs.at(-1);
  if (!latest) return refused('STEP_NOT_HANDED_TO_SYSTEM', `Dossier ${row.dossierCode} has no step ${row.stepId} started; the answer names a step the engine never handed to the ${system} system.`);
  // The officers' commands name no run: an answer for a run that has ended must not act on the new one.
  if (latest.run !== row.run) return refused('STEP_RUN_ENDED', `Run ${row.run} of step ${row.stepId} of dossier ${row.dossierCode} has ended; the step is now in run ${latest.run}, which the system was handed anew.`);
  const { file, ...answer } = body;
  const command = commandOfAnswer(system, answer, latest.agencyCode, file ? { file } : {});
  const sent = await sendDossierCommand({ db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: deps.log }, command);
  if (sent.kind === 'answered') return { outcome: 'applied' };
  if (sent.kind === 'unknown-dossier') return refused('DOSSIER_NOT_RECEIVED', `No dossier ${row.dossierCode} was received by this engine.`);
  // Not a rule: the dossier's run has ended by accident (an operator resumes it); tried again later.
  if (sent.problem.code === 'WORKFLOW_NOT_RUNNING') throw new Error(sent.problem.detail);
  return refused(sent.problem.code ?? 'RULE_REFUSED', sent.problem.detail);
}

const refused = (code: string, message: string): LaneOutcome => ({ outcome: 'refused', code, message });
