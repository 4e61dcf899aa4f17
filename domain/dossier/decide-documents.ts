// Recording a document the engine issued for the dossier (a form, the result). The workflow sends it
// after rendering and signing; the rules keep each document recorded once and tied to a real event.
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { roleNotAllowed } from './decision-guards.js';
import { accept, refuse, type Decision } from './errors.js';
import type { DossierEvent } from './events.js';
import type { ReceivedDossier } from './state.js';

export function decideDocumentIssued(state: ReceivedDossier, command: CommandOfType<'RecordDocumentIssued'>, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = roleNotAllowed(command.actor, command.type);
  if (guard) return refuse(guard);
  if ((state.documents ?? []).includes(command.documentId)) {
    return refuse({
      code: 'DOCUMENT_ALREADY_RECORDED',
      message: `Document ${command.documentId} is already recorded for dossier ${state.dossierCode}; a document is issued once.`,
      rule: 'One record per issued document (motcua documents, docs/documents.md)',
      field: 'documentId',
    });
  }
  const { kind, documentId, number, forVersion, issuerAgencyCode, issuedAt, file, signature } = command;
  return accept({ type: 'DocumentIssued', schemaVersion: 1, data: { at: now, kind, documentId, number, forVersion, issuerAgencyCode, issuedAt, file, signature } });
}
