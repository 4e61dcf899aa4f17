// GET /portal-files/{dossierCode}/{token}: where the national portal downloads a dossier's files from (the links
// the sync sends as DuongDanTaiTepTin and DuongDanTepTinKetQua; docs/integrations/national-portal.md#file-links-for-the-portal). No login:
// the signed, expiring token (api/portal-file-links.ts) is the credential, and it opens one file
// of one dossier: a component file its log records, a document issued for it (a result, a form,
// a letter), or a file an outside system returned with its answer (a step's result handed to the
// next body, docs/integrations.md#handing-steps-over). Anything else, a forged, altered or expired
// token, a file of another dossier, answers 404 with a problem that says which. The bytes are streamed from the document store and checked
// against their digest on the way (documents/document-store.ts). No file name is sent (names are
// personal data and the link is public): the download is named after the dossier and the digest.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { answerFileWithDigest, dossierFilesWithDigest } from '../../db/dossier-files.js';
import { documentsIssuedFor } from '../../db/issued-documents.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { attachmentDisposition, FILE_EXTENSIONS } from '../file-names.js';
import { fileSchema } from '../openapi-responses.js';
import { verifyPortalFileToken } from '../portal-file-links.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';

export interface PortalFileRoutesDeps {
  readonly db: Kysely<Database>;
  readonly store: DocumentStore;
  /** The key links are signed with (at least 32 characters); the sync's adapters sign with the same one. */
  readonly key: string;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

const params = z.object({
  dossierCode: z.string().max(100).describe('The dossier the link is for'),
  token: z.string().max(100).describe('The token of a link the sync sent (v1.<digest and expiry>.<mac>); signed for this dossier'),
});

/** The media type of a file of this dossier with this digest, or undefined when it has none. */
async function mediaTypeOfDossierFile(db: Kysely<Database>, dossierCode: string, sha256: string): Promise<string | undefined> {
  const [component] = await dossierFilesWithDigest(db, dossierCode, sha256);
  if (component) return component.file.mediaType;
  const issued = (await documentsIssuedFor(db, dossierCode)).find((document) => document.payload.file.sha256 === sha256);
  if (issued) return issued.payload.file.mediaType;
  // A file an outside system returned (a step's result the next body is handed, a tax notice or receipt).
  return (await answerFileWithDigest(db, dossierCode, sha256))?.mediaType;
}

export const portalFileRoutes: FastifyPluginAsyncZod<PortalFileRoutesDeps> = async (app, { db, store, key, now }) => {
  app.get(
    '/portal-files/:dossierCode/:token',
    {
      schema: {
        summary: 'A file of a dossier, for the national portal, by a signed expiring link (no token: the link is the credential)',
        description:
          'The links the national-portal sync sends (DuongDanTaiTepTin, DuongDanTepTinKetQua). A link names one component file or issued document of one dossier and an expiry. A forged or altered link answers 404 PORTAL_FILE_LINK_INVALID, an expired one PORTAL_FILE_LINK_EXPIRED, a file not of that dossier PORTAL_FILE_NOT_FOUND. docs/integrations/national-portal.md#file-links-for-the-portal.',
        tags: ['integrations'],
        security: [],
        params,
        response: {
          200: {
            description: 'The bytes, checked against their digest as they are sent',
            content: Object.fromEntries(Object.keys(FILE_EXTENSIONS).map((mediaType) => [mediaType, { schema: fileSchema(mediaType) }])),
          },
          400: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { public: true } },
    },
    async (request, reply) => {
      const checked = verifyPortalFileToken(key, request.params.dossierCode, request.params.token, now?.() ?? new Date());
      if (!checked.ok) {
        return checked.reason === 'expired'
          ? sendProblem(reply, codedProblem('PORTAL_FILE_LINK_EXPIRED', 'This link has expired. The next sync of the dossier sends a fresh one.'))
          : sendProblem(reply, codedProblem('PORTAL_FILE_LINK_INVALID', 'This is not a link this engine signed (altered, truncated, or signed with another key). Use the link exactly as the sync sent it.'));
      }
      const { dossierCode, sha256 } = checked;
      const notFound = () => sendProblem(reply, codedProblem('PORTAL_FILE_NOT_FOUND', `Dossier ${dossierCode} has no file with this digest. Ask the agency to sync the dossier again.`));
      const mediaType = await mediaTypeOfDossierFile(db, dossierCode, sha256);
      if (!mediaType) return notFound();
      const stored = await store.open(sha256);
      if (!stored) return notFound();
      return sendBytes(reply, stored.stream, { mediaType, size: stored.size, dossierCode, sha256 });
    },
  );
};

/** The bytes as a download named after the dossier and the digest, never cached by a shared cache. */
function sendBytes(reply: FastifyReply, stream: Readable, file: { mediaType: string; size: number; dossierCode: string; sha256: string }) {
  return reply
    .type(file.mediaType)
    .header('content-length', file.size)
    .header('content-disposition', attachmentDisposition(undefined, `${file.dossierCode}-${file.sha256.slice(0, 12)}`, file.mediaType))
    .header('etag', `"${file.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    // Public only to whoever holds the link: no shared cache keeps it, and no page it opens leaks it.
    .header('cache-control', 'private, no-store')
    .header('referrer-policy', 'no-referrer')
    .send(stream);
}
