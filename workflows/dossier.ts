import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { parseInstant } from '../domain/calendar/civil-day.js';
import { nextDeadlineAlert } from '../domain/dossier/deadline-alerts.js';
import { EVALUATION_WINDOW_MS, isClosed, isFinal } from '../domain/dossier/state.js';
import { CommandHandler } from './dossier/command-handler.js';
import { DocumentQueue } from './dossier/document-queue.js';
import { DossierCopy } from './dossier/dossier-copy.js';
import { dossierCommandUpdate, dossierStateQuery, type DossierWorkflowInput, receiveDossierUpdate } from './dossier/messages.js';

export { dossierCommandUpdate, dossierStateQuery, dossierWorkflowId, type DossierWorkflowInput, receiveDossierUpdate } from './dossier/messages.js';

// The host of the dossier decider (docs/architecture.md): one workflow per dossier, the only writer
// of its event stream. It receives each command as an Update, decides it by the rules, appends the
// events and folds them (dossier/command-handler.ts). Between commands it sleeps until the legal
// clock's next alert (due soon, overdue), which it raises through the same rules as a command of
// the system. The documents the events call for are issued beside it (dossier/document-queue.ts).
// When its history grows long it continues as new, carrying the dossier over.

export async function dossierWorkflow(input: DossierWorkflowInput): Promise<void> {
  const dossier = new DossierCopy(input.dossierCode, input.carried);
  // Each issued document is recorded through the rules like any command.
  const documents: DocumentQueue = new DocumentQueue(dossier, (command) => commands.handle(command), input.carried?.pendingDocuments);
  const commands = new CommandHandler(dossier, documents);
  setHandler(receiveDossierUpdate, commands.handle, { validator: commands.validate });
  setHandler(dossierCommandUpdate, commands.handle, { validator: commands.validate });
  setHandler(dossierStateQuery, () => ({ state: dossier.state, streamVersion: dossier.streamVersion }));

  // Resumed by an operator: the log first. A database that is down must not end the run it was
  // started to be, so the catch-up is tried again until it works.
  while (input.resumeFromLog && !input.carried) {
    try {
      await commands.resumeFromLog();
      break;
    } catch (error) {
      log.error('resuming from the log failed; trying again in a minute', { dossierCode: input.dossierCode, error: String(error) });
      await sleep('1 minute');
    }
  }

  for (;;) {
    documents.issueWaiting();
    if (isFinal(dossier.state)) break;
    const seen = dossier.streamVersion;
    const now = Date.now();
    if (isClosed(dossier.state)) {
      // Only the applicant's evaluation can still come; wait for it, for a while.
      const closedAt = dossier.state.status !== 'none' && dossier.state.closedAt ? parseInstant(dossier.state.closedAt) : now;
      const left = closedAt + EVALUATION_WINDOW_MS - now;
      if (left <= 0 || !(await condition(() => dossier.streamVersion !== seen, left))) break;
      continue;
    }
    const alert = nextDeadlineAlert(dossier.state, new Date(now).toISOString());
    const changed = alert
      ? await condition(() => dossier.streamVersion !== seen || historyIsLong(input), Math.max(1, parseInstant(alert.at) - now))
      : await condition(() => dossier.streamVersion !== seen || historyIsLong(input));
    if (!changed && alert) {
      // The alert's moment came with no command in between: raise it through the rules.
      await commands.handle({ ...alert.command, commandId: `${workflowInfo().workflowId}/alert/${dossier.streamVersion}`, dossierCode: input.dossierCode }).catch(ignoreAlertNotDue);
    }
    if (historyIsLong(input)) {
      // The document queue's records take the same lock as the commands: none may be half done.
      await condition(() => allHandlersFinished() && commands.idle);
      // A document being issued is carried over and issued again: the same events give the same bytes.
      await continueAsNew<typeof dossierWorkflow>({ ...input, carried: dossier.carried(documents.waiting) });
    }
  }
  // A dossier's workflow lives until its lifecycle ends and its last documents are issued, then lets
  // any handler still running finish.
  documents.issueWaiting();
  await condition(() => documents.waiting.length === 0);
  await condition(allHandlersFinished);
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
