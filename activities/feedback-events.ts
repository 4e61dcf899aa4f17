// Activities that write and read a feedback item's events (the stream id is the item's id), with
// its read model kept in the append's transaction (db/feedback/feedback-projection.ts). As the
// dossier's (activities/dossier-events.ts): a retried try whose events were already committed finds
// them stored and succeeds, so a worker that dies between the commit and reporting it never doubles an event.
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { appendToStream, type NewEvent, readStream, StreamVersionConflict } from '../db/event-store.js';
import { projectFeedbackReadModels } from '../db/feedback/feedback-projection.js';
import { asFeedbackEvent, type FeedbackEvent } from '../domain/feedback/events.js';
import type { Database } from '../db/schema.js';
import { failureOfAppend } from './append-failure.js';
import { timedAppend } from './timed-append.js';

export interface AppendFeedbackEventsInput {
  readonly feedbackId: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export interface AppendFeedbackEventsResult {
  readonly streamVersion: number;
  readonly globalPositions: readonly number[];
  readonly alreadyStored: boolean;
}

/** An item's event as the log holds it, for a run that must catch up. */
export interface LoggedFeedbackEvent {
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly commandId?: string;
  readonly event: FeedbackEvent;
}

export function createFeedbackEventActivities({ db }: { readonly db: Kysely<Database> }) {
  return {
    async appendFeedbackEvents(input: AppendFeedbackEventsInput): Promise<AppendFeedbackEventsResult> {
      try {
        const result = await timedAppend('feedback', () => appendToStream(db, input.feedbackId, input.expectedVersion, input.events, [projectFeedbackReadModels]));
        return { streamVersion: result.streamVersion, globalPositions: result.events.map((event) => event.globalPosition), alreadyStored: result.alreadyStored };
      } catch (error) {
        // The log refused the append for good (another writer, a stale run): the run catches up.
        if (error instanceof StreamVersionConflict) throw ApplicationFailure.nonRetryable(error.message, error.name);
        throw failureOfAppend(error);
      }
    },

    /** A page of the item's events after a version. */
    async readFeedbackEvents(input: { readonly feedbackId: string; readonly afterVersion: number; readonly limit: number }): Promise<LoggedFeedbackEvent[]> {
      const stored = await readStream(db, input.feedbackId, { afterVersion: input.afterVersion, limit: input.limit });
      return stored.map((event) => ({ streamVersion: event.streamVersion, globalPosition: event.globalPosition, ...(event.metadata.commandId !== undefined ? { commandId: event.metadata.commandId } : {}), event: asFeedbackEvent(event) }));
    },
  };
}

export type FeedbackEventActivities = ReturnType<typeof createFeedbackEventActivities>;
