import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { appendToStream, type NewEvent, readStream, StreamVersionConflict } from '../db/event-store.js';
import { projectDossierReadModels } from '../db/projections/dossier-read-models.js';
import { componentFileIndexProjection } from '../db/projections/component-file-index.js';
import { applicantSearchProjection } from '../db/projections/applicant-search.js';
import { asDossierEvent } from '../domain/dossier/upcast.js';
import type { LoggedEvent } from '../domain/dossier/catch-up.js';
import type { Database } from '../db/schema.js';
import { failureOfAppend } from './append-failure.js';
import { timedAppend } from './timed-append.js';

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

export interface ReadDossierEventsInput {
  readonly dossierCode: string;
  /** Only events after this stream version. */
  readonly afterVersion: number;
  /** At most this many, so one answer stays far below Temporal's payload limit. */
  readonly limit: number;
}

export interface DossierEventActivitiesDeps {
  readonly db: Kysely<Database>;
  /**
   * The key of the applicant hash in the index of reusable files (MOTCUA_APPLICANT_KEY): with it,
   * each append also keeps that index (db/projections/component-file-index.ts) and the applicant
   * search's hash in the summary (db/projections/applicant-search.ts).
   */
  readonly applicantKey?: string;
}

/**
 * Activities that write a dossier's events. The stream id is the dossier code. A retried try whose
 * events were already committed finds them stored and succeeds, so a worker that dies between the
 * commit and reporting it never doubles an event.
 */
export function createDossierEventActivities({ db, applicantKey }: DossierEventActivitiesDeps) {
  // The applicant search's hash after the summary it updates (db/projections/applicant-search.ts).
  const projections = [projectDossierReadModels, ...(applicantKey ? [applicantSearchProjection(applicantKey), componentFileIndexProjection(applicantKey)] : [])];
  return {
    async appendDossierEvents(input: AppendDossierEventsInput): Promise<AppendDossierEventsResult> {
      try {
        const result = await timedAppend('dossier', () => appendToStream(db, input.dossierCode, input.expectedVersion, input.events, projections));
        return {
          streamVersion: result.streamVersion,
          globalPositions: result.events.map((event) => event.globalPosition),
          alreadyStored: result.alreadyStored,
        };
      } catch (error) {
        // The log refused the append for good: retrying cannot help. Anything else (a lost
        // connection, a database restart) is retried by the workflow's retry policy.
        if (error instanceof StreamVersionConflict) {
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw failureOfAppend(error);
      }
    },

    /** A page of the events the log holds after a version: what a workflow that fell behind must fold. */
    async readDossierEvents(input: ReadDossierEventsInput): Promise<LoggedEvent[]> {
      const stored = await readStream(db, input.dossierCode, { afterVersion: input.afterVersion, limit: input.limit });
      return stored.map((event) => ({ streamVersion: event.streamVersion, globalPosition: event.globalPosition, commandId: event.metadata.commandId, event: asDossierEvent(event) }));
    },
  };
}

export type DossierEventActivities = ReturnType<typeof createDossierEventActivities>;
