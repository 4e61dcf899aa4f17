import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { DocumentActivities } from '../activities/document-activities.js';
import type { AppendDossierEventsInput, AppendDossierEventsResult, DossierEventActivities } from '../activities/dossier-events.js';
import { documentsCalledFor, type DocumentRequest } from '../domain/documents/documents-called-for.js';
import { catchUp, type CommandOutcome } from '../domain/dossier/catch-up.js';
import { parseInstant } from '../domain/calendar/civil-day.js';
import type { DossierCommand, LifecycleCommand, ReceiveDossier } from '../domain/dossier/commands.js';
import { decideDossier } from '../domain/dossier/decide.js';
import { nextDeadlineAlert } from '../domain/dossier/deadline-alerts.js';
import type { DomainError } from '../domain/dossier/errors.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import { type DossierState, EVALUATION_WINDOW_MS, evolveDossier, isClosed, isFinal, issuedDocuments, newDossier } from '../domain/dossier/state.js';
import { DOSSIER_STATUS } from './search-attributes.js';

// The host of the dossier decider (../shared/architecture.md §2): one workflow per dossier, the only
// writer of its event stream. Each command arrives as an Update; its validator runs the rules so a
// refused command leaves no trace in history, and its handler appends the events and folds them.
// Between commands the workflow sleeps until the legal clock's next alert (due soon, overdue), which
// it raises through the same rules as a command of the system.

/** Invariant 1 of the architecture: one workflow per dossier, named after its code. */
export function dossierWorkflowId(dossierCode: string): string {
  return `dossier-${dossierCode}`;
}

/** Results of this many latest commands are kept to answer retries, across continue-as-new. */
const RECENT_RESULTS = 200;


export interface DossierWorkflowInput {
  readonly dossierCode: string;
  /** State carried over by continue-as-new, with the latest commands' results. */
  readonly carried?: {
    readonly state: DossierState;
    readonly streamVersion: number;
    readonly recent?: readonly (readonly [string, CommandResult])[];
    /** Documents called for and not yet recorded as issued. */
    readonly pendingDocuments?: readonly DocumentRequest[];
  };
  /** Continue as new after this many history events (Temporal's own suggestion otherwise). */
  readonly historyLimit?: number;
  /**
   * Started by an operator for a dossier whose run ended early (`npm run dossier:resume`): the run
   * folds the dossier's log before anything else, so its timers and documents carry on.
   */
  readonly resumeFromLog?: boolean;
}

/** A command's answer: what its decision did to the dossier. */
export type CommandResult = CommandOutcome;

export const receiveDossierUpdate = defineUpdate<CommandResult, [ReceiveDossier]>('receiveDossier');
export const dossierCommandUpdate = defineUpdate<CommandResult, [LifecycleCommand]>('dossierCommand');
export const dossierStateQuery = defineQuery<{ state: DossierState; streamVersion: number }>('dossierState');

const { appendDossierEvents } = proxyActivities<DossierEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '15 seconds',
  },
});

// The append runs first as a local activity, in the worker that decided it: no trip through
// Temporal's matching, and the update completes in the workflow task that accepted it. A worker that
// dies after the commit leaves the log ahead of the run, which the catch-up answers (the next
// worker decides again, conflicts, and finds the command's outcome in the log). Its retries are few
// and short, because they keep the workflow task open; a database that stays down is left to the
// remote append's patient retries.
const { appendDossierEvents: appendInWorker } = proxyLocalActivities<DossierEventActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 3 },
});

// Reading the log to catch up holds the dossier's lock: bounded, so a database that stays down fails
// the one command (its caller retries) rather than holding every later one.
const { readDossierEvents } = proxyActivities<DossierEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 6 },
});

/** Events read per page when catching up. */
const CATCH_UP_PAGE = 100;

// Rendering and signing retry until they succeed: a missing keystore is fixed by an operator, and the
// document is then issued with its original date, since it is built from the events alone.
const { issueDossierDocument } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The patch that added issued documents; histories recorded before it replay without them. */
const DOCUMENTS_PATCH = 'issue-documents';

/** The patch that catches up with a log that is ahead, instead of failing the command. */
const CATCH_UP_PATCH = 'catch-up-with-log';

