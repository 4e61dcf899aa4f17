// A feedback item's files as a download: the signed answer and the attachments, streamed from the
// document store and checked against their digest on the way (documents/document-store.ts).
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
    // A sender's bytes (a PDF may hold JavaScript) never run on the API's origin.
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(stored.stream);
}

export function sendStoredPdf(reply: FastifyReply, store: DocumentStore, sha256: string, fallbackStem: string, notFound: () => FastifyReply): Promise<FastifyReply> {
  return sendStoredFile(reply, store, { sha256, mediaType: 'application/pdf' }, fallbackStem, notFound);
}
