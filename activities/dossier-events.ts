import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { appendToStream, EventContentConflict, type NewEvent, StreamVersionConflict } from '../db/event-store.js';
import { projectDossierSummary } from '../db/projections/dossier-summary.js';
import type { Database } from '../db/schema.js';

export interface AppendDossierEventsInput {
  readonly dossierCode: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export interface AppendDossierEventsResult {
  readonly streamVersion: number;
  readonly globalPositions: readonly number[];
  readonly alreadyStored: boolean;
}

/** Error types the workflow must not retry: the log refused the append for good. */
export const NON_RETRYABLE_APPEND_ERRORS = ['StreamVersionConflict', 'EventContentConflict'] as const;

export interface DossierEventActivitiesDeps {
  readonly db: Kysely<Database>;
}

/**
 * Activities that write a dossier's events. The stream id is the dossier code. A retried try whose
 * events were already committed finds them stored and succeeds, so a worker that dies between the
 * commit and reporting it never doubles an event.
 */
export function createDossierEventActivities({ db }: DossierEventActivitiesDeps) {
  return {
    async appendDossierEvents(input: AppendDossierEventsInput): Promise<AppendDossierEventsResult> {
      try {
        const result = await appendToStream(db, input.dossierCode, input.expectedVersion, input.events, [projectDossierSummary]);
        return {
          streamVersion: result.streamVersion,
          globalPositions: result.events.map((event) => event.globalPosition),
          alreadyStored: result.alreadyStored,
        };
      } catch (error) {
        if (error instanceof StreamVersionConflict || error instanceof EventContentConflict) {
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw error;
      }
    },
  };
}

export type DossierEventActivities = ReturnType<typeof createDossierEventActivities>;
