// The event log is the dossier's record; its workflow holds a copy of the state folded from it. The
// copy can fall behind: a workflow run terminated or reset by an operator, or Temporal's database
// restored from a backup older than PostgreSQL's, leaves events in the log that the run never saw.
// Its next append then conflicts. Catching up folds the missing events exactly as the run would
// have, so the run decides the command again on the dossier as it is, answers a retried command
// with the outcome the log shows for it, and issues the documents the log calls for but lacks.
import { documentsCalledFor, type DocumentRequest } from '../documents/documents-called-for.js';
import type { DossierEvent } from './events.js';
import { evolveDossier, issuedDocuments, type DossierState } from './state.js';

/** An event as the log holds it: its place in the stream and the command that produced it. */
export interface LoggedEvent {
  readonly streamVersion: number;
  readonly globalPosition: number;
  /** The id of the command whose decision appended it (absent only in hand-made streams). */
  readonly commandId?: string;
  readonly event: DossierEvent;
}

/** What a command's decision did to the dossier: the answer its caller gets, and gets again on a retry. */
export interface CommandOutcome {
  readonly dossierCode: string;
  readonly streamVersion: number;
  readonly status: DossierState['status'];
  readonly events: readonly DossierEvent['type'][];
  readonly globalPositions: readonly number[];
}

export interface CaughtUp {
  readonly state: DossierState;
  readonly streamVersion: number;
  /** The outcome of each command found among the new events, by command id, in log order. */
  readonly outcomes: readonly (readonly [string, CommandOutcome])[];
  /** Documents the new events call for that are neither issued in the log nor already waiting. */
  readonly documents: readonly DocumentRequest[];
}

export interface KnownDocuments {
  /** Documents of each kind issued or waiting before the new events, for the next numbers. */
  readonly counts: Readonly<Partial<Record<DocumentRequest['kind'], number>>>;
  /** Ids of the documents already waiting to be issued. */
  readonly waiting: readonly string[];
}

/**
 * Folds the events the log holds beyond `streamVersion` into `state`. They must follow on from it
 * without a gap; anything else is a bug in the reader, refused rather than folded.
 */
export function catchUp(dossierCode: string, state: DossierState, streamVersion: number, logged: readonly LoggedEvent[], known: KnownDocuments): CaughtUp {
  logged.forEach((entry, index) => {
    if (entry.streamVersion !== streamVersion + index + 1) {
      throw new RangeError(`catching up ${dossierCode} from version ${streamVersion}: expected version ${streamVersion + index + 1}, the log gave ${entry.streamVersion}`);
    }
  });
  const outcomes: [string, CommandOutcome][] = [];
  let folded = state;
  let group: LoggedEvent[] = [];
  const closeGroup = () => {
    const first = group[0];
    if (first?.commandId !== undefined) {
      outcomes.push([
        first.commandId,
        {
          dossierCode,
          streamVersion: group[group.length - 1]!.streamVersion,
          status: folded.status,
          events: group.map((entry) => entry.event.type),
          globalPositions: group.map((entry) => entry.globalPosition),
        },
      ]);
    }
    group = [];
  };
  for (const entry of logged) {
    if (group.length > 0 && group[0]!.commandId !== entry.commandId) closeGroup();
    folded = evolveDossier(folded, entry.event);
    group.push(entry);
  }
  closeGroup();

  const issued = new Set(issuedDocuments(folded));
  const waiting = new Set(known.waiting);
  const documents = documentsCalledFor(dossierCode, logged.map((entry) => entry.event), streamVersion + 1, known.counts).filter(
    (request) => !issued.has(request.documentId) && !waiting.has(request.documentId),
  );
  return { state: folded, streamVersion: streamVersion + logged.length, outcomes, documents };
}
