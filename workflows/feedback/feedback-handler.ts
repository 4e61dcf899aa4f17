import { ActivityFailure, ApplicationFailure, log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { AppendFeedbackEventsInput, AppendFeedbackEventsResult, FeedbackEventActivities } from '../../activities/feedback-events.js';
import type { FeedbackCommand } from '../../domain/feedback/commands.js';
import { decideFeedback } from '../../domain/feedback/decide-feedback.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';
import { evolveFeedback, type FeedbackCommandOutcome, type FeedbackState, newFeedback } from '../../domain/feedback/feedback-state.js';
import { domainFailure } from '../dossier/decision.js';
import { logIsAhead } from '../dossier/event-append.js';
import type { CarriedFeedback } from './messages.js';

// A feedback item's commands, each an Update, decided one at a time against the state their
// predecessors left, as the dossier's are (workflows/dossier/command-handler.ts): the validator runs
// the rules so a refused command leaves no trace in history; the handler decides, appends, folds,
// and keeps the outcome for a retried command. A run behind the log (a reception retried after its
// run ended, an operator's reset) catches up from the log and answers with what the log holds.

const { appendFeedbackEvents, readFeedbackEvents } = proxyActivities<FeedbackEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '15 seconds' },
});
// First in the worker that decided (no trip through Temporal's matching), as the dossier's appends.
const { appendFeedbackEvents: appendInWorker } = proxyLocalActivities<FeedbackEventActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 3 },
});

async function append(request: AppendFeedbackEventsInput): Promise<AppendFeedbackEventsResult> {
  try {
    return await appendInWorker(request);
  } catch (error) {
    if (logIsAhead(error)) throw error;
    return appendFeedbackEvents(request);
  }
}

/** Outcomes of this many latest commands are kept to answer retries, across continue-as-new. */
const RECENT_OUTCOMES = 200;
const CATCH_UP_PAGE = 100;

export class FeedbackCommandHandler {
  state: FeedbackState;
  streamVersion: number;
  readonly #recent: Map<string, FeedbackCommandOutcome>;
  readonly #oneAtATime = new Mutex();

  constructor(
    readonly feedbackId: string,
    carried: CarriedFeedback | undefined,
  ) {
    this.state = carried?.state ?? newFeedback(feedbackId);
    this.streamVersion = carried?.streamVersion ?? 0;
    this.#recent = new Map(carried?.recent ?? []);
  }

