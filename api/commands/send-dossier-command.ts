// The one path of a lifecycle command from the API to its dossier: find the dossier, pin what an
// acceptance fixes, send the command to the dossier's workflow as an Update and wait for its
// answer, and settle what the workflow cannot answer itself (a run that has ended; a refusal of a
// command the log already holds). The route only turns the outcome into HTTP.
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { LifecycleCommand } from '../../domain/dossier/commands.js';
import { commandLoggedAfter, receptionLocality, workflowShouldRun } from '../../db/dossier-log-facts.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { streamVersionOf } from '../../db/event-store.js';
import type { Database, DossierSummaryRow } from '../../db/schema.js';
import { dossierCommandUpdate, dossierWorkflow, dossierWorkflowId } from '../../workflows/dossier.js';
import { dossierSearchAttributes } from '../../workflows/search-attributes.js';
import { codedProblem, domainRefusalIn, type ProblemAnswer, refusalProblem, ruleRefused } from '../problem-details.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import { answeredWithin } from '../workflow-answer-wait.js';
import { counted } from './command-metrics.js';
import { pinAcceptance } from './pin-acceptance.js';

export interface DossierCommandDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** Where a late dossier's ended run is started again for its apology or explanation. */
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  /** The request's logger: its lines name the route and the caller, never personal data. */
  readonly log: FastifyBaseLogger;
}

type OmitFromEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A lifecycle command as its sender gives it; the log's version and an acceptance's pins are added here. */
export type DossierCommandRequest = OmitFromEach<LifecycleCommand, 'loggedVersion' | 'pinned'>;

export type DossierCommandOutcome =
  | { readonly kind: 'answered'; readonly answer: CommandOutcome }
  | { readonly kind: 'unknown-dossier' }
  /** Refused by a rule, or not taken (the dossier's run has ended); nothing was recorded. */
  | { readonly kind: 'refused'; readonly problem: ProblemAnswer };

/**
 * Sends a command to its dossier and waits for the answer. Failures of the service itself (no
 * answer in time, Temporal unreachable) are thrown, for the API's error handler to answer.
 */
export function sendDossierCommand(deps: DossierCommandDeps, command: DossierCommandRequest): Promise<DossierCommandOutcome> {
  return counted(command.type, () => sendUncounted(deps, command));
}

