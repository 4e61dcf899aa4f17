// The documents of a dossier, found by their events in the log (the events carry each file's digest
// and signature report; the files are in the document store). Oldest first. Two kinds of event
// record one: DocumentIssued, a form or letter the engine rendered and signed, and ResultIssued with
// a signature report, the result file the competent body signed (docs/decisions/0017). The latter
// reads as a document of kind `result` numbered by its result code (`<dossier code>-KQ<n>`).
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DocumentIssued } from '../domain/dossier/events.js';
import type { Database } from './schema.js';

/** A document of a dossier: the dossier it belongs to, and what its event recorded. */
export interface IssuedDocument {
  readonly stream_id: string;
  readonly payload: DocumentIssued['data'];
}

/** The conditions on each kind of event: on DocumentIssued payloads, and on ResultIssued payloads. */
interface Where {
  readonly documents: RawBuilder<unknown>;
  readonly results: RawBuilder<unknown>;
}

const NONE = sql`false`;

async function issuedDocuments(db: Kysely<Database>, where: Where): Promise<IssuedDocument[]> {
  // A result file reads as the document it is: the competent body (its signer's agency) issued it
  // at the event's time, under the result code, for the event's stream version.
  const { rows } = await sql<IssuedDocument>`
    SELECT stream_id, payload FROM (
      SELECT stream_id, payload, global_position FROM events WHERE type = 'DocumentIssued' AND ${where.documents}
      UNION ALL
      SELECT stream_id,
             jsonb_build_object(
               'kind', 'result',
               'documentId', stream_id || '/result/' || substring(payload->>'resultCode' from 'KQ([0-9]+)$'),
               'number', payload->>'resultCode',
               'forVersion', stream_version,
               'issuerAgencyCode', payload->>'signerAgencyCode',
               'issuedAt', payload->>'at',
               'at', payload->>'at',
               'file', jsonb_build_object('sha256', payload->'document'->>'sha256', 'size', payload->'document'->'size', 'mediaType', payload->'document'->>'mediaType'),
               'signature', payload->'signature'
             ) AS payload,
             global_position
        FROM events WHERE type = 'ResultIssued' AND payload ? 'signature' AND ${where.results}
    ) documents
    ORDER BY global_position`.execute(db);
  return rows;
}

export function documentsIssuedFor(db: Kysely<Database>, dossierCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, { documents: sql`stream_id = ${dossierCode}`, results: sql`stream_id = ${dossierCode}` });
}

/** The results of a dossier: the competent body's signed files, and the engine's result documents of dossiers resolved before them. */
export function resultsIssuedFor(db: Kysely<Database>, dossierCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, { documents: sql`stream_id = ${dossierCode} AND payload->>'kind' = 'result'`, results: sql`stream_id = ${dossierCode}` });
}

/** The documents whose file has this SHA-256. */
export function documentsWithDigest(db: Kysely<Database>, sha256: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, { documents: sql`payload->'file'->>'sha256' = ${sha256}`, results: sql`payload->'document'->>'sha256' = ${sha256}` });
}

/** The result issued under a result code (`<dossier code>-KQ<n>`): the competent body's file, or the engine's result document before them. */
export function resultsNumbered(db: Kysely<Database>, resultCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, { documents: sql`payload->>'number' = ${resultCode} AND payload->>'kind' = 'result'`, results: sql`payload->>'resultCode' = ${resultCode}` });
}

/** The documents the engine signed with a certificate, named by its serial number and issuer. */
export function documentsSignedWith(db: Kysely<Database>, certificate: { readonly serialNumber: string; readonly issuer: string }): Promise<IssuedDocument[]> {
  return issuedDocuments(db, {
    documents: sql`payload->'signature'->'signer'->>'serialNumber' = ${certificate.serialNumber} AND payload->'signature'->'signer'->>'issuer' = ${certificate.issuer}`,
    results: NONE,
  });
}