/** The patch that moved the append into a local activity; older histories replay the remote one. */
const LOCAL_APPEND_PATCH = 'local-append';

/** Tries of one command against a log that keeps moving ahead; the log has one writer, so 2 suffice. */
const CATCH_UP_TRIES = 3;

export async function dossierWorkflow(input: DossierWorkflowInput): Promise<void> {
  let state: DossierState = input.carried?.state ?? newDossier(input.dossierCode);
  let streamVersion = input.carried?.streamVersion ?? 0;
  // Temporal answers a repeated update id with the first outcome, but only within one run; the
  // latest results travel through continue-as-new so a retried command still acts once.
  const recent = new Map<string, CommandResult>(input.carried?.recent ?? []);
  // Commands are decided one at a time against the state their predecessors left.
  const oneAtATime = new Mutex();
  const pendingDocuments: DocumentRequest[] = [...(input.carried?.pendingDocuments ?? [])];

  function remember(commandId: string, result: CommandResult): void {
    recent.set(commandId, result);
    if (recent.size > RECENT_RESULTS) recent.delete(recent.keys().next().value!);
  }

  /**
   * The log holds events this run has not seen (domain/dossier/catch-up.ts): fold them, remember
   * the outcomes of the commands that wrote them, and queue the documents they call for. Returns the
   * outcomes found, by command id, so a retried command gets its own even if `recent` overflowed.
   */
  async function catchUpWithLog(): Promise<Map<string, CommandResult>> {
    const found = new Map<string, CommandResult>();
    const from = streamVersion;
    try {
      for (;;) {
        const logged = await readDossierEvents({ dossierCode: input.dossierCode, afterVersion: streamVersion, limit: CATCH_UP_PAGE });
        if (logged.length === 0) break;
        const caught = catchUp(input.dossierCode, state, streamVersion, logged, { counts: issuedCounts(), waiting: pendingDocuments.map((request) => request.documentId) });
        state = caught.state;
        streamVersion = caught.streamVersion;
        for (const [commandId, outcome] of caught.outcomes) {
          remember(commandId, outcome);
          found.set(commandId, outcome);
        }
        if (patched(DOCUMENTS_PATCH)) pendingDocuments.push(...caught.documents);
        if (logged.length < CATCH_UP_PAGE) break;
      }
    } catch (error) {
      // A fold that throws (a gap, an event the rules cannot apply) must fail this command, not
      // every workflow task of the dossier: a plain error in a handler would do the latter.
      if (error instanceof ApplicationFailure || error instanceof ActivityFailure) throw error;
      throw ApplicationFailure.nonRetryable(`catching up dossier ${input.dossierCode} with its event log failed: ${String(error)}`, 'CATCH_UP_FAILED');
    }
    if (streamVersion === from) return found;
    // Documents the log shows issued no longer wait (the one being issued finishes on its own).
    const issued = new Set(issuedDocuments(state));
    for (let index = pendingDocuments.length - 1; index >= (issuing ? 1 : 0); index -= 1) {
      if (issued.has(pendingDocuments[index]!.documentId)) pendingDocuments.splice(index, 1);
    }
    if (state.status !== 'none') upsertSearchAttributes([{ key: DOSSIER_STATUS, value: state.status }]);
    log.warn('the event log was ahead of this workflow run; caught up', { dossierCode: input.dossierCode, fromVersion: from, toVersion: streamVersion });
    return found;
  }

  /** The read model (committed with the events) has seen a later version than this run. */
  function behindTheLog(command: DossierCommand): boolean {
    return (command.loggedVersion ?? 0) > streamVersion || (command.expectedStreamVersion ?? 0) > streamVersion;
  }

  async function handle(command: DossierCommand): Promise<CommandResult> {
    return oneAtATime.runExclusive(async () => {
      if (behindTheLog(command) && patched(CATCH_UP_PATCH)) {
        const found = (await catchUpWithLog()).get(command.commandId);
        if (found) return found;
      }
      for (let tries = 1; ; tries += 1) {
        const earlier = recent.get(command.commandId);
        if (earlier) return earlier;
        try {
          return await decideAndAppend(command);
        } catch (error) {
          if (tries >= CATCH_UP_TRIES || !logIsAhead(error) || !patched(CATCH_UP_PATCH)) throw error;
          const before = streamVersion;
          const found = (await catchUpWithLog()).get(command.commandId);
          if (found) return found;
          // The append conflicted, yet the log holds nothing beyond this run: the log is behind the
          // run (PostgreSQL restored from an older backup, say). Deciding again cannot help.
          if (streamVersion === before) throw error;
        }
      }
    });
  }

  async function decideAndAppend(command: DossierCommand): Promise<CommandResult> {
    const now = new Date().toISOString();
    const events = decideOrFail(state, streamVersion, command, now);
    const appended = await append({
      dossierCode: input.dossierCode,
      expectedVersion: streamVersion,
      events: events.map((event) => ({
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: { actor: command.actor, commandId: command.commandId },
        occurredAt: now,
      })),
    });
    const firstVersion = streamVersion + 1;
    for (const event of events) state = evolveDossier(state, event);
    streamVersion = appended.streamVersion;
    if (patched(DOCUMENTS_PATCH)) pendingDocuments.push(...documentsCalledFor(input.dossierCode, events, firstVersion, issuedCounts()));
    if (state.status !== 'none') upsertSearchAttributes([{ key: DOSSIER_STATUS, value: state.status }]);
    const result: CommandResult = {
      dossierCode: input.dossierCode,
      streamVersion,
      status: state.status,
      events: events.map((event) => event.type),
      globalPositions: appended.globalPositions,
    };
    remember(command.commandId, result);
    return result;
  }

  // A run behind the log cannot judge the command until it has caught up: the handler does that
  // first, then decides (a refusal then shows in history as a failed update).
  const validator = (command: DossierCommand) => {
    if (!recent.has(command.commandId) && !behindTheLog(command)) decideOrFail(state, streamVersion, command, new Date().toISOString());
  };
  setHandler(receiveDossierUpdate, handle, { validator });
  setHandler(dossierCommandUpdate, handle, { validator });
  setHandler(dossierStateQuery, () => ({ state, streamVersion }));

  /** Documents of each kind already recorded or waiting, so the next one gets the next number. */
  function issuedCounts(): Partial<Record<DocumentRequest['kind'], number>> {
    const counts: Partial<Record<DocumentRequest['kind'], number>> = {};
    const ids = [...issuedDocuments(state), ...pendingDocuments.map((request) => request.documentId)];
    for (const id of new Set(ids)) {
      const kind = id.split('/')[1] as DocumentRequest['kind'];
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return counts;
  }

  // Documents are issued beside the main loop, so a slow or failing signer never holds back the
  // legal clock's alerts or the commands: each is rendered and signed by an activity, then
  // recorded through the rules like any command of the system.
  let issuing = false;
  async function issueDocuments(): Promise<void> {
    issuing = true;
    try {
      while (pendingDocuments.length > 0) {
        const request = pendingDocuments[0]!;
        try {
          const issued = await issueDossierDocument({ dossierCode: input.dossierCode, ...request });
          await handle({
            type: 'RecordDocumentIssued',
            commandId: `${workflowInfo().workflowId}/document/${request.documentId}`,
            dossierCode: input.dossierCode,
            actor: { userId: 'document-issuer', role: 'system', agencyCode: issued.issuerAgencyCode },
            ...issued,
          }).catch(ignoreAlreadyRecorded);
          pendingDocuments.shift();
        } catch (error) {
          // Never left unobserved: a failure here must not fail the workflow's tasks (and so every
          // command). The request stays first in line and is tried again after a pause.
          log.error('document not issued; trying again in a minute', { documentId: request.documentId, error: String(error) });
          await sleep('1 minute');
        }
      }
    } finally {
      issuing = false;
    }
  }

  // Resumed by an operator: the log first. A database that is down must not end the run it was
  // started to be, so the catch-up is tried again until it works.
  while (input.resumeFromLog && !input.carried) {
    try {
      await oneAtATime.runExclusive(catchUpWithLog);
      break;
    } catch (error) {
      log.error('resuming from the log failed; trying again in a minute', { dossierCode: input.dossierCode, error: String(error) });
      await sleep('1 minute');
    }
  }

  for (;;) {
    if (pendingDocuments.length > 0 && !issuing) void issueDocuments();
    if (isFinal(state)) break;
    const seen = streamVersion;
    const now = Date.now();
    if (isClosed(state)) {
      // Only the applicant's evaluation can still come; wait for it, for a while.
      const closedAt = state.status !== 'none' && state.closedAt ? parseInstant(state.closedAt) : now;
      const left = closedAt + EVALUATION_WINDOW_MS - now;
      if (left <= 0 || !(await condition(() => streamVersion !== seen, left))) break;
      continue;
    }
    const alert = nextDeadlineAlert(state, new Date(now).toISOString());
    const changed = alert
      ? await condition(() => streamVersion !== seen || historyIsLong(input), Math.max(1, parseInstant(alert.at) - now))
      : await condition(() => streamVersion !== seen || historyIsLong(input));
    if (!changed && alert) {
      // The alert's moment came with no command in between: raise it through the rules.
      await handle({ ...alert.command, commandId: `${workflowInfo().workflowId}/alert/${streamVersion}`, dossierCode: input.dossierCode }).catch(ignoreAlertNotDue);
    }
    if (historyIsLong(input)) {
      // The document issuer's own appends take the same lock as the commands: none may be half done.
      await condition(() => allHandlersFinished() && !oneAtATime.isLocked());
      // A document being issued is carried over and issued again: the same events give the same bytes.
      await continueAsNew<typeof dossierWorkflow>({ ...input, carried: { state, streamVersion, recent: [...recent], pendingDocuments } });
    }
  }
  // A dossier's workflow lives until its lifecycle ends and its last documents are issued, then lets
  // any handler still running finish.
  if (pendingDocuments.length > 0 && !issuing) void issueDocuments();
  await condition(() => pendingDocuments.length === 0);
  await condition(allHandlersFinished);
}

/** Appends in the worker, then (the database still failing) through Temporal's retries. */
async function append(request: AppendDossierEventsInput): Promise<AppendDossierEventsResult> {
  if (!patched(LOCAL_APPEND_PATCH)) return appendDossierEvents(request);
  try {
    return await appendInWorker(request);
  } catch (error) {
    if (logIsAhead(error)) throw error;
    // The same request: if a local try committed after all, the remote one finds it stored.
    return appendDossierEvents(request);
  }
}

/** The append found versions taken that this run thought free: the log is ahead of the run. */
function logIsAhead(error: unknown): boolean {
  // A remote activity's failure arrives wrapped in an ActivityFailure; a local activity's, as the
  // activity threw it.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && (failure.type === 'StreamVersionConflict' || failure.type === 'EventContentConflict');
}

function ignoreAlreadyRecorded(error: unknown): void {
  // A document recorded before a continue-as-new, or by an earlier try of this command, is done.
  if (error instanceof ApplicationFailure && error.type === 'DOCUMENT_ALREADY_RECORDED') return;
  throw error;
}

function historyIsLong(input: DossierWorkflowInput): boolean {
  const info = workflowInfo();
  return input.historyLimit !== undefined ? info.historyLength >= input.historyLimit : info.continueAsNewSuggested;
}

function ignoreAlertNotDue(error: unknown): void {
  // Between choosing the alert and raising it a command may have moved the clock; the rules then
  // say the alert is not due, and the loop simply looks again.
  if (error instanceof ApplicationFailure && error.type === 'ALERT_NOT_DUE') return;
  throw error;
}

function decideOrFail(state: DossierState, streamVersion: number, command: DossierCommand, now: string): readonly DossierEvent[] {
  if (command.expectedStreamVersion !== undefined && command.expectedStreamVersion !== streamVersion) {
    throw domainFailure({
      code: 'STREAM_VERSION_MISMATCH',
      message: `Dossier ${state.dossierCode} is at version ${streamVersion}, not ${command.expectedStreamVersion} as the command expected: someone changed it since you read it. Read it again and decide anew.`,
      rule: 'Optimistic concurrency on the dossier stream (If-Match)',
    });
  }
  const decision = decideDossier(state, command, { now });
  if (!decision.ok) throw domainFailure(decision.error);
  return decision.events;
}

/** A refused command as the failure the API receives: type = the rule's stable code. */
function domainFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: true,
    details: [error],
  });
}