async function sendUncounted(deps: DossierCommandDeps, command: DossierCommandRequest): Promise<DossierCommandOutcome> {
  const { db, log } = deps;
  const { dossierCode } = command;
  const summary = await findDossierSummary(db, dossierCode);
  if (!summary) return { kind: 'unknown-dossier' };
  // A mirror of a dossier handled on a ministry's system has no workflow and takes no command.
  if (summary.mirrored_from !== null) return refused(mirroredDossierProblem(dossierCode, summary.mirrored_from));
  let sent = { ...command, loggedVersion: summary.stream_version } as LifecycleCommand;
  if (sent.type === 'AcceptDossier') {
    const localityCode = await receptionLocality(db, dossierCode);
    const pinned = await pinAcceptance(db, { procedureCode: summary.procedure_code, receivingAgencyCode: summary.agency_code, localityCode }, new Date());
    if (!pinned) {
      return refused(ruleRefused('PROCEDURE_NOT_IN_FORCE', `No version of procedure ${summary.procedure_code} is in force today; load one into the catalogue (npm run catalogue:load).`));
    }
    if ('refused' in pinned) return refused(ruleRefused(pinned.refused.code, pinned.refused.message, { rule: pinned.refused.rule }));
    sent = { ...sent, pinned };
  }
  try {
    const answer = await update(deps, sent);
    log.info({ dossierCode, command: command.type, streamVersion: answer.streamVersion }, 'command accepted');
    return { kind: 'answered', answer };
  } catch (error) {
    const refusal = domainRefusalIn(error);
    if (refusal) {
      // Refused by a run that decided it anew after its events were committed (db/dossier-log-facts.ts):
      // send it again with the log's version, so the run catches up, finds the command in the
      // log and answers with what it did (queueing its documents and timers as it goes). A
      // refused update leaves nothing in history, so its id is free for the second try.
      const loggedAt = await commandLoggedAfter(db, dossierCode, command.commandId, summary.stream_version).catch(() => undefined);
      if (loggedAt === undefined) return refused(refusalProblem(refusal));
      log.warn({ dossierCode, command: command.type, refusal: refusal.code, loggedAt }, 'the workflow refused a command the log holds; sent again so its run catches up');
      return { kind: 'answered', answer: await update(deps, { ...sent, loggedVersion: await streamVersionOf(db, dossierCode) }) };
    }
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    if (await workflowShouldRun(db, dossierCode, summary.closed_at)) {
      // The dossier is open (or awaits its evaluation) but its workflow run has ended
      // (terminated by hand, say).
      log.error({ dossierCode, command: command.type }, 'an open dossier has no running workflow; resume it with npm run dossier:resume');
      return refused(
        codedProblem(
          'WORKFLOW_NOT_RUNNING',
          `Dossier ${dossierCode} is open or awaits its evaluation, but its workflow has ended, so it cannot take commands; nothing was recorded. An operator can resume it from its log (npm run dossier:resume -- ${dossierCode}, docs/operations.md); then send the command again.`,
          { rule: false },
        ),
      );
    }
    // So does the payment platform's confirmation: the platform took the money, so it is recorded
    // (with a refund due) even on a closed dossier whose run ended (docs/rules.md#payment-requests-and-online-payments).
    if (LATENESS_COMMANDS.has(sent.type) || (sent.type === 'RecordPayment' && sent.actor.role === 'payment-platform')) {
      // A late dossier's apology and explanation outlive its run, which ended with the evaluation or
      // the evaluation window (docs/lifecycle.md#the-two-apologies-and-the-explanation): a run
      // started from the log takes the command, and ends again once it is decided.
      log.info({ dossierCode, command: command.type }, 'a closed dossier whose run has ended: started again from its log for a lateness duty');
      return resumedFor(deps, summary, sent);
    }
    return refused(ruleRefused('DOSSIER_CLOSED', `Dossier ${dossierCode} is closed, and evaluated or past its evaluation window; nothing more can be recorded on it but a late dossier's apology for lateness and explanation.`));
  }
}

/** The commands a closed dossier's ended run is started again for. */
const LATENESS_COMMANDS: ReadonlySet<LifecycleCommand['type']> = new Set(['IssueLatenessApology', 'RecordLatenessExplanation']);

/**
 * Starts the dossier's run from its log with the command (update-with-start, so no other command
 * can come between), or gives it to a run another such command started meanwhile. The command
 * carries the log's version, so the new run catches up before the rules decide it.
 */
async function resumedFor(deps: DossierCommandDeps, summary: DossierSummaryRow, command: LifecycleCommand): Promise<DossierCommandOutcome> {
  const { temporal, taskQueue, commandTimeoutMs, log } = deps;
  const { dossierCode } = command;
  try {
    const answer = await answeredWithin(temporal, commandTimeoutMs, { dossierCode, reception: false }, () =>
      temporal.workflow.executeUpdateWithStart(dossierCommandUpdate, {
        args: [command],
        updateId: command.commandId,
        startWorkflowOperation: new WithStartWorkflowOperation(dossierWorkflow, {
          workflowId: dossierWorkflowId(dossierCode),
          taskQueue,
          args: [{ dossierCode, resumeFromLog: true }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: dossierSearchAttributes({ agencyCode: summary.agency_code, procedureCode: summary.procedure_code, status: summary.status }),
        }),
      }),
    );
    log.info({ dossierCode, command: command.type, streamVersion: answer.streamVersion }, 'command accepted');
    return { kind: 'answered', answer };
  } catch (error) {
    const refusal = domainRefusalIn(error);
    if (refusal) return refused(refusalProblem(refusal));
    throw error;
  }
}

function update(deps: DossierCommandDeps, command: LifecycleCommand): Promise<CommandOutcome> {
  const handle = deps.temporal.workflow.getHandle(dossierWorkflowId(command.dossierCode));
  return answeredWithin(deps.temporal, deps.commandTimeoutMs, { dossierCode: command.dossierCode, reception: false }, () => handle.executeUpdate(dossierCommandUpdate, { args: [command], updateId: command.commandId }));
}

function refused(problem: ProblemAnswer): DossierCommandOutcome {
  return { kind: 'refused', problem };
}
