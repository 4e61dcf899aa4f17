import { patched } from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import { documentsCalledFor } from '../../domain/documents/documents-called-for.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { evolveDossier } from '../../domain/dossier/state.js';
import { catchUpWithLog } from './catch-up-with-log.js';
import { decideOrFail } from './decision.js';
import type { DocumentQueue } from './document-queue.js';
import type { DossierCopy } from './dossier-copy.js';
import { appendEvents, logIsAhead } from './event-append.js';
import { CATCH_UP_PATCH, PLATFORM_PAYMENTS_PATCH } from './patches.js';

/**
 * The rules a recorded history was decided under, where they changed since: a staff online payment
 * replays as it was taken before the platform's confirmations (PLATFORM_PAYMENTS_PATCH).
 */
function rulesAsRecorded(command: DossierCommand): { readonly staffOnlinePaymentsAsBefore?: boolean } {
  const staffOnline = command.type === 'RecordPayment' && command.method === 'online' && command.actor.role !== 'interagency' && command.actor.role !== 'payment-platform';
  return staffOnline && !patched(PLATFORM_PAYMENTS_PATCH) ? { staffOnlinePaymentsAsBefore: true } : {};
}

/** Tries of one command against a log that keeps moving ahead; the log has one writer, so 2 suffice. */
const CATCH_UP_TRIES = 3;

/**
 * The dossier's commands, each an Update, decided one at a time against the state their
 * predecessors left. The validator runs the rules, so a refused command leaves no trace in history;
 * the handler decides, appends the events, folds them, and keeps the outcome for a retried command.
 */
export class CommandHandler {
  readonly #dossier: DossierCopy;
  readonly #documents: DocumentQueue;
  readonly #oneAtATime = new Mutex();

  constructor(dossier: DossierCopy, documents: DocumentQueue) {
    this.#dossier = dossier;
    this.#documents = documents;
  }

  readonly handle = async (command: DossierCommand): Promise<CommandOutcome> => {
    return this.#oneAtATime.runExclusive(async () => {
      if (this.#behindTheLog(command) && patched(CATCH_UP_PATCH)) {
        const found = (await catchUpWithLog(this.#dossier, this.#documents)).get(command.commandId);
        if (found) return found;
      }
      for (let tries = 1; ; tries += 1) {
        const earlier = this.#dossier.outcomeOf(command.commandId);
        if (earlier) return earlier;
        try {
          return await this.#decideAndAppend(command);
        } catch (error) {
          if (tries >= CATCH_UP_TRIES || !logIsAhead(error) || !patched(CATCH_UP_PATCH)) throw error;
          const before = this.#dossier.streamVersion;
          const found = (await catchUpWithLog(this.#dossier, this.#documents)).get(command.commandId);
          if (found) return found;
          // The append conflicted, yet the log holds nothing beyond this run: the log is behind the
          // run (PostgreSQL restored from an older backup, say). Deciding again cannot help.
          if (this.#dossier.streamVersion === before) throw error;
        }
      }
    });
  };

  // A run behind the log cannot judge the command until it has caught up: the handler does that
  // first, then decides (a refusal then shows in history as a failed update).
  readonly validate = (command: DossierCommand): void => {
    const dossier = this.#dossier;
    if (!dossier.outcomeOf(command.commandId) && !this.#behindTheLog(command)) decideOrFail(dossier.state, dossier.streamVersion, command, new Date().toISOString());
  };

  /** Folds what the log holds beyond this run before any command is decided: an operator's resume. */
  resumeFromLog(): Promise<unknown> {
    return this.#oneAtATime.runExclusive(() => catchUpWithLog(this.#dossier, this.#documents));
  }

  /** No command, nor a document's record, is half done. */
  get idle(): boolean {
    return !this.#oneAtATime.isLocked();
  }

  async #decideAndAppend(command: DossierCommand): Promise<CommandOutcome> {
    const dossier = this.#dossier;
    const now = new Date().toISOString();
    const events = decideOrFail(dossier.state, dossier.streamVersion, command, now, rulesAsRecorded(command));
    const appended = await appendEvents({
      dossierCode: dossier.dossierCode,
      expectedVersion: dossier.streamVersion,
      events: events.map((event) => ({
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: { actor: command.actor, commandId: command.commandId },
        occurredAt: now,
      })),
    });
    const firstVersion = dossier.streamVersion + 1;
    for (const event of events) dossier.state = evolveDossier(dossier.state, event);
    dossier.streamVersion = appended.streamVersion;
    this.#documents.callFor(documentsCalledFor(dossier.dossierCode, events, firstVersion, this.#documents.counts()));
    dossier.showStatus();
    const outcome: CommandOutcome = {
      dossierCode: dossier.dossierCode,
      streamVersion: dossier.streamVersion,
      status: dossier.state.status,
      events: events.map((event) => event.type),
      globalPositions: appended.globalPositions,
    };
    dossier.remember(command.commandId, outcome);
    return outcome;
  }

  /** The read model (committed with the events) has seen a later version than this run. */
  #behindTheLog(command: DossierCommand): boolean {
    return (command.loggedVersion ?? 0) > this.#dossier.streamVersion || (command.expectedStreamVersion ?? 0) > this.#dossier.streamVersion;
  }
}