  readonly handle = async (command: FeedbackCommand): Promise<FeedbackCommandOutcome> => {
    return this.#oneAtATime.runExclusive(async () => {
      for (let tries = 1; ; tries += 1) {
        const earlier = this.#recent.get(command.commandId);
        if (earlier) return earlier;
        try {
          return await this.#decideAndAppend(command);
        } catch (error) {
          if (tries >= 3 || !logIsAhead(error)) throw error;
          const before = this.streamVersion;
          const found = (await this.#catchUp()).get(command.commandId);
          if (found) return found;
          if (this.streamVersion === before) throw error;
        }
      }
    });
  };

  readonly validate = (command: FeedbackCommand): void => {
    // A run started from the log for a command (api/commands/send-feedback-command.ts) has not read
    // it yet: the handler catches up first, then decides (a refusal then shows as a failed update).
    if (this.#behindTheLog(command)) return;
    if (!this.#recent.has(command.commandId)) decideOrFail(this.state, this.streamVersion, command, new Date().toISOString());
  };

  /** Folds what the log holds beyond this run before any command is decided. */
  resumeFromLog(): Promise<unknown> {
    return this.#oneAtATime.runExclusive(() => this.#catchUp());
  }

  get idle(): boolean {
    return !this.#oneAtATime.isLocked();
  }

  carried(syncedVersion: number): CarriedFeedback {
    return { state: this.state, streamVersion: this.streamVersion, recent: [...this.#recent], syncedVersion };
  }

  #behindTheLog(command: FeedbackCommand): boolean {
    return this.state.status === 'none' && command.type !== 'ReceiveFeedback';
  }

  async #decideAndAppend(command: FeedbackCommand): Promise<FeedbackCommandOutcome> {
    if (this.#behindTheLog(command)) {
      const found = (await this.#catchUp()).get(command.commandId);
      if (found) return found;
    }
    const now = new Date().toISOString();
    const events = decideOrFail(this.state, this.streamVersion, command, now);
    let globalPositions: readonly number[] = [];
    if (events.length > 0) {
      const appended = await append({
        feedbackId: this.feedbackId,
        expectedVersion: this.streamVersion,
        events: events.map((event) => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: { actor: command.actor, commandId: command.commandId }, occurredAt: now })),
      });
      for (const event of events) this.state = evolveFeedback(this.state, event);
      this.streamVersion = appended.streamVersion;
      globalPositions = appended.globalPositions;
    }
    const outcome: FeedbackCommandOutcome = { feedbackId: this.feedbackId, streamVersion: this.streamVersion, status: this.state.status, events: events.map((event) => event.type), globalPositions };
    this.#remember(command.commandId, outcome);
    return outcome;
  }

  async #catchUp(): Promise<Map<string, FeedbackCommandOutcome>> {
    const found = new Map<string, FeedbackCommandOutcome>();
    const from = this.streamVersion;
    try {
      for (;;) {
        const logged = await readFeedbackEvents({ feedbackId: this.feedbackId, afterVersion: this.streamVersion, limit: CATCH_UP_PAGE });
        // Events of one command are consecutive: its outcome is the state after its last one.
        const byCommand = new Map<string, { events: FeedbackEvent['type'][]; positions: number[] }>();
        for (const entry of logged) {
          if (entry.streamVersion !== this.streamVersion + 1) throw new Error(`the log skips from version ${this.streamVersion} to ${entry.streamVersion}`);
          this.state = evolveFeedback(this.state, entry.event);
          this.streamVersion = entry.streamVersion;
          if (entry.commandId === undefined) continue;
          const seen = byCommand.get(entry.commandId) ?? { events: [], positions: [] };
          seen.events.push(entry.event.type);
          seen.positions.push(entry.globalPosition);
          byCommand.set(entry.commandId, seen);
          const outcome = { feedbackId: this.feedbackId, streamVersion: this.streamVersion, status: this.state.status, events: [...seen.events], globalPositions: [...seen.positions] };
          this.#remember(entry.commandId, outcome);
          found.set(entry.commandId, outcome);
        }
        if (logged.length < CATCH_UP_PAGE) break;
      }
    } catch (error) {
      if (error instanceof ApplicationFailure || error instanceof ActivityFailure) throw error;
      throw ApplicationFailure.nonRetryable(`catching up feedback item ${this.feedbackId} with its event log failed: ${String(error)}`, 'CATCH_UP_FAILED');
    }
    if (this.streamVersion !== from) log.warn('the event log was ahead of this feedback run; caught up', { feedbackId: this.feedbackId, fromVersion: from, toVersion: this.streamVersion });
    return found;
  }

  #remember(commandId: string, outcome: FeedbackCommandOutcome): void {
    this.#recent.set(commandId, outcome);
    if (this.#recent.size > RECENT_OUTCOMES) this.#recent.delete(this.#recent.keys().next().value!);
  }
}

/** The command's events, or (refused) a non-retryable failure whose type is the rule's stable code. */
export function decideOrFail(state: FeedbackState, streamVersion: number, command: FeedbackCommand, now: string): readonly FeedbackEvent[] {
  if (command.expectedStreamVersion !== undefined && command.expectedStreamVersion !== streamVersion) {
    throw domainFailure({
      code: 'STREAM_VERSION_MISMATCH',
      message: `Feedback item ${state.feedbackId} is at version ${streamVersion}, not ${command.expectedStreamVersion} as the command expected: someone changed it since you read it. Read it again and decide anew.`,
      rule: 'Optimistic concurrency on the item stream (If-Match)',
    });
  }
  const decision = decideFeedback(state, command, { now });
  if (!decision.ok) throw domainFailure(decision.error);
  return decision.events;
}
