// The one path of a feedback item's (PAKN) commands from the API and the national PAKN inbox to the
// item's workflow (workflows/feedback.ts): `receiveFeedback` allocates the item's id and opens it
// with update-with-start; `sendFeedbackCommand` sends every later command as an Update and waits for
// its answer. A refusal comes back as the same problem the dossier's commands answer with. Routes
// only turn the outcome into HTTP (docs/feedback.md#sending-commands).
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import type { CalendarAmendment } from '../../domain/calendar/calendar-schemas.js';
import { compareCalendarVersions, holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { storedCalendarAmendments } from '../../db/calendar-amendments.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { FeedbackCommandOfType } from '../../domain/feedback/commands.js';
import { DEFAULT_FEEDBACK_LIMITS } from '../../domain/feedback/commands.js';
import { FEEDBACK_UNIT_PATTERN } from '../../domain/feedback/feedback-id.js';
import type { FeedbackCommandOutcome } from '../../domain/feedback/feedback-state.js';
import { findAgency } from '../../db/catalogue.js';
import { allocateFeedbackId, findFeedback } from '../../db/feedback/feedback-queries.js';
import type { Database } from '../../db/schema.js';
import { feedbackCommandUpdate, type FeedbackLifecycleCommand, feedbackWorkflow, feedbackWorkflowId, receiveFeedbackUpdate } from '../../workflows/feedback.js';
import { domainRefusalIn, type ProblemAnswer, refusalProblem, ruleRefused } from '../problem-details.js';
import { answeredWithin } from '../workflow-answer-wait.js';
import { counted } from './command-metrics.js';

export interface FeedbackCommandDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  /** The request's logger: its lines name the item and the command, never the sender. */
  readonly log: FastifyBaseLogger;
}

/** A command as its sender gives it. A transfer's `outside` is set here from the agency catalogue (a sender's value is replaced). */
export type FeedbackCommandRequest = FeedbackLifecycleCommand;

export type FeedbackCommandResult =
  | { readonly kind: 'answered'; readonly answer: FeedbackCommandOutcome }
  | { readonly kind: 'unknown-feedback' }
  /** Refused by a rule; nothing was recorded. */
  | { readonly kind: 'refused'; readonly problem: ProblemAnswer };

/**
 * Sends a command to its feedback item and waits for the answer. Failures of the service itself (no
 * answer in time: `CommandNotAnswered`; Temporal unreachable) are thrown, for the API's error handler.
 */
export function sendFeedbackCommand(deps: FeedbackCommandDeps, command: FeedbackCommandRequest): Promise<FeedbackCommandResult> {
  return counted(command.type, () => sendUncounted(deps, command));
}

