// The activity that issues a dossier's document: read the events it is built from, build the model
// with the pure rules of domain/documents/, render, sign and store it (documents/). Retried until it
// succeeds; the same events give the same file, so a retry stores nothing new.
import type { Kysely } from 'kysely';
import type { DocumentRequest } from '../domain/documents/documents-called-for.js';
import { dossierDocument } from '../domain/documents/dossier-documents.js';
import type { DocumentIssued } from '../domain/dossier/events.js';
import { readStream } from '../db/event-store.js';
import { asDossierEvent } from '../domain/dossier/upcast.js';
import type { Database } from '../db/schema.js';
import type { DocumentIssuer } from '../documents/document-issuer.js';

export interface IssueDossierDocumentInput extends DocumentRequest {
  readonly dossierCode: string;
}

/** What the workflow records in DocumentIssued (everything but the recording instant). */
export type IssuedDossierDocument = Omit<DocumentIssued['data'], 'at'>;

export interface DocumentActivitiesDeps {
  readonly db: Kysely<Database>;
  readonly issuer: DocumentIssuer;
}

export function createDocumentActivities({ db, issuer }: DocumentActivitiesDeps) {
  return {
    async issueDossierDocument(input: IssueDossierDocumentInput): Promise<IssuedDossierDocument> {
      const events = (await readStream(db, input.dossierCode)).map(asDossierEvent);
      const { kind, documentId, forVersion } = input;
      const document = dossierDocument({ kind, documentId, forVersion }, events);
      const agency = document.model.issuer;
      const { file, signature } = await issuer.issue(document.model, { code: document.issuerAgencyCode, name: agency.name });
      return {
        kind,
        documentId,
        number: document.model.number.replace(/^Số: /, ''),
        forVersion,
        issuerAgencyCode: document.issuerAgencyCode,
        issuedAt: new Date(document.issuedAt).toISOString(),
        file: { sha256: file.sha256, size: file.size, mediaType: 'application/pdf' },
        signature,
      };
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
