import { ApplicationFailure, log, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { DocumentActivities } from '../../activities/document-activities.js';
import type { DocumentRequest } from '../../domain/documents/documents-called-for.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { issuedDocuments } from '../../domain/dossier/state.js';
import type { DossierCopy } from './dossier-copy.js';
import { DOCUMENTS_PATCH } from './patches.js';

// Rendering and signing retry until they succeed: a missing keystore is fixed by an operator, and the
// document is then issued with its original date, since it is built from the events alone.
const { issueDossierDocument } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The documents a dossier's events call for, waiting in line, and the loop that issues them. It runs
 * beside the workflow's main loop, so a slow or failing signer never holds back the legal clock's
 * alerts or the commands: each document is rendered and signed by an activity, then recorded
 * through the rules like any command of the system.
 */
export class DocumentQueue {
  /** Called for and not yet recorded as issued; the one being issued stays first until recorded. */
  readonly #waiting: DocumentRequest[];
  #issuing = false;
  readonly #dossier: DossierCopy;
  /** Records an issued document through the rules, as the command handler does any command. */
  readonly #record: (command: DossierCommand) => Promise<CommandOutcome>;

  constructor(dossier: DossierCopy, record: (command: DossierCommand) => Promise<CommandOutcome>, waiting: readonly DocumentRequest[] = []) {
    this.#dossier = dossier;
    this.#record = record;
    this.#waiting = [...waiting];
  }

  get waiting(): readonly DocumentRequest[] {
    return this.#waiting;
  }

  /** Puts documents in line, in runs that issue documents at all. */
  callFor(requests: readonly DocumentRequest[]): void {
    if (patched(DOCUMENTS_PATCH)) this.#waiting.push(...requests);
  }

  /** Documents of each kind already recorded or waiting, so the next one gets the next number. */
  counts(): Partial<Record<DocumentRequest['kind'], number>> {
    const counts: Partial<Record<DocumentRequest['kind'], number>> = {};
    const ids = [...issuedDocuments(this.#dossier.state), ...this.waitingIds()];
    for (const id of new Set(ids)) {
      const kind = id.split('/')[1] as DocumentRequest['kind'];
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return counts;
  }

  waitingIds(): string[] {
    return this.#waiting.map((request) => request.documentId);
  }

  /** Documents the log shows issued no longer wait (the one being issued finishes on its own). */
  forgetIssued(): void {
    const issued = new Set(issuedDocuments(this.#dossier.state));
    for (let index = this.#waiting.length - 1; index >= (this.#issuing ? 1 : 0); index -= 1) {
      if (issued.has(this.#waiting[index]!.documentId)) this.#waiting.splice(index, 1);
    }
  }

  /** Starts issuing the documents in line, unless that is already under way. */
  issueWaiting(): void {
    if (this.#waiting.length > 0 && !this.#issuing) void this.#issueAll();
  }

  async #issueAll(): Promise<void> {
    this.#issuing = true;
    try {
      while (this.#waiting.length > 0) {
        const request = this.#waiting[0]!;
        try {
          const issued = await issueDossierDocument({ dossierCode: this.#dossier.dossierCode, ...request });
          await this.#record({
            type: 'RecordDocumentIssued',
            commandId: `${workflowInfo().workflowId}/document/${request.documentId}`,
            dossierCode: this.#dossier.dossierCode,
            actor: { userId: 'document-issuer', role: 'system', agencyCode: issued.issuerAgencyCode },
            ...issued,
          }).catch(ignoreAlreadyRecorded);
          this.#waiting.shift();
        } catch (error) {
          // Never left unobserved: a failure here must not fail the workflow's tasks (and so every
          // command). The request stays first in line and is tried again after a pause.
          log.error('document not issued; trying again in a minute', { documentId: request.documentId, error: String(error) });
          await sleep('1 minute');
        }
      }
    } finally {
      this.#issuing = false;
    }
  }
}

function ignoreAlreadyRecorded(error: unknown): void {
  // A document recorded before a continue-as-new, or by an earlier try of this command, is done.
  if (error instanceof ApplicationFailure && error.type === 'DOCUMENT_ALREADY_RECORDED') return;
  throw error;
}
