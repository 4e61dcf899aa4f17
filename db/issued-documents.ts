// The documents the engine issued, found by their DocumentIssued events in the log (the events carry
// each file's digest and signature report; the files are in the document store). Oldest first.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DocumentIssued } from '../domain/dossier/events.js';
import type { Database } from './schema.js';

/** A DocumentIssued event: the dossier it was issued for, and what it recorded. */
export interface IssuedDocument {
  readonly stream_id: string;
  readonly payload: DocumentIssued['data'];
}

async function issuedDocuments(db: Kysely<Database>, where: RawBuilder<unknown>): Promise<IssuedDocument[]> {
  const { rows } = await sql<IssuedDocument>`SELECT stream_id, payload FROM events WHERE type = 'DocumentIssued' AND ${where} ORDER BY global_position`.execute(db);
  return rows;
}

export function documentsIssuedFor(db: Kysely<Database>, dossierCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, sql`stream_id = ${dossierCode}`);
}

export function resultsIssuedFor(db: Kysely<Database>, dossierCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, sql`stream_id = ${dossierCode} AND payload->>'kind' = 'result'`);
}

/** The issued documents whose file has this SHA-256. */
export function documentsWithDigest(db: Kysely<Database>, sha256: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, sql`payload->'file'->>'sha256' = ${sha256}`);
}

/** The results issued under a result code (`<dossier code>-KQ<n>`). */
export function resultsNumbered(db: Kysely<Database>, resultCode: string): Promise<IssuedDocument[]> {
  return issuedDocuments(db, sql`payload->>'number' = ${resultCode} AND payload->>'kind' = 'result'`);
}

/** The documents signed with a certificate, named by its serial number and issuer. */
export function documentsSignedWith(db: Kysely<Database>, certificate: { readonly serialNumber: string; readonly issuer: string }): Promise<IssuedDocument[]> {
  return issuedDocuments(db, sql`payload->'signature'->'signer'->>'serialNumber' = ${certificate.serialNumber} AND payload->'signature'->'signer'->>'issuer' = ${certificate.issuer}`);
}