async function sendUncounted(deps: FeedbackCommandDeps, command: FeedbackCommandRequest): Promise<FeedbackCommandResult> {
  const { db, log } = deps;
  const summary = await findFeedback(db, command.feedbackId);
  if (!summary) return { kind: 'unknown-feedback' };
  let sent: FeedbackLifecycleCommand = command;
  if (sent.type === 'TransferFeedback') {
    // Within the engine's catalogue the item moves to that unit; any other body is outside it.
    const known = await findAgency(db, sent.toAgencyCode);
    sent = { ...sent, outside: known === undefined, ...(known && sent.toAgencyName === undefined ? { toAgencyName: known.name } : {}) };
  }
  try {
    const answer = await update(deps, sent);
    log.info({ feedbackId: command.feedbackId, command: command.type, streamVersion: answer.streamVersion }, 'feedback command accepted');
    return { kind: 'answered', answer };
  } catch (error) {
    const refusal = domainRefusalIn(error);
    if (refusal) return { kind: 'refused', problem: refusalProblem(refusal) };
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // The item's run has ended (it is published, refused or sent away): a run started from its log
    // takes the command (the national system's reactions to a published answer, say) and the rules
    // answer it; the run ends again once it is idle.
    log.info({ feedbackId: command.feedbackId, command: command.type }, 'a feedback item whose run has ended: started again from its log');
    try {
      const answer = await answeredWithin(deps.temporal, deps.commandTimeoutMs, { dossierCode: command.feedbackId, reception: false }, () =>
        deps.temporal.workflow.executeUpdateWithStart(feedbackCommandUpdate, {
          args: [sent],
          updateId: sent.commandId,
          startWorkflowOperation: new WithStartWorkflowOperation(feedbackWorkflow, {
            workflowId: feedbackWorkflowId(sent.feedbackId),
            taskQueue: deps.taskQueue,
            args: [{ feedbackId: sent.feedbackId, resumeFromLog: true }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        }),
      );
      return { kind: 'answered', answer };
    } catch (second) {
      const refused = domainRefusalIn(second);
      if (refused) return { kind: 'refused', problem: refusalProblem(refused) };
      throw second;
    }
  }
}

function update(deps: FeedbackCommandDeps, command: FeedbackLifecycleCommand): Promise<FeedbackCommandOutcome> {
  const handle = deps.temporal.workflow.getHandle(feedbackWorkflowId(command.feedbackId));
  return answeredWithin(deps.temporal, deps.commandTimeoutMs, { dossierCode: command.feedbackId, reception: false }, () => handle.executeUpdate(feedbackCommandUpdate, { args: [command], updateId: command.commandId }));
}

/** What the sender gives: the reception's fields, without what the engine allocates or pins. */
export type FeedbackIntakeRequest = Omit<FeedbackCommandOfType<'ReceiveFeedback'>, 'type' | 'commandId' | 'actor' | 'feedbackId' | 'expectedStreamVersion' | 'calendarVersion' | 'calendarAmendments' | 'limits' | 'sentAt'> & {
  /** When the citizen sent it; staff entering a paper, phone or e-mail item give the date on it. Default: now. */
  readonly sentAt?: string;
};

export interface FeedbackIntake {
  readonly request: FeedbackIntakeRequest;
  /**
   * Who receives it: the citizen (`{ userId: 'citizen:public-form', role: 'citizen', agencyCode }`,
   * channel `online-form`), staff on the citizen's behalf (reception or head of the unit), or the
   * national PAKN inbox (`{ userId: 'pakn:national', role: 'system', agencyCode }`, channel `national-pakn`).
   */
  readonly actor: Actor;
  /**
   * What makes a retry the same item: e.g. `national/<externalId>`, or `<caller>/<Idempotency-Key>`.
   * Under the same key the id is allocated once and the reception is decided once. Without one every
   * call receives a new item.
   */
  readonly intakeKey?: string;
  /** The command (and Temporal update) id; default `feedback/<intakeKey>`, or a random one without a key. */
  readonly commandId?: string;
}

export type ReceiveFeedbackResult =
  | { readonly kind: 'received'; readonly feedbackId: string; readonly answer: FeedbackCommandOutcome }
  /** Refused by a rule; nothing was recorded (an id may have been spent: ids are not reused). */
  | { readonly kind: 'refused'; readonly problem: ProblemAnswer };

/**
 * Receives a feedback item: checks the unit against the catalogue, allocates its id
 * (`PAKN-<unit>-<YYMMDD>-<NNNN>`, once per intake key), pins the calendar version and the four
 * limits in force, and starts the item's workflow with the reception as its first Update.
 */
export function receiveFeedback(deps: FeedbackCommandDeps, intake: FeedbackIntake): Promise<ReceiveFeedbackResult> {
  return counted('ReceiveFeedback', () => receiveUncounted(deps, intake));
}

async function receiveUncounted(deps: FeedbackCommandDeps, { request, actor, intakeKey, commandId }: FeedbackIntake): Promise<ReceiveFeedbackResult> {
  const unit = FEEDBACK_UNIT_PATTERN.test(request.agencyCode) ? await findAgency(deps.db, request.agencyCode) : undefined;
  if (!unit) {
    return {
      kind: 'refused',
      problem: ruleRefused('UNKNOWN_FEEDBACK_UNIT', `No unit ${request.agencyCode} of the catalogue can receive feedback (a unit code has four groups, e.g. 000.01.01.H99); send the item to a unit of the catalogue or check the code.`, {
        rule: 'A feedback item is received by a unit of the catalogue (docs/feedback.md#receiving-an-item)',
        errors: [{ field: 'body.agencyCode', message: 'must be an agency of the catalogue' }],
      }),
    };
  }
  const now = new Date();
  const { feedbackId, receivedAt } = await allocateFeedbackId(deps.db, request.agencyCode, now, intakeKey);
  const command: FeedbackCommandOfType<'ReceiveFeedback'> = {
    ...request,
    type: 'ReceiveFeedback',
    commandId: commandId ?? (intakeKey ? `feedback/${intakeKey}` : `feedback/${randomUUID()}`),
    actor,
    feedbackId,
    sentAt: request.sentAt ?? receivedAt.toISOString(),
    attachments: request.attachments ?? [],
    ...(await pinnedCalendar(deps.db, receivedAt)),
    limits: { ...DEFAULT_FEEDBACK_LIMITS },
  };
  try {
    const answer = await answeredWithin(deps.temporal, deps.commandTimeoutMs, { dossierCode: feedbackId, reception: true }, () =>
      deps.temporal.workflow.executeUpdateWithStart(receiveFeedbackUpdate, {
        args: [command],
        updateId: command.commandId,
        startWorkflowOperation: new WithStartWorkflowOperation(feedbackWorkflow, {
          workflowId: feedbackWorkflowId(feedbackId),
          taskQueue: deps.taskQueue,
          args: [{ feedbackId }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
    );
    deps.log.info({ feedbackId, channel: request.channel, streamVersion: answer.streamVersion }, 'feedback received');
    return { kind: 'received', feedbackId, answer };
  } catch (error) {
    const refusal = domainRefusalIn(error);
    if (refusal) {
      deps.log.warn({ feedbackId, refusal: refusal.code }, 'feedback id spent on a refused reception; it has no item');
      return { kind: 'refused', problem: refusalProblem(refusal) };
    }
    throw error;
  }
}

/**
 * The civil-service calendar version in force at `at`, with the amendments loaded as data in force
 * then (db/calendar-amendments.ts), pinned on the item as a dossier's acceptance pins them
 * (api/commands/pin-acceptance.ts): a day off loaded by the operator counts on the item's clocks.
 */
async function pinnedCalendar(db: Kysely<Database>, at: Date): Promise<{ calendarVersion: string; calendarAmendments?: CalendarAmendment[] }> {
  const day = isoOfCivilDay(civilDayOfInstant(at.getTime()));
  const loaded = (await storedCalendarAmendments(db, VIETNAM_CIVIL_SERVICE_CALENDAR.id)).filter((amendment) => amendment.effectiveFrom <= day);
  const calendarVersion = [holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, at.getTime()).version, ...loaded.map((amendment) => amendment.version)].sort(compareCalendarVersions).at(-1)!;
  return { calendarVersion, ...(loaded.length > 0 ? { calendarAmendments: [...loaded] } : {}) };
}
