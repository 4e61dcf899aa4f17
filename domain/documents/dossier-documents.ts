// What each document a dossier's events call for says: forms 01–06 of Circular 03/2025/TT-VPCP and
// the result, built from the events alone. The same events always give the same model, so the
// rendered and signed document is reproducible. Which events call for which document is in
// ./documents-called-for.ts; each form's text is in ./forms/.
//
// The form layouts follow the field lists of Circular 01/2018/TT-VPCP (Decree 61/2018/NĐ-CP's
// forms); the Circular 03/2025/TT-VPCP Appendix I layouts were not available to check against.
import type { DossierEvent } from '../dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState } from '../dossier/state.js';
import type { DocumentKind } from './document-model.js';
import type { DocumentRequest } from './documents-called-for.js';
import type { DossierDocument, FormBuilder, FormContext } from './form-parts.js';
import { apology } from './forms/apology.js';
import { controlSlip } from './forms/control-slip.js';
import { latenessApology } from './forms/lateness-apology.js';
import { receipt } from './forms/receipt.js';
import { refusal } from './forms/refusal.js';
import { result } from './forms/result.js';
import { stopNotice } from './forms/stop-notice.js';
import { supplementRequest } from './forms/supplement-request.js';

/** The document a request names, from the dossier's events up to `request.forVersion`. */
export function dossierDocument(request: DocumentRequest, events: readonly DossierEvent[]): DossierDocument {
  if (events.length < request.forVersion) throw new RangeError(`${request.documentId} is for version ${request.forVersion}, but only ${events.length} events were given`);
  const upTo = events.slice(0, request.forVersion);
  let state: DossierState = newDossier(dossierCodeOf(request));
  for (const event of upTo) state = evolveDossier(state, event);
  if (!isReceived(state)) throw new RangeError(`${request.documentId}: the dossier was never received`);
  const trigger = upTo[upTo.length - 1]!;
  const received = upTo.find((event) => event.type === 'DossierReceived');
  if (!received || received.type !== 'DossierReceived') throw new RangeError(`${request.documentId}: no DossierReceived event`);
  const context: FormContext = { request, state, events: upTo, applicant: received.data.applicant, sequence: Number(request.documentId.split('/').pop()) };
  const build = BUILDERS[request.kind];
  return build(context, trigger);
}

function dossierCodeOf(request: DocumentRequest): string {
  return request.documentId.split('/')[0]!;
}

const BUILDERS: Record<DocumentKind, FormBuilder> = {
  'form-01': receipt,
  'form-02': supplementRequest,
  'form-03': refusal,
  'form-04': apology,
  'form-05': stopNotice,
  'form-06': controlSlip,
  // The register is a unit's, not a dossier's: db/reports builds it for a period.
  'form-07': () => {
    throw new RangeError('form 07 (the register) is built for a unit and a period, not for one dossier');
  },
  result,
  'lateness-apology': latenessApology,
};
