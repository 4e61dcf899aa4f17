import { upsertSearchAttributes } from '@temporalio/workflow';
import type { DocumentRequest } from '../../domain/documents/documents-called-for.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import { type DossierState, newDossier } from '../../domain/dossier/state.js';
import { DOSSIER_STATUS } from '../search-attributes.js';
import type { CarriedDossier } from './messages.js';

/** Outcomes of this many latest commands are kept to answer retries, across continue-as-new. */
const RECENT_OUTCOMES = 200;

/**
 * A run's copy of its dossier: the state folded from the events the run appended or found in the
 * log, and the outcomes of the latest commands. The event log stays the record; this copy is what
 * the run decides on.
 */
export class DossierCopy {
  state: DossierState;
  streamVersion: number;
  // Temporal answers a repeated update id with the first outcome, but only within one run; the
  // latest outcomes travel through continue-as-new so a retried command still acts once.
  readonly #recent: Map<string, CommandOutcome>;

  constructor(
    readonly dossierCode: string,
    carried: CarriedDossier | undefined,
  ) {
    this.state = carried?.state ?? newDossier(dossierCode);
    this.streamVersion = carried?.streamVersion ?? 0;
    this.#recent = new Map(carried?.recent ?? []);
  }

  /** What a command already handled came to, if it is among the latest. */
  outcomeOf(commandId: string): CommandOutcome | undefined {
    return this.#recent.get(commandId);
  }

  remember(commandId: string, outcome: CommandOutcome): void {
    this.#recent.set(commandId, outcome);
    if (this.#recent.size > RECENT_OUTCOMES) this.#recent.delete(this.#recent.keys().next().value!);
  }

  /** Operators find dossiers by their status in Temporal's UI and CLI. */
  showStatus(): void {
    if (this.state.status !== 'none') upsertSearchAttributes([{ key: DOSSIER_STATUS, value: this.state.status }]);
  }

  /** What continue-as-new carries to the next run, with the documents still to issue. */
  carried(pendingDocuments: readonly DocumentRequest[]): CarriedDossier {
    return { state: this.state, streamVersion: this.streamVersion, recent: [...this.#recent], pendingDocuments };
  }
}
