// What the log says a command did. A command's events can be in the log while its workflow run
// refuses it: a worker that died after its local append committed leaves the run to decide the same
// update again, later, on its old copy, and a rule that depends on the clock may now say no. The log
// is the record, so the API answers with what it holds.
import type { Kysely } from 'kysely';
import { foldDossier, newDossier, type DossierState } from '../domain/dossier/state.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import { readStream } from './event-store.js';
import { asDossierEvent } from './projections/dossier-read-models.js';
import type { Database } from './schema.js';

export interface LoggedCommandOutcome {
  readonly streamVersion: number;
  readonly status: DossierState['status'];
  readonly events: readonly DossierEvent['type'][];
}

/** The outcome of the command with this id on this dossier, if the log holds its events. */
export async function loggedCommandOutcome(db: Kysely<Database>, dossierCode: string, commandId: string): Promise<LoggedCommandOutcome | undefined> {
  const stream = await readStream(db, dossierCode);
  const own = stream.filter((event) => event.metadata.commandId === commandId);
  const last = own[own.length - 1];
  if (!last) return undefined;
  const state = foldDossier(newDossier(dossierCode), stream.filter((event) => event.streamVersion <= last.streamVersion).map(asDossierEvent));
  return { streamVersion: last.streamVersion, status: state.status, events: own.map((event) => event.type as DossierEvent['type']) };
}
