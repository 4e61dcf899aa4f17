import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { appendToStream, type NewEvent, StreamVersionConflict } from '../db/event-store.js';
import { asDossierEvent, projectDossierReadModels } from '../db/projections/dossier-read-models.js';
import type { LoggedEvent } from '../domain/dossier/catch-up.js';
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

export interface ReadDossierEventsInput {
  readonly dossierCode: string;
  /** Only events after this stream version. */
  readonly afterVersion: number;
  /** At most this many, so one answer stays far below Temporal's payload limit. */
  readonly limit: number;
}

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
        const result = await appendToStream(db, input.dossierCode, input.expectedVersion, input.events, [projectDossierReadModels]);
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
        throw error;
      }
    },

    /** A page of the events the log holds after a version: what a workflow that fell behind must fold. */
    async readDossierEvents(input: ReadDossierEventsInput): Promise<LoggedEvent[]> {
      const rows = await db
        .selectFrom('events')
        .select(['stream_version', 'global_position', 'type', 'schema_version', 'payload', 'metadata'])
        .where('stream_id', '=', input.dossierCode)
        .where('stream_version', '>', input.afterVersion)
        .orderBy('stream_version')
        .limit(input.limit)
        .execute();
      return rows.map((row) => {
        const commandId = (row.metadata as { commandId?: unknown } | null)?.commandId;
        return {
          streamVersion: Number(row.stream_version),
          globalPosition: Number(row.global_position),
          ...(typeof commandId === 'string' ? { commandId } : {}),
          event: asDossierEvent({ type: row.type, schemaVersion: row.schema_version, data: row.payload }),
        };
      });
    },
  };
}

export type DossierEventActivities = ReturnType<typeof createDossierEventActivities>;
