// Which documents a dossier's events call for (forms 01–06 of Circular 03/2025/TT-VPCP and the
// result), numbered within the dossier. The workflow asks this after every append, so this file holds
// no form text: what each document says is in ./forms/.
import type { DossierEvent } from '../dossier/events.js';
import type { DocumentKind } from './document-model.js';

/** A document to issue: which, for which event (its stream version), and its number in the dossier. */
export interface DocumentRequest {
  readonly kind: DocumentKind;
  /** `<dossier code>/<kind>/<n>`: the same on every retry. */
  readonly documentId: string;
  /** The stream version of the event that calls for it; the document is built from the events up to it. */
  readonly forVersion: number;
}

const CALLED_FOR: Partial<Record<DossierEvent['type'], readonly DocumentKind[]>> = {
  DossierAccepted: ['form-01'],
  SupplementRequestedAtReception: ['form-02'],
  SupplementRequested: ['form-02'],
  DossierRefusedAtReception: ['form-03'],
  ResolutionRefused: ['form-03'],
  ApologyIssued: ['form-04'],
  WithdrawalDecided: ['form-05'],
  // The result comes with the control slip as it stood when the work was done. The result itself is
  // the competent body's signed file (docs/decisions/0017); only a result recorded before that (no
  // signature report: the caller's word) still gets the engine's own result document, so a workflow
  // that replays such an event issues what it issued then.
  ResultIssued: ['form-06'],
  LatenessApologyIssued: ['lateness-apology'],
};

/**
 * The event types that call for documents: each calls for one, but a ResultIssued without a
 * signature report for two (calledFor below). What the operator's resume counts in the log to find a
 * dossier owed a document (worker/resume-all.ts).
 */
export const DOCUMENT_CALLING_EVENTS: readonly DossierEvent['type'][] = Object.keys(CALLED_FOR) as DossierEvent['type'][];

function calledFor(event: DossierEvent): readonly DocumentKind[] {
  if (event.type === 'ResultIssued' && event.data.signature === undefined) return ['result', 'form-06'];
  return CALLED_FOR[event.type] ?? [];
}

/**
 * The documents that newly appended events call for. `firstVersion` is the stream version of the
 * first of them; `issued` counts the documents of each kind already issued or requested.
 */
export function documentsCalledFor(dossierCode: string, events: readonly DossierEvent[], firstVersion: number, issued: Readonly<Partial<Record<DocumentKind, number>>>): DocumentRequest[] {
  const counts: Partial<Record<DocumentKind, number>> = { ...issued };
  return events.flatMap((event, index) =>
    calledFor(event).map((kind) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      return { kind, documentId: `${dossierCode}/${kind}/${counts[kind]}`, forVersion: firstVersion + index };
    }),
  );
}
