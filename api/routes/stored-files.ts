// A stored file as a download (a dossier's files, a feedback item's answer and attachments), streamed
// from the document store and checked against their digest on the way (documents/document-store.ts).
import type { FastifyReply } from 'fastify';
import type { DocumentStore } from '../../documents/document-store.js';
import { attachmentDisposition } from '../file-names.js';

export async function sendStoredFile(reply: FastifyReply, store: DocumentStore, file: { readonly sha256: string; readonly mediaType: string; readonly name?: string | undefined }, fallbackStem: string, notFound: () => FastifyReply): Promise<FastifyReply> {
  const stored = await store.open(file.sha256);
  if (!stored) return notFound();
  return reply
    .type(file.mediaType)
    .header('content-length', stored.size)
    .header('content-disposition', attachmentDisposition(file.name, fallbackStem, file.mediaType))
    .header('etag', `"${file.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    // A sender's bytes (an XML e-form may hold XHTML and script; a PDF, JavaScript) never run on the
    // API's origin, even when a browser is told to show rather than save them.
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(stored.stream);
}

export function sendStoredPdf(reply: FastifyReply, store: DocumentStore, sha256: string, fallbackStem: string, notFound: () => FastifyReply): Promise<FastifyReply> {
  return sendStoredFile(reply, store, { sha256, mediaType: 'application/pdf' }, fallbackStem, notFound);
}
